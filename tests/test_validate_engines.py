"""The store engine against pySHACL, the reference: the same report (focus node, path, value,
constraint component, source shape, severity) on the shipped graphs, on benchmarks/generate.py's
data with every kind of fault, and on data that breaks every shape of ontology/shapes.ttl; a
shape it cannot translate goes to pySHACL rather than being skipped."""

import sys
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from wsisgraph.core.namespaces import PREFIXES, RDF, XSD, graph_iri
from wsisgraph.core.output import write_atomic
from wsisgraph.graph import build, export, validate
from wsisgraph.graph.validate import fast, paths, shapes

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import generate  # noqa: E402
import shacl  # noqa: E402

SHAPES = shapes.shapes_path()
SH = PREFIXES["sh"]
EX = "https://example.org/wsisgraph-test/every-shape/"
INVALID = sorted((Path(__file__).parent / "data" / "invalid").glob("*.ttl"))


def plain(report: validate.ValidationReport) -> list[tuple]:
    """A report in the form both engines are compared in (messages and labels aside)."""
    return sorted((r.focus, str(r.path or ""), r.value, r.component, r.shape, r.severity) for r in report.results)


def test_same_report_as_pyshacl_on_the_shipped_graphs():
    graphs = build.shipped_graphs()
    store_report = validate.validate_graphs(graphs)
    reference = validate.validate_graphs(graphs, engine="pyshacl")
    assert store_report.results == reference.results  # messages, files and labels too
    assert store_report.results  # the shipped warnings (indicator 11.5.3's translations)


def slice_with_faults(tmp_path: Path) -> Path:
    """The ontology, synthetic activities with one fault each of every kind, and the rdf:type of
    each thing they link to: small enough for plain pySHACL to finish in seconds."""
    full = generate.generate(1000, 3, faults=len(generate.FAULTS))
    small = Store()
    activities = graph_iri(generate.ACTIVITY_GRAPH)
    small.bulk_extend(full.quads_for_pattern(None, None, None, graph_iri("ontology")))
    small.bulk_extend(full.quads_for_pattern(None, None, None, activities))
    for quad in full.quads_for_pattern(None, None, None, activities):
        if isinstance(quad.object, NamedNode) and quad.predicate != RDF.type:
            small.bulk_extend(Quad(q.subject, q.predicate, q.object, q.graph_name)
                              for q in full.quads_for_pattern(quad.object, RDF.type, None, None))
    path = tmp_path / "slice.ttl"
    write_atomic(path, export.serialise(small, "turtle", export.graph_names(small)))
    return path


def test_same_report_as_plain_pyshacl_on_generated_data_with_every_fault(tmp_path):
    """Plain pySHACL here runs the SHACL-SPARQL constraints too, so their translation is checked as well."""
    data = slice_with_faults(tmp_path)
    store_report = shacl.project_report(data, SHAPES)
    reference = shacl.reference_report(data, SHAPES)
    assert sorted(store_report.results) == sorted(reference.results)
    assert len([r for r in store_report.results if "/synthetic" in r.focus]) >= len(generate.FAULTS)
    assert sorted(shacl.fast_report(data, SHAPES).results) == sorted(reference.results)


# Data that breaks every shape -----------------------------------------------------------------------------

def breaking_value(loaded: shapes.Shapes, shape) -> list[Literal | NamedNode | BlankNode] | None:
    """Values of the shape's path that break one of its constraints (None: no values break minCount)."""
    one = loaded.one
    datatype, kind = one(shape, "datatype"), one(shape, "nodeKind")
    if one(shape, "minCount") is not None or one(shape, "hasValue") is not None:
        return None
    if one(shape, "pattern") is not None:
        return [Literal("!! matches no pattern")]
    if datatype is not None:
        return [Literal("x", language="en") if datatype == XSD.string else Literal("x")]
    if one(shape, "class") is not None or one(shape, "or") is not None:
        return [NamedNode(EX + "untyped")]
    if kind is not None:
        return [Literal("x")] if "Literal" not in kind.value else [BlankNode("value")]
    if one(shape, "uniqueLang") is not None:
        return [Literal("a", language="en"), Literal("b", language="en")]
    if one(shape, "maxCount") is not None:
        return [NamedNode(f"{EX}value{n}") for n in range(int(one(shape, "maxCount").value) + 1)]
    raise AssertionError(f"no way to break {shape}")


def every_shape_broken(loaded: shapes.Shapes) -> list[Triple]:
    """One focus node per Core shape (SHACL-SPARQL ones are broken by tests/data/invalid), each
    targeted by the shape and breaking one of its constraints."""
    triples = []
    for shape in loaded.targeted():
        if loaded.one(shape, "sparql") is not None:
            continue
        focus = NamedNode(EX + shape.value.rsplit("#", 1)[-1])
        path = loaded.one(shape, "path")
        predicate = path if isinstance(path, NamedNode) else None
        if path is not None and predicate is None:
            predicate = paths.rdf_list(loaded.store, loaded.one(path, "alternativePath"))[0]
        values = breaking_value(loaded, shape) if path is not None else None
        for cls in loaded.objects(shape, "targetClass")[:1]:
            triples.append(Triple(focus, RDF.type, cls))
        for targeted in loaded.objects(shape, "targetSubjectsOf")[:1]:
            if targeted != predicate or values is None:
                triples.append(Triple(focus, targeted, NamedNode(EX + "thing")))
        triples += [Triple(focus, predicate, value) for value in values or []]
    return triples


@pytest.fixture(scope="module")
def every_shape(tmp_path_factory) -> Path:
    """The ontology and the SDG goals, the bad node of every Core shape, every invalid example file, and a language tag
    pyoxigraph reads but the BCP 47 pattern of wsish:Languages refuses (a grandfathered one)."""
    loaded = shapes.load(SHAPES)
    shipped = build.shipped_graphs()
    triples = shipped["ontology/wsis.ttl"] + shipped["data/sdg/goals.csv"]  # the invalid files cite goals
    triples += every_shape_broken(loaded)
    triples.append(Triple(NamedNode(EX + "tagged"), NamedNode(PREFIXES["rdfs"] + "label"),
                          Literal("Klingon", language="i-klingon")))
    for path in INVALID:
        triples += validate.read_file(path)
    out = tmp_path_factory.mktemp("every-shape") / "data.ttl"
    out.write_bytes(serialize(triples, format=RdfFormat.TURTLE))
    return out


def test_every_shape_has_a_failing_case_and_both_engines_agree(every_shape):
    store_report = shacl.project_report(every_shape, SHAPES)
    reference = shacl.reference_report(every_shape, SHAPES)
    assert sorted(store_report.results) == sorted(reference.results)
    broken = {r.shape for r in store_report.results}
    loaded = shapes.load(SHAPES)
    never = sorted(str(s) for s in loaded.targeted() if f"<{s.value}>" not in broken)
    assert not never, f"shapes no test data breaks: {never}"


def test_the_store_engine_translates_every_shape_shipped():
    """No shipped shape is left to pySHACL: the build and `validate` never need it."""
    assert fast.compile_shapes(shapes.load(SHAPES), Store()).fallback == []


# What the store engine does not translate goes to pySHACL ---------------------------------------------------

def test_an_untranslated_shape_is_validated_by_pyshacl(tmp_path):
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:closed> a sh:NodeShape ; sh:targetNode <urn:x> ; sh:closed true ; sh:ignoredProperties () .
        <urn:short> a sh:PropertyShape ; sh:targetNode <urn:x> ; sh:path <urn:p> ; sh:minLength 5 .
        <urn:count> a sh:PropertyShape ; sh:targetNode <urn:x> ; sh:path <urn:p> ; sh:maxCount 0 .""")
    compiled = fast.compile_shapes(shapes.load(shapes_file), Store())
    assert sorted(s.value for s in compiled.fallback) == ["urn:closed", "urn:short"]
    data = [Triple(NamedNode("urn:x"), NamedNode("urn:p"), Literal("abc"))]
    report = validate.validate_graphs({"data": data}, shapes=shapes_file)
    assert sorted((r.shape.value, r.component.removeprefix(SH)) for r in report.results) == [
        ("urn:closed", "ClosedConstraintComponent"), ("urn:count", "MaxCountConstraintComponent"),
        ("urn:short", "MinLengthConstraintComponent")]
