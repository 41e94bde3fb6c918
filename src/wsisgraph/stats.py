"""Counts per class and per named graph, straight from the store."""

from pyoxigraph import Store

from wsisgraph.query import EmbeddedEngine, Result

CLASS_COUNTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?instances) ?class
"""
GRAPH_COUNTS = """
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph
"""


def class_counts(store: Store) -> Result:
    return EmbeddedEngine(store).select(CLASS_COUNTS)


def graph_counts(store: Store) -> Result:
    return EmbeddedEngine(store).select(GRAPH_COUNTS)
