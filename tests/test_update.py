"""Incremental builds (update.py): ingesting or removing a graph makes a new build that shares the
unchanged data and holds exactly the quads a full build of the same inputs holds."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

from ingest_fixtures import ANNEX_PAGES, CHAIRMAN_BODY, CHAIRMAN_COVER, write_docx, write_pdf
from test_ingest import ACTIVITY_ROWS, SEED, write_csv
from wsisgraph.cli import main
from wsisgraph.graph import build, store


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
    reader = Store.read_only(str(store.current_build(location)))
    return {str(q) for q in reader}


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


def test_a_large_change_is_built_in_full(location, tmp_path):
    """An activity list as large as a good part of the store is built in full (no shared files)."""
    before = store.current_build(location)
    rows = [[f"Activity {number}", "", "C2", "9.c", "ITU", "", ""] for number in range(300)]
    ingest(location, str(write_csv(tmp_path / "large.csv", rows)))
    assert not shares_files(before, store.current_build(location))
    assert quads(location) == full_build(location, tmp_path / "1")

