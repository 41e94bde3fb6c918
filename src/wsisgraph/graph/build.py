"""Build the store: parse the ontology and every data file, one named graph each, materialise the
`inferred` graph, describe the dataset, validate all of it against the SHACL shapes (what the store
publishes is what is checked, the build's own `inferred` and `dataset` graphs included), and swap
the new store in only when everything succeeded (a store with SHACL violations is never swapped in).

Graph names come from file paths: ontology/wsis.ttl is `ontology`, data/sdg/goals.csv is
`sdg/goals`, data/report/cwg-wsis-sdg-39-40.ttl is `report/cwg-wsis-sdg-39-40`. The dataset's own
description (DCAT/VoID: version, build time, triples per graph, sources) goes in `dataset`.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from wsisgraph import __version__
from wsisgraph.core import settings
from wsisgraph.core.errors import InputError
from wsisgraph.core.namespaces import (
    DATASET_GRAPH,
    DATASET_IRI,
    DCAT,
    DCTERMS,
    INFERRED_GRAPH,
    OWL,
    RDF,
    RDFS,
    SD,
    VOID,
    XSD,
    W,
    graph_iri,
)
from wsisgraph.core.rdf import integer
from wsisgraph.graph import reason, store, tallies, validate
from wsisgraph.sources.inputs import FileHashes, Input, discover_inputs, input_label, parse_input


@dataclass
class BuildReport:
    location: Path
    graphs: dict[str, int] = field(default_factory=dict)
    validation: validate.ValidationReport | None = None
    reused: bool = False  # another process had just built the same inputs

    @property
    def total(self) -> int:
        return sum(self.graphs.values())


def input_digest(inputs: Iterable[Input], location: Path | None = None) -> str:
    """A hash of the package version and every input file: a store whose digest differs is stale.
    With the store's location, the files' own hashes are remembered there (`FileHashes`), so only
    files changed since the last command are read."""
    hashes = FileHashes(store.hashes_path(location) if location is not None else None)
    digest = hashlib.sha256(__version__.encode())
    inputs = list(inputs)
    for item in inputs:
        digest.update(item.relative.encode() + b"\0" + hashes.sha256(item.path).encode() + b"\n")
    shapes = inputs[0].path.parent / validate.SHAPES_FILE if inputs else None
    if shapes is not None and shapes.is_file():  # the shapes decide whether a build passes
        digest.update(b"ontology/" + validate.SHAPES_FILE.encode() + b"\0" + hashes.sha256(shapes).encode())
    hashes.save()
    return digest.hexdigest()


def ontology_version(triples: Iterable[Triple]) -> tuple[str | None, str | None]:
    """(versionIRI, versionInfo) of the ontology graph."""
    version_iri = version_info = None
    for t in triples:
        if t.predicate == OWL.versionIRI:
            version_iri = t.object.value
        elif t.predicate == OWL.versionInfo:
            version_info = t.object.value
    return version_iri, version_info


def dataset_sources(parsed: dict[str, list[Triple]]) -> list[NamedNode]:
    """What the data was taken from: every reference source, and every document a passage is in."""
    found = {t.subject for triples in parsed.values() for t in triples
             if t.predicate == RDF.type and t.object == W.ReferenceSource}
    found |= {t.object for triples in parsed.values() for t in triples if t.predicate == W.inDocument}
    return sorted((node for node in found if isinstance(node, NamedNode)), key=lambda node: node.value)


# What a SPARQL client that names no graph reads, wherever the dataset is published (README, "For tool
# builders"); the dataset description says it too, so a client finds it in the data.
DEFAULT_GRAPH_STORY = (
    "One named graph per source file, plus this description (graph/dataset). Without FROM or "
    "default-graph-uri, the default graph is the union of these published graphs: in "
    "`wsisgraph query`, from `wsisgraph serve`, and in a store filled by `wsisgraph push` (Virtuoso by "
    "default, an oxigraph server started with --union-default-graph). The graph/inferred graph of "
    "materialised inferences is not part of it; `query`, `export` and `push` add it with --inferred.")


def describe_dataset(graphs: dict[str, int], digest: str, ontology: list[Triple],
                     sources: list[NamedNode], counted: list[tallies.Tally]) -> list[Triple]:
    """The DCAT/VoID description of this build: version, time, triples per graph, sources, and the
    alignment tallies (graph/tallies.py)."""
    dataset = NamedNode(DATASET_IRI)
    version_iri, version_info = ontology_version(ontology)
    when = settings.build_time().isoformat().replace("+00:00", "Z")
    out = [
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(dataset, RDF.type, VOID.Dataset),
        Triple(dataset, RDFS.label, Literal("wsisgraph", language="en")),
        Triple(dataset, DCTERMS.title, Literal("wsisgraph: WSIS and the 2030 Agenda", language="en")),
        Triple(dataset, DCTERMS.description, Literal(DEFAULT_GRAPH_STORY, language="en")),
        Triple(dataset, DCAT.version, Literal(__version__)),
        Triple(dataset, DCTERMS.modified, Literal(when, datatype=XSD.dateTime)),
        Triple(dataset, W.inputDigest, Literal(digest)),
        Triple(dataset, VOID.triples, integer(sum(graphs.values()))),
        Triple(dataset, DCTERMS.license, NamedNode("https://creativecommons.org/licenses/by/4.0/")),
    ]
    if version_iri:
        out.append(Triple(dataset, DCTERMS.conformsTo, NamedNode(version_iri)))
    if version_info:
        out.append(Triple(dataset, OWL.versionInfo, Literal(version_info)))
    out += [Triple(dataset, DCTERMS.source, source) for source in sources]
    for name, count in sorted(graphs.items()):
        subset = NamedNode(f"{DATASET_IRI}/graph/{name}")
        out += [
            Triple(dataset, VOID.subset, subset),
            Triple(subset, RDF.type, VOID.Dataset),
            Triple(subset, RDFS.label, Literal(f"graph {name}", language="en")),
            Triple(subset, SD.name, graph_iri(name)),
            Triple(subset, VOID.triples, integer(count)),
        ]
    return out + tallies.describe(counted, dataset)


def load_inputs(inputs: list[Input], on_graph: Callable[[str, int], None]) -> dict[str, list[Triple]]:
    """Parse every input; the first error stops everything (nothing has been written yet)."""
    parsed: dict[str, list[Triple]] = {}
    for item in inputs:
        triples = list(dict.fromkeys(parse_input(item)))
        parsed[item.graph] = triples
        on_graph(item.graph, len(triples))
    return parsed


def write_store(path: Path, parsed: dict[str, list[Triple]]) -> None:
    """Each input in its named graph, and every asserted triple (all but `inferred`) once more in the
    default graph: the embedded engine then reads one graph instead of merging ten (3-8x faster, same
    rows). That copy is the store's own index and is never published: `serve` serves a snapshot of the
    named graphs with a union default graph, exports and pushes read the named graphs."""
    target = Store(str(path))
    for name, triples in parsed.items():
        graph = graph_iri(name)
        target.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        if name != INFERRED_GRAPH:
            target.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    target.flush()
    target.optimize()
    del target


def publish(inputs: list[Input], parsed: dict[str, list[Triple]],
            on_graph: Callable[[str, int], None] = lambda name, n: None) -> dict[str, list[Triple]]:
    """Every graph the store holds: the parsed inputs, the `inferred` graph and the `dataset`
    description (which counts the others, so it comes last)."""
    graphs = dict(parsed)
    graphs[INFERRED_GRAPH] = reason.materialise(parsed.values()).triples
    on_graph(INFERRED_GRAPH, len(graphs[INFERRED_GRAPH]))
    counts = {name: len(triples) for name, triples in graphs.items()}
    graphs[DATASET_GRAPH] = describe_dataset(counts, input_digest(inputs), graphs["ontology"], dataset_sources(graphs),
                                             tallies.count_triples(parsed.values()))
    on_graph(DATASET_GRAPH, len(graphs[DATASET_GRAPH]))
    return graphs


def build(location: Path, on_graph: Callable[[str, int], None] = lambda name, n: None,
          root: Path | None = None, wait: float | None = None,
          on_wait: Callable[[str], None] = lambda line: None,
          on_built: Callable[[Store, Path], None] = lambda built, folder: None) -> BuildReport:
    """Parse, describe, validate and store everything; swap the new store in only on success.

    Builds of one location take turns (`store.build_lock`; `wait` and `on_wait` as there). A build
    that had to wait, and finds that the build it waited for was made from the same inputs,
    reuses it instead of building them again. `on_built` gets the new build (its store and folder)
    before it is swapped in, to keep what depends on it only (the ingest's linking index).
    """
    inputs = discover_inputs(root, location)
    with store.build_lock(location, wait, on_wait) as lock:
        digest = input_digest(inputs, location)  # the lock claimed the location: the hashes are kept there
        if lock.waited:
            info = store.current_info(location)
            if info and info.get("digest") == digest and isinstance(info.get("graphs"), dict):
                return BuildReport(location, dict(info["graphs"]), reused=True)
        try:
            parsed = publish(inputs, load_inputs(inputs, on_graph), on_graph)
            checked = validate.validate_inputs(parsed, {item.graph: input_label(item) for item in inputs}, root)
        except InputError as exc:
            store.record_failure(location, digest, str(exc))
            raise
        if not checked.conforms:
            store.record_failure(location, digest, failing_files(checked))
            raise validate.ValidationFailed(checked, "SHACL validation failed; the store was not replaced")
        graphs = {name: len(triples) for name, triples in parsed.items()}
        target = store.new_build_dir(location)
        try:
            write_store(target, parsed)
            store.write_marker(target, {"stamp": target.name, "digest": digest, "graphs": graphs})
            on_built(Store(str(target)), target)
        except BaseException:
            store.discard(target)
            raise
        store.swap_in(location, target)
    return BuildReport(location, graphs, validation=checked)


def failing_files(report: validate.ValidationReport) -> str:
    """One line naming the files with violations, for the warning reads print."""
    files = sorted({r.file or "unknown file" for r in report.results if r.severity == "Violation"})
    count = report.counts()["Violation"]
    return f"{', '.join(files)} fails SHACL validation ({count} violation{'s' if count != 1 else ''})"


def stored_digest(location: Path) -> str | None:
    """The input digest of the current build (from its marker; an older build's from its
    dataset graph), or None if there is no store."""
    if not store.exists(location):
        return None
    info = store.current_info(location)
    if info is not None:
        return info.get("digest")
    reading = store.open_current(location)
    try:
        for quad in reading.store.quads_for_pattern(NamedNode(DATASET_IRI), W.inputDigest, None,
                                                    graph_iri(DATASET_GRAPH)):
            return quad.object.value
        return None
    finally:
        reading.close()


def shipped_graphs(root: Path | None = None) -> dict[str, list[Triple]]:
    """The ontology and data a build loads, by file (ontology/wsis.ttl, data/sdg/goals.csv), parsed as
    the build parses them."""
    inputs = discover_inputs(root)
    parsed = load_inputs(inputs, lambda name, count: None)
    return {input_label(item): parsed[item.graph] for item in inputs}


def validate_shipped(root: Path | None = None) -> validate.ValidationReport:
    """Validate what a build of the shipped ontology and data would store and publish: the inputs,
    the `inferred` graph and the `dataset` description, exactly as `build` checks them."""
    inputs = discover_inputs(root)
    graphs = publish(inputs, load_inputs(inputs, lambda name, count: None))
    return validate.validate_inputs(graphs, {item.graph: input_label(item) for item in inputs}, root)
