"""Reading a user's RDF files for `wsisgraph validate` and `reason`: the syntax by extension or by
name, errors as `path:line:col: message`. `read_file` gives Python triples; `load_file` has the
store parse a file straight into one of its graphs, which at a million triples is several times
faster than making a Python term of each (what `validate` does with its files)."""

import re
import xml.parsers.expat
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, Triple, parse

from wsisgraph.core.errors import InputError
from wsisgraph.core.rdf import stable_blank_nodes
from wsisgraph.graph.export import FORMATS

# Input syntaxes a user's file may be in: by --input-format name, and by file extension.
INPUT_FORMATS: dict[str, RdfFormat] = FORMATS  # the syntaxes we export are the ones we read
EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nt": "nt", ".ntriples": "nt", ".nq": "nq",
    ".nquads": "nq", ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
}
# Syntaxes of triples only, which the store loads into a graph itself; TriG, N-Quads and JSON-LD may
# name graphs of their own, which a user's file does not keep, so they are read as triples first.
LOADED = {RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.RDF_XML}


def input_format(path: Path, name: str | None) -> RdfFormat:
    if name:
        return INPUT_FORMATS[name]
    chosen = EXTENSIONS.get(path.suffix.lower())
    if chosen is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(str(path), None, f"cannot tell the RDF syntax from the extension {path.suffix or '(none)'!r} "
                         f"(known: {known}); give --input-format")
    return INPUT_FORMATS[chosen]


def read_file(path: Path, fmt_name: str | None = None) -> list[Triple]:
    """Triples of a user's RDF file, each once (graph names of quads are dropped); errors as
    path:line:col. Blank nodes are labelled by order of first appearance, so the same file always
    gives the same labels."""
    fmt = input_format(path, fmt_name)
    data = _read_bytes(path)
    if fmt == RdfFormat.RDF_XML:
        _check_xml(path, data)
    try:
        quads = list(parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError.from_syntax(str(path), exc) from exc
    except ValueError as exc:
        raise InputError(str(path), None, str(exc)) from exc
    triples = list(dict.fromkeys(Triple(q.subject, q.predicate, q.object) for q in quads))
    return stable_blank_nodes(triples, "user-" + re.sub(r"[^A-Za-z0-9]+", "-", path.name))


def load_file(store: Store, path: Path, graph: NamedNode, fmt_name: str | None = None) -> None:
    """A user's RDF file into `graph` of `store` (graph names of quads are dropped); errors as in
    `read_file`. Turtle, N-Triples and RDF/XML are parsed by the store, whose blank nodes get labels
    of its own choosing (random); the other syntaxes go through `read_file`."""
    fmt = input_format(path, fmt_name)
    if fmt not in LOADED:
        store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for t in read_file(path, fmt_name))
        return
    data = _read_bytes(path) if fmt == RdfFormat.RDF_XML else None
    if data is not None:
        _check_xml(path, data)
    try:
        if data is not None:
            store.bulk_load(data, format=fmt, base_iri=path.resolve().as_uri(), to_graph=graph)
        else:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=graph)
    except SyntaxError as exc:
        raise InputError.from_syntax(str(path), exc) from exc
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise InputError(str(path), None, str(exc)) from exc


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc


def _check_xml(path: Path, data: bytes) -> None:
    """RDF/XML syntax errors with a line and column (the RDF parser does not give them)."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code)
        raise InputError(str(path), exc.lineno, f"XML error: {message}", exc.offset + 1) from exc
