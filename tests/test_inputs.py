"""The input files' hashes remembered between commands (sources/inputs.FileHashes): a file is read
again whenever it may have changed, and never trusted from memory while it may still change
within the same clock tick."""

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from wsisgraph.sources import inputs
from wsisgraph.sources.inputs import FileHashes


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files FileHashes actually reads."""
    seen: list[str] = []
    real = hashlib.file_digest

    def counting(handle, name):
        seen.append(handle.name)
        return real(handle, name)

    monkeypatch.setattr(inputs.hashlib, "file_digest", counting)
    return seen


def settled(path: Path, seconds_ago: float = 60) -> None:
    """Give the file an mtime in the past (its ctime becomes now)."""
    when = time.time_ns() - int(seconds_ago * 1e9)
    os.utime(path, ns=(when, when))


def digest_of(path: Path, cache: Path) -> str:
    hashes = FileHashes(cache)
    value = hashes.sha256(path)
    hashes.save()
    return value


def test_an_unchanged_settled_file_is_not_read_again(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(inputs, "SETTLED_NS", 0)
    data, cache = tmp_path / "data.ttl", tmp_path / "hashes.json"
    data.write_bytes(b"<a> <b> <c> .\n")
    settled(data)
    assert digest_of(data, cache) == hashlib.sha256(data.read_bytes()).hexdigest()
    assert digest_of(data, cache) == digest_of(data, cache)
    assert reads == [str(data)]


def test_a_file_changed_since_is_read_again(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(inputs, "SETTLED_NS", 0)
    data, cache = tmp_path / "data.ttl", tmp_path / "hashes.json"
    data.write_bytes(b"<a> <b> <c> .\n")
    settled(data, 60)
    first = digest_of(data, cache)
    # the same size, a new mtime
    data.write_bytes(b"<a> <b> <d> .\n")
    settled(data, 30)
    second = digest_of(data, cache)
    assert second != first and second == hashlib.sha256(data.read_bytes()).hexdigest()
    # the same size and the mtime put back as it was: the ctime tells
    before = os.stat(data).st_mtime_ns
    time.sleep(0.05)
    data.write_bytes(b"<a> <b> <e> .\n")
    os.utime(data, ns=(before, before))
    assert os.stat(data).st_mtime_ns == before and os.stat(data).st_size == len(b"<a> <b> <e> .\n")
    third = digest_of(data, cache)
    assert third not in (first, second) and third == hashlib.sha256(data.read_bytes()).hexdigest()
    # touched only: read again, same hash
    settled(data, 10)
    assert digest_of(data, cache) == third
    assert len(reads) == 4


def test_a_file_hashed_right_after_it_was_written_is_read_again(tmp_path, reads):
    """Within SETTLED_NS of its last change a file may change again without its stat showing it."""
    data, cache = tmp_path / "data.ttl", tmp_path / "hashes.json"
    data.write_bytes(b"<a> <b> <c> .\n")
    digest_of(data, cache)
    digest_of(data, cache)
    assert len(reads) == 2


def test_a_damaged_or_missing_cache_is_ignored(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(inputs, "SETTLED_NS", 0)
    data, cache = tmp_path / "data.ttl", tmp_path / "hashes.json"
    data.write_bytes(b"<a> <b> <c> .\n")
    settled(data)
    cache.write_text("{not json")
    assert digest_of(data, cache) == hashlib.sha256(data.read_bytes()).hexdigest()
    cache.write_text(json.dumps({str(data): [1, 2, 3]}))
    assert digest_of(data, cache) == hashlib.sha256(data.read_bytes()).hexdigest()
    assert FileHashes(None).sha256(data) == hashlib.sha256(data.read_bytes()).hexdigest()
    assert len(reads) == 3


def test_only_the_files_hashed_last_are_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "SETTLED_NS", 0)
    first, second, cache = tmp_path / "a.ttl", tmp_path / "b.ttl", tmp_path / "hashes.json"
    first.write_bytes(b"a")
    second.write_bytes(b"b")
    hashes = FileHashes(cache)
    hashes.sha256(first)
    hashes.sha256(second)
    hashes.save()
    second.unlink()
    digest_of(first, cache)
    assert list(FileHashes(cache).entries) == [os.path.abspath(first)]
