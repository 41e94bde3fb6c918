"""Where the built store lives, how builds are serialised and swapped in, and how readers open it.

Layout of a store location DIR:

    DIR/.wsisgraph-store            says "this folder is a wsisgraph store" (a build refuses others)
    DIR/.lock                       the build lock (fcntl); holds the pid of the build running
    DIR/builds/<stamp>/             one pyoxigraph on-disk store per build, with
    DIR/builds/<stamp>/wsisgraph-build.json   our marker: stamp, input digest, triples per graph
    DIR/current                     symlink to the build readers use
    DIR/.failed                     the inputs of the last build that failed, and why
    DIR/.input-hashes.json          the input files' SHA-256, by path and stat (sources/inputs.FileHashes)

Concurrency, for processes on one machine sharing DIR (a cron rebuild, notebooks, `serve`):

- Builds serialise on `build_lock(DIR)`. The second waits (or gives up after `wait` seconds) and
  can then see that the first just built the same inputs and reuse that build.
- A build writes a new folder under builds/ and, only when it succeeded, replaces `current` in
  one rename (atomic on POSIX). It then deletes older builds, but only folders it marked as its
  own and that no reader holds: a reader takes a shared lock on the build's marker file and keeps
  it until it is done; the deleter takes the exclusive lock without waiting and skips busy builds.
- Readers (`open_current`) resolve `current` once and open that build folder, so one reader never
  mixes files of two builds, and its build is not deleted under it.
"""

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Store

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.sources.inputs import HASHES_FILE, INGESTED_DIR

LOCATION_MARKER = ".wsisgraph-store"
BUILD_MARKER = "wsisgraph-build.json"
LOCK_FILE = ".lock"
FAILED_FILE = ".failed"
BUILDS = "builds"
CURRENT = "current"
DELETING = ".deleting-"
POLL_EVERY = 0.1
# What an older wsisgraph left in a store location; such a folder is recognised as a store.
LEGACY_ENTRIES = {BUILDS, CURRENT}
SERVING = ".serve-"  # serve.write_snapshot: the published graphs `serve` reads


class StoreBusy(WsisgraphError):
    """Another process is building this store and we were told not to wait (longer)."""


class StoreDamaged(WsisgraphError):
    """The store's files are unreadable; `wsisgraph build` replaces them."""

    def __init__(self, location: Path, why: str):
        why = " ".join(why.split())[:160]
        super().__init__(f"store at {location} is damaged ({why}); run `wsisgraph build --store {location}`")


def current_path(location: Path) -> Path:
    return location / CURRENT


def exists(location: Path) -> bool:
    return current_path(location).is_dir()


# --- the location ----------------------------------------------------------------------------


def hashes_path(location: Path) -> Path | None:
    """Where the input files' hashes are remembered: in the store's folder, once a build claimed it."""
    return location / HASHES_FILE if (location / LOCATION_MARKER).is_file() else None


def check_location(location: Path) -> None:
    """Refuse a folder that is not a wsisgraph store (nor empty), so a build never writes into or
    deletes from a folder of the user's."""
    if not location.exists():
        return
    if not location.is_dir():
        raise WsisgraphError(f"{location}: not a folder; --store needs a folder for the store")
    entries = {entry.name for entry in location.iterdir()}
    if LOCATION_MARKER in entries or not entries:
        return
    ours = LEGACY_ENTRIES | {LOCK_FILE, FAILED_FILE, INGESTED_DIR, HASHES_FILE}
    if all(name in ours or name.startswith((".current-", SERVING)) for name in entries):
        return
    shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
    raise WsisgraphError(f"{location}: not a wsisgraph store (it holds {shown}); "
                         f"give --store an empty or new folder")


def _claim_location(location: Path) -> None:
    location.mkdir(parents=True, exist_ok=True)
    if not (location / LOCATION_MARKER).exists():
        (location / LOCATION_MARKER).write_text("wsisgraph store: builds/ and current are managed by wsisgraph\n")


# --- the build lock --------------------------------------------------------------------------

_held = threading.local()  # per thread: {location: depth}, so a holder may take the lock again


@dataclass
class BuildLock:
    """What `build_lock` yields: whether we had to wait for another build first."""

    location: Path
    waited: bool = False


def _lock_holder(path: Path) -> str:
    with contextlib.suppress(OSError):
        pid = path.read_text().strip()
        if pid.isdigit():
            return f" (pid {pid})"
    return ""


@contextlib.contextmanager
def build_lock(location: Path, wait: float | None = None,
               on_wait: Callable[[str], None] = lambda line: None) -> Iterator[BuildLock]:
    """Hold the store's build lock: one build (or first-use build, or ingest) at a time per location.

    `wait`: seconds to wait for another holder (None: as long as it takes, 0: not at all); when
    it runs out, StoreBusy. `on_wait` gets one line when we start waiting. Re-entrant within a
    thread, so a command holding the lock can call `build.build`, which takes it too.
    """
    check_location(location)
    _claim_location(location)
    key = str(location.resolve())
    depth = getattr(_held, "locks", {})
    _held.locks = depth
    if depth.get(key):
        depth[key] += 1
        try:
            yield BuildLock(location)
        finally:
            depth[key] -= 1
        return
    path = location / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        held = BuildLock(location)
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    waited = f" for {wait:g} s" if wait else ""
                    raise StoreBusy(f"another process is building the store at {location}{_lock_holder(path)}; "
                                    f"gave up{waited} (--wait SECONDS waits longer)") from None
                if not held.waited:
                    held.waited = True
                    on_wait(f"waiting for another build of {location}{_lock_holder(path)} to finish ...")
                time.sleep(POLL_EVERY)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        depth[key] = 1
        try:
            yield held
        finally:
            del depth[key]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the lock


# --- builds ----------------------------------------------------------------------------------


def _stamp() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"


def new_build_dir(location: Path, digest: str | None = None) -> Path:
    """A fresh folder for a build, beside the builds readers use, marked as ours."""
    builds = location / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    path = builds / stamp
    path.mkdir()
    write_marker(path, {"stamp": stamp, "digest": digest})
    return path


def checkpoint_build(location: Path, source: Store) -> Path:
    """A new build folder holding a copy of `source` (an open build) that shares its files: a RocksDB
    checkpoint hard-links the immutable table files, so it takes milliseconds at any size, and
    writing to the copy never changes the original. Made under a `.deleting-` name and renamed once
    marked, so a crash in between leaves only a folder the next build removes."""
    builds = location / BUILDS
    stamp = _stamp()
    staging = builds / f"{DELETING}{stamp}"
    try:
        source.backup(str(staging))
        write_marker(staging, {"stamp": stamp, "digest": None})
        path = builds / stamp
        os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return path


def write_marker(build: Path, info: dict) -> None:
    """Record what a build is (replaced by rename, so a reader's lock file is never truncated)."""
    staging = build / f".{BUILD_MARKER}.part"
    staging.write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    os.replace(staging, build / BUILD_MARKER)


def read_marker(build: Path) -> dict | None:
    """A build's marker, or None for a folder we did not make (or an older wsisgraph's build)."""
    try:
        info = json.loads((build / BUILD_MARKER).read_text())
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def current_build(location: Path) -> Path | None:
    """The build `current` points at, resolved once; None when there is none."""
    link = current_path(location)
    try:
        target = os.readlink(link)
    except OSError:
        return None
    build = (location / target) if not os.path.isabs(target) else Path(target)
    return build if build.is_dir() else None


def current_info(location: Path) -> dict | None:
    """The marker of the current build (its digest and graph counts), if it has one."""
    build = current_build(location)
    return read_marker(build) if build is not None else None


def swap_in(location: Path, build: Path) -> None:
    """Point `current` at `build` in one rename, then delete the old builds nobody is reading."""
    link = current_path(location)
    if link.exists() and not link.is_symlink():
        raise WsisgraphError(f"{link}: exists and is not a wsisgraph store link; refusing to replace it")
    staging = location / f".current-{os.getpid()}"
    if staging.is_symlink():
        staging.unlink()
    staging.symlink_to(build.relative_to(location))
    os.replace(staging, link)
    (location / FAILED_FILE).unlink(missing_ok=True)
    discard_unused_builds(location, keep=build)


def discard_unused_builds(location: Path, keep: Path) -> list[Path]:
    """Delete the builds we made, other than `keep` and the current one, that no reader holds.

    Folders without our marker (the user's, or an older wsisgraph's) are never touched.
    """
    removed = []
    current = current_build(location)
    for old in sorted((location / BUILDS).iterdir()):
        if old.name.startswith(DELETING):  # a deletion a killed process did not finish
            shutil.rmtree(old, ignore_errors=True)
            continue
        if not old.is_dir() or old.name == keep.name or (current is not None and old.name == current.name):
            continue
        if read_marker(old) is None:
            continue
        try:
            fd = os.open(old / BUILD_MARKER, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a reader or a server holds it: it goes on a later build
            os.close(fd)
            continue
        try:
            # Moved away first (one rename), so a reader never opens a half-deleted folder: it
            # either holds the build already or finds it gone and resolves `current` again.
            doomed = old.with_name(f"{DELETING}{old.name}")
            os.replace(old, doomed)
            shutil.rmtree(doomed, ignore_errors=True)
            removed.append(old)
        finally:
            os.close(fd)
    return removed


def discard(build: Path) -> None:
    """Remove a failed build's folder."""
    shutil.rmtree(build, ignore_errors=True)


# --- what the last failed build was ------------------------------------------------------------


def record_failure(location: Path, digest: str, why: str) -> None:
    """Remember that these inputs failed to build, so reads do not retry the build every time."""
    with contextlib.suppress(OSError):
        (location / FAILED_FILE).write_text(json.dumps({"digest": digest, "why": why}) + "\n")


def last_failure(location: Path, digest: str) -> str | None:
    """Why the build of these inputs failed last time, or None."""
    try:
        info = json.loads((location / FAILED_FILE).read_text())
    except (OSError, ValueError):
        return None
    return str(info.get("why")) if isinstance(info, dict) and info.get("digest") == digest else None


# --- reading -----------------------------------------------------------------------------------


@dataclass
class Reading:
    """An open build: the store, its folder, and the shared lock that keeps it from deletion."""

    store: Store
    build: Path
    lock: int | None = field(default=None, repr=False)

    def close(self) -> None:
        """Release the build (the Store object may still be used until it is dropped)."""
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None


def hold_build(location: Path, attempts: int = 50) -> tuple[Path, int | None]:
    """Resolve `current` and take a shared lock on that build, retrying if a rebuild deleted it
    between the two steps. A build without our marker (older wsisgraph) is returned unlocked."""
    for _ in range(attempts):
        build = current_build(location)
        if build is None:
            raise WsisgraphError(f"{location}: no built store here; run `wsisgraph build --store {location}`")
        marker = build / BUILD_MARKER
        try:
            fd = os.open(marker, os.O_RDONLY)
        except FileNotFoundError:
            if build.is_dir():
                return build, None  # not one of ours (an older wsisgraph's): nobody deletes it
            continue  # moved away for deletion between readlink and open: resolve again
        fcntl.flock(fd, fcntl.LOCK_SH)
        try:
            same = os.fstat(fd).st_ino == os.stat(marker).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return build, fd
        os.close(fd)  # the build was deleted (or its marker rewritten) while we waited: again
    raise WsisgraphError(f"{location}: the current build keeps changing; try again")


def open_current(location: Path) -> Reading:
    """Open the current build for reading; several readers (and the server) may share it.

    The build stays on disk until `Reading.close()` (or the process ends), even if a rebuild
    swaps another one in meanwhile. Unreadable files raise StoreDamaged.
    """
    build, lock = hold_build(location)
    try:
        return Reading(Store.read_only(str(build)), build, lock)
    except (OSError, RuntimeError) as exc:
        if lock is not None:
            os.close(lock)
        raise StoreDamaged(location, str(exc)) from exc


def open_read_only(location: Path) -> Store:
    """The current build's store, held until the process ends (for short-lived callers)."""
    return open_current(location).store
