"""`wsisgraph release` and `wsisgraph diff` on the shipped graph: every file of a release, its VoID +
DCAT description against `stats` and the files themselves, byte-identical rebuilds, and diffs that
are empty for the same graph and list exactly one ingested document's additions."""

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, RdfFormat, Store, Triple, parse

from ingest_fixtures import CHAIRMAN_BODY, CHAIRMAN_COVER
from wsisgraph.cli import main
from wsisgraph.core.namespaces import ID, graph_iri
from wsisgraph.graph.build import build
from wsisgraph.publish import diff

EPOCH = "1764547200"  # 2025-12-01T00:00:00Z
DUMPS = {"wsisgraph.trig": RdfFormat.TRIG, "wsisgraph.nq": RdfFormat.N_QUADS, "wsisgraph.ttl": RdfFormat.TURTLE,
         "wsisgraph.jsonld": RdfFormat.JSON_LD, "wsisgraph.rdf": RdfFormat.RDF_XML}
EXPECTED = {*DUMPS, *(name + ".gz" for name in DUMPS), "ontology.ttl", "shapes.ttl", "context.jsonld", "void.ttl",
            "SHA256SUMS"}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DCTERMS = rdflib.DCTERMS
CS = rdflib.Namespace("http://purl.org/vocab/changeset/schema#")
INGESTED = "ingested/wg-wsis-32-19"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def cut(location: Path, folder: Path, *extra: str) -> Path:
    result = run("release", "--store", str(location), "-o", str(folder), *extra, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped graph built with SOURCE_DATE_EPOCH, as a release manager builds it."""
    location = tmp_path_factory.mktemp("dated") / "store"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(location)
    return location


@pytest.fixture(scope="module")
def release(dated_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cut(dated_store, tmp_path_factory.mktemp("release") / "2026-11-27")


@pytest.fixture(scope="module")
def ingested_store(store_location: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session store with one small chairman's report ingested from a text file."""
    folder = tmp_path_factory.mktemp("ingested")
    location = folder / "store"
    shutil.copytree(store_location, location, symlinks=True)
    text = folder / "chairman.txt"
    text.write_text("\n".join(CHAIRMAN_COVER + CHAIRMAN_BODY) + "\n", encoding="utf-8")
    result = run("ingest", "--store", str(location), str(text))
    assert result.exit_code == 0, result.output
    return location


def description(release: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(release / "void.ttl", format="turtle")


def the_release(graph: rdflib.Graph) -> rdflib.URIRef:
    (node,) = set(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    return node


def test_a_release_has_every_file(release):
    assert {p.name for p in release.iterdir() if not p.name.startswith(".")} == EXPECTED
    for name in DUMPS:
        assert gzip.decompress((release / f"{name}.gz").read_bytes()) == (release / name).read_bytes()


def test_checksums_verify_with_sha256sum(release):
    done = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=release, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == len(EXPECTED) - 1


def test_every_dump_holds_the_published_quads(release, dated_store):
    store = Store.read_only(str(dated_store / "current"))
    graphs = [g for g in store.named_graphs() if g != graph_iri("inferred")]
    published = {q for g in graphs for q in store.quads_for_pattern(None, None, None, g)}
    triples = {Triple(q.subject, q.predicate, q.object) for q in published}
    for name, rdf_format in DUMPS.items():
        parsed = list(parse(path=str(release / name), format=rdf_format))
        if rdf_format.supports_datasets:
            assert len(set(parsed)) == len(published), name
            assert {q.graph_name for q in parsed} == set(graphs), name
        else:
            assert len(set(parsed)) == len(triples), name
    assert diff.from_quads("nq", parse(path=str(release / "wsisgraph.nq"), format=RdfFormat.N_QUADS)).graphs == \
        diff.from_store(store, "store").graphs


def test_void_counts_equal_stats(release, dated_store):
    stats = json.loads(run("stats", "--store", str(dated_store), "-f", "json").stdout)
    graph = description(release)
    node = the_release(graph)
    classes = {str(graph.value(p, VOID["class"])): int(graph.value(p, VOID.entities))
               for p in graph.objects(node, VOID.classPartition)}
    assert classes == {c["iri"]: c["instances"] for c in stats["classes"]}
    subsets = {str(graph.value(s, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name"))):
               int(graph.value(s, VOID.triples)) for s in graph.objects(node, VOID.subset)}
    assert subsets == {g["iri"]: g["triples"] for g in stats["graphs"] if g["graph"] != "inferred"}
    union = Store.read_only(str(dated_store / "current"))
    distinct = len(list(union.quads_for_pattern(None, None, None, DefaultGraph())))
    assert int(graph.value(node, VOID.triples)) == distinct
    properties = [int(graph.value(p, VOID.triples)) for p in graph.objects(node, VOID.propertyPartition)]
    assert sum(properties) == distinct and len(properties) > 100


def test_each_file_is_a_distribution_with_size_checksum_type_licence(release):
    graph = description(release)
    node = the_release(graph)
    assert str(graph.value(node, DCTERMS.issued)) == "2025-12-01"
    assert str(graph.value(node, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    files = {str(d).rsplit("/", 1)[1]: d for d in graph.objects(node, DCAT.distribution)}
    assert set(files) == EXPECTED - {"void.ttl", "SHA256SUMS"}
    for name, dist in files.items():
        payload = (release / name).read_bytes()
        assert int(graph.value(dist, DCAT.byteSize)) == len(payload), name
        checksum = graph.value(dist, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(payload).hexdigest(), name
        assert str(graph.value(dist, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert graph.value(dist, DCTERMS.license) is not None and graph.value(dist, DCTERMS.issued) is not None
        assert (graph.value(dist, DCAT.compressFormat) is not None) == name.endswith(".gz")
    assert str(graph.value(files["wsisgraph.ttl"], DCAT.mediaType)).endswith("/text/turtle")


def test_version_iri_matches_the_ontology(release):
    ontology = rdflib.Graph().parse(release / "ontology.ttl", format="turtle")
    (version_iri,) = set(ontology.objects(None, rdflib.OWL.versionIRI))
    graph = description(release)
    assert graph.value(the_release(graph), rdflib.OWL.versionIRI) == version_iri
    assert str(the_release(graph)) == str(version_iri).removesuffix("ontology")  # releases/2026-11-27/
    shapes = rdflib.Graph().parse(release / "shapes.ttl", format="turtle")
    assert len(shapes) > 500


def test_a_rebuild_gives_the_same_bytes(release, tmp_path, monkeypatch):
    """Another build of the same inputs, released again with the same SOURCE_DATE_EPOCH: the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build(tmp_path / "store")
    again = cut(tmp_path / "store", tmp_path / "release")
    first, second = ({p.name: p.read_bytes() for p in f.iterdir()} for f in (release, again))
    assert first == second
    assert set(first) - {".wsisgraph-release"} == EXPECTED


def test_a_release_against_itself_is_empty(release, dated_store):
    for fmt in ("text", "json", "turtle"):
        result = run("diff", str(release), str(release), "--format", fmt, "--exit-code")
        assert result.exit_code == 0, result.output
        if fmt == "json":
            assert json.loads(result.stdout)["graphs"] == [] and json.loads(result.stdout)["summary"] == {}
        elif fmt == "turtle":
            assert len(rdflib.Graph().parse(data=result.stdout, format="turtle")) == 0
        else:
            assert result.stdout.startswith("no differences between release 2026-11-27 and release 2026-11-27")
    assert run("diff", str(release), str(dated_store), "--exit-code").exit_code == 0  # the store it came from


def test_one_ingested_document_is_exactly_its_additions(release, ingested_store):
    result = run("diff", str(release), str(ingested_store), "--format", "json", "--exit-code")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)
    graphs = {g["graph"]: g for g in found["graphs"]}
    assert set(graphs) == {INGESTED, "dataset"}  # the build's own description counts the new graph
    reader = Store.read_only(str(ingested_store / "current"))
    document = {Triple(q.subject, q.predicate, q.object)
                for q in reader.quads_for_pattern(None, None, None, graph_iri(INGESTED))}
    assert graphs[INGESTED]["removed"] == 0 and graphs[INGESTED]["added"] == len(document) > 100
    summary = found["summary"]
    assert {i["iri"] for i in summary["new meetings"]} == {ID + "meeting/cwg-wsis-32", ID + "meeting/cwg-wsis-31"}
    assert ID + "document/wg-wsis-32-19" in {i["iri"] for i in summary["new documents"]}
    assert ID + "resolution/e-res-2016-22" in {i["iri"] for i in summary["new resolutions"]}
    assert any(i["text"].endswith("→ C5, basis extracted, ¶1.2") for i in summary["alignments added"])
    assert "alignments removed" not in summary and "labels changed" not in summary
    text = run("diff", str(release), str(ingested_store)).stdout
    summary_at, counts_at = text.index("new meetings ("), text.index("triples per named graph:")
    assert summary_at < counts_at < text.index(f"graph {INGESTED}:")
    turtle = rdflib.Graph().parse(data=run("diff", str(release), str(ingested_store), "-f", "turtle").stdout,
                                  format="turtle")
    assert len(set(turtle.objects(None, CS.addition))) == sum(g["added"] for g in found["graphs"])


def test_changes_md_from_the_previous_release(release, ingested_store, tmp_path):
    newer = cut(ingested_store, tmp_path / "2026-12", "--version", "2026-12", "--previous", str(release))
    changes = (newer / "CHANGES.md").read_text()
    assert "release 2026-11-27 → release 2026-12" in changes
    assert "32nd meeting" in changes and f"| {INGESTED} |" in changes
    graph = description(newer)
    assert str(graph.value(the_release(graph), DCAT.version)) == "2026-12"
    assert "CHANGES.md" in (newer / "SHA256SUMS").read_text()


def test_blank_nodes_are_matched_by_content():
    p, q = NamedNode("http://example.org/p"), NamedNode("http://example.org/q")
    s = NamedNode("http://example.org/s")

    def statement(label: str, value: str) -> list[Triple]:
        node = BlankNode(label)
        return [Triple(s, p, node), Triple(node, q, NamedNode(f"http://example.org/{value}"))]

    old = diff.Snapshot("old", {"g": diff.canonical(statement("x1", "a") + statement("x2", "b"))})
    same = diff.Snapshot("same", {"g": diff.canonical(statement("zz", "b") + statement("yy", "a"))})
    assert diff.compare(old, same).empty
    more = diff.Snapshot("more", {"g": diff.canonical(statement("n0", "c") + statement("n1", "a")
                                                      + statement("n2", "b"))})
    (change,) = diff.compare(old, more).graphs
    assert len(change.added) == 2 and change.removed == []


def test_bad_inputs_are_one_line(release, store_location, tmp_path):
    junk = tmp_path / "junk.ttl"
    junk.write_text("<a> <b> .\n")
    result = run("diff", str(release), str(junk))
    assert result.exit_code == 2 and result.output.startswith(f"error: {junk}:1:") and "Traceback" not in result.output
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    assert run("diff", str(other), str(release)).exit_code != 0
    bad = run("release", "--store", str(store_location), "-o", str(tmp_path / "r"), "--version", "a/b")
    assert bad.exit_code != 0 and "one path segment" in bad.output
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("mine")
    refused = run("release", "--store", str(store_location), "-o", str(tmp_path / "mine"))
    assert refused.exit_code != 0 and (tmp_path / "mine" / "keep.txt").exists()


def test_a_changed_source_passage_is_named(dated_store):
    """One sourced statement of the report now cites another paragraph: the summary says which fact."""
    reader = Store.read_only(str(dated_store / "current"))
    old = diff.from_store(reader, "old")
    report = "report/cwg-wsis-sdg-39-40"
    passage = NamedNode("https://w3id.org/wsisgraph/ontology#sourcePassage")
    statement = next(t.subject for t in sorted(old.graphs[report], key=diff.triple_key)
                     if isinstance(t.subject, BlankNode) and t.predicate == passage)
    moved = {t if not (t.subject == statement and t.predicate == passage)
             else Triple(t.subject, t.predicate, NamedNode(ID + "passage/cwg-wsis-sdg-39-40-report/2.13"))
             for t in old.graphs[report]}
    new = diff.Snapshot("new", {**old.graphs, report: diff.canonical(moved)})
    found = diff.compare(old, new)
    (item,) = found.summary["facts whose source passage changed"]
    assert item.text.endswith("→ ¶2.13") and set(found.summary) == {"facts whose source passage changed"}


def test_every_dump_is_named_with_its_format_extension():
    """Regression: the module move renamed the JSON-LD dump to `wsisgraph.core.jsonld` along with the module."""
    from wsisgraph.publish import release

    for name, _, media_type, _ in release.DUMPS:
        stem, _, extension = name.partition(".")
        assert stem == "wsisgraph"
        assert extension == RdfFormat.from_media_type(media_type).file_extension, name
