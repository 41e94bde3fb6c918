"""Publishing the graph for citation and for the web: versioned releases (release.py) with their
VoID + DCAT description (describe.py), what changed between two versions (diff.py), and a Linked
Data site whose IRIs resolve by content negotiation (linkeddata.py).

These read what the store publishes (the asserted named graphs and `dataset`, never `inferred`)
through graph/export.py, jsonld.py and stats.py, so a release holds exactly what `export` gives.
"""
