"""The files a build reads and the named graph each becomes: the ontology, every file under data/
(Turtle, N-Triples, or a CSV table that sources/tables.py converts), and the documents `wsisgraph
ingest` keeps in a store location. Graph names come from paths: ontology/wsis.ttl is `ontology`,
data/sdg/goals.csv is `sdg/goals`, LOCATION/ingested/KEY.ttl is `ingested/KEY`.

Every command checks that the store was built from the inputs as they are (a digest of their
bytes); `FileHashes` remembers each file's SHA-256 with what `stat` says of it, so that check reads
only the files that changed since, not a 60 MB ingested graph each time.
"""

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

from wsisgraph.core import resources
from wsisgraph.core.errors import InputError, WsisgraphError
from wsisgraph.core.output import write_atomic
from wsisgraph.core.rdf import stable_blank_nodes
from wsisgraph.sources import tables

ONTOLOGY_FILE = "wsis.ttl"
RDF_SUFFIXES = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES}
IGNORED_SUFFIXES = {".md", ".txt"}
INGESTED_DIR = "ingested"
HASHES_FILE = ".input-hashes.json"
# A hash is trusted only for a file whose mtime and ctime were at least this much older than the
# hashing: a file written again within the same clock tick as an earlier write (and hashing) may show
# the same size and times, so such a file is hashed again (git's "racy clean" rule).
SETTLED_NS = 3_000_000_000


@dataclass(frozen=True)
class Input:
    """One input file and the named graph it becomes."""

    graph: str
    path: Path
    relative: str


def discover_inputs(root: Path | None = None, location: Path | None = None) -> list[Input]:
    """The ontology and every data file, in a stable order; with a store location, also the
    documents `wsisgraph ingest` put in LOCATION/ingested/ (graph `ingested/<key>`)."""
    root = root or resources.resource_root()
    inputs = [Input("ontology", root / "ontology" / ONTOLOGY_FILE, f"ontology/{ONTOLOGY_FILE}")]
    data = root / "data"
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        relative = path.relative_to(data).as_posix()
        if path.suffix in IGNORED_SUFFIXES:
            continue
        if path.suffix not in RDF_SUFFIXES and path.suffix != ".csv":
            raise InputError(str(path), None, "unknown kind of data file (expected .ttl, .nt or .csv)")
        name = relative.rsplit(".", 1)[0].replace("_", "-")
        inputs.append(Input(name, path, relative))
    if location is not None and (location / INGESTED_DIR).is_dir():
        inputs += [Input(f"{INGESTED_DIR}/{path.stem}", path, f"{INGESTED_DIR}/{path.name}")
                   for path in sorted((location / INGESTED_DIR).glob("*.ttl"))]
    return inputs


def parse_input(item: Input) -> list[Triple]:
    """Triples of one input file; a syntax error becomes `path:line:col: message`."""
    if item.path.suffix == ".csv":
        return tables.convert(item.path, item.relative)
    try:
        return stable_blank_nodes(parse(path=str(item.path), format=RDF_SUFFIXES[item.path.suffix]), item.graph)
    except SyntaxError as exc:
        raise InputError.from_syntax(str(item.path), exc) from exc
    except OSError as exc:
        raise InputError(str(item.path), None, f"cannot read: {exc.strerror or exc}") from exc


def input_label(item: Input) -> str:
    """How reports name an input file: ontology/wsis.ttl, data/sdg/goals.csv."""
    if item.graph == "ontology":
        return item.relative
    return str(item.path) if item.graph.startswith(INGESTED_DIR + "/") else f"data/{item.relative}"


class FileHashes:
    """SHA-256 of files, remembered in a JSON file (beside the store) under each file's absolute
    path with its size, mtime, ctime, inode and device. A file whose `stat` differs in any of them
    is read again: an edit changes the mtime, and one that puts the mtime back changes the ctime,
    which no program can set. `path` None: nothing is remembered."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list] = {}
        self.used: set[str] = set()
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                entries = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(entries, dict):
                    self.entries = entries
        self.loaded = dict(self.entries)

    def sha256(self, path: Path) -> str:
        """The file's SHA-256 (hex), from memory when its `stat` is unchanged since a settled hashing."""
        key = os.path.abspath(path)
        self.used.add(key)
        try:
            info = os.stat(key)
        except OSError as exc:
            raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
        seen = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
        known = self.entries.get(key)
        if (isinstance(known, list) and len(known) == 7 and known[:5] == seen
                and known[6] - max(info.st_mtime_ns, info.st_ctime_ns) >= SETTLED_NS):
            return known[5]
        hashed_at = time.time_ns()
        try:
            with open(key, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
        self.entries[key] = [*seen, digest, hashed_at]
        return digest

    def save(self) -> None:
        """Remember the files hashed here, and only those (a removed input is forgotten); written
        atomically, and not at all to a store we may not write to (it is then simply not helped)."""
        if self.path is None:
            return
        kept = {key: self.entries[key] for key in sorted(self.used)}
        if kept == self.loaded:
            return
        with contextlib.suppress(OSError, WsisgraphError):
            write_atomic(self.path, json.dumps(kept).encode("utf-8"))
