"""Where the built store lives, how a new build is swapped in, and how readers open it.

Layout of a store location DIR:

    DIR/builds/<stamp>/   one pyoxigraph on-disk store per build
    DIR/current           symlink to the build readers use

A build writes a new folder under builds/ and, only when it succeeded, replaces the `current`
symlink in one rename (atomic on POSIX), then removes older builds. A failed build leaves
`current` as it was, so readers never see a half-written store. The oxigraph server is given
DIR/current as its location.
"""

import os
import shutil
import time
from pathlib import Path

from pyoxigraph import Store

from wsisgraph.errors import WsisgraphError

ENV_STORE = "WSISGRAPH_STORE"


def default_location() -> Path:
    """$WSISGRAPH_STORE, else the per-user data directory ($XDG_DATA_HOME/wsisgraph/store)."""
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE]).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "wsisgraph" / "store"


def current_path(location: Path) -> Path:
    return location / "current"


def exists(location: Path) -> bool:
    return current_path(location).is_dir()


def new_build_dir(location: Path) -> Path:
    """A fresh, empty folder for a build, beside the builds readers use."""
    builds = location / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    path = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    path.mkdir()
    return path


def swap_in(location: Path, build: Path) -> None:
    """Point `current` at `build` in one rename, then delete the builds nobody points at."""
    link = current_path(location)
    if link.exists() and not link.is_symlink():
        raise WsisgraphError(f"{link}: exists and is not a wsisgraph store link; refusing to replace it")
    staging = location / f".current-{os.getpid()}"
    if staging.is_symlink():
        staging.unlink()
    staging.symlink_to(build.relative_to(location))
    os.replace(staging, link)
    discard_other_builds(location, keep=build)


def discard_other_builds(location: Path, keep: Path) -> None:
    for old in (location / "builds").iterdir():
        if old.resolve() != keep.resolve():
            shutil.rmtree(old, ignore_errors=True)


def discard(build: Path) -> None:
    """Remove a failed build's folder."""
    shutil.rmtree(build, ignore_errors=True)


def open_read_only(location: Path) -> Store:
    """Open the current build for reading; several readers (and the server) may share it."""
    path = current_path(location)
    if not path.is_dir():
        raise WsisgraphError(f"{location}: no built store here; run `wsisgraph build --store {location}`")
    try:
        return Store.read_only(str(path))
    except OSError as exc:
        raise WsisgraphError(f"{path}: cannot open the store: {exc}") from exc
