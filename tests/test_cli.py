"""CLI tests through click's runner, and one through a real subprocess of the installed command."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wsisgraph.cli import main
from wsisgraph.core import resources
from wsisgraph.graph import build as build_module


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, location: Path, *args: str):
    return runner.invoke(main, [*args[:1], "--store", str(location), *args[1:]])


def test_help_lists_the_verbs(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for verb in ("build", "query", "queries", "export", "stats"):
        assert verb in result.output


def test_query_json_is_sparql_results(runner, store_location):
    result = invoke(runner, store_location, "query", "action-lines-for-goal", "--param", "goal=9", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert "lineCode" in payload["head"]["vars"]
    lines = {b["lineCode"]["value"] for b in payload["results"]["bindings"]}
    assert {"C2", "C5", "C6"} <= lines


def test_query_builds_a_missing_store_first(runner, tmp_path):
    result = invoke(runner, tmp_path / "fresh", "query", "targets-for-action-line", "-p", "line=C2", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "9.c" in result.stdout
    assert "building it first" in result.stderr


def test_unknown_query_lists_names_and_exits_2(runner, store_location):
    result = invoke(runner, store_location, "query", "no-such-query")
    assert result.exit_code == 2
    assert "coverage-matrix" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_code_suggests_near_matches(runner, store_location):
    result = invoke(runner, store_location, "query", "action-lines-for-goal", "-p", "goal=99")
    assert result.exit_code == 2
    assert "unknown goal '99'" in result.stderr


def test_missing_required_parameter(runner, store_location):
    result = invoke(runner, store_location, "query", "targets-for-action-line")
    assert result.exit_code == 2
    assert "--param line=" in result.stderr


def test_user_query_file(runner, store_location, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>\n"
                  "SELECT (COUNT(?g) AS ?n) WHERE { ?g a wsis:SDGGoal }")
    result = runner.invoke(main, ["query", "--file", str(rq), "--store", str(store_location), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "17"]


def test_queries_lists_parameters(runner):
    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 0
    assert "--param goal=<goal>" in result.output


def test_stats_counts(runner, store_location):
    """CSV is one table (kind, name, count, iri); JSON one document; tables name classes and graphs."""
    result = invoke(runner, store_location, "stats", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["kind", "name", "count", "iri"]
    assert ["class", "wsis:SDGTarget", "169", "https://w3id.org/wsisgraph/ontology#SDGTarget"] in rows
    assert {row[1] for row in rows if row[0] == "graph"} >= {"inferred", "dataset", "sdg/targets", "ontology"}
    assert all(len(row) == 4 for row in rows)
    tsv = invoke(runner, store_location, "stats", "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "kind\tname\tcount\tiri" and all(len(line.split("\t")) == 4 for line in tsv)
    document = json.loads(invoke(runner, store_location, "stats", "--format", "json").stdout)
    assert {"class": "wsis:SDGTarget", "iri": "https://w3id.org/wsisgraph/ontology#SDGTarget",
            "instances": 169} in document["classes"]
    assert "inferred" in {g["graph"] for g in document["graphs"]}
    table = invoke(runner, store_location, "stats").stdout
    assert "wsis:SDGTarget" in table and "report/cwg-wsis-sdg-39-40" in table and "inferred" in table


def test_export_is_deterministic_and_atomic(runner, store_location, tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for out in (first, second):
        result = invoke(runner, store_location, "export", "-o", str(out))
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    assert b"@prefix wsis: <https://w3id.org/wsisgraph/ontology#>" in first.read_bytes()
    assert not list(tmp_path.glob(".*.part"))


def test_rebuild_with_fixed_epoch_gives_identical_export(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outputs = []
    for name in ("one", "two"):
        build_module.build(tmp_path / name)
        result = invoke(runner, tmp_path / name, "export", "-f", "nq")
        outputs.append(result.stdout_bytes)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "nq", "jsonld", "jsonld-expanded", "xml"])
def test_export_one_graph_in_every_format(runner, store_location, fmt):
    result = invoke(runner, store_location, "export", "--format", fmt, "--graph", "sdg/goals")
    assert result.exit_code == 0, result.output
    expected = {"turtle": b"goal:17 ", "trig": b"goal:17 ", "jsonld": b'"goal:17"'}.get(fmt, b"id/sdg/goal/17")
    assert expected in result.stdout_bytes


def test_export_unknown_graph(runner, store_location):
    result = invoke(runner, store_location, "export", "--graph", "nope")
    assert result.exit_code == 2
    assert "sdg/goals" in result.stderr


def test_bad_data_file_keeps_old_store(runner, tmp_path, store_location):
    """A data file that does not parse: path:line message, exit 2, the old store stays."""
    root = tmp_path / "root"
    shutil.copytree(resources.resource_root() / "ontology", root / "ontology")
    shutil.copytree(resources.resource_root() / "data", root / "data")
    location = tmp_path / "store"
    build_module.build(location, root=root)
    before = (location / "current").resolve()
    bad = root / "data" / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n")
    with pytest.raises(build_module.InputError, match=r"broken\.ttl:3:\d+: "):
        build_module.build(location, root=root)
    assert (location / "current").resolve() == before
    assert len(list((location / "builds").iterdir())) == 1


def test_bad_csv_row_reports_line(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(resources.resource_root() / "ontology", root / "ontology")
    (root / "data" / "sdg").mkdir(parents=True)
    (root / "data" / "sdg" / "goals.csv").write_text(
        "code,short_title,title,color_hex\n1,No poverty,End,#E5243B\n2,,x,#000\n")
    with pytest.raises(build_module.InputError, match=r"goals\.csv:3: empty value in required column 'short_title'"):
        build_module.build(tmp_path / "s", root=root)


@pytest.mark.parametrize(("table", "content", "message"), [
    # issue 18: a cell that is not an IRI ended in a bare ValueError traceback, with no file or line
    ("sdg/goals.csv", "code,short_title,title,color_hex,un_kos_uri\n1,No poverty,End,#E5243B,"
     "http://metadata.un.org/sdg/1\n2,Zero hunger,End,#DDA63A,not an iri\n",
     r"goals\.csv:3: column 'un_kos_uri': 'not an iri' is not an IRI"),
    ("wsis/action_lines.csv", "id,code,title,sources\nC1,C1,Role,https://www.itu.int/ x\n",
     r"action_lines\.csv:2: column 'sources': 'x' is not an IRI"),
    ("sdg/goals.csv", "code,short_title,title,color_hex\n1,No poverty,End,#E5243B\n???,Zero,End,#DDA63A\n",
     r"goals\.csv:3: empty identifier key from '\?\?\?'"),
])
def test_bad_cell_reports_file_and_line_through_the_command(runner, tmp_path, table, content, message):
    root = tmp_path / "root"
    shutil.copytree(resources.resource_root() / "ontology", root / "ontology")
    (root / "data" / table).parent.mkdir(parents=True)
    (root / "data" / table).write_text(content)
    with pytest.raises(build_module.InputError, match=message):
        build_module.build(tmp_path / "s", root=root)


def test_build_command_reports_graphs(runner, tmp_path):
    result = runner.invoke(main, ["build", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "sdg/targets" in result.stdout
    assert "loaded ontology" in result.stderr


def test_installed_command_in_subprocess(store_location):
    """The console script as a user runs it: a real process, exit code and output."""
    exe = shutil.which("wsisgraph", path=os.path.dirname(sys.executable)) or shutil.which("wsisgraph")
    assert exe, "the wsisgraph console script is not installed"
    env = {**os.environ, "WSISGRAPH_STORE": str(store_location)}
    done = subprocess.run([exe, "query", "coverage-matrix", "--format", "csv"], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("lineCode,g1,g2")
    module = subprocess.run([sys.executable, "-m", "wsisgraph", "--version"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert module.returncode == 0 and "wsisgraph" in module.stdout


def test_export_file_follows_umask(runner, store_location, tmp_path):
    out = tmp_path / "goals.nt"
    old = os.umask(0o022)
    try:
        result = invoke(runner, store_location, "export", "-f", "nt", "-g", "sdg/goals", "-o", str(out))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("args", [["export", "-o", "{bad}/x.ttl"], ["coverage", "-o", "{bad}/x.svg"],
                                  ["build"]])
def test_unwritable_path_is_a_one_line_error(runner, store_location, tmp_path, args):
    """A path that cannot be written gives `error: path: reason` and exit 2, not a traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    bad = blocker / "sub"
    argv = [a.format(bad=bad) for a in args]
    location = bad if argv == ["build"] else store_location
    result = runner.invoke(main, [*argv, "--store", str(location)])
    assert result.exit_code == 2, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and str(blocker) in last
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("module", "args", "extra"), [
    ("matplotlib", ["coverage", "-o", "grid.svg"], "plot"),
    ("matplotlib", ["report", "-o", "site"], "plot"),
    ("pylode", ["docs", "-o", "docs"], "docs"),
    ("owlready2", ["reason"], "reason"),
])
def test_a_command_whose_extra_is_missing_says_what_to_install(runner, tmp_path, monkeypatch, module, args, extra):
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it raises ImportError
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, [*args])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (f"error: `wsisgraph {args[0]}` needs {module}, which is not installed: "
                                     f"pip install 'wsisgraph[{extra}]'")
    assert not (tmp_path / args[-1]).exists()
