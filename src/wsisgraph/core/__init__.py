"""The lowest layer: errors, namespaces, packaged resources, languages and messages, RDF helpers.

Everything else may import from here; nothing here imports from another layer.
"""
