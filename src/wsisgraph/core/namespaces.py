"""IRIs: the ontology namespace, entity and graph IRIs, and the prefixes used in output.

Entity IRIs follow DESIGN.md: https://w3id.org/wsisgraph/id/{kind}/{key}, keys readable and stable.
Keys are normalised here, in one place, so no caller derives an IRI from free text by itself.
"""

import json
import re
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode

BASE = "https://w3id.org/wsisgraph/"
WSIS = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
DATASET_IRI = ID + "dataset/wsisgraph"
SHAPES = BASE + "shapes#"
# The two graphs a build makes itself (every other graph is named for its input file): the triples
# materialised by the reasoning rules, which are never published as the sources' word, and the
# dataset's own description.
INFERRED_GRAPH = "inferred"
DATASET_GRAPH = "dataset"

PREFIXES: dict[str, str] = {
    "wsis": WSIS,
    "id": ID,
    "graph": GRAPH,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sh": "http://www.w3.org/ns/shacl#",
    "vann": "http://purl.org/vocab/vann/",
    "unsdg": "http://metadata.un.org/sdg/",
    "sdgio": "http://purl.unep.org/sdg/",
}

# Prefixes for Turtle/TriG exports: one per kind of thing, so IRIs read as goal:9, target:9.c,
# actionline:C7-e-health rather than escaped id:sdg\/goal\/9 forms.
EXPORT_PREFIXES: dict[str, str] = {
    **{p: ns for p, ns in PREFIXES.items() if p not in {"id", "sh"}},
    "goal": ID + "sdg/goal/",
    "target": ID + "sdg/target/",
    "indicator": ID + "sdg/indicator/",
    "actionline": ID + "action-line/",
    "organisation": ID + "organisation/",
    "source": ID + "source/",
}

_KEY_BAD = re.compile(r"[^A-Za-z0-9._~-]+")


def normalise_key(key: str) -> str:
    """Turn a key into an IRI-safe path segment: runs of other characters become '-'."""
    cleaned = _KEY_BAD.sub("-", key.strip()).strip("-")
    if not cleaned:
        raise ValueError(f"empty identifier key from {key!r}")
    return cleaned


def entity(kind: str, key: str) -> NamedNode:
    """The IRI of a thing: id/{kind}/{key}; kind may contain '/' (e.g. 'sdg/goal')."""
    return NamedNode(f"{ID}{kind}/{normalise_key(key)}")


class Namespace:
    """Attribute access to the terms of a vocabulary: `SKOS.prefLabel` is a NamedNode."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, local: str) -> NamedNode:
        return NamedNode(self.base + local)

    def __getitem__(self, local: str) -> NamedNode:
        return NamedNode(self.base + local)


W = Namespace(WSIS)
RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
OWL = Namespace(PREFIXES["owl"])
XSD = Namespace(PREFIXES["xsd"])
SKOS = Namespace(PREFIXES["skos"])
DCTERMS = Namespace(PREFIXES["dcterms"])
PROV = Namespace(PREFIXES["prov"])
DCAT = Namespace(PREFIXES["dcat"])
VOID = Namespace(PREFIXES["void"])
SD = Namespace(PREFIXES["sd"])


def graph_name(iri: str) -> str:
    """Short name of a named graph IRI (graph/sdg/goals -> sdg/goals)."""
    return iri[len(GRAPH):] if iri.startswith(GRAPH) else iri


def graph_iri(name: str) -> NamedNode:
    """The IRI of a named graph given its short name or full IRI."""
    if name.startswith(("http://", "https://")):
        return NamedNode(name)
    return NamedNode(GRAPH + name.strip("/"))


# Shown in messages and documentation, never declared in data: the shapes' own namespace.
DISPLAY_PREFIXES: dict[str, str] = {**PREFIXES, "wsish": SHAPES}


def prologue(*prefixes: str) -> str:
    """SPARQL PREFIX declarations for the named prefixes of PREFIXES (all of them when none is named),
    so every query the package writes declares its namespaces the same way."""
    return declarations((prefix, PREFIXES[prefix]) for prefix in (prefixes or PREFIXES))


def declarations(pairs: Iterable[tuple[str, str]]) -> str:
    """SPARQL PREFIX declarations for (prefix, namespace) pairs, such as a SHACL-SPARQL constraint's
    sh:declare; prologue() is this for the project's own prefixes."""
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in pairs)


def compact(iri: str) -> str:
    """prefix:local form of an IRI where a known prefix fits (the longest namespace wins), else the
    IRI itself. The one place an IRI is shortened for people: tables, reports, documentation."""
    best = ""
    for prefix, namespace in DISPLAY_PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, chosen = namespace, prefix
    if not best:
        return iri
    return f"{chosen}:{iri[len(best):]}"


def display(iri: str | None) -> str:
    """An IRI, or a SPARQL property path of IRIs (`^<p>`, `<a>|<b>`), for people: prefixed names
    where a prefix fits. Validation reports and `reason` show terms this way."""
    if iri is None:
        return ""
    if "<" in iri:
        return re.sub(r"<([^>]+)>", lambda m: compact(m.group(1)), iri)
    return compact(iri)


def display_term(term: NamedNode | BlankNode | Literal | None) -> str:
    """A term for people: a prefixed name, _:blank, or a quoted literal with its language or datatype."""
    if isinstance(term, NamedNode):
        return display(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        text = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != PREFIXES["xsd"] + "string":
            return f"{text}^^{display(term.datatype.value)}"
        return text
    return ""
