"""Export streams from the store: every format holds exactly the chosen graphs (their union for
triple formats, each triple once), and the same content gives the same bytes whatever order it was
written in. Compact JSON-LD, written node by node with the fixed context, is byte for byte what the
JSON-LD 1.1 compaction algorithm (pyld, the reference) makes of the expanded export, and pyld and
jsonld.js read it back to the store's quads, on the shipped graph and on a graph of awkward values."""

import json
from pathlib import Path

import pytest
from pyld import jsonld as pyld
from pyoxigraph import (
    BaseDirection,
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    parse,
)

import thirdparty
from wsisgraph.core import jsonld
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import DCTERMS, ID, PREFIXES, RDF, RDFS, SKOS, XSD, W, graph_iri
from wsisgraph.core.output import atomic_output
from wsisgraph.graph import export


def read_back(payload: bytes, fmt: str) -> list[str]:
    """The statements of an export, blank nodes canonicalised, as sorted N-Quads lines."""
    if fmt == "jsonld":
        payload = pyld.to_rdf(json.loads(payload), {"format": "application/n-quads"}).encode()
        fmt = "nq"
    dataset = Dataset(parse(payload, format=export.FORMATS[fmt]))
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return sorted(str(q) for q in dataset)


def expected(store: Store, fmt: str, graphs: list[str], languages: list[str] | None) -> list[str]:
    """What the export must hold, computed the plain way: every quad of the graphs, filtered, and for
    a triple format each distinct triple once in the default graph."""
    quads = [q for name in graphs for q in store.quads_for_pattern(None, None, None, graph_iri(name))
             if export.keeps(q.object, languages)]
    if not export.FORMATS[fmt].supports_datasets:
        quads = list({Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in quads})
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return sorted(str(q) for q in dataset)


@pytest.mark.parametrize("fmt", sorted(export.FORMATS))
@pytest.mark.parametrize("choice", ["published", "with inferred", "one graph", "two graphs", "french"])
def test_every_format_holds_exactly_the_chosen_graphs(store, fmt, choice):
    graphs = {"published": export.select_graphs(store, None, inferred=False),
              "with inferred": export.select_graphs(store, None, inferred=True),
              "one graph": ["sdg/goals"], "two graphs": ["wsis/wsis-sdg-matrix", "sdg/goals"],
              "french": export.select_graphs(store, None, inferred=False)}[choice]
    languages = ["fr"] if choice == "french" else None
    payload = export.serialise(store, fmt, graphs, languages)
    assert read_back(payload, fmt) == expected(store, fmt, graphs, languages)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "xml"])
def test_a_triple_two_chosen_graphs_hold_is_written_once(fmt):
    store = Store()
    shared = (NamedNode("https://example.org/s"), NamedNode("https://example.org/p"), Literal("o"))
    for name in ("a", "b"):
        store.add(Quad(*shared, graph_iri(name)))
    store.add(Quad(NamedNode("https://example.org/s"), NamedNode("https://example.org/p"), Literal("b only"),
                   graph_iri("b")))
    payload = export.serialise(store, fmt, ["a", "b"])
    assert len(read_back(payload, fmt)) == 2
    if fmt == "nt":
        assert payload.count(b'"o" .') == 1


@pytest.mark.parametrize("fmt", sorted(export.FORMATS))
def test_same_content_written_in_another_order_gives_the_same_bytes(store, tmp_path: Path, fmt):
    """On disk the index order follows the content, not the order it was written in."""
    quads = list(store.quads_for_pattern(None, None, None, None))
    stores = []
    for name, ordered in (("forward", quads), ("backward", quads[::-1])):
        copy = Store(str(tmp_path / name))
        copy.bulk_extend(ordered)
        copy.flush()
        del copy
        stores.append(Store.read_only(str(tmp_path / name)))
    graphs = export.select_graphs(stores[0], None, inferred=False)
    first, second = (export.serialise(s, fmt, graphs) for s in stores)
    assert first == second
    assert first == export.serialise(stores[0], fmt, graphs)


def test_the_streaming_writer_counts_what_it_wrote(store, tmp_path: Path):
    target = tmp_path / "out.nq"
    with atomic_output(target) as out:
        written = export.write(store, "nq", ["sdg/goals"], out)
    assert written == target.stat().st_size > 0
    assert b"<https://w3id.org/wsisgraph/graph/sdg/goals> .\n" in target.read_bytes()


def test_a_failed_export_leaves_no_file(store, tmp_path: Path):
    target = tmp_path / "out.ttl"
    with pytest.raises(KeyError), atomic_output(target) as out:
        export.write(store, "no-such-format", ["sdg/goals"], out)
    assert list(tmp_path.iterdir()) == []


def test_dataset_formats_frame_each_graph(store):
    trig = export.serialise(store, "trig", ["sdg/goals", "wsis/action-lines"]).decode()
    assert trig.count("@prefix goal: ") == 1
    assert f"{graph_iri('sdg/goals')} {{\n" in trig
    assert RdfFormat.TRIG.supports_datasets


# Compact JSON-LD ------------------------------------------------------------------------------------------

def pyld_compact(expanded: bytes) -> bytes:
    """The reference: pyld's JSON-LD 1.1 compaction of the expanded export with the published context
    (`rdf:type` read as `@type`, as JSON-LD readers expect), printed as the export prints."""
    document = json.loads(expanded)
    for item in document:
        for node in [item, *item.get("@graph", [])]:
            types = node.get(RDF.type.value, [])
            if types and all(set(value) == {"@id"} for value in types):
                node["@type"] = [value["@id"] for value in node.pop(RDF.type.value)]

    def no_remote_documents(url: str, options: dict | None = None) -> dict:
        raise AssertionError(f"pyld tried to fetch {url}")

    compacted = pyld.compact(document, jsonld.published_context(), {"documentLoader": no_remote_documents})
    return (json.dumps(compacted, ensure_ascii=False, indent=1) + "\n").encode()


TRICKY = ["tricky/a", "tricky/b", "tricky/c", "tricky/empty"]


def tricky_quads() -> list[Quad]:
    """Values compaction can get wrong: tags with a script or a region, text with quotes, escapes and
    characters beyond the BMP, typed literals under a term typed otherwise (or for them), a datatype
    outside every prefix, blank nodes as subjects, objects and types, an RDF list, IRIs outside every
    prefix or equal to a namespace, `rdf:type` with a literal, and the same terms in several graphs."""
    a, b, c = (graph_iri(name) for name in TRICKY[:3])
    goal, target = NamedNode(ID + "sdg/goal/9"), NamedNode(ID + "sdg/target/9.c")
    activity = NamedNode(ID + "activity/tricky")
    outside, urn = NamedNode("http://example.org/outside#thing"), NamedNode("urn:isbn:0-486-27557-4")
    namespace = NamedNode(ID + "sdg/goal/")
    blank, kind, first, rest = (BlankNode(label) for label in ("tricky1", "tricky2", "list1", "list2"))
    return [
        Quad(goal, RDFS.label, Literal("产业、创新和基础设施", language="zh-Hans"), a),
        Quad(goal, RDFS.label, Literal("الصناعة والابتكار والهياكل الأساسية", language="ar"), a),
        Quad(goal, RDFS.label, Literal('Industry, "innovation"\n\tand \\ infrastructure\u2028 \U0001F680 \x01',
                                       language="en-GB"), a),
        Quad(goal, SKOS.notation, Literal("9"), a),
        Quad(activity, RDF.type, W.ITUActivity, a),
        Quad(activity, RDF.type, NamedNode(PREFIXES["prov"] + "Activity"), a),
        Quad(activity, RDF.type, outside, a),
        Quad(activity, RDF.type, kind, a),
        Quad(activity, W.confidence, Literal("0.75", datatype=XSD.decimal), a),
        Quad(activity, W.confidence, Literal("high"), a),
        Quad(activity, W.ordinal, Literal("3", datatype=XSD.integer), a),
        Quad(activity, W.ordinal, Literal("3.5", datatype=XSD.decimal), a),
        Quad(activity, W.colour, Literal("#E5243B"), a),
        Quad(activity, W.number, Literal("C-1", datatype=NamedNode("http://example.org/datatypes#code")), a),
        Quad(activity, W.number, Literal("2", datatype=W.Alignment), a),
        Quad(activity, DCTERMS.date, Literal("2024-06-04", datatype=XSD.date), a),
        Quad(activity, RDFS.comment, Literal("true", datatype=XSD.boolean), a),
        Quad(activity, W.supportsTarget, target, a),
        Quad(activity, W.supportsTarget, Literal("9.c"), a),
        Quad(activity, W.supportsTarget, blank, a),
        Quad(activity, W.alignmentProperty, W.supportsTarget, a),
        Quad(activity, W.alignmentProperty, first, a),
        Quad(blank, RDFS.label, Literal("un nœud anonyme", language="fr-CA"), a),
        Quad(blank, SKOS.related, outside, a),
        Quad(first, RDF.first, Literal("one"), a),
        Quad(first, RDF.rest, rest, a),
        Quad(rest, RDF.first, goal, a),
        Quad(rest, RDF.rest, RDF.nil, a),
        Quad(urn, RDF.type, Literal("not a class"), a),
        Quad(urn, RDF.type, W.Document, a),
        Quad(outside, NamedNode("http://example.org/p"), urn, a),
        Quad(outside, namespace, namespace, a),
        Quad(outside, NamedNode(PREFIXES["xsd"]), Literal("a property that is a namespace"), a),
        Quad(outside, NamedNode(ID + "/double-slash"), NamedNode(ID + "/double-slash"), a),
        Quad(goal, RDFS.label, Literal("Industrie, innovation et infrastructure", language="fr"), b),
        Quad(activity, W.supportsTarget, NamedNode(ID + "sdg/target/9.1"), b),
        Quad(activity, RDF.type, W.ITUActivity, b),
        Quad(goal, RDFS.label, Literal("Industria, innovación e infraestructura", language="es"), c),
    ]


@pytest.fixture(scope="module", params=["memory", "disk"])
def tricky(request, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The awkward graphs (and an empty one) in a store in memory and in one on disk, read-only as
    readers open it."""
    if request.param == "memory":
        store = Store()
    else:
        location = tmp_path_factory.mktemp("tricky")
        store = Store(str(location))
    store.extend(tricky_quads())
    store.add_graph(graph_iri(TRICKY[3]))
    if request.param == "memory":
        return store
    store.flush()
    del store
    return Store.read_only(str(location))


TRICKY_CHOICES = {"all": (TRICKY, None), "one graph": (["tricky/a"], None), "empty graph": (["tricky/empty"], None),
                  "no graph": ([], None), "arabic": (TRICKY, ["ar"]),
                  "french, one graph left": (["tricky/c", "tricky/b"], ["fr"])}


@pytest.mark.parametrize("choice", sorted(TRICKY_CHOICES))
def test_compact_jsonld_is_the_reference_compaction_of_awkward_values(tricky, choice):
    graphs, languages = TRICKY_CHOICES[choice]
    payload = export.serialise(tricky, "jsonld", graphs, languages)
    assert payload == pyld_compact(export.serialise(tricky, "jsonld-expanded", graphs, languages))
    assert read_back(payload, "jsonld") == expected(tricky, "jsonld", graphs, languages)


@pytest.mark.parametrize("choice", ["published", "with inferred", "one graph", "two graphs", "french"])
def test_compact_jsonld_is_the_reference_compaction_of_the_shipped_graph(store, choice):
    graphs = {"published": export.select_graphs(store, None, inferred=False),
              "with inferred": export.select_graphs(store, None, inferred=True),
              "one graph": ["sdg/goals"], "two graphs": ["wsis/wsis-sdg-matrix", "sdg/goals"],
              "french": export.select_graphs(store, None, inferred=False)}[choice]
    languages = ["fr"] if choice == "french" else None
    payload = export.serialise(store, "jsonld", graphs, languages)
    assert payload == pyld_compact(export.serialise(store, "jsonld-expanded", graphs, languages))


def test_jsonld_js_reads_awkward_values_back(tricky, tmp_path: Path):
    target = tmp_path / "tricky.jsonld"
    target.write_bytes(export.serialise(tricky, "jsonld", TRICKY))
    done = thirdparty.node_script("jsonld-to-nquads.mjs", str(target))
    assert done.returncode == 0, done.stderr[-3000:]
    assert read_back(done.stdout.encode(), "nq") == expected(tricky, "nq", TRICKY, None)


def test_a_base_direction_is_written_as_the_reference_writes_it():
    """RDF 1.2 directional text; JSON-LD's toRdf drops the direction by default, so only the bytes
    are compared."""
    store = Store()
    store.add(Quad(NamedNode(ID + "sdg/goal/1"), RDFS.label,
                   Literal("القضاء على الفقر", language="ar", direction=BaseDirection.RTL), graph_iri("tricky/a")))
    payload = export.serialise(store, "jsonld", ["tricky/a"])
    assert payload == pyld_compact(export.serialise(store, "jsonld-expanded", ["tricky/a"]))
    assert b'"@direction": "rtl"' in payload


def test_an_iri_that_reads_as_a_prefixed_name_is_refused():
    """`goal:9` is an absolute IRI (scheme `goal`), but in the document it would read as goal 9."""
    store = Store()
    store.add(Quad(NamedNode("goal:9"), RDFS.label, Literal("confusing", language="en"), graph_iri("tricky/a")))
    with pytest.raises(WsisgraphError, match="would read as a prefixed name"):
        export.serialise(store, "jsonld", ["tricky/a"])


def test_the_compact_writer_refuses_a_context_it_cannot_apply():
    context = jsonld.published_context()["@context"]
    for extra in ({"@vocab": "https://example.org/"}, {"label": {"@id": "rdfs:label", "@language": "en"}},
                  {"rdfs:label": "rdfs:label"}, {"labels": {"@id": "rdfs:label", "@container": "@set"}}):
        with pytest.raises(WsisgraphError, match="cannot apply"):
            jsonld.Compactor({"@context": {**context, **extra}})


def test_forgetting_compacted_iris_changes_nothing(tricky, monkeypatch):
    """The compactor remembers a bounded number of IRIs (memory stays flat at any size); with room for
    one, every IRI is compacted again and the bytes are the same."""
    monkeypatch.setattr(jsonld, "NAMES_KEPT", 1)
    monkeypatch.setattr(jsonld, "published", lambda: jsonld.Compactor(jsonld.published_context()))
    payload = export.serialise(tricky, "jsonld", TRICKY)
    assert payload == pyld_compact(export.serialise(tricky, "jsonld-expanded", TRICKY))
