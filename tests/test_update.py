"""Incremental builds (update.py): ingesting or removing a graph makes a new build that shares the
unchanged data and holds exactly the quads a full build of the same inputs holds."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

from ingest_fixtures import ANNEX_PAGES, CHAIRMAN_BODY, CHAIRMAN_COVER, write_docx, write_pdf
from test_ingest import ACTIVITY_ROWS, SEED, write_csv
from wsisgraph.cli import main
from wsisgraph.graph import build, store
from wsisgraph.ingest import link


@pytest.fixture()
def location(store_location: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the session store; build times fixed, so a full build is comparable."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    copy = tmp_path / "store"
    shutil.copytree(store_location, copy, symlinks=True)
    return copy


def ingest(location: Path, *args: str):
    result = CliRunner().invoke(main, ["ingest", "--store", str(location), *args])
    assert result.exit_code == 0, result.output
    return result


def quads(location: Path) -> set[str]:
    """The quads of the current build, and the names of its named graphs (a removed graph's name
    goes with its quads)."""
    reader = Store.read_only(str(store.current_build(location)))
    return {str(q) for q in reader} | {f"graph {name}" for name in reader.named_graphs()}


def full_build(location: Path, tmp_path: Path) -> set[str]:
    """The same inputs (the ingested files of `location`) built from scratch in another location."""
    other = tmp_path / "full"
    other.mkdir(parents=True)
    if (location / "ingested").is_dir():
        shutil.copytree(location / "ingested", other / "ingested")
    build.build(other)
    return quads(other)


def shares_files(first: Path, second: Path) -> bool:
    """Whether two builds share table files (hard links of one inode)."""
    inodes = {path.stat().st_ino for path in first.glob("*.sst")}
    return any(path.stat().st_ino in inodes for path in second.glob("*.sst"))


def test_ingest_replace_and_remove_equal_a_full_build(location, tmp_path):
    before = store.current_build(location)
    chairman = write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY)
    ingest(location, str(chairman))
    after = store.current_build(location)
    assert after != before and shares_files(before, after)
    ingest(location, str(write_pdf(tmp_path / "annex.pdf", ANNEX_PAGES)))
    ingest(location, str(write_csv(tmp_path / "activities.csv", ACTIVITY_ROWS)))
    assert quads(location) == full_build(location, tmp_path / "1")
    # replaced: one row fewer (its activity, alignments and inferred links go)
    ingest(location, str(write_csv(tmp_path / "activities.csv", ACTIVITY_ROWS[:1])))
    ingest(location, "--remove", "wg-wsis-32-19")
    assert quads(location) == full_build(location, tmp_path / "2")


def test_seed_report_ingested_and_removed_equal_full_builds(location, tmp_path):
    ingest(location, str(SEED), "--key", "seed")
    assert quads(location) == full_build(location, tmp_path / "1")
    ingest(location, "--remove", "seed")
    assert quads(location) == full_build(location, tmp_path / "2")


def test_a_stale_store_is_built_in_full(location, tmp_path):
    """When the current build is not the build of the inputs as they were, nothing is patched."""
    ingest(location, str(write_csv(tmp_path / "activities.csv", ACTIVITY_ROWS[:1])))
    (location / "ingested" / "activities.ttl").rename(location / "ingested" / "moved.ttl")  # behind its back
    ingest(location, str(write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY)))
    assert quads(location) == full_build(location, tmp_path / "1")
    kept, fresh = kept_index(location)  # the full build keeps the linking index too
    assert kept is not None and kept == fresh.facts


def test_a_large_change_is_built_in_full(location, tmp_path):
    """An activity list as large as a good part of the store is built in full (no shared files)."""
    before = store.current_build(location)
    rows = [[f"Activity {number}", "", "C2", "9.c", "ITU", "", ""] for number in range(300)]
    ingest(location, str(write_csv(tmp_path / "large.csv", rows)))
    assert not shares_files(before, store.current_build(location))
    assert quads(location) == full_build(location, tmp_path / "1")



def test_an_ingested_file_edited_behind_its_back_makes_the_store_stale(location, tmp_path, monkeypatch):
    """The input hashes remembered beside the store (sources/inputs.FileHashes) never hide an edit:
    one of the same size with a new mtime, or with the mtime put back, is rebuilt from."""
    from wsisgraph.sources import inputs

    def read() -> str:  # a command that reads the store, rebuilding it first when it is stale
        result = CliRunner().invoke(main, ["stats", "--store", str(location)])
        assert result.exit_code == 0, result.output
        return result.output

    monkeypatch.setattr(inputs, "SETTLED_NS", 0)  # trust remembered hashes at once: the hard case
    ingest(location, str(write_csv(tmp_path / "activities.csv", ACTIVITY_ROWS[:1])))
    path = location / "ingested" / "activities.ttl"
    digest = build.stored_digest(location)
    assert "rebuilding" not in read() and build.stored_digest(location) == digest  # remembered now
    assert str(path) in inputs.FileHashes(store.hashes_path(location)).entries
    text = path.read_text(encoding="utf-8")
    assert "Broadband mapping" in text
    edits = [text.replace("Broadband mapping", spelling, 1) for spelling in ("Broadband mappinG", "Broadband Mapping")]
    for number, edited in enumerate(edits):
        mtime = path.stat().st_mtime_ns
        time.sleep(0.05)  # a new clock tick for the ctime
        path.write_text(edited, encoding="utf-8")
        os.utime(path, ns=(mtime - 1_000_000_000, mtime - 1_000_000_000) if number == 0 else (mtime, mtime))
        assert "rebuilding" in read()
        assert build.stored_digest(location) not in (None, digest)
        assert quads(location) == full_build(location, tmp_path / str(number))
        digest = build.stored_digest(location)


def kept_index(location: Path) -> tuple[dict | None, link.GraphIndex]:
    """The linking facts kept with the current build, and the index read from it afresh."""
    build_dir = store.current_build(location)
    return link.kept_facts(build_dir), link.GraphIndex(Store.read_only(str(build_dir)))


def test_the_linking_index_is_kept_with_each_build(location, tmp_path):
    """Each ingest and removal keeps the linking index of the build it makes, brought up to date
    from the previous one; it equals the index read afresh, so a node one ingest mints is linked
    to by the next."""
    ecosoc = f"{link.ID}resolution/e-res-2016-22"
    (store.current_build(location) / link.INDEX_FILE).unlink(missing_ok=True)  # the first ingest reads the build
    ingest(location, str(write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY)))
    kept, fresh = kept_index(location)
    assert kept is not None and kept == fresh.facts and ecosoc in fresh.nodes

    other = tmp_path / "other.txt"
    other.write_text("Document WG-WSIS-33/2\n\n1. The group noted ECOSOC resolution E/RES/2016/22.\n", encoding="utf-8")
    review = json.loads(ingest(location, str(other), "--dry-run", "--format", "json").output.split("dry run")[0])
    mentions = [m for p in review["passages"] for m in p["mentions"] if m["iri"] == ecosoc]
    assert mentions and not any(m["new"] for m in mentions)  # minted by the chairman's report: linked, not new

    ingest(location, "--remove", "wg-wsis-32-19")
    kept, fresh = kept_index(location)
    assert kept is not None and kept == fresh.facts and ecosoc not in fresh.nodes
    review = json.loads(ingest(location, str(other), "--dry-run", "--format", "json").output.split("dry run")[0])
    assert all(m["new"] for p in review["passages"] for m in p["mentions"] if m["iri"] == ecosoc)


def test_a_kept_index_is_only_used_for_its_own_build(location, tmp_path):
    """An index file copied into another build's folder, or damaged, is not read."""
    ingest(location, str(write_csv(tmp_path / "activities.csv", ACTIVITY_ROWS[:1])))
    build_dir = store.current_build(location)
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(build_dir / link.INDEX_FILE, other / link.INDEX_FILE)
    assert link.kept_facts(build_dir) is not None
    assert link.kept_facts(other) is None
    (other / link.INDEX_FILE).write_text('{"format": 1, "build": "elsewhere", "facts": {"x": [1]}}')
    assert link.kept_facts(other) is None


def test_a_reingest_links_against_the_other_graphs_only(location, tmp_path):
    """Ingesting a key again reads the index less the key's own earlier graph: the same as reading
    the other graphs afresh."""
    chairman = write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY)
    ingest(location, str(chairman))
    from wsisgraph.ingest import command, storage

    indexes = command.Indexes(location)
    again = indexes("wg-wsis-32-19")
    fresh = link.GraphIndex(indexes.reading.store, storage.index_graphs(indexes.reading.store, "wg-wsis-32-19"))
    assert again.facts == fresh.facts and again.facts != indexes.base.facts
    assert f"{link.ID}resolution/e-res-2016-22" not in again.nodes


def test_wsisgraph_build_keeps_the_linking_index(location):
    """The first ingest into a new build finds its linking index ready."""
    result = CliRunner().invoke(main, ["build", "--store", str(location)])
    assert result.exit_code == 0, result.output
    kept, fresh = kept_index(location)
    assert kept is not None and kept == fresh.facts
