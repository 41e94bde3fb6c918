"""Terms made the same way everywhere: blank nodes with stable labels (parsers pick random ones, which
would make two builds of the same file, and their exports, differ byte for byte) and xsd:integer
counts. Below build and validate, which both read files."""

from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, Triple

from wsisgraph.core.namespaces import XSD


def integer(value: int) -> Literal:
    """A count as the dataset descriptions and the coverage grid state it."""
    return Literal(str(value), datatype=XSD.integer)


def stable_blank_nodes(triples: Iterable[Triple], graph: str) -> list[Triple]:
    """Rename blank nodes by order of first appearance, so rebuilding the same file gives the same
    labels and exports stay byte-identical (the parser picks random labels)."""
    names: dict[BlankNode, BlankNode] = {}
    prefix = graph.replace("/", "-")

    def rename(node):
        if isinstance(node, BlankNode):
            return names.setdefault(node, BlankNode(f"{prefix}-b{len(names)}"))
        return node

    return [Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]
