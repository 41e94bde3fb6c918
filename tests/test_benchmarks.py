"""The benchmark generator, the store SHACL validator it is measured with, and the runner, at tiny
sizes so they never rot. Timings are not asserted here; they live in benchmarks/RESULTS.md."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402
import shacl  # noqa: E402
import virtuoso  # noqa: E402
from wsisgraph.core.namespaces import graph_iri  # noqa: E402

SHAPES = REPO / "ontology" / "shapes.ttl"
SYNTHETIC = "/synthetic"


def run_script(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "tiny.ttl"
    done = run_script(str(BENCHMARKS / "generate.py"), "--triples", "2k", "--seed", "7", "-o", str(path))
    assert done.returncode == 0, done.stderr
    return path


def test_generator_is_deterministic_and_sized(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.ttl"
    done = run_script(str(BENCHMARKS / "generate.py"), "--triples", "2k", "--seed", "7", "-o", str(again))
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == generated.read_bytes()
    store = generate.generate(2000, 7)
    synthetic = set(store.quads_for_pattern(None, None, None, graph_iri(generate.ACTIVITY_GRAPH)))
    assert 2000 <= len(synthetic) < 2100  # whole activities until the asked-for count is reached
    other = generate.generate(2000, 8)
    assert set(other.quads_for_pattern(None, None, None, graph_iri(generate.ACTIVITY_GRAPH))) != synthetic


def test_generator_activities_have_every_part(generated: Path) -> None:
    store = Store()
    store.bulk_load(path=str(generated), format=RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?a (COUNT(DISTINCT ?line) AS ?lines) (COUNT(DISTINCT ?target) AS ?targets)
               (COUNT(DISTINCT ?org) AS ?orgs) (COUNT(DISTINCT ?date) AS ?dates) (COUNT(DISTINCT ?doc) AS ?docs)
        WHERE {
          ?a a wsis:ITUActivity ; rdfs:label ?label ; dcterms:description ?description ;
             wsis:organisedBy ?org ; dcterms:date ?date ; wsis:sourcePassage ?passage .
          ?passage wsis:inDocument ?doc .
          ?a wsis:alignedWith ?line . ?line a wsis:ActionLine .
          ?a wsis:supportsTarget ?target . ?target a wsis:SDGTarget .
        } GROUP BY ?a"""))
    assert len(rows) > 40
    for row in rows:
        assert 1 <= int(row["lines"].value) <= 3
        assert 1 <= int(row["targets"].value) <= 4
        assert row["orgs"].value == row["dates"].value == row["docs"].value == "1"


def test_generated_activities_conform_to_the_shapes(generated: Path) -> None:
    """No SHACL result at all about a synthetic node (the real graph is the validation tests' job)."""
    report = shacl.fast_report(generated, SHAPES)
    assert [r for r in report.results if SYNTHETIC in r.focus] == []


def test_runner_end_to_end_answers_agree(tmp_path: Path) -> None:
    """Every engine on tiny data; the embedded store in memory and on disk and Virtuoso must agree.
    Every engine runs under a short cap: slow queries show as capped, the answers given are compared."""
    engines = "oxigraph-memory,oxigraph-disk,rdflib"
    if virtuoso.available():
        engines += ",virtuoso"
    elif os.environ.get("CI"):
        pytest.fail("virtuoso-t is not installed: CI must install virtuoso-opensource-7-bin")
    results, raw = tmp_path / "RESULTS.md", tmp_path / "results.json"
    results.write_text("# Benchmark results\n\n## Another section\n\nkept as it is\n")
    done = run_script(str(BENCHMARKS / "run.py"), "--sizes", "300", "--no-shipped", "--no-build", "--no-shacl",
                      "--repeats", "1", "--budget", "0.5", "--cap", "0.5", "--engines", engines,
                      "--results", str(results), "--json", str(raw), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(raw.read_text())
    size = measured["sizes"][0]
    for name in ("oxigraph-memory", "oxigraph-disk"):
        queries = size["engines"][name]["queries"]
        assert queries and not [q for q in queries.values() if "error" in q], queries
    for name, verdict in size["agreement"].items():
        assert verdict["reference"] == "oxigraph-memory", (name, verdict)
        assert set(verdict["differing"]) <= {"rdflib"}, (name, verdict)  # rdflib's own bugs are reported
        capped = "capped" in size["engines"]["oxigraph-disk"]["queries"][name]
        assert capped or "oxigraph-disk" in verdict["answered"], (name, verdict)
    text = results.read_text()
    assert "## Another section\n\nkept as it is" in text
    assert "### 300: 300 synthetic activity triples" in text
    assert "| `coverage-matrix` |" in text


def test_generated_data_is_tallied_as_a_build_would(tmp_path: Path) -> None:
    """alignment-summary reads the dataset description's tallies: the generator counts its activities in."""
    from wsisgraph.core.namespaces import DATASET_GRAPH, INFERRED_GRAPH, W
    from wsisgraph.graph import tallies

    store = generate.generate(2000, 7)
    skipped = {graph_iri(INFERRED_GRAPH), graph_iri(DATASET_GRAPH)}
    asserted = [[q.triple for q in store.quads_for_pattern(None, None, None, name)]
                for name in store.named_graphs() if name not in skipped]
    described = tallies.read(q.triple for q in store.quads_for_pattern(None, None, None, graph_iri(DATASET_GRAPH)))
    assert described == tallies.count_triples(asserted)
    real = generate.real_graph()
    shipped = tallies.read(q.triple for q in real.quads_for_pattern(None, None, None, graph_iri(DATASET_GRAPH)))

    def report_alignments(found: list[tallies.Tally]) -> int:
        return sum(t.alignments for t in found if t.basis == W.ReportStatement.value)
    assert report_alignments(described) > report_alignments(shipped)  # the activities' alignments are in
