"""Counts per class and per named graph, straight from the store, named as people write them.

Classes are shown by prefixed name (`wsis:Alignment`), graphs by their short name (`report/…`,
`inferred`), each with its IRI. Instances are counted in the asserted graphs (what `query` reads);
every named graph is listed, `inferred` and `dataset` included. The two lists are one statistics
document: `--format json` writes {"classes": [...], "graphs": [...]}; CSV and TSV write one table
with a `kind` column (`class` or `graph`), so each format is one valid document.
"""

import csv
import io
import json
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Store

from wsisgraph.core.namespaces import DATASET_IRI, XSD, compact, graph_name, prologue
from wsisgraph.sparql.query import EmbeddedEngine, Engine, Result

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?instances) ?class
"""
GRAPH_COUNTS = """
SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph
"""
COLUMNS = ["kind", "name", "count", "iri"]


@dataclass(frozen=True)
class Count:
    kind: str  # "class" or "graph"
    name: str  # wsis:Alignment, report/cwg-wsis-sdg-39-40
    iri: str
    count: int


def counts(store: Store) -> list[Count]:
    """Instances per class (most first), then triples per named graph (by name)."""
    engine = EmbeddedEngine(store)
    out = [Count("class", compact(row[0].value), row[0].value, int(row[1].value))
           for row in engine.select(CLASS_COUNTS).rows if isinstance(row[0], NamedNode)]
    # every named graph, `inferred` too (the engine's GRAPH patterns see only the asserted ones)
    out += [Count("graph", graph_name(row["graph"].value), row["graph"].value, int(row["triples"].value))
            for row in store.query(GRAPH_COUNTS)]
    return out


def table(found: list[Count], kind: str) -> Result:
    """One kind as a result table: the name shown, the IRI hidden in tables unless --iris."""
    column = {"class": "instances", "graph": "triples"}[kind]
    return Result([kind, column, "iri"], [[Literal(c.name), Literal(str(c.count), datatype=XSD.integer),
                                           NamedNode(c.iri)] for c in found if c.kind == kind])


def to_json(found: list[Count]) -> str:
    document = {
        "classes": [{"class": c.name, "iri": c.iri, "instances": c.count} for c in found if c.kind == "class"],
        "graphs": [{"graph": c.name, "iri": c.iri, "triples": c.count} for c in found if c.kind == "graph"],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_delimited(found: list[Count], delimiter: str) -> str:
    """One CSV (or TSV) table: kind, name, count, iri."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if delimiter == "," else "\n")
    writer.writerow(COLUMNS)
    writer.writerows([c.kind, c.name, c.count, c.iri] for c in found)
    return buffer.getvalue()


VERSION_QUERY = prologue("dcat") + f"SELECT ?version WHERE {{ <{DATASET_IRI}> dcat:version ?version }}"


def read_version(engine: Engine) -> str:
    """The dataset's version (dcat:version of its description), or "" for a store without one."""
    rows = engine.select(VERSION_QUERY).rows
    return rows[0][0].value if rows else ""
