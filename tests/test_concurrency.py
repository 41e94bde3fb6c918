"""One store, many processes: builds take turns, first-use reads build once, readers keep the build
they opened, and a build deletes only what it made. Real processes of the real command, on
loopback only; every scenario here failed (tracebacks, lost stores, deleted folders) before the
store lock (issue 14)."""

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from servers import Process, free_port, serve_args
from wsisgraph.cli import main
from wsisgraph.core import resources
from wsisgraph.graph import build as build_module
from wsisgraph.graph import store

DATA = Path(__file__).parent / "data"


def wsisgraph(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "wsisgraph", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, within: float = 120) -> tuple[int, str, str]:
    out, errors = process.communicate(timeout=within)
    return process.returncode, out, errors


def assert_store_whole(location: Path) -> None:
    """`current` points at a build that opens and holds the dataset."""
    reading = store.open_current(location)
    try:
        assert len(reading.store) > 10_000
    finally:
        reading.close()


def test_concurrent_builds_take_turns(tmp_path):
    location = tmp_path / "store"
    runs = [finish(p) for p in [wsisgraph("build", "--store", str(location)) for _ in range(4)]]
    for status, _, errors in runs:
        assert status == 0, errors
        assert "Traceback" not in errors
    assert any("waiting for another build" in errors for _, _, errors in runs)
    assert_store_whole(location)
    assert [p.name for p in (location / "builds").iterdir()] == [store.current_build(location).name]


def test_concurrent_first_use_builds_once(tmp_path):
    location = tmp_path / "store"
    runs = [finish(p) for p in [wsisgraph("query", "goal-coverage", "-p", "goal=9", "--format", "csv",
                                          "--store", str(location)) for _ in range(3)]]
    for status, out, errors in runs:
        assert status == 0, errors
        assert out.startswith("goalCode,")
    assert sum("building it first" in errors for _, _, errors in runs) == 1
    assert_store_whole(location)


def test_a_reader_keeps_its_build_through_rebuilds(tmp_path):
    location = tmp_path / "store"
    build_module.build(location)
    reading = store.open_current(location)
    first = reading.build
    build_module.build(location)
    build_module.build(location)
    assert first.is_dir() and store.current_build(location) != first
    assert len(reading.store) > 10_000  # still reads its own build's files
    reading.close()
    build_module.build(location)
    assert not first.exists()  # released, so the next build deleted it
    assert len(list((location / "builds").iterdir())) == 1


def test_a_build_never_deletes_a_folder_it_did_not_make(tmp_path):
    location = tmp_path / "store"
    notes = location / "builds" / "release-1.0" / "NOTES.txt"
    notes.parent.mkdir(parents=True)
    notes.write_text("mine")
    status, _, errors = finish(wsisgraph("build", "--store", str(location)))
    assert status == 0, errors
    build_module.build(location)
    assert notes.read_text() == "mine"


def test_a_build_refuses_a_folder_that_is_not_a_store(tmp_path):
    location = tmp_path / "documents"
    location.mkdir()
    (location / "thesis.tex").write_text("mine")
    status, _, errors = finish(wsisgraph("build", "--store", str(location)))
    assert status == 2
    assert errors.strip().splitlines() == [
        f"error: {location}: not a wsisgraph store (it holds thesis.tex); give --store an empty or new folder"]
    assert sorted(p.name for p in location.iterdir()) == ["thesis.tex"]


def test_no_wait_and_wait_give_up_on_a_held_lock(tmp_path):
    location = tmp_path / "store"
    build_module.build(location)
    with store.build_lock(location):
        started = time.monotonic()
        status, _, errors = finish(wsisgraph("build", "--store", str(location), "--no-wait"))
        assert status == 2
        assert f"another process is building the store at {location} (pid {os.getpid()})" in errors
        status, _, errors = finish(wsisgraph("build", "--store", str(location), "--wait", "1"))
        assert status == 2
        assert "waiting for another build" in errors and "gave up for 1 s" in errors
        assert time.monotonic() - started >= 1
    assert "Traceback" not in errors


def test_a_build_that_waited_reuses_the_same_inputs(tmp_path):
    location = tmp_path / "store"
    build_module.build(location)
    lock = store.build_lock(location)
    lock.__enter__()
    waiting = wsisgraph("build", "--store", str(location))
    time.sleep(1.5)
    build_module.build(location)  # the holder builds (re-entrant), then lets go
    built = store.current_build(location)
    lock.__exit__(None, None, None)
    status, _, errors = finish(waiting)
    assert status == 0, errors
    assert "another process has just built" in errors
    assert store.current_build(location) == built


# Damaged stores ------------------------------------------------------------------------------------


def damage_tables(build: Path) -> None:
    for table in build.glob("*.sst"):
        with table.open("r+b") as handle:
            handle.truncate(table.stat().st_size // 2)


def zero_tables(build: Path) -> None:
    for table in build.glob("*.sst"):
        table.write_bytes(b"\0" * table.stat().st_size)


def empty_manifest(build: Path) -> None:
    for manifest in build.glob("MANIFEST-*"):
        manifest.write_bytes(b"")


@pytest.mark.parametrize("damage", [damage_tables, zero_tables, empty_manifest])
def test_a_damaged_store_says_so_in_one_line_and_build_repairs_it(tmp_path, damage):
    location = tmp_path / "store"
    build_module.build(location)
    damage(store.current_build(location))
    for command in (["query", "alignment-summary"], ["stats"], ["export", "--format", "nt"]):
        status, _, errors = finish(wsisgraph(*command, "--store", str(location)))
        assert status == 2, errors
        lines = errors.strip().splitlines()
        assert len(lines) == 1, errors
        assert lines[0].startswith(f"error: store at {location} is damaged (")
        assert lines[0].endswith(f"run `wsisgraph build --store {location}`")
    status, _, errors = finish(wsisgraph("build", "--store", str(location)))
    assert status == 0, errors
    status, out, errors = finish(wsisgraph("query", "alignment-summary", "--format", "csv", "--store", str(location)))
    assert status == 0 and out.startswith("basisLabel,"), errors


# A stale store whose rebuild fails ------------------------------------------------------------------


def test_reads_answer_from_the_old_store_when_the_new_inputs_fail(tmp_path, monkeypatch):
    root = tmp_path / "root"
    shipped = resources.resource_root()
    for part in ("ontology", "data", "queries"):
        shutil.copytree(shipped / part, root / part)
    monkeypatch.setattr(resources, "resource_root", lambda: root)
    location = tmp_path / "store"
    build_module.build(location, root=root)
    before = store.current_build(location)
    shutil.copy(DATA / "invalid" / "SDGTarget-codeBeginsWithGoal.ttl", root / "data" / "extra.ttl")
    runner = CliRunner()
    for _ in range(2):  # the second read does not try the failing build again
        result = runner.invoke(main, ["query", "alignment-summary", "--format", "csv", "--store", str(location)])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("basisLabel,")
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1 and "data/extra.ttl fails SHACL validation (1 violation)" in warnings[0]
    assert store.current_build(location) == before
    result = runner.invoke(main, ["build", "--store", str(location)])
    assert result.exit_code == 1
    assert "SDGTarget-codeBeginsWithGoal" in result.stderr
# The stress test ------------------------------------------------------------------------------------

BUILDERS = 4
READERS = 8
REBUILDS = 20


def test_builds_readers_and_serve_together(tmp_path):
    """4 processes rebuilding (20 builds in all), 8 processes reading in a loop, and `serve`
    answering throughout: no read fails, the store is never lost, nobody prints a traceback."""
    location = tmp_path / "store"
    build_module.build(location)
    port = free_port()
    server = Process(serve_args(location, port))
    failures: list[str] = []
    reads = {"cli": 0, "http": 0}
    done = threading.Event()

    def builder(rounds: int) -> None:
        for _ in range(rounds):
            status, _, errors = finish(wsisgraph("build", "--store", str(location)))
            if status != 0 or "Traceback" in errors:
                failures.append(f"build: {status} {errors[-500:]}")

    def reader(number: int) -> None:
        command = (["export", "--format", "nt"] if number % 2 else
                   ["query", "goal-coverage", "-p", "goal=9", "--format", "csv"])
        while not done.is_set():
            status, out, errors = finish(wsisgraph(*command, "--store", str(location)))
            reads["cli"] += 1
            if status != 0 or not out or "Traceback" in errors:
                failures.append(f"{command[0]}: {status} {errors[-500:]}")
            time.sleep(1.5)  # bounded load: 8 processes, each starting about every 2 s

    def client() -> None:
        url = f"http://127.0.0.1:{port}/query"
        while not done.is_set():
            try:
                answer = httpx.get(url, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                                   headers={"Accept": "text/csv"}, timeout=30)
                if answer.status_code != 200 or not answer.text.startswith("n\r\n"):
                    failures.append(f"serve: {answer.status_code} {answer.text[:200]}")
            except httpx.HTTPError as exc:
                failures.append(f"serve: {exc!r}")
            reads["http"] += 1
            time.sleep(0.05)

    try:
        server.wait_for("Ctrl-C stops it")
        builders = [threading.Thread(target=builder, args=(REBUILDS // BUILDERS,)) for _ in range(BUILDERS)]
        others = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
        others.append(threading.Thread(target=client))
        for thread in builders + others:
            thread.start()
        for thread in builders:
            thread.join(300)
        done.set()
        for thread in others:
            thread.join(60)
    finally:
        done.set()
        server.stop()
    assert not failures, "\n".join(failures[:5])
    assert_store_whole(location)
    assert reads["cli"] >= READERS and reads["http"] > 10
    assert "Traceback" not in server.output
    print(f"stress: {REBUILDS} builds, {reads['cli']} command reads, {reads['http']} HTTP reads, "
          f"failed reads 0, lost stores 0, tracebacks 0")
