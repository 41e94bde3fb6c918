"""Reading a user's RDF files for `wsisgraph validate` and `reason`: the syntax by extension or by
name, errors as `path:line:col: message`."""

import re
import xml.parsers.expat
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

from wsisgraph.core.errors import InputError
from wsisgraph.core.rdf import stable_blank_nodes
from wsisgraph.graph.export import FORMATS

# Input syntaxes a user's file may be in: by --input-format name, and by file extension.
INPUT_FORMATS: dict[str, RdfFormat] = FORMATS  # the syntaxes we export are the ones we read
EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nt": "nt", ".ntriples": "nt", ".nq": "nq",
    ".nquads": "nq", ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
}


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
    """Triples of a user's RDF file (graph names of quads are dropped); errors as path:line:col."""
    fmt = input_format(path, fmt_name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
    if fmt == RdfFormat.RDF_XML:
        _check_xml(path, data)
    try:
        quads = list(parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError.from_syntax(str(path), exc) from exc
    except ValueError as exc:
        raise InputError(str(path), None, str(exc)) from exc
    triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
    return stable_blank_nodes(triples, "user-" + re.sub(r"[^A-Za-z0-9]+", "-", path.name))


def _check_xml(path: Path, data: bytes) -> None:
    """RDF/XML syntax errors with a line and column (the RDF parser does not give them)."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code)
        raise InputError(str(path), exc.lineno, f"XML error: {message}", exc.offset + 1) from exc
