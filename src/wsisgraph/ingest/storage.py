"""Ingested graphs in the store location: LOCATION/ingested/<key>.ttl, one named graph
`ingested/<key>` each, which every build of that location includes (sources/inputs.py).

Writing validates the new graph with the shapes together with everything else the build loads,
writes the file atomically and rebuilds the store, so queries see the document at once. A
violation writes nothing (exit 1); a failed rebuild puts the previous file back.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse, serialize

from wsisgraph.core import namespaces
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import EXPORT_PREFIXES, ID, PROV, W, graph_iri
from wsisgraph.graph import build, store, validate
from wsisgraph.sources.inputs import INGESTED_DIR, discover_inputs, input_label

TURTLE_PREFIXES = {**EXPORT_PREFIXES, "passage": ID + "passage/", "mention": ID + "mention/",
                   "document": ID + "document/", "resolution": ID + "resolution/", "meeting": ID + "meeting/"}


def folder(location: Path) -> Path:
    return location / INGESTED_DIR


def path_for(location: Path, key: str) -> Path:
    return folder(location) / f"{key}.ttl"


def turtle(triples: list[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)


def index_graphs(store: Store, key: str) -> list[NamedNode]:
    """The graphs linking reads: every asserted graph but the one being replaced (a re-ingest
    must mint again what its own previous version minted)."""
    skip = {graph_iri(f"{INGESTED_DIR}/{key}").value, graph_iri(namespaces.INFERRED_GRAPH).value}
    return [g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value not in skip]


def check(location: Path, graphs: dict[str, list[Triple]]) -> validate.ValidationReport:
    """Validate new graphs (name -> triples) with the ontology, the shipped data and the other
    ingested graphs; results are about the new graphs' nodes."""
    inputs = [item for item in discover_inputs(location=location) if item.graph not in graphs]
    parsed = build.load_inputs(inputs, lambda name, count: None)
    everything = {input_label(item): parsed[item.graph] for item in inputs}
    labels = {name: str(path_for(location, name.split("/", 1)[1])) for name in graphs}
    for name, triples in graphs.items():
        everything[labels[name]] = triples
    return validate.validate_graphs(everything, report_files=list(labels.values()))


def write(location: Path, graphs: dict[str, list[Triple]]) -> validate.ValidationReport:
    """Validate, write LOCATION/ingested/<key>.ttl for each graph, rebuild; all or nothing. The
    store's build lock is held throughout, so no other build or ingest reads a half-done folder."""
    with store.build_lock(location):
        return _write(location, graphs)


def _write(location: Path, graphs: dict[str, list[Triple]]) -> validate.ValidationReport:
    report = check(location, graphs)
    if not report.conforms:
        raise validate.ValidationFailed(report, "the ingested graph breaks the shapes; nothing was written")
    folder(location).mkdir(parents=True, exist_ok=True)
    previous: dict[Path, bytes | None] = {}
    try:
        for name, triples in graphs.items():
            target = path_for(location, name.split("/", 1)[1])
            previous[target] = target.read_bytes() if target.exists() else None
            staging = target.with_name(f".{target.name}.{os.getpid()}")
            staging.write_bytes(turtle(triples))
            os.replace(staging, target)
        build.build(location)
    except BaseException:
        for target, old in previous.items():
            if old is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(old)
        raise
    return report


def remove(location: Path, key: str) -> None:
    """Drop an ingested graph and rebuild without it (under the store's build lock)."""
    with store.build_lock(location):
        _remove(location, key)


def _remove(location: Path, key: str) -> None:
    target = path_for(location, key)
    if not target.is_file():
        known = ", ".join(row.key for row in listing(location)) or "none"
        raise WsisgraphError(f"{location}: nothing ingested under the key {key!r} (ingested: {known})")
    kept = target.read_bytes()
    target.unlink()
    try:
        build.build(location)
    except BaseException:
        target.write_bytes(kept)
        raise


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
