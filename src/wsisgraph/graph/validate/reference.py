"""The reference engine: pySHACL (inference 'none') over an rdflib copy of the data, for the shapes
whose SHACL Core constraints the store engine does not translate, and for the tests that hold the
store engine to pySHACL's report. pySHACL and rdflib are imported only when it runs."""

from collections.abc import Iterable
from functools import cache

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from wsisgraph.core.namespaces import PREFIXES
from wsisgraph.graph.validate.paths import PropertyPath
from wsisgraph.graph.validate.paths import read as read_path
from wsisgraph.graph.validate.report import SEVERITIES, Term, ValidationResult
from wsisgraph.graph.validate.shapes import CLASSES, SH, TARGETS, Shapes

XSD_STRING = PREFIXES["xsd"] + "string"


def to_rdflib(term: Term):
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def from_rdflib(node) -> Term:
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return BlankNode(str(node))
    if node.language:
        return Literal(str(node), language=node.language)
    if node.datatype is None:
        return Literal(str(node))
    return Literal(str(node), datatype=NamedNode(str(node.datatype)))


@cache
def _shapes_graph(shapes: Shapes, only: frozenset):
    """The shapes as an rdflib graph for pySHACL: without sh:sparql (the store engine runs those)
    and with the targets of the shapes not in `only` taken out, so pySHACL starts from those alone
    (a shape they refer to keeps its constraints)."""
    import rdflib

    graph = rdflib.Graph()
    for t in shapes.triples:
        predicate = t.predicate.value
        if predicate == SH + "sparql":
            continue
        if t.subject not in only and (predicate in {SH + kind for kind in TARGETS}
                                      or (predicate == PREFIXES["rdf"] + "type" and t.object.value in CLASSES)):
            continue
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def core_results(triples: Iterable[Triple], shapes: Shapes, only: Iterable) -> list[ValidationResult]:
    """pySHACL's results for the SHACL Core constraints of the shapes in `only` (and the shapes they
    refer to) on the data."""
    import pyshacl
    import rdflib

    shapes_graph = _shapes_graph(shapes, frozenset(only))
    data = rdflib.Graph()
    memo: dict = {}

    def conv(term: Term):
        node = memo.get(term)
        if node is None:
            node = memo[term] = to_rdflib(term)
        return node

    for t in triples:
        data.add((conv(t.subject), conv(t.predicate), conv(t.object)))
    memo.clear()
    _, graph, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none", inplace=True,
                                   advanced=False, allow_warnings=False)
    del data
    sh = rdflib.Namespace(SH)
    out = []
    for node in graph.objects(None, sh.result):  # top-level results, not the sh:detail of one
        path = graph.value(node, sh.resultPath)
        value = graph.value(node, sh.value)
        shape = graph.value(node, sh.sourceShape)
        messages = sorted(str(m) for m in graph.objects(node, sh.resultMessage))
        component = str(graph.value(node, sh.sourceConstraintComponent))
        source = from_rdflib(shape) if shape is not None else None
        out.append(ValidationResult(
            severity=SEVERITIES.get(str(graph.value(node, sh.resultSeverity)), "Violation"),
            focus=from_rdflib(graph.value(node, sh.focusNode)),
            path=_path(shapes, source, path),
            value=from_rdflib(value) if value is not None else None,
            message=messages[0] if messages else component.rsplit("#", 1)[-1],
            shape=source,
            constraint=None,
            component=component,
        ))
    return out


def _path(shapes: Shapes, shape: Term | None, path) -> PropertyPath | None:
    """The result path: the predicate, or for a complex path the shape's own sh:path (pySHACL's copy
    in its results graph is a blank node of another graph)."""
    import rdflib

    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return PropertyPath(iri=str(path))
    declared = shapes.one(shape, "path") if shape is not None else None
    return read_path(shapes.store, declared) if declared is not None else None
