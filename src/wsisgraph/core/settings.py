"""Every setting the package reads from the environment, in one place: what each variable means,
its default, and how a bad value is reported. Nothing else in the package reads os.environ.

| variable | what it sets |
|---|---|
| WSISGRAPH_STORE | the store location when --store is not given |
| XDG_DATA_HOME | where the default store lives ($XDG_DATA_HOME/wsisgraph/store) |
| WSISGRAPH_LANG | the language of labels and titles when --lang is not given |
| WSISGRAPH_JAVA, JAVA_HOME | the Java runtime HermiT runs on (`reason`) |
| WSISGRAPH_USER, WSISGRAPH_PASSWORD | credentials for a remote store (`query --endpoint`, `push`) |
| SOURCE_DATE_EPOCH | the build and release time, so rebuilding the same inputs gives the same bytes |
"""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from wsisgraph.core.errors import WsisgraphError

STORE = "WSISGRAPH_STORE"
LANG = "WSISGRAPH_LANG"
JAVA = "WSISGRAPH_JAVA"
USER = "WSISGRAPH_USER"
PASSWORD = "WSISGRAPH_PASSWORD"


def store_location() -> Path:
    """$WSISGRAPH_STORE, else the per-user data directory ($XDG_DATA_HOME/wsisgraph/store)."""
    if os.environ.get(STORE):
        return Path(os.environ[STORE]).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "wsisgraph" / "store"


def java_candidates() -> list[tuple[str, str]]:
    """The java executables to try, with where each came from: $WSISGRAPH_JAVA alone when set,
    else $JAVA_HOME/bin/java, then `java` on PATH."""
    if os.environ.get(JAVA):
        return [(os.environ[JAVA], f"${JAVA}")]
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append((str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"), "$JAVA_HOME/bin/java"))
    if found := shutil.which("java"):
        candidates.append((found, "java on PATH"))
    return candidates


def credentials() -> tuple[str, str] | None:
    """(user, password) from the environment, or None when no user is set."""
    user = os.environ.get(USER)
    if not user:
        return None
    password = os.environ.get(PASSWORD)
    if password is None:
        raise WsisgraphError(f"{USER} is set but {PASSWORD} is not")
    return user, password


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that rebuilding the same input gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise WsisgraphError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds") from exc
    return datetime.now(tz=UTC).replace(microsecond=0)
