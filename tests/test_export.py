"""Export streams from the store: every format holds exactly the chosen graphs (their union for
triple formats, each triple once), and the same content gives the same bytes whatever order it was
written in."""

import json
from pathlib import Path

import pytest
from pyld import jsonld as pyld
from pyoxigraph import (
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

from wsisgraph.core.namespaces import graph_iri
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
             if export.keeps(q, languages)]
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
