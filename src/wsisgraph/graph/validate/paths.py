"""SHACL property paths (sh:path): read from the shapes, written as SPARQL for the store engine and
for people, and back as SHACL path nodes in a Turtle report.

One value type for both engines, so a result's path says the same whichever engine found it: a
plain predicate shows as its IRI, any other path in SPARQL syntax (`^<p>`, `<a>|<b>`, `<a>/<b>`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import BlankNode, NamedNode, Store, Triple

from wsisgraph.core.namespaces import PREFIXES

SH = PREFIXES["sh"]
RDF_FIRST = NamedNode(PREFIXES["rdf"] + "first")
RDF_REST = NamedNode(PREFIXES["rdf"] + "rest")
RDF_NIL = NamedNode(PREFIXES["rdf"] + "nil")

# The one-argument SHACL path operators and how SPARQL writes each around its argument.
UNARY = {"inversePath": "^{}", "zeroOrMorePath": "{}*", "oneOrMorePath": "{}+", "zeroOrOnePath": "{}?"}


class Unsupported(Exception):
    """A SHACL feature the store engine does not translate; its shape is validated by pySHACL."""


@dataclass(frozen=True)
class PropertyPath:
    """A predicate IRI (`operator` empty), a unary operator over one path (`inversePath`...), or a
    sequence / `alternativePath` of paths."""

    operator: str = ""
    iri: str = ""
    parts: tuple["PropertyPath", ...] = ()

    def sparql(self) -> str:
        """SPARQL 1.1 property path syntax, IRIs in angle brackets."""
        if not self.operator:
            return f"<{self.iri}>"
        inner = [part.sparql() if not part.operator else f"({part.sparql()})" for part in self.parts]
        if self.operator in UNARY:
            return UNARY[self.operator].format(inner[0])
        return ("|" if self.operator == "alternativePath" else "/").join(inner)

    def __str__(self) -> str:
        return self.iri if not self.operator else self.sparql()

    def node(self, blank: Callable[[], BlankNode]) -> tuple[NamedNode | BlankNode, list[Triple]]:
        """The SHACL path node (a predicate IRI, or a blank node such as `[ sh:inversePath p ]`) and
        the triples describing it; `blank` makes fresh blank nodes."""
        if not self.operator:
            return NamedNode(self.iri), []
        heads, triples = [], []
        for part in self.parts:
            head, more = part.node(blank)
            heads.append(head)
            triples += more
        if self.operator in UNARY:
            node = blank()
            return node, [Triple(node, NamedNode(SH + self.operator), heads[0]), *triples]
        items, triples = _rdf_list(heads, blank, triples)
        if self.operator == "sequence":
            return items, triples
        node = blank()
        return node, [Triple(node, NamedNode(SH + "alternativePath"), items), *triples]


def _rdf_list(items: list, blank: Callable[[], BlankNode], triples: list[Triple]) -> tuple:
    head: NamedNode | BlankNode = RDF_NIL
    for item in reversed(items):
        cell = blank()
        triples = [Triple(cell, RDF_FIRST, item), Triple(cell, RDF_REST, head), *triples]
        head = cell
    return head, triples


def rdf_list(shapes: Store, head) -> list:
    """The members of an RDF list in the shapes graph."""
    items = []
    while head != RDF_NIL:
        first = [q.object for q in shapes.quads_for_pattern(head, RDF_FIRST, None)]
        rest = [q.object for q in shapes.quads_for_pattern(head, RDF_REST, None)]
        if len(first) != 1 or len(rest) != 1:
            raise Unsupported(f"malformed RDF list at {head}")
        items.append(first[0])
        head = rest[0]
    return items


def read(shapes: Store, node) -> PropertyPath:
    """The property path a sh:path value describes."""
    if isinstance(node, NamedNode):
        return PropertyPath(iri=node.value)
    if any(True for _ in shapes.quads_for_pattern(node, RDF_FIRST, None)):
        return PropertyPath("sequence", parts=tuple(read(shapes, item) for item in rdf_list(shapes, node)))
    for operator in (*UNARY, "alternativePath"):
        values = [q.object for q in shapes.quads_for_pattern(node, NamedNode(SH + operator), None)]
        if values and operator in UNARY:
            return PropertyPath(operator, parts=(read(shapes, values[0]),))
        if values:
            return PropertyPath(operator, parts=tuple(read(shapes, item) for item in rdf_list(shapes, values[0])))
    raise Unsupported(f"property path {node}")
