"""Hostile surroundings (issue 14): a slow query, a killed server, odd output paths, odd input
bytes and parameters. Each test here failed before: a traceback, a cut-off answer, an orphaned
server, a replaced device node, or a silently wrong answer."""

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
