"""The SHACL shapes (ontology/shapes.ttl, the data contract), read once per file and process."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, parse

from wsisgraph.core import resources
from wsisgraph.core.errors import InputError
from wsisgraph.core.namespaces import PREFIXES, SHAPES

SH = PREFIXES["sh"]
SHAPES_NS = SHAPES
SHAPES_FILE = "shapes.ttl"
TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
CLASSES = {PREFIXES["rdfs"] + "Class", PREFIXES["owl"] + "Class"}


@dataclass(frozen=True, eq=False)
class Shapes:
    """A shapes graph: its triples, and a store of them to look shapes up in."""

    path: Path
    triples: tuple[Triple, ...]
    store: Store

    def objects(self, node, predicate: str) -> list:
        """The values of a SHACL property (`predicate` is its local name) on a node, in a stable order."""
        return sorted((q.object for q in self.store.quads_for_pattern(node, NamedNode(SH + predicate), None)),
                      key=str)

    def one(self, node, predicate: str):
        values = self.objects(node, predicate)
        return values[0] if values else None

    def targeted(self) -> list:
        """The shapes validation starts from: those with targets (a shape that is also a class
        targets its instances), in a stable order."""
        found = {q.subject for kind in TARGETS for q in self.store.quads_for_pattern(None, NamedNode(SH + kind), None)}
        rdf_type = NamedNode(PREFIXES["rdf"] + "type")
        for kind in ("NodeShape", "PropertyShape"):
            for quad in self.store.quads_for_pattern(None, rdf_type, NamedNode(SH + kind)):
                types = {q.object.value for q in self.store.quads_for_pattern(quad.subject, rdf_type, None)}
                if types & CLASSES:
                    found.add(quad.subject)
        return sorted(found, key=str)


def shapes_path(root: Path | None = None) -> Path:
    return (root or resources.resource_root()) / "ontology" / SHAPES_FILE


@cache
def load(path: Path) -> Shapes:
    """The shapes of a Turtle file; a syntax error is `path:line:col: message`."""
    try:
        triples = tuple(parse(path=str(path), format=RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise InputError.from_syntax(str(path), exc) from exc
    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    return Shapes(path, triples, store)
