"""Ingested graphs in the store location: LOCATION/ingested/<key>.ttl, one named graph
`ingested/<key>` each, which every build of that location includes (sources/inputs.py).

Writing puts the file in place atomically and brings the store up to date with it (`update`: a new
build that shares the unchanged data, validating the nodes the document touches), so queries see
the document at once. A violation or any failure puts the previous file back and leaves the
store as it was (exit 1 for a violation).
"""

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, Variable, parse, serialize

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import EXPORT_PREFIXES, ID, INFERRED_GRAPH, PROV, W, graph_iri
from wsisgraph.graph import store, update, validate
from wsisgraph.ingest.link import GraphIndex, carry_over, keep_index
from wsisgraph.sources.inputs import INGESTED_DIR

TURTLE_PREFIXES = {**EXPORT_PREFIXES, "passage": ID + "passage/", "mention": ID + "mention/",
                   "document": ID + "document/", "resolution": ID + "resolution/", "meeting": ID + "meeting/"}


def folder(location: Path) -> Path:
    return location / INGESTED_DIR


def path_for(location: Path, key: str) -> Path:
    return folder(location) / f"{key}.ttl"


def turtle(triples: list[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)


def index_graphs(store: Store, key: str) -> list[NamedNode] | None:
    """The graphs linking reads: every asserted graph but the one being replaced (a re-ingest
    must mint again what its own previous version minted). None when there is nothing to replace:
    the store's default graph then holds exactly those graphs' triples."""
    own = graph_iri(f"{INGESTED_DIR}/{key}")
    if next(iter(store.quads_for_pattern(None, None, None, own)), None) is None:
        return None
    skip = {own.value, graph_iri(INFERRED_GRAPH).value}
    return [g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value not in skip]


def own_subjects(store: Store, key: str) -> list:
    """The subjects of an ingested graph: all that differs between the default graph and the graphs
    `index_graphs` gives for the same key (the default graph less that graph)."""
    rows = store.query("SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                       substitutions={Variable("g"): graph_iri(f"{INGESTED_DIR}/{key}")})
    return [row["s"] for row in rows]


def write(location: Path, graphs: dict[str, list[Triple]], root: Path | None = None,
          index: GraphIndex | None = None) -> validate.ValidationReport:
    """Write LOCATION/ingested/<key>.ttl for each graph and bring the store up to date
    (incrementally: `update`), validating the graphs; all or nothing. The store's build lock is held
    throughout, so no other build or ingest reads a half-done folder. `index`: the linking index of
    the current build, if the caller has it; the new build keeps it, brought up to date."""
    with store.build_lock(location):
        folder(location).mkdir(parents=True, exist_ok=True)
        targets = {name: path_for(location, name.split("/", 1)[1]) for name in graphs}
        previous = {target: target.read_bytes() if target.exists() else None for target in targets.values()}

        def write_files() -> None:
            for name, triples in graphs.items():
                staging = targets[name].with_name(f".{targets[name].name}.{os.getpid()}")
                staging.write_bytes(turtle(triples))
                os.replace(staging, targets[name])

        try:
            done = update.update(location, graphs, write_files, root, on_update=partial(carry_over, index),
                                 on_built=keep_index)
        except BaseException:
            restore(previous)
            raise
    return done.validation or validate.ValidationReport()


def remove(location: Path, key: str, root: Path | None = None) -> None:
    """Drop an ingested graph and bring the store up to date without it (under the build lock)."""
    with store.build_lock(location):
        target = path_for(location, key)
        if not target.is_file():
            known = ", ".join(row.key for row in listing(location)) or "none"
            raise WsisgraphError(f"{location}: nothing ingested under the key {key!r} (ingested: {known})")
        previous = {target: target.read_bytes()}
        try:
            update.update(location, [f"{INGESTED_DIR}/{key}"], target.unlink, root,
                          on_update=partial(carry_over, None), on_built=keep_index)
        except BaseException:
            restore(previous)
            raise


def restore(previous: dict[Path, bytes | None]) -> None:
    """Put files back as they were before a failed write or removal."""
    for target, old in previous.items():
        if old is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(old)


@dataclass(frozen=True)
class Entry:
    key: str
    when: str
    file: str
    sha256: str
    triples: int


def listing(location: Path) -> list[Entry]:
    """What was ingested into this location: key, when, from which file, its SHA-256."""
    out = []
    for path in sorted(folder(location).glob("*.ttl")) if folder(location).is_dir() else []:
        triples = [Triple(q.subject, q.predicate, q.object) for q in parse(path=str(path), format=RdfFormat.TURTLE)]
        record = {t.subject for t in triples if t.predicate == PROV.endedAtTime}
        values = {t.predicate: t.object.value for t in triples if t.subject in record}
        out.append(Entry(path.stem, values.get(PROV.endedAtTime, ""), values.get(W.fileName, ""),
                         values.get(W.sha256, ""), len(triples)))
    return out
