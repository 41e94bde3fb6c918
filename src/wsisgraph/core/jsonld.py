"""Compact JSON-LD with the published context, `ontology/context.jsonld`.

pyoxigraph writes JSON-LD in expanded form only (every key a full IRI, every value an object),
which is correct but unreadable. `export --format jsonld` compacts it with pyld (the JSON-LD 1.1
reference algorithms in Python) against the context shipped with the package: the prefixes of the
Turtle exports (plus `id:` for every other thing), and a term for each class and property of the
wsis: ontology (`supportsTarget`, `Alignment`), with object properties typed `@id` and datatype
properties typed by their range, so values read as plain strings. The context is written into each
export inline, so any JSON-LD processor reads the file offline; `--format jsonld-expanded` keeps
the expanded form.

The context file is made from the ontology by this module (`python -m wsisgraph.core.jsonld >
ontology/context.jsonld`) and a test checks that the shipped file is what the ontology gives.
"""

import json
import sys
from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from wsisgraph.core import resources
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import EXPORT_PREFIXES, ID, OWL, RDF, RDFS, WSIS

CONTEXT_FILE = "context.jsonld"
KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


def make_context(ontology: list[Triple]) -> dict:
    """The context for the ontology's terms: prefixes first, then one term per wsis: class and
    property by its local name (a local name that is also a prefix, such as `goal`, stays `wsis:goal`)."""
    prefixes = {**EXPORT_PREFIXES, "id": ID}
    kinds: dict[str, set[NamedNode]] = {}
    ranges: dict[str, NamedNode] = {}
    for t in ontology:
        if not (isinstance(t.subject, NamedNode) and t.subject.value.startswith(WSIS)):
            continue
        local = t.subject.value[len(WSIS):]
        if t.predicate == RDF.type and t.object in KINDS:
            kinds.setdefault(local, set()).add(t.object)
        elif t.predicate == RDFS.range and isinstance(t.object, NamedNode):
            ranges[local] = t.object
    terms: dict[str, object] = {}
    for local in sorted(kinds):
        if local in prefixes:
            continue
        term: dict[str, str] = {"@id": f"wsis:{local}"}
        if OWL.ObjectProperty in kinds[local]:
            term["@type"] = "@id"
        elif OWL.DatatypeProperty in kinds[local] and local in ranges and ranges[local].value.startswith(
                EXPORT_PREFIXES["xsd"]):
            term["@type"] = "xsd:" + ranges[local].value[len(EXPORT_PREFIXES["xsd"]):]
        terms[local] = term if len(term) > 1 else term["@id"]
    return {"@context": {**dict(sorted(prefixes.items())), **terms}}


def context_path() -> Path:
    return resources.ontology_dir() / CONTEXT_FILE


@cache
def published_context() -> dict:
    """The shipped context document, {"@context": {...}}."""
    return json.loads(context_path().read_text(encoding="utf-8"))


def no_remote_documents(url: str, options: dict | None = None) -> dict:
    """pyld's document loader: nothing is fetched (the context is inline)."""
    raise WsisgraphError(f"JSON-LD: will not fetch {url}; the context is inline")


def types_as_keyword(nodes: list) -> list:
    """pyoxigraph writes rdf:type as a property; JSON-LD readers expect `@type` (the same triples)."""
    for node in nodes:
        if "@graph" in node:
            types_as_keyword(node["@graph"])
        values = node.get(RDF.type.value, [])
        if values and all(set(value) == {"@id"} for value in values):
            node["@type"] = [value["@id"] for value in node.pop(RDF.type.value)]
    return nodes


def compact(expanded: bytes) -> bytes:
    """Expanded JSON-LD (as pyoxigraph writes it) compacted with the published context, context inline."""
    from pyld import jsonld

    document = jsonld.compact(types_as_keyword(json.loads(expanded)), published_context(),
                              {"documentLoader": no_remote_documents})
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def main() -> None:
    """Print the context made from the shipped ontology (to refresh ontology/context.jsonld)."""
    ontology = list(parse(path=str(resources.ontology_dir() / "wsis.ttl"), format=RdfFormat.TURTLE))
    sys.stdout.write(json.dumps(make_context(ontology), indent=1) + "\n")


if __name__ == "__main__":
    main()
