"""Check data against the SHACL shapes in ontology/shapes.ttl: the data contract.

One module per job:
    shapes     reading the shapes file
    paths      SHACL property paths, as SPARQL and back as SHACL path nodes
    fast       the store engine: each constraint one SPARQL query for all focus nodes (pyoxigraph)
    reference  pySHACL over rdflib, for shapes the store engine does not translate, and the
               reference the tests hold it to
    check      what is validated with which engine, and which file each result is about
    report     the report and its text, JSON and Turtle renderings
    files      reading a user's RDF files

`validate_inputs()` checks what a build stores (build.py calls it before swapping a store in);
`validate_files()` checks a user's files together with the ontology and the shipped data they
refer to, and reports only the nodes the user's files describe; `validate_graphs()` checks any
named set of graphs (ingest checks a new graph with everything else).
"""

from wsisgraph.graph.validate.check import ENGINES, validate_files, validate_graphs, validate_inputs
from wsisgraph.graph.validate.files import INPUT_FORMATS, read_file
from wsisgraph.graph.validate.report import (
    REPORT_FORMATS,
    ValidationFailed,
    ValidationReport,
    ValidationResult,
    focus_key,
)
from wsisgraph.graph.validate.shapes import SHAPES_FILE, SHAPES_NS, shapes_path

__all__ = ["ENGINES", "INPUT_FORMATS", "REPORT_FORMATS", "SHAPES_FILE", "SHAPES_NS", "ValidationFailed",
           "ValidationReport", "ValidationResult", "focus_key", "read_file", "shapes_path", "validate_files",
           "validate_graphs", "validate_inputs"]
