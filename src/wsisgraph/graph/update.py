"""Incremental builds: add, replace or remove a few named graphs (what `wsisgraph ingest` writes)
without parsing and validating everything again.

A full build parses every input, materialises `inferred` over all of it and validates all of it:
at a million triples that is minutes, for a change of a few thousand triples. Here the new build
starts as a RocksDB checkpoint of the current one (`Store.backup`: hard links to the same
immutable files, milliseconds whatever the size), so it shares all the unchanged data, and only the
change is applied to it:

1. each changed graph gets its new triples (parsed from its file exactly as a full build parses
   it), and the store's default graph, the set of every asserted triple, follows: a removed triple
   leaves it only when no other asserted graph still holds it;
2. `inferred` is brought up to date around the change (below);
3. `dataset` is described again (counts, digest, sources), as a full build describes it;
4. the nodes the change touches are validated with the shapes, together with the triples those
   checks read (below); a violation discards the new build;
5. the new build is swapped in like any other (`store.swap_in`), with the digest a full build of
   the same inputs would record, so readers see it as current and never rebuild it.

The rules and the shapes read a bounded neighbourhood of a node: its own triples, the triples of
the nodes it points at (a target's goal, a value's type and code) and, upstream, only through the
predicates named in INFERENCE_UPSTREAM and VALIDATION_UPSTREAM (a sub-line's `skos:broader`, for
`sub-line-to-line` and the ActionLine-facilitated shape; `wsis:supportsTarget`, for
`target-to-goal` when a target's goal changes). So:

- `inferred`: the rules are run over that neighbourhood of the changed triples' nodes, before and
  after the change; what was derivable before but no longer is leaves `inferred`, what is
  derivable now and not asserted joins it (delete and re-derive, on a few thousand triples).
- validation: every subject of a changed triple (asserted, inferred or dataset), and every node
  pointing at a node that lost triples, is checked with its neighbourhood and the ontology, through
  the same validate API a full build uses; only those nodes are reported.

tests/test_update.py checks that an incremental build holds exactly the quads a full build of the
same inputs holds, for additions, replacements and removals. A change that touches the vocabulary
the rules read (an ontology-level triple), or that is a large part of the store (LARGE_CHANGE), goes
to a full build instead.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from wsisgraph.core.namespaces import (
    DATASET_GRAPH,
    DATASET_IRI,
    DCTERMS,
    INFERRED_GRAPH,
    OWL,
    RDF,
    RDFS,
    SKOS,
    W,
    graph_iri,
)
from wsisgraph.graph import build, reason, store, tallies, validate
from wsisgraph.sources.inputs import Input, discover_inputs, input_label

INFERENCE_UPSTREAM = (SKOS.broader, W.supportsTarget)
VALIDATION_UPSTREAM = (SKOS.broader,)
# Triples that change what the rules or shapes mean: a graph holding one is never applied incrementally.
VOCABULARY = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf)
# A change of more than 1/LARGE_CHANGE of the store is built in full: the neighbourhood of every
# touched node is then most of the store, and validating it node by node costs more than one pass
# (a 10,000-row activity list into the shipped graph: 464 s incrementally, against about a minute).
LARGE_CHANGE = 4
INFERRED = graph_iri(INFERRED_GRAPH)
DATASET = graph_iri(DATASET_GRAPH)
DEFAULT = DefaultGraph()


@dataclass
class Change:
    """What one graph's change did to the store: its asserted triples removed and added."""

    removed: set[Triple]
    added: set[Triple]


# Called with an incremental build before it is swapped in: the build it was made from (folder), the
# new build's store and folder, and the nodes whose triples in the default graph may have changed.
OnUpdate = Callable[[Path, Store, Path, set], None]


def update(location: Path, names: Iterable[str], write: Callable[[], None], root: Path | None = None,
           on_phase: Callable[[str], None] = lambda phase: None,
           on_update: OnUpdate = lambda before, store_new, target, touched: None,
           on_built: Callable[[Store, Path], None] = lambda built, folder: None) -> build.BuildReport:
    """Call `write` (which adds, replaces or removes the input files of the graphs `names`), then
    bring the store up to date: incrementally when the current build is the build of the inputs
    as they were before `write`, else by a full build (`on_update` is called for an incremental
    one, `on_built` for a full one, as `build.build` calls it). The caller holds the build lock and
    puts its files back when this raises."""
    before = build.input_digest(discover_inputs(root, location), location)
    info = store.current_info(location)
    write()
    inputs = discover_inputs(root, location)
    current = info is not None and info.get("digest") == before and isinstance(info.get("graphs"), dict)
    if not current:
        return build.build(location, root=root, on_built=on_built)
    by_graph = {item.graph: item for item in inputs}
    fresh = {name: build.load_inputs([by_graph[name]], lambda graph, count: None)[name] if name in by_graph else None
             for name in names}
    counts = dict(info["graphs"])
    changed = sum(len(triples) if triples is not None else counts.get(name, 0) for name, triples in fresh.items())
    if changed * LARGE_CHANGE > sum(counts.values()):
        return build.build(location, root=root, on_built=on_built)
    done = apply(location, fresh, inputs, counts, on_phase, on_update)
    return done if done is not None else build.build(location, root=root, on_built=on_built)


def apply(location: Path, fresh: dict[str, list[Triple] | None], inputs: list[Input], counts: dict[str, int],
          on_phase: Callable[[str], None], on_update: OnUpdate) -> build.BuildReport | None:
    """Make the new build from a checkpoint of the current one (see the module's docstring); None
    when the change touches the vocabulary the rules read (the caller builds in full)."""
    reading = store.open_current(location)
    try:
        if touches_vocabulary(reading.store, fresh):
            return None
        target = store.checkpoint_build(location, reading.store)
        try:
            store_new = Store(str(target))
            on_phase("applying the changed graphs")
            changes = {name: replace_graph(store_new, graph_iri(name), triples or [])
                       for name, triples in fresh.items()}
            for name, triples in fresh.items():
                if triples is None:  # removed: the graph's name goes too, as a full build would not have it
                    store_new.remove_graph(graph_iri(name))
            removed = {t for change in changes.values() for t in change.removed}
            added = {t for change in changes.values() for t in change.added}
            sync_default_graph(store_new, removed, added)
            on_phase("updating the inferred graph")
            inferred = update_inferred(reading.store, store_new, removed | added, added)
            for name, triples in fresh.items():  # each graph now holds exactly its set of triples
                counts.pop(name, None)
                if triples is not None:
                    counts[name] = len(set(triples))
            counts[INFERRED_GRAPH] += len(inferred.added) - len(inferred.removed)
            digest = build.input_digest(inputs, location)
            dataset = describe(store_new, counts, digest, removed, added)
            counts[DATASET_GRAPH] += len(dataset.added) - len(dataset.removed)
            on_phase("validating the changed nodes")
            report = check(store_new, [*changes.values(), inferred, dataset], removed, inputs)
            if not report.conforms:
                adding = any(triples is not None for triples in fresh.values())
                what = ("the ingested graph breaks the shapes; nothing was written" if adding
                        else "removing it would break the shapes; nothing was removed")
                raise validate.ValidationFailed(report, what)
            touched = {t.subject for change in (*changes.values(), dataset) for t in change.removed | change.added}
            on_update(reading.build, store_new, target, touched)
            store_new.flush()
            del store_new
            store.write_marker(target, {"stamp": target.name, "digest": digest, "graphs": counts})
        except BaseException:
            store.discard(target)
            raise
    finally:
        reading.close()
    store.swap_in(location, target)
    return build.BuildReport(location, counts, validation=report)


def touches_vocabulary(current: Store, fresh: dict[str, list[Triple] | None]) -> bool:
    """Whether a changed graph, before or after, holds a triple that changes what the rules mean."""
    if any(t.predicate in VOCABULARY for triples in fresh.values() for t in triples or ()):
        return True
    return any(next(iter(current.quads_for_pattern(None, predicate, None, graph_iri(name))), None) is not None
               for name in fresh for predicate in VOCABULARY)


def store_triples(source: Store, graph: NamedNode | DefaultGraph, subject=None, predicate=None,
                  obj=None) -> Iterable[Triple]:
    return (q.triple for q in source.quads_for_pattern(subject, predicate, obj, graph))


def replace_graph(target: Store, graph: NamedNode, triples: list[Triple]) -> Change:
    """Make `graph` hold exactly `triples`, touching only what differs."""
    old = set(store_triples(target, graph))
    new = set(triples)
    removed, added = old - new, new - old
    for t in removed:
        target.remove(Quad(t.subject, t.predicate, t.object, graph))
    target.extend(Quad(t.subject, t.predicate, t.object, graph) for t in added)
    return Change(removed, added)


def asserted_elsewhere(source: Store, t: Triple) -> bool:
    """Whether a named graph other than `inferred` holds the triple (the default graph is our copy)."""
    return any(not isinstance(q.graph_name, DefaultGraph) and q.graph_name != INFERRED
               for q in source.quads_for_pattern(t.subject, t.predicate, t.object))


def sync_default_graph(target: Store, removed: set[Triple], added: set[Triple]) -> None:
    """The default graph is the set of asserted triples: a removed triple stays while another graph
    asserts it."""
    for t in removed - added:
        if not asserted_elsewhere(target, t):
            target.remove(Quad(t.subject, t.predicate, t.object, DEFAULT))
    target.extend(Quad(t.subject, t.predicate, t.object, DEFAULT) for t in added)


def neighbourhood(source: Store, centres: set, upstream_of: set, upstream: Iterable[NamedNode],
                  graph: NamedNode | DefaultGraph | None) -> set[Quad]:
    """The quads the rules or shapes read about `centres`: their own, those of the nodes they point
    at, and, for the nodes in `upstream_of`, the nodes pointing at them through `upstream` with
    their own quads. `graph`: one graph, or None for every graph."""
    out: set[Quad] = set()
    own = set(centres)
    for node in upstream_of:
        for predicate in upstream:
            own.update(q.subject for q in source.quads_for_pattern(None, predicate, node, graph))
    for node in own:
        out.update(source.quads_for_pattern(node, None, None, graph))
    pointed = {q.object for q in out if not isinstance(q.object, Literal)} - own
    for node in pointed:
        out.update(source.quads_for_pattern(node, None, None, graph))
    return out


def nodes(triples: Iterable[Triple]) -> tuple[set, set]:
    """(subjects, every subject and non-literal object) of some triples."""
    triples = list(triples)
    subjects = {t.subject for t in triples}
    return subjects, subjects | {t.object for t in triples if not isinstance(t.object, Literal)}


def ontology_triples(source: Store) -> list[Triple]:
    return list(store_triples(source, graph_iri("ontology")))


def derivable(source: Store, centres: set, subjects: set) -> set[Triple]:
    """What the rules derive from the asserted neighbourhood of `centres` (and the ontology)."""
    local = [q.triple for q in neighbourhood(source, centres, subjects, INFERENCE_UPSTREAM, DEFAULT)]
    return set(reason.materialise([ontology_triples(source), local]).triples)


def update_inferred(before: Store, target: Store, changed: set[Triple], added: set[Triple]) -> Change:
    """Delete and re-derive `inferred` around the changed asserted triples."""
    subjects, centres = nodes(changed)
    now = derivable(target, centres, subjects)
    # the rules are monotone: when triples were only added, nothing derivable before is lost
    was = derivable(before, centres, subjects) if changed - added else set()
    gone = {t for t in was - now if Quad(t.subject, t.predicate, t.object, INFERRED) in target}
    gone |= {t for t in added if Quad(t.subject, t.predicate, t.object, INFERRED) in target}  # now asserted
    new = {t for t in now if Quad(t.subject, t.predicate, t.object, INFERRED) not in target
           and Quad(t.subject, t.predicate, t.object, DEFAULT) not in target}
    for t in gone:
        target.remove(Quad(t.subject, t.predicate, t.object, INFERRED))
    target.extend(Quad(t.subject, t.predicate, t.object, INFERRED) for t in new)
    return Change(gone, new)


def describe(target: Store, counts: dict[str, int], digest: str, removed: set[Triple],
             added: set[Triple]) -> Change:
    """The `dataset` graph again, as `build.describe_dataset` writes it for a full build; its
    sources are the old ones, less those nothing refers to any more, plus those the change adds."""
    dataset = NamedNode(DATASET_IRI)
    sources = {t.object for t in store_triples(target, DATASET, dataset, DCTERMS.source)}
    maybe_gone = {t.object for t in removed if t.predicate == W.inDocument}
    maybe_gone |= {t.subject for t in removed if t.predicate == RDF.type and t.object == W.ReferenceSource}
    for node in maybe_gone:
        used = next(iter(target.quads_for_pattern(None, W.inDocument, node, DEFAULT)), None) is not None
        typed = Quad(node, RDF.type, W.ReferenceSource, DEFAULT) in target
        if not (used or typed):
            sources.discard(node)
    sources |= {t.object for t in added if t.predicate == W.inDocument and isinstance(t.object, NamedNode)}
    sources |= {t.subject for t in added if t.predicate == RDF.type and t.object == W.ReferenceSource
                and isinstance(t.subject, NamedNode)}
    version = [t for t in ontology_triples(target) if t.predicate in (OWL.versionIRI, OWL.versionInfo)]
    others = {name: count for name, count in counts.items() if name != DATASET_GRAPH}
    triples = build.describe_dataset(others, digest, version, sorted(sources, key=lambda node: node.value),
                                     recount(target, removed | added))
    change = replace_graph(target, DATASET, triples)
    sync_default_graph(target, change.removed, change.added)
    return change


def recount(target: Store, changed: set[Triple]) -> list[tallies.Tally]:
    """The alignment tallies after the change: the bases of the alignments it touches are counted
    again in the new store, the others' tallies are kept from the current description."""
    touched = {t.subject for t in changed if t.predicate in tallies.COUNTED}
    bases = {t.object for t in changed if t.predicate == W.basis}
    bases |= {q.object for node in touched for q in target.quads_for_pattern(node, W.basis, None, DEFAULT)}
    kept = [tally for tally in tallies.read(store_triples(target, DATASET))
            if NamedNode(tally.basis) not in bases]
    return kept + tallies.count(target, bases)


def check(target: Store, changes: list[Change], removed: set[Triple], inputs: list[Input]) -> validate.ValidationReport:
    """Validate the nodes the change touches (see the module's docstring), reporting only them."""
    subjects = {t.subject for change in changes for t in change.removed | change.added}
    lost = {t.subject for t in removed}
    pointing = {q.subject for node in lost for q in target.quads_for_pattern(None, None, node, DEFAULT)}
    focus = subjects | pointing
    quads = neighbourhood(target, focus, focus, VALIDATION_UPSTREAM, None)
    labels = {item.graph: input_label(item) for item in inputs}
    names = {graph_iri(name).value: label for name, label in labels.items()}
    graphs: dict[str, list[Triple]] = {labels["ontology"]: ontology_triples(target)}
    described: set[str] = set()
    for q in quads:
        if isinstance(q.graph_name, DefaultGraph):
            continue
        name = names.get(q.graph_name.value, q.graph_name.value.rsplit("/graph/", 1)[-1])
        graphs.setdefault(name, []).append(q.triple)
        if q.subject in focus:
            described.add(name)
    focus_graphs = {name: [t for t in graphs[name] if t.subject in focus] for name in described}
    context = {f"context of {name}": [t for t in triples if t.subject not in focus] for name, triples in graphs.items()}
    everything = {**context, **focus_graphs}
    return validate.validate_graphs(everything, report_files=sorted(focus_graphs))

