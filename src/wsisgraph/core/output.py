"""Folders the package writes whole (the report, the documentation, a release, the Linked Data site):
built beside their target and swapped in, never a half-written folder, never one we did not write."""

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from wsisgraph.core.errors import WsisgraphError


def check_target(target: Path, marker: str) -> Path:
    """The target folder, resolved, if it is new, empty or one we wrote before (it has our marker)."""
    target = target.resolve()
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / marker).exists())):
        raise WsisgraphError(f"{target}: exists and is not a folder wsisgraph wrote; choose a new or empty folder")
    return target


def write_tree(target: Path, fill: Callable[[Path], None], marker: str) -> None:
    """Fill a temporary folder beside `target`, then swap it in; never replace a folder we did not make.

    The old folder is renamed aside and the new one renamed into place, then the old one deleted:
    a reader sees the old site, then (after an instant with none) the new one, never a half-written one.
    """
    target = check_target(target, marker)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        fill(building)
        (building / marker).write_text("written by wsisgraph; this folder is replaced on the next run\n")
        building.chmod(0o755)
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.{os.getpid()}.old"
            os.replace(target, old)
        os.replace(building, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
