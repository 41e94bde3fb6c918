"""Generate a synthetic graph shaped like the real one, for benchmarks at scale.

    python benchmarks/generate.py --triples 100k --seed 1 -o /tmp/bench-100k.ttl

The output holds the real graph exactly as `wsisgraph build` makes it (ontology, SDG framework,
action lines, WSIS-SDG Matrix, whatever else the build writes), plus N triples of synthetic ITU
activities in the named graph `synthetic/activities`. Users will add thousands of activities (the
WSIS Stocktaking alone lists many thousands of projects), so activities are what grows.

Each activity is a wsis:ITUActivity with English labels, a description, 1-3 action lines it is
aligned with, 1-4 SDG targets it supports (mostly targets its action lines support in the Matrix,
as real projects do), a lead organisation, a date in its year and a source passage: a numbered
paragraph of a synthetic yearly stocktaking document. Each target link is also a qualified
wsis:Alignment (basis: a report statement, with the passage), like the real links. Everything
synthetic has `synthetic` in its IRI and label, so it can never be mistaken for a curated fact.

The same --triples and --seed always give the same bytes. The format follows the file name:
.ttl and .nt hold the union of all graphs (what a plain rdflib Graph loads), .trig and .nq keep
the named graphs.
"""

import argparse
import os
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store, Triple

from wsisgraph.core import namespaces
from wsisgraph.core.namespaces import DCTERMS, RDF, RDFS, SKOS, XSD, W, entity, graph_iri
from wsisgraph.core.output import write_atomic
from wsisgraph.graph import build, export, reason, tallies

ACTIVITY_GRAPH = "synthetic/activities"
FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nq"}  # file extension -> export format
FIRST_YEAR, LAST_YEAR = 2005, 2025
PARAGRAPHS_PER_DOCUMENT = 400
ORGANISATIONS_PER_ACTIVITY = 25  # one synthetic lead organisation per this many activities, on average
MATRIX_BIAS = 0.7  # chance that an activity's target is one its action lines support in the Matrix

WORDS = (
    "digital", "skills", "rural", "broadband", "connectivity", "women", "youth", "school", "health",
    "records", "telemedicine", "agriculture", "climate", "early", "warning", "cybersecurity", "capacity",
    "building", "open", "data", "e-government", "accessibility", "persons", "with", "disabilities", "small",
    "island", "states", "least", "developed", "countries", "community", "networks", "spectrum", "policy",
    "regulation", "literacy", "libraries", "cultural", "heritage", "media", "ethics", "privacy", "trust",
    "innovation", "entrepreneurship", "financial", "inclusion", "mobile", "payments", "environment",
    "e-waste", "monitoring", "science", "research", "teachers", "training", "platform", "pilot",
)


@dataclass(frozen=True)
class Context:
    """What activities link to: the real action lines, targets and organisations."""

    lines: list[NamedNode]
    targets: list[NamedNode]
    line_targets: dict[NamedNode, list[NamedNode]]
    organisations: list[NamedNode]


def parse_size(text: str) -> int:
    """10k, 1m, 2.5M or a plain integer."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    try:
        value = float(number) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 5000, 10k, 1m)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"size must not be negative: {text!r}")
    return int(value)


def real_graph() -> Store:
    """An in-memory store holding exactly what `wsisgraph build` writes."""
    memory = Store()
    memory.bulk_extend(built_quads())
    return memory


@cache
def built_quads() -> tuple[Quad, ...]:
    """Every quad of a fresh build (once per process: a build validates and reasons, seconds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch or "0"  # a fixed build time: the same arguments give the same bytes
    try:
        with tempfile.TemporaryDirectory(prefix="wsisgraph-bench-build-") as location:
            build.build(Path(location))
            built = Store.read_only(str(Path(location) / "current"))
            quads = tuple(built.quads_for_pattern(None, None, None, None))
            del built
    finally:
        if epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    return quads


def _iris(store: Store, sparql: str) -> list[NamedNode]:
    return sorted((row[0] for row in store.query(sparql, use_default_graph_as_union=True)), key=str)


def read_context(store: Store) -> Context:
    """The action lines, targets, Matrix links and organisations of the real graph, in stable order."""
    prefix = "PREFIX wsis: <https://w3id.org/wsisgraph/ontology#> "
    lines = _iris(store, prefix + "SELECT DISTINCT ?s { ?s a wsis:ActionLine }")
    targets = _iris(store, prefix + "SELECT DISTINCT ?s { ?s a wsis:SDGTarget }")
    organisations = _iris(store, prefix + "SELECT DISTINCT ?s { ?s a wsis:Organisation }")
    line_targets: dict[NamedNode, list[NamedNode]] = {line: [] for line in lines}
    for row in store.query(prefix + "SELECT ?l ?t { ?l a wsis:ActionLine ; wsis:supportsTarget ?t }",
                           use_default_graph_as_union=True):
        line_targets[row[0]].append(row[1])
    for found in line_targets.values():
        found.sort(key=str)
    if not lines or not targets:
        raise SystemExit("error: the built graph has no action lines or no SDG targets to link activities to")
    return Context(lines, targets, line_targets, organisations)


def _en(text: str) -> Literal:
    return Literal(text, language="en")


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


SOURCE = entity("source", "synthetic-stocktaking")


def synthetic_source() -> Iterator[Triple]:
    """The one reference source every synthetic organisation and document cites."""
    yield Triple(SOURCE, RDF.type, W.ReferenceSource)
    yield Triple(SOURCE, RDFS.label, _en("Synthetic WSIS stocktaking database (benchmark data, not a real source)"))
    yield Triple(SOURCE, W.authority, entity("organisation", "itu"))


def _sourced(node: NamedNode, cls: NamedNode, name: str, name_property: NamedNode) -> Iterator[Triple]:
    """A typed, labelled node citing the synthetic source."""
    yield Triple(node, RDF.type, cls)
    yield Triple(node, RDFS.label, _en(name))
    yield Triple(node, name_property, _en(name))
    yield Triple(node, W.referenceSource, SOURCE)


def synthetic_organisations(rng: random.Random, count: int) -> Iterator[Triple]:
    for number in range(1, count + 1):
        yield from _sourced(entity("organisation", f"synthetic-{number:06d}"), W.Organisation,
                            f"Synthetic organisation {number} for {_phrase(rng, 2)}", SKOS.prefLabel)


def document(year: int, volume: int) -> Iterator[Triple]:
    yield from _sourced(entity("document", f"synthetic-stocktaking-{year}-{volume}"), W.Document,
                        f"Synthetic WSIS stocktaking report {year}, volume {volume}", DCTERMS.title)


def activity(rng: random.Random, number: int, context: Context, organisations: list[NamedNode],
             year: int, passage: NamedNode) -> Iterator[Triple]:
    """One activity with its links, its source passage and a qualified alignment per target."""
    node = entity("activity", f"synthetic-{number:07d}")
    topic = _phrase(rng, 3)
    label = f"Synthetic activity {number}: {topic}"
    lines = rng.sample(context.lines, rng.randint(1, 3))
    wanted = rng.randint(1, 4)
    targets: list[NamedNode] = []
    while len(targets) < wanted:
        supported = context.line_targets[rng.choice(lines)]
        pool = supported if supported and rng.random() < MATRIX_BIAS else context.targets
        choice = rng.choice(pool)
        if choice not in targets:
            targets.append(choice)
    yield Triple(node, RDF.type, W.ITUActivity)
    yield Triple(node, RDFS.label, _en(label))
    yield Triple(node, SKOS.prefLabel, _en(label))
    yield Triple(node, DCTERMS.description, _en(f"A synthetic activity on {topic} and {_phrase(rng, 6)}."))
    yield Triple(node, W.organisedBy, rng.choice(organisations))
    yield Triple(node, DCTERMS.date, Literal(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                             datatype=XSD.date))
    yield Triple(node, W.sourcePassage, passage)
    for line in lines:
        yield Triple(node, W.alignedWith, line)
    for target in targets:
        yield Triple(node, W.supportsTarget, target)
        alignment = entity("alignment/synthetic", f"{number:07d}--{target.value.rsplit('/', 1)[-1]}")
        yield Triple(alignment, RDF.type, W.Alignment)
        yield Triple(alignment, RDFS.label, _en(f"Synthetic activity {number} supports target "
                                                f"{target.value.rsplit('/', 1)[-1]}"))
        yield Triple(alignment, W.alignmentSubject, node)
        yield Triple(alignment, W.alignmentObject, target)
        yield Triple(alignment, W.alignmentProperty, W.supportsTarget)
        yield Triple(alignment, W.basis, W.ReportStatement)
        yield Triple(alignment, W.modality, W.Stated)
        yield Triple(alignment, W.confidence, Literal("1", datatype=XSD.decimal))
        yield Triple(alignment, W.sourcePassage, passage)


def source_passage(rng: random.Random, node: NamedNode, number: int, year: int, volume: int,
                   paragraph: int) -> Iterator[Triple]:
    yield Triple(node, RDF.type, W.SourcePassage)
    yield Triple(node, RDFS.label, _en(f"Synthetic WSIS stocktaking report {year}, volume {volume}, "
                                       f"paragraph {paragraph}"))
    yield Triple(node, W.paragraph, Literal(str(paragraph)))
    yield Triple(node, W.inDocument, entity("document", f"synthetic-stocktaking-{year}-{volume}"))
    yield Triple(node, W.text, _en(f"Activity {number} works on {_phrase(rng, 10)}."))


def _swap(chunk: list[Triple], predicate: NamedNode, new_object, subject=None) -> list[Triple]:
    """The chunk with the first `predicate` triple's object replaced (or the triple dropped, for None)."""
    for index, t in enumerate(chunk):
        if t.predicate == predicate and (subject is None or t.subject == subject):
            rest = chunk[:index] + chunk[index + 1:]
            return rest if new_object is None else [*rest, Triple(t.subject, predicate, new_object(t))]
    return chunk


def _passage_of(chunk: list[Triple]) -> NamedNode:
    return next(t.subject for t in chunk if t.object == W.SourcePassage)


def _alignment_of(chunk: list[Triple]) -> NamedNode:
    return next(t.subject for t in chunk if t.object == W.Alignment)


# Faults for checking validators: each breaks one rule of ontology/shapes.ttl in one activity.
FAULTS: dict[str, Callable[[list[Triple], NamedNode], list[Triple]]] = {
    "label-without-language": lambda c, a: _swap(c, RDFS.label, lambda t: Literal(t.object.value), a),
    "date-as-gyear": lambda c, a: _swap(c, DCTERMS.date, lambda t: Literal(t.object.value[:4], datatype=XSD.gYear)),
    "impossible-date": lambda c, a: _swap(c, DCTERMS.date, lambda t: Literal("2021-02-30", datatype=XSD.date)),
    "target-is-an-action-line": lambda c, a: [
        Triple(t.subject, t.predicate, next(x.object for x in c if x.predicate == W.alignedWith))
        if t.predicate in (W.supportsTarget, W.alignmentObject) else t for t in c],
    "no-source": lambda c, a: _swap(c, W.sourcePassage, None, a),
    "literal-link": lambda c, a: _swap(c, W.alignedWith, lambda t: Literal(t.object.value.rsplit("/", 1)[-1])),
    "confidence-above-one": lambda c, a: _swap(c, W.confidence, lambda t: Literal("1.5", datatype=XSD.decimal)),
    "two-english-preflabels": lambda c, a: [*c, Triple(a, SKOS.prefLabel, _en("Another English label"))],
    "alignment-without-direct-link": lambda c, a: _swap(c, W.supportsTarget, None, a),
    "bad-paragraph": lambda c, a: _swap(c, W.paragraph, lambda t: Literal(f"para {t.object.value}")),
    "passage-in-two-documents": lambda c, a: [*c, *document(1999, 0),
                                              Triple(_passage_of(c), W.inDocument,
                                                     entity("document", "synthetic-stocktaking-1999-0"))],
    "passage-without-document": lambda c, a: _swap(c, W.inDocument, None),
    "no-label": lambda c, a: _swap(_swap(c, RDFS.label, None, a), SKOS.prefLabel, None, a),
    "alignment-without-basis": lambda c, a: _swap(c, W.basis, None, _alignment_of(c)),
}


def activities(n_triples: int, seed: int, context: Context, faults: int = 0) -> list[Triple]:
    """Activities, their passages, documents and organisations, until there are at least n_triples;
    with `faults`, that many activities (spread evenly) each break one rule of the shapes."""
    rng = random.Random(seed)
    out: list[Triple] = []
    if n_triples <= 0:
        return out
    out += synthetic_source()
    expected = max(1, n_triples // 38)  # about 38 triples per activity with its passage and alignments
    organisations = list(context.organisations)
    synthetic = list(synthetic_organisations(rng, max(1, expected // ORGANISATIONS_PER_ACTIVITY)))
    out += synthetic
    organisations += [t.subject for t in synthetic if t.predicate == RDF.type]
    documents: set[tuple[int, int]] = set()
    step = max(1, expected // faults) if faults else 0
    number = 0
    while len(out) < n_triples:
        number += 1
        volume, paragraph = divmod(number - 1, PARAGRAPHS_PER_DOCUMENT)
        year = FIRST_YEAR + volume % (LAST_YEAR - FIRST_YEAR + 1)
        if (year, volume) not in documents:
            documents.add((year, volume))
            out += document(year, volume)
        passage = entity("passage", f"synthetic-stocktaking-{year}-{volume}/{paragraph + 1}")
        chunk = [*activity(rng, number, context, organisations, year, passage),
                 *source_passage(rng, passage, number, year, volume, paragraph + 1)]
        if faults and number % step == 0 and number // step <= faults:
            kind = list(FAULTS)[(number // step - 1) % len(FAULTS)]
            chunk = FAULTS[kind](chunk, chunk[0].subject)
        out += chunk
    return out


def generate(n_triples: int, seed: int, faults: int = 0) -> Store:
    """The real graph plus about n_triples synthetic activity triples, in one in-memory store."""
    store = real_graph()
    graph = graph_iri(ACTIVITY_GRAPH)
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph)
                      for t in activities(n_triples, seed, read_context(store), faults))
    if n_triples > 0:
        rematerialise(store)
    return store


def rematerialise(store: Store) -> None:
    """Redo the build's `inferred` graph over everything, activities included, so that queries
    reading materialised links (target to goal, sub-property, sub-class...) see the activities too."""
    inferred = graph_iri(namespaces.INFERRED_GRAPH)
    skipped = {inferred, graph_iri(namespaces.DATASET_GRAPH)}
    asserted = [[Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, name)]
                for name in store.named_graphs() if name not in skipped]
    derived = reason.materialise(asserted).triples
    store.remove_graph(inferred)
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, inferred) for t in derived)
    retally(store, asserted)


def retally(store: Store, asserted: list[list[Triple]]) -> None:
    """Count the alignment tallies of the dataset description again, activities included, as a build
    of the same data would (`alignment-summary` reads them)."""
    dataset = graph_iri(namespaces.DATASET_GRAPH)
    old = {q.subject for q in store.quads_for_pattern(None, RDF.type, W.AlignmentTally, dataset)}
    for quad in [q for q in store.quads_for_pattern(None, None, None, dataset) if q.subject in old or q.object in old]:
        store.remove(quad)
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, dataset)
                      for t in tallies.describe(tallies.count_triples(asserted), NamedNode(namespaces.DATASET_IRI)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=parse_size, required=True,
                        help="synthetic activity triples to add to the real graph: 5000, 10k, 1m...")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--faults", type=int, default=0,
                        help=f"make this many activities each break one rule of the shapes ({len(FAULTS)} kinds, "
                             "in turn), to check validators; 0 (the default) gives data that conforms")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="output file: .ttl or .nt (union of graphs), .trig or .nq (named graphs)")
    args = parser.parse_args(argv)
    if args.output.suffix not in FORMATS:
        parser.error(f"{args.output}: unknown extension (use one of {', '.join(FORMATS)})")
    store = generate(args.triples, args.seed, args.faults)
    payload = export.serialise(store, FORMATS[args.output.suffix], export.graph_names(store))
    write_atomic(args.output, payload)
    print(f"wrote {args.output}: {len(store)} quads", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
