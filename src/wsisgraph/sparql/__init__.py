"""Asking SPARQL: the canned query catalog and parameters, results in every format, remote endpoints."""
