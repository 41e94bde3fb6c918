"""What the package writes: single files (exports, pictures, reports) through atomic_output, and
folders written whole (the report, the documentation, a release, the Linked Data site), built beside
their target and swapped in. Never a half-written file or folder, never one we did not write."""

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

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


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path` through, so that a failure leaves the old file as it was.

    A regular file (new or existing) is written to a temporary file in the same folder and renamed
    over it when the block ends without an error. A symlink is followed: its target is replaced that
    way and the link stays. `-` is standard output; a device or FIFO (/dev/null, a named pipe) is
    written as a stream, never replaced by a file; a directory or socket is refused.
    """
    if str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WsisgraphError(f"{path}: {exc.strerror or exc}") from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise WsisgraphError(f"{path}: is a directory; give a file name")
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISBLK(mode)):
        try:
            with open(target, "wb") as out:
                yield out
        except OSError as exc:
            raise WsisgraphError(f"{path}: {exc.strerror or exc}") from exc
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise WsisgraphError(f"{path}: not a regular file, device or FIFO; refusing to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        kept = stat.S_IMODE(mode) if mode is not None else 0o666 & ~current_umask()
        os.chmod(temporary, kept)  # mkstemp makes 0600: keep the old file's mode, else follow the umask
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, payload: bytes) -> None:
    """Write `payload` to `path` as `atomic_output` does."""
    with atomic_output(path) as out:
        out.write(payload)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
