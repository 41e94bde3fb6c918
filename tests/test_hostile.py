"""Hostile surroundings (issue 14): a slow query, a killed server, odd output paths, odd input
bytes and parameters. Each test here failed before: a traceback, a cut-off answer, an orphaned
server, a replaced device node, or a silently wrong answer."""

import json
import os
import signal
import stat
import threading
import time
from pathlib import Path

import httpx
import pytest

from servers import Process, free_port, port_is_free, serve_args

# serve ------------------------------------------------------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found |= {int(child) for child in text}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.integration
def test_a_timed_out_query_gets_503_before_any_body_byte(store_location):
    port = free_port()
    server = Process(serve_args(store_location, port, "--timeout", "1"))
    try:
        server.wait_for("Ctrl-C stops it")
        started = time.monotonic()
        answer = httpx.get(f"http://127.0.0.1:{port}/query", params={"query": SLOW},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 503
        assert answer.text.startswith("the query ran longer than 1 s")
        assert time.monotonic() - started < 10
        quick = httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert quick.json()["boolean"] is True
    finally:
        server.stop()
    assert "Traceback" not in server.output


@pytest.mark.integration
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_the_oxigraph_server_dies_with_a_killed_serve(store_location):
    port = free_port()
    server = Process(serve_args(store_location, port))
    try:
        server.wait_for("Ctrl-C stops it")
        oxigraph = children(server.popen.pid)
        assert oxigraph
        server.popen.send_signal(signal.SIGKILL)
        server.popen.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in oxigraph) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in oxigraph), "the oxigraph server outlived a killed `wsisgraph serve`"
        assert port_is_free(port)
    finally:
        server.stop()
        for pid in oxigraph if "oxigraph" in locals() else ():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


# Output paths ------------------------------------------------------------------------------------------


def export(runner, location: Path, output: str):
    from wsisgraph.cli import main

    return runner.invoke(main, ["export", "--format", "nt", "--store", str(location), "-o", output])


def test_export_streams_into_a_fifo_and_keeps_it(tmp_path, store_location):
    from click.testing import CliRunner

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = export(CliRunner(), store_location, str(fifo))
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].count(b"\n") > 10_000


def test_export_follows_a_symlink_and_keeps_it(tmp_path, store_location):
    from click.testing import CliRunner

    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "data.nt"
    target.write_text("old\n")
    link = tmp_path / "latest.nt"
    link.symlink_to(target)
    result = export(CliRunner(), store_location, str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes().count(b"\n") > 10_000
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["data.nt"]  # no temporary left


def test_export_to_a_full_device_is_one_line_and_keeps_the_device(store_location):
    from click.testing import CliRunner

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    result = export(CliRunner(), store_location, "/dev/full")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: /dev/full: No space left on device"
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_export_to_dash_is_standard_output_and_a_directory_is_refused(tmp_path, store_location):
    from click.testing import CliRunner

    runner = CliRunner()
    result = export(runner, store_location, "-")
    assert result.exit_code == 0 and result.stdout.count("\n") > 10_000
    assert not Path("-").exists()
    result = export(runner, store_location, str(tmp_path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# Inputs and parameters ---------------------------------------------------------------------------------


def query_cli(*args: str, location: Path):
    from click.testing import CliRunner

    from wsisgraph.cli import main

    return CliRunner().invoke(main, ["query", *args, "--store", str(location)])


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(("data", "message"), [
    ('SELECT ?x WHERE { ?x ?p "café" }'.encode("latin-1"), ":1:29: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    (b"\x00\x01\x02binary", ": a binary file (it holds NUL bytes), not a text file"),
])
def test_a_query_file_that_is_not_utf8_is_one_line(tmp_path, store_location, data, message):
    path = tmp_path / "q.rq"
    path.write_bytes(data)
    assert one_error_line(query_cli("--file", str(path), location=store_location)) == f"error: {path}{message}"


def test_a_utf16_query_file_with_a_byte_order_mark_is_read(tmp_path, store_location):
    path = tmp_path / "q.rq"
    path.write_bytes("ASK { ?s ?p \"é\" }".encode("utf-16"))
    result = query_cli("--file", str(path), "-f", "csv", location=store_location)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "false"


def test_an_update_query_is_refused_by_name(tmp_path, store_location):
    path = tmp_path / "u.rq"
    path.write_text("PREFIX ex: <http://example.org/>\n# a comment\nINSERT DATA { ex:a ex:b ex:c }\n")
    assert one_error_line(query_cli("--file", str(path), location=store_location)) == (
        "error: updates are not allowed; use `wsisgraph ingest` or edit data/")


@pytest.mark.parametrize(("params", "message"), [
    (["goal=-9"], "parameter goal: '-9' is not a goal code or label (stray '-')"),
    (["goal=9."], "parameter goal: '9.' is not a goal code or label (stray '.')"),
    (["goal=9", "goal=5"], "--param goal is given twice ('9' and '5'); give it once"),
    (["goal=\udcff\udcfe"], "parameter goal: '\\udcff\\udcfe' is not valid UTF-8 text"),
    (["goal=" + "9" * 5000], "is 5000 characters long (at most 1000)"),
])
def test_malformed_parameters_are_refused(store_location, params, message):
    args = [arg for param in params for arg in ("-p", param)]
    assert message in one_error_line(query_cli("goal-coverage", *args, location=store_location))


def test_parameters_are_checked_before_any_build(tmp_path):
    """An empty store location stays empty: the mistake is found without building."""
    location = tmp_path / "store"
    line = one_error_line(query_cli("goal-coverage", "-p", "target=9.c", location=location))
    assert line == "error: query 'goal-coverage' has no parameter target (parameters: goal, lang)"
    assert not location.exists()


def test_file_parameters_are_typed_by_syntax(tmp_path, store_location):
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?s ?n ?t WHERE { }\n")
    result = query_cli("--file", str(path), "-f", "json", "-p", "s=<https://w3id.org/wsisgraph/id/sdg/goal/9>",
                       "-p", "n=5^^xsd:integer", "-p", 't="broadband"@en', location=store_location)
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["results"]["bindings"][0]
    assert row["s"] == {"type": "uri", "value": "https://w3id.org/wsisgraph/id/sdg/goal/9"}
    assert row["n"] == {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert row["t"] == {"type": "literal", "value": "broadband", "xml:lang": "en"}


def test_file_parameters_are_typed_by_the_files_own_header(tmp_path, store_location):
    path = tmp_path / "q.rq"
    path.write_text("#+ params:\n#+   goal: {type: goal, required: true}\n"
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                    "SELECT ?code WHERE { ?goal skos:notation ?code }\n")
    result = query_cli("--file", str(path), "-f", "csv", "-p", "goal=9", location=store_location)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["code", "9"]


def test_one_basis_vocabulary_for_query_and_coverage(store_location):
    from click.testing import CliRunner

    from wsisgraph.cli import main

    runner = CliRunner()
    for word in ("curator", "curated"):
        result = query_cli("coverage-matrix", "-p", f"basis={word}", "-f", "csv", location=store_location)
        assert result.exit_code == 0, result.output
        result = runner.invoke(main, ["coverage", "--basis", word, "--store", str(store_location)])
        assert result.exit_code == 0, result.output
        assert "curator's judgements" in result.stdout


# Tables at 80 columns ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    ["query", "coverage-matrix"], ["coverage"], ["query", "action-lines-for-goal", "-p", "goal=9"],
    ["query", "recommendations"],
])
def test_tables_are_readable_at_80_columns(store_location, command):
    from click.testing import CliRunner

    from wsisgraph.cli import main

    runner = CliRunner()
    result = runner.invoke(main, [*command, "--store", str(store_location)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = result.stdout.split()
    if command[-1] in ("coverage-matrix", "coverage"):
        assert "105" in words and "C7-e-agriculture" in words  # counts and codes whole
        assert all(f"g{goal}" in words for goal in range(1, 18))
    else:
        assert "…" in result.stdout  # long text cut, not folded over lines
        machine = runner.invoke(main, [*command, "--store", str(store_location), "-f", "json"])
        assert "…" not in machine.stdout  # the full text stays in machine formats


# validate on many nodes --------------------------------------------------------------------------------

NODES = 1500


def typed_nodes(path: Path, count: int) -> Path:
    """`count` meetings with a label and nothing else: three violations each."""
    lines = ["@prefix wsis: <https://w3id.org/wsisgraph/ontology#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    lines += [f'<http://example.org/n{i}> a wsis:Meeting ; rdfs:label "node {i}"@en .' for i in range(count)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_validate_caps_what_it_prints_counts_exactly_and_shows_progress(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from wsisgraph.cli import graph as graph_commands
    from wsisgraph.cli import main

    data = typed_nodes(tmp_path / "nodes.ttl", NODES)
    monkeypatch.setattr(graph_commands.PhaseNotes, "LONG", 0.0)  # as on a long run: phases are shown
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(data), "--max-results", "10"])
    assert result.exit_code == 1
    assert result.stdout.count("  Violation: ") == 10
    assert f"... and {3 * NODES - 10} more results not shown" in result.stdout
    assert f"does not conform: {3 * NODES} violations, 0 warnings, 0 infos on {NODES} nodes" in result.stdout
    assert "validate: " in result.stderr and "constraints as SPARQL" in result.stderr
    capped = json.loads(runner.invoke(main, ["validate", str(data), "-f", "json", "--max-results", "5"]).stdout)
    assert len(capped["results"]) == 5
    assert capped["summary"]["violations"] == 3 * NODES and capped["summary"]["shown"] == 5
    whole = json.loads(runner.invoke(main, ["validate", str(data), "-f", "json"]).stdout)
    assert len(whole["results"]) == 3 * NODES and "shown" not in whole["summary"]
