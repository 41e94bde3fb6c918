"""`wsisgraph release`: one folder per release that people can cite and tools can mirror.

A release holds the whole published dataset (the asserted named graphs and `dataset`, as `export`
gives them) in every serialisation with a gzip beside each, the ontology and the SHACL shapes on
their own, the JSON-LD context, a VoID + DCAT description (`void.ttl`, describe.py), `CHANGES.md`
(diff.py against `--previous`) and `SHA256SUMS`. Every byte comes from the store and the shipped
files, `dcterms:issued` from SOURCE_DATE_EPOCH when set, and gzip is written without a timestamp,
so the same build (or a rebuild of the same inputs with the same SOURCE_DATE_EPOCH) gives the same
release byte for byte. The folder is written beside the target and swapped in whole
(core.output.write_tree), and a folder that is not an earlier release is never replaced.
"""

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store

from wsisgraph import __version__
from wsisgraph.core import jsonld, settings
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import graph_iri
from wsisgraph.core.output import check_target, write_tree
from wsisgraph.graph import build, export, validate
from wsisgraph.publish import describe, diff

MARKER = ".wsisgraph-release"
SUMS = "SHA256SUMS"
DESCRIPTION = "void.ttl"
CHANGES = "CHANGES.md"
NQUADS = "wsisgraph.nq"
# (file, export format, media type, title): the whole dataset in each serialisation.
DUMPS = [
    ("wsisgraph.trig", "trig", "application/trig", "The dataset: every published named graph (TriG)"),
    (NQUADS, "nq", "application/n-quads", "The dataset: every published named graph (N-Quads)"),
    ("wsisgraph.ttl", "turtle", "text/turtle", "The union of the published graphs (Turtle)"),
    ("wsisgraph.jsonld", "jsonld", "application/ld+json",
     "The dataset as compact JSON-LD, its context inline (JSON-LD)"),
    ("wsisgraph.rdf", "xml", "application/rdf+xml", "The union of the published graphs (RDF/XML)"),
]


@dataclass(frozen=True)
class Release:
    folder: Path
    version: str
    files: list[describe.FileEntry]


def ontology_version_iri(store: Store) -> str | None:
    return build.ontology_version(q.triple for q in store.quads_for_pattern(None, None, None,
                                                                             graph_iri("ontology")))[0]


def default_version(version_iri: str | None) -> str:
    """The version the ontology's owl:versionIRI names (releases/{V}/ontology), so the release IRI
    and the ontology's version IRI agree; the package version when the ontology names none."""
    if version_iri and version_iri.startswith(describe.RELEASES):
        return version_iri[len(describe.RELEASES):].split("/", 1)[0]
    return __version__


def check_version(version: str) -> str:
    if not version or any(c in version for c in "/ \t\n#?") or version.startswith("."):
        raise WsisgraphError(f"--version {version!r}: a release version is one path segment, e.g. 2026-12")
    return version


def entry(name: str, payload: bytes, media_type: str, title: str, compressed: bool = False) -> describe.FileEntry:
    return describe.FileEntry(name, len(payload), hashlib.sha256(payload).hexdigest(), media_type, title, compressed)


def contents(store: Store, version: str, previous: Path | None, endpoint: str | None) -> dict[str, bytes]:
    """Every file of the release by name, the description and the checksums last."""
    graphs = export.select_graphs(store, None, inferred=False)
    files: dict[str, bytes] = {}
    entries: list[describe.FileEntry] = []
    for name, fmt, media_type, title in DUMPS:
        payload = export.serialise(store, fmt, graphs)
        packed = gzip.compress(payload, compresslevel=9, mtime=0)
        files[name], files[name + ".gz"] = payload, packed
        entries += [entry(name, payload, media_type, title),
                    entry(name + ".gz", packed, media_type, title + ", gzip-compressed", compressed=True)]
    singles = [
        ("ontology.ttl", export.serialise(store, "turtle", ["ontology"]), "text/turtle", "The OWL ontology"),
        ("shapes.ttl", validate.shapes_path().read_bytes(), "text/turtle", "The SHACL shapes: the data contract"),
        (jsonld.CONTEXT_FILE, jsonld.context_path().read_bytes(), "application/ld+json",
         "The JSON-LD context of the compact JSON-LD"),
    ]
    if previous is not None:
        old = diff.load(previous)
        changes = diff.compare(old, diff.from_store(store, f"release {version}"))
        singles.append((CHANGES, diff.changes_markdown(changes).encode(), "text/markdown",
                        f"What changed since {old.name}"))
    for name, payload, media_type, title in singles:
        files[name] = payload
        entries.append(entry(name, payload, media_type, title))
    version_iri = ontology_version_iri(store)
    files[DESCRIPTION] = describe.to_turtle(describe.describe(store, version, settings.build_time(), entries, graphs,
                                                              version_iri, endpoint))
    files[SUMS] = "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)).encode()
    return files


def make(store: Store, output: Path, version: str | None = None, previous: Path | None = None,
         endpoint: str | None = None) -> Release:
    """Write the release folder (replaced whole if it is an earlier release); what was written."""
    check_target(output, MARKER)  # before the work, so a refused folder costs nothing
    version = check_version(version) if version is not None else default_version(ontology_version_iri(store))
    files = contents(store, version, previous, endpoint)

    def fill(folder: Path) -> None:
        for name, payload in files.items():
            (folder / name).write_bytes(payload)

    write_tree(output, fill, marker=MARKER)
    listed = [entry(name, payload, "", "") for name, payload in sorted(files.items())]
    return Release(output, version, listed)
