"""`wsisgraph diff OLD NEW`: what changed between two versions of the graph, for people and for tools.

OLD and NEW are release folders (their N-Quads dump is read), store locations (the published
graphs of the current build) or dump files (.trig .nq .ttl .nt .jsonld .rdf, gzipped or not; a
triple format is one `default` graph). The answer has two layers: above, what a person reads
(alignments added or removed with their basis and paragraph, labels changed, new or removed
documents, resolutions and meetings, facts whose source passage changed); below, the triples added
and removed per named graph.

Blank nodes are matched by content, never by label: each graph is put in canonical form with
RDFC-1.0 (pyoxigraph's `Dataset.canonicalize`), and a blank node whose surroundings are unique in
its graph (its first-degree description, as RDFC-1.0 hashes it) is then named by that content, so
adding one reified statement does not renumber every other. An unchanged graph always diffs empty.
"""

import contextlib
import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from wsisgraph import export
from wsisgraph.core.errors import InputError, WsisgraphError
from wsisgraph.core.languages import FALLBACK, best_label
from wsisgraph.core.namespaces import (
    DCAT,
    DCTERMS,
    EXPORT_PREFIXES,
    RDF,
    RDFS,
    SKOS,
    Namespace,
    W,
    compact,
    graph_iri,
    graph_name,
)
from wsisgraph.graph import store

FORMATS = ("text", "json", "turtle")
DEFAULT = "default"  # the graph of a triple-format dump
SUFFIXES = {".trig": RdfFormat.TRIG, ".nq": RdfFormat.N_QUADS, ".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES,
            ".jsonld": RdfFormat.JSON_LD, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML,
            ".xml": RdfFormat.RDF_XML}
RELEASE_DUMP = "wsisgraph.nq"
LABELS = (SKOS.prefLabel, RDFS.label, DCTERMS.title, SKOS.altLabel)
BASIS = {W.WSISSDGMatrix: "matrix", W.ReportStatement: "report", W.CuratorJudgement: "curator"}
# Summary sections for new and removed nodes: (heading word, class whose instances count, subclasses too).
NODE_KINDS = (("documents", W.Document), ("resolutions", W.Resolution), ("meetings", W.Meeting))
# How a record of one relation names it: wsis:SourcedStatement (the report's records), rdf:Statement (older data).
STATEMENT_POINTERS = ((W.SourcedStatement, (W.statementSubject, W.statementProperty, W.statementObject)),
                      (RDF.Statement, (RDF.subject, RDF.predicate, RDF.object)))
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CS = Namespace("http://purl.org/vocab/changeset/schema#")


@dataclass(frozen=True)
class Snapshot:
    """One side of a diff: a name for people and its triples per graph, blank nodes canonical."""

    name: str
    graphs: dict[str, frozenset[Triple]]


@dataclass(frozen=True)
class Item:
    """One line of the summary: the node it is about and what a person reads."""

    iri: str
    text: str


@dataclass
class GraphChange:
    graph: str
    added: list[Triple]
    removed: list[Triple]


@dataclass
class Diff:
    old: str
    new: str
    graphs: list[GraphChange]
    summary: dict[str, list[Item]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.graphs


# --- reading the two sides ----------------------------------------------------------------------


def canonical(triples: Iterable[Triple]) -> frozenset[Triple]:
    """The triples with blank nodes renamed by content (see the module docstring)."""
    triples = set(triples)
    if not any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
        return frozenset(triples)
    dataset = Dataset(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    triples = {Triple(q.subject, q.predicate, q.object) for q in dataset}
    around: dict[BlankNode, list[Triple]] = defaultdict(list)
    for t in triples:
        for node in {t.subject, t.object}:
            if isinstance(node, BlankNode):
                around[node].append(t)
    hashes = {node: first_degree_hash(node, found) for node, found in around.items()}
    seen: dict[str, int] = defaultdict(int)
    for digest in hashes.values():
        seen[digest] += 1
    names = {node: BlankNode("h" + digest[:24]) if seen[digest] == 1 else node for node, digest in hashes.items()}

    def rename(term):
        return names.get(term, term) if isinstance(term, BlankNode) else term

    return frozenset(Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples)


def first_degree_hash(node: BlankNode, triples: list[Triple]) -> str:
    """RDFC-1.0's first-degree hash: the node's triples, itself as _:a and other blank nodes as _:z."""
    def term(value) -> str:
        if isinstance(value, BlankNode):
            return "_:a" if value == node else "_:z"
        return str(value)

    lines = sorted(f"{term(t.subject)} {t.predicate} {term(t.object)} .\n" for t in triples)
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def from_quads(name: str, quads: Iterable[Quad]) -> Snapshot:
    graphs: dict[str, list[Triple]] = defaultdict(list)
    for q in quads:
        key = DEFAULT if isinstance(q.graph_name, DefaultGraph) else graph_name(q.graph_name.value)
        graphs[key].append(Triple(q.subject, q.predicate, q.object))
    return Snapshot(name, {key: canonical(triples) for key, triples in sorted(graphs.items())})


def from_store(reader: Store, name: str) -> Snapshot:
    """The graphs a store publishes (all but `inferred`), as a release or an export holds them."""
    graphs = export.select_graphs(reader, None, inferred=False)
    return from_quads(name, (q for g in graphs for q in reader.quads_for_pattern(None, None, None, graph_iri(g))))


def read_dump(path: Path) -> Snapshot:
    """A dump file by its extension (under .gz when compressed); syntax errors are one line."""
    inner = path.with_suffix("") if path.suffix == ".gz" else path
    rdf_format = SUFFIXES.get(inner.suffix)
    if rdf_format is None:
        raise WsisgraphError(f"{path}: not a release folder, a store or an RDF dump "
                             f"({', '.join(SUFFIXES)}, optionally .gz)")
    try:
        payload = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return from_quads(str(path), parse(payload, format=rdf_format))
    except SyntaxError as exc:
        raise InputError.from_syntax(str(path), exc) from exc
    except (OSError, gzip.BadGzipFile) as exc:
        raise InputError(str(path), None, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from exc


def release_name(folder: Path) -> str:
    """"release V" from the folder's description (dcat:version), else the folder's name."""
    with contextlib.suppress(OSError, SyntaxError):
        for t in parse(path=str(folder / "void.ttl"), format=RdfFormat.TURTLE):
            if t.predicate == DCAT.version:
                return f"release {t.object.value}"
    return f"release {folder.name}"


def load(path: Path) -> Snapshot:
    """A release folder, a store location or a dump file."""
    if path.is_dir() and (path / RELEASE_DUMP).is_file():
        return Snapshot(release_name(path), read_dump(path / RELEASE_DUMP).graphs)
    if path.is_dir() and store.exists(path):
        reading = store.open_current(path)
        try:
            return from_store(reading.store, str(path))
        finally:
            reading.close()
    if path.is_dir():
        raise WsisgraphError(f"{path}: neither a release folder (no {RELEASE_DUMP}) nor a built store")
    if not path.exists():
        raise WsisgraphError(f"{path}: no such file or folder")
    return read_dump(path)


# --- comparing ------------------------------------------------------------------------------------


class View:
    """The union of a snapshot's graphs, indexed by subject, for describing nodes in the summary."""

    def __init__(self, snapshot: Snapshot):
        self.by_subject: dict[object, list[Triple]] = defaultdict(list)
        for triples in snapshot.graphs.values():
            for t in triples:
                self.by_subject[t.subject].append(t)

    def values(self, subject, predicate: NamedNode) -> list:
        return sorted({t.object for t in self.by_subject.get(subject, ()) if t.predicate == predicate}, key=str)

    def instances(self, cls: NamedNode) -> set:
        """Subjects typed with `cls` or a subclass the snapshot's ontology declares."""
        classes, frontier = {cls}, [cls]
        children: dict[object, set] = defaultdict(set)
        for triples in self.by_subject.values():
            for t in triples:
                if t.predicate == RDFS.subClassOf:
                    children[t.object].add(t.subject)
        while frontier:
            for child in children[frontier.pop()] - classes:
                classes.add(child)
                frontier.append(child)
        return {s for s, triples in self.by_subject.items()
                if any(t.predicate == RDF.type and t.object in classes for t in triples)}

    def name(self, node) -> str:
        """How a person knows a node: its code, else its English (or any) label, else a short IRI."""
        codes = self.values(node, SKOS.notation)
        if codes:
            return codes[0].value
        labels = [(p.value, v) for p in LABELS for v in self.values(node, p) if isinstance(v, Literal)]
        best = best_label(labels, FALLBACK, [p.value for p in LABELS])
        if best is not None:
            return best.value
        return compact(node.value) if isinstance(node, NamedNode) else str(node)

    def paragraphs(self, node) -> str:
        found = [self.values(p, W.paragraph) for p in self.values(node, W.sourcePassage)]
        return ", ".join(f"¶{v[0].value}" for v in found if v)


def describe_alignment(view: View, node) -> str:
    """"C5 → 16.10, basis report, ¶3.4"."""
    ends = [view.name(v) for p in (W.alignmentSubject, W.alignmentObject) for v in view.values(node, p)[:1]]
    text = " → ".join(ends) or view.name(node)
    basis = [BASIS.get(b, view.name(b)) for b in view.values(node, W.basis)]
    if basis:
        text += ", basis " + " and ".join(basis)
    where = view.paragraphs(node)
    return text + (f", {where}" if where else "")


def sources(view: View) -> dict[tuple, frozenset]:
    """The passages behind each fact: a sourced (or reified) statement's (s, p, o), or a node's own."""
    out: dict[tuple, frozenset] = {}
    for subject, triples in view.by_subject.items():
        passages = frozenset(t.object for t in triples if t.predicate == W.sourcePassage)
        if not passages:
            continue
        kinds = {t.object for t in triples if t.predicate == RDF.type}
        pointers = next((p for cls, p in STATEMENT_POINTERS if cls in kinds), None)
        key = (subject,) if pointers is None else tuple(next(iter(view.values(subject, p)), None) for p in pointers)
        out[key] = out.get(key, frozenset()) | passages
    return out


def fact_text(view: View, key: tuple) -> str:
    if len(key) == 1:
        return view.name(key[0])
    subject, predicate, obj = key
    shown = view.name(obj) if isinstance(obj, NamedNode | BlankNode) else f'"{obj.value}"'
    return f"{view.name(subject)} {compact(predicate.value) if predicate else '?'} {shown}"


def passage_names(view: View, passages: frozenset) -> str:
    names = sorted(f"¶{v[0].value}" if (v := view.values(p, W.paragraph)) else view.name(p) for p in passages)
    return ", ".join(names) or "none"


def summarise(old: Snapshot, new: Snapshot) -> dict[str, list[Item]]:
    """What a person reads above the triples; empty sections are left out."""
    before, after = View(old), View(new)
    out: dict[str, list[Item]] = {}
    aligned_before, aligned_after = before.instances(W.Alignment), after.instances(W.Alignment)
    out["alignments added"] = [Item(n.value, describe_alignment(after, n)) for n in aligned_after - aligned_before
                               if isinstance(n, NamedNode)]
    out["alignments removed"] = [Item(n.value, describe_alignment(before, n)) for n in aligned_before - aligned_after
                                 if isinstance(n, NamedNode)]
    out["labels changed"] = labels_changed(before, after)
    for word, cls in NODE_KINDS:
        was, now = before.instances(cls), after.instances(cls)
        if cls == W.Document:  # resolutions and meetings have lines of their own
            was, now = was - before.instances(W.Resolution), now - after.instances(W.Resolution)
        out[f"new {word}"] = [Item(n.value, after.name(n)) for n in now - was if isinstance(n, NamedNode)]
        out[f"removed {word}"] = [Item(n.value, before.name(n)) for n in was - now if isinstance(n, NamedNode)]
    out["facts whose source passage changed"] = passages_changed(before, after)
    return {title: sorted(items, key=lambda i: (i.text, i.iri)) for title, items in out.items() if items}


def labels_changed(before: View, after: View) -> list[Item]:
    items = []
    for subject in before.by_subject.keys() & after.by_subject.keys():
        if not isinstance(subject, NamedNode):
            continue
        for predicate in LABELS:
            was = {v.language: v.value for v in before.values(subject, predicate) if isinstance(v, Literal)}
            now = {v.language: v.value for v in after.values(subject, predicate) if isinstance(v, Literal)}
            for language in sorted(was.keys() | now.keys()):
                if was.get(language) != now.get(language):
                    tag = f"@{language}" if language else ""
                    items.append(Item(subject.value, f"{after.name(subject)} {compact(predicate.value)}{tag}: "
                                                     f"{quoted(was.get(language))} → {quoted(now.get(language))}"))
    return items


def quoted(text: str | None) -> str:
    return "(none)" if text is None else json.dumps(text, ensure_ascii=False)


def passages_changed(before: View, after: View) -> list[Item]:
    was, now = sources(before), sources(after)
    items = [Item(str(key[0].value), f"{fact_text(after, key)}: {passage_names(before, was[key])} → "
                                     f"{passage_names(after, now[key])}")
             for key in was.keys() & now.keys() if was[key] != now[key] and isinstance(key[0], NamedNode)]
    texts = after.instances(W.SourcePassage) & before.instances(W.SourcePassage)
    items += [Item(p.value, f"{after.name(p)}: its text changed") for p in texts
              if isinstance(p, NamedNode) and before.values(p, W.text) != after.values(p, W.text)]
    return items


def triple_key(t: Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def compare(old: Snapshot, new: Snapshot) -> Diff:
    changes = []
    for name in sorted(old.graphs.keys() | new.graphs.keys()):
        was, now = old.graphs.get(name, frozenset()), new.graphs.get(name, frozenset())
        if was != now:
            changes.append(GraphChange(name, sorted(now - was, key=triple_key), sorted(was - now, key=triple_key)))
    return Diff(old.name, new.name, changes, summarise(old, new) if changes else {})


# --- writing ---------------------------------------------------------------------------------------


def short(term) -> str:
    """A term as in Turtle, prefixed where a prefix fits."""
    if isinstance(term, NamedNode):
        shown = compact(term.value)
        return shown if shown != term.value else str(term)
    if isinstance(term, Literal) and not term.language and term.datatype.value != XSD_STRING:
        return f"{json.dumps(term.value, ensure_ascii=False)}^^{short(term.datatype)}"
    return str(term)


def counts_lines(found: Diff) -> list[str]:
    width = max([len("graph"), *(len(g.graph) for g in found.graphs)])
    lines = [f"{'graph':<{width}}  {'added':>7}  {'removed':>7}"]
    lines += [f"{g.graph:<{width}}  {len(g.added):>7}  {len(g.removed):>7}" for g in found.graphs]
    return lines


def summary_lines(found: Diff) -> list[str]:
    lines = []
    for title, items in found.summary.items():
        sign = "-" if "removed" in title else "+" if ("added" in title or title.startswith("new")) else "~"
        lines.append(f"{title} ({len(items)}):")
        lines += [f"  {sign} {item.text}  <{item.iri}>" for item in items]
    return lines


def headline(found: Diff) -> str:
    if found.empty:
        return f"no differences between {found.old} and {found.new}"
    added = sum(len(g.added) for g in found.graphs)
    removed = sum(len(g.removed) for g in found.graphs)
    return (f"{found.old} → {found.new}: {added} triples added, {removed} removed, "
            f"in {len(found.graphs)} graph{'s' if len(found.graphs) != 1 else ''}")


def to_text(found: Diff) -> str:
    lines = [headline(found)]
    if not found.empty:
        lines += ["", *summary_lines(found), "", "triples per named graph:", *counts_lines(found)]
        for change in found.graphs:
            lines += ["", f"graph {change.graph}:"]
            lines += [f"  + {short(t.subject)} {short(t.predicate)} {short(t.object)} ." for t in change.added]
            lines += [f"  - {short(t.subject)} {short(t.predicate)} {short(t.object)} ." for t in change.removed]
    return "\n".join(lines) + "\n"


def to_json(found: Diff) -> str:
    document = {
        "old": found.old,
        "new": found.new,
        "summary": {title: [{"iri": i.iri, "text": i.text} for i in items] for title, items in found.summary.items()},
        "graphs": [{"graph": g.graph, "added": len(g.added), "removed": len(g.removed),
                    "added_triples": [f"{t} ." for t in g.added],
                    "removed_triples": [f"{t} ." for t in g.removed]} for g in found.graphs],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_turtle(found: Diff) -> str:
    """One cs:ChangeSet (the Talis Changeset vocabulary) per changed graph, each added and removed triple
    a reified rdf:Statement; the summary is the change reason."""
    out: list[Triple] = []
    reason = "\n".join(summary_lines(found))
    for number, change in enumerate(found.graphs):
        node = BlankNode(f"changes{number}")
        subject = NamedNode(graph_iri(change.graph).value) if change.graph != DEFAULT else NamedNode(
            "urn:wsisgraph:default-graph")
        out += [Triple(node, RDF.type, CS.ChangeSet), Triple(node, CS.subjectOfChange, subject),
                Triple(node, RDFS.label, Literal(f"graph {change.graph}: {len(change.added)} added, "
                                                 f"{len(change.removed)} removed", language="en"))]
        if reason:
            out.append(Triple(node, CS.changeReason, Literal(reason, language="en")))
        for kind, triples in ((CS.addition, change.added), (CS.removal, change.removed)):
            for index, t in enumerate(triples):
                statement = BlankNode(f"c{number}-{kind.value.rsplit('#', 1)[1]}{index}")
                out += [Triple(node, kind, statement), Triple(statement, RDF.type, RDF.Statement),
                        Triple(statement, RDF.subject, t.subject), Triple(statement, RDF.predicate, t.predicate),
                        Triple(statement, RDF.object, t.object)]
    prefixes = {**EXPORT_PREFIXES, "cs": CS.base}
    return serialize(out, format=RdfFormat.TURTLE, prefixes=prefixes).decode()


def render(found: Diff, fmt: str) -> str:
    return {"text": to_text, "json": to_json, "turtle": to_turtle}[fmt](found)


def changes_markdown(found: Diff) -> str:
    """CHANGES.md of a release: the summary and the counts (`wsisgraph diff` lists every triple)."""
    lines = ["# Changes", "", headline(found)]
    if not found.empty:
        for title, items in found.summary.items():
            lines += ["", f"## {title[0].upper()}{title[1:]} ({len(items)})", ""]
            lines += [f"- {item.text} (<{item.iri}>)" for item in items]
        lines += ["", "## Triples per named graph", "", "| graph | added | removed |", "|---|---:|---:|"]
        lines += [f"| {g.graph} | {len(g.added)} | {len(g.removed)} |" for g in found.graphs]
        lines += ["", "Every triple: `wsisgraph diff OLD NEW` (text, `--format json` or `--format turtle`)."]
    return "\n".join(lines) + "\n"

