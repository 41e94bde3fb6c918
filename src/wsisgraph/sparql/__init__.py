"""SPARQL over the graph: the canned-query catalogue, parameter binding, result formats, remote endpoints."""
