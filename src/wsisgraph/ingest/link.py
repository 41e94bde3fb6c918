"""Link mentions to the graph's nodes, or mint new nodes with deterministic IRIs.

The same thing is one node whatever the citation form: "PP-14 Resolution 140 (Busan, 2014)" and
"Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference" both resolve to
id/resolution/itu-pp-140, the revision staying on the citation; "CWG-WSIS&SDG-40/INF/4-E" is the
English version of id/document/cwg-wsis-sdg-40-inf-4. IRIs follow README "Identifiers"
(id/{kind}/{key}, keys normalised by namespaces.entity), so a node the graph already has is found
by computing its IRI, and a new one gets the IRI the curators would give it.
"""

import contextlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Store, Triple

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import GRAPH, ID, PREFIXES, RDF, RDFS, SKOS, XSD, W, entity, prologue
from wsisgraph.core.output import write_atomic
from wsisgraph.ingest import patterns
from wsisgraph.ingest.recognise import Mention, Phrase

KIND_OF_CLASS = {
    "Resolution": "resolution", "MeetingDocument": "document", "Report": "document", "Roadmap": "document",
    "Document": "document", "Meeting": "meeting", "ActionLine": "action-line", "SDGGoal": "sdg",
    "SDGTarget": "sdg", "SDGIndicator": "sdg", "Process": "process", "Organisation": "organisation",
    "Event": "event", "ITUActivity": "activity", "Framework": "framework", "ConceptScheme": "sdg",
}
SPECIFIC_FIRST = list(KIND_OF_CLASS)
ITU_BODIES = {  # resolution IRI part -> (organisation key, label of the body)
    "pp": ("itu-plenipotentiary-conference", "ITU Plenipotentiary Conference"),
    "council": ("itu-council", "ITU Council"),
    "wtdc": ("itu-wtdc", "World Telecommunication Development Conference (WTDC)"),
    "wtsa": ("itu-wtsa", "World Telecommunication Standardization Assembly (WTSA)"),
}
UN_BODIES = {"A": ("unga", "United Nations General Assembly (UNGA)"),
             "E": ("ecosoc", "Economic and Social Council (ECOSOC)")}
_LANGUAGE_SUFFIX = re.compile(r"-[EFSARC]$")
_REVISION_SUFFIX = re.compile(r"\((Rev\.\s?\d+)\)")
_PRINTED_REVISION = re.compile(r"\s+(Rev\.\s?\d+)$")
_MEETING_DOCUMENT = re.compile(r"^(?:CWG-|WG-|C\d{2}/|PP-\d{2}/|WSIS-)")
SDG_SCHEME = ID + "scheme/sdg"
ACTION_LINE_SCHEME = ID + "scheme/wsis-action-lines"
INGESTED_GRAPHS = GRAPH + "ingested/"
INFERRED_GRAPH = GRAPH + "inferred"
# The classes linking knows (IRI -> local name), the phrase matcher's classes, and the predicates
# `Facts` reads (as IRI strings: compared per statement).
LINKED_CLASS = {(SKOS.ConceptScheme if cls == "ConceptScheme" else W[cls]).value: cls for cls in KIND_OF_CLASS}
PHRASE_CLASS = {W[cls].value: cls for cls, _ in patterns.phrase_classes()}
CANDIDATE_TYPES = LINKED_CLASS.keys() | PHRASE_CLASS.keys()
TYPE, SYMBOL, NOTATION = RDF.type.value, W.documentSymbol.value, SKOS.notation.value
START_DATE = PREFIXES["schema"] + "startDate"
LABELS = {RDFS.label.value, SKOS.prefLabel.value}
NAMES = LABELS | {SKOS.altLabel.value, NOTATION}
FACT_PREDICATES = [NamedNode(iri) for iri in sorted({TYPE, SYMBOL, START_DATE} | NAMES)]
INDEX_FILE = "linking-index.json"  # in a build's folder: GraphIndex.keep
INDEX_FORMAT = 1


Term = NamedNode | BlankNode | Literal


@dataclass
class Node:
    iri: str
    cls: str
    label: str


@dataclass
class Link:
    iri: str
    kind: str
    label: str
    new: bool
    revision: str | None = None
    # what the citation says the node is (type, label, number...): for a new node, and for a node
    # only another ingested document minted
    facts: list[Triple] = field(default_factory=list)


class Facts(NamedTuple):
    """What linking reads about one node, all from the node's own triples: its types among the
    classes linking knows, its English labels (rdfs:label, skos:prefLabel: for an instance of a
    linked class), every name the phrase matcher knows it by (labels in any language, altLabels,
    notations: for an instance of a phrase class), its document symbols, its codes ([class local
    name, skos:notation], for each of its types) and whether it has a start date. Values are sorted
    and kept only where they are used, so the facts of a node do not depend on how they were read.
    Plain lists, so that the facts kept with a build (JSON) load as they are."""

    types: list[str]
    labels: list[str]
    names: list[str]
    symbols: list[str]
    codes: list[list[str]]
    dated: bool

    @classmethod
    def of(cls, statements: Iterable[tuple[str, Term]]) -> "Facts | None":
        """The facts in one node's (predicate IRI, object) pairs, or None when linking has no use for the node."""
        types, labels, names, symbols, notations = set(), set(), set(), set(), set()
        dated = False
        for predicate, obj in statements:
            if predicate == TYPE:
                types.add(obj.value)
            elif predicate == SYMBOL:
                symbols.add(obj.value)
            elif predicate == START_DATE:
                dated = True
            elif predicate in NAMES:
                names.add(obj.value)
                if predicate in LABELS and isinstance(obj, Literal) and _english(obj.language):
                    labels.add(obj.value)
                if predicate == NOTATION:
                    notations.add(obj.value)
        codes = sorted({(cls_iri.rsplit("#", 1)[-1], code) for cls_iri in types for code in notations})
        known = types & CANDIDATE_TYPES
        if not (known or symbols or codes or dated):
            return None
        return cls(sorted(known), sorted(labels) if known & LINKED_CLASS.keys() else [],
                   sorted(names) if known & PHRASE_CLASS.keys() else [], sorted(symbols),
                   [list(code) for code in codes], dated)


def _english(language: str | None) -> bool:
    """LANGMATCHES(LANG(?label), "en")."""
    return bool(language) and (language.lower() == "en" or language.lower().startswith("en-"))


class GraphIndex:
    """What the graph already holds that linking needs: every typed node of the ontology's classes
    with its label, document symbols, codes, names for the phrase matcher, dated events.

    It is made from the `Facts` of each node that has any, read from the node's own triples, so
    the index of a graph that changed is the old index with the changed nodes read again
    (`updated`): `wsisgraph ingest` keeps it with each build (`for_build`), and the incremental
    update that makes the next build carries it over (`carry_over`), instead of reading every
    activity title of a million-triple store again on every ingest.
    """

    def __init__(self, store: Store, graphs: list[NamedNode] | None = None,
                 facts: dict[str, Facts] | None = None):
        """Read from `graphs` (default: the store's default graph, every asserted triple); with
        `facts`, made from those instead of reading the store."""
        self.store = store
        self.build: str | None = None  # the build (folder name) this is the default graph's index of, when known
        self.facts = facts if facts is not None else _read_facts(store, graphs)
        self.nodes: dict[str, Node] = {}
        self.symbols: dict[str, str] = {}
        self.codes: dict[tuple[str, str], str] = {}
        self.dated: set[str] = set()
        by_class: dict[str, list[str]] = {cls: [] for cls, _ in patterns.phrase_classes()}
        for iri in sorted(self.facts):
            facts = self.facts[iri]
            linked = [LINKED_CLASS[t] for t in facts.types if t in LINKED_CLASS]
            if linked:
                self.nodes[iri] = Node(iri, min(linked, key=SPECIFIC_FIRST.index),
                                       facts.labels[0] if facts.labels else iri)
            for symbol in facts.symbols:
                self.symbols[_symbol_key(symbol)] = iri
            for cls, code in facts.codes:
                self.codes[(cls, code)] = iri
            if facts.dated:
                self.dated.add(iri)
            for t in facts.types:
                if t in PHRASE_CLASS:
                    by_class[PHRASE_CLASS[t]].append(iri)
        self.phrases = self._phrases(by_class)

    def minted_by_ingest(self, iri: str) -> bool:
        """Whether only ingested graphs say what the node is (another document minted it). A document
        linking to such a node states what it is too, so that removing the other document leaves
        it typed and labelled."""
        graphs = {q.graph_name.value for q in self.store.quads_for_pattern(NamedNode(iri), RDF.type, None, None)
                  if isinstance(q.graph_name, NamedNode) and q.graph_name.value != INFERRED_GRAPH}
        return bool(graphs) and all(graph.startswith(INGESTED_GRAPHS) for graph in graphs)

    def _phrases(self, by_class: dict[str, list[str]]) -> list[Phrase]:
        out: list[Phrase] = []
        for cls, kind in patterns.phrase_classes():
            for iri in by_class[cls]:
                for name in self.facts[iri].names:
                    if cls == "ActionLine" and re.fullmatch(r"C\d+", name):
                        continue  # bare codes come from the action-line pattern, which knows "Council session C11"
                    variants = _variants(name)
                    if cls == "ActionLine" and ": " in name:  # "ICT Applications: E-health" -> the sub-line's name
                        variants.append(name.split(": ", 1)[1])
                    out += [Phrase(variant, iri, kind) for variant in variants]
        for known in patterns.entities():
            out += [Phrase(name, ID + known.iri, known.kind) for name in known.names]
        for group in patterns.groups():
            out += [Phrase(name, ID + "organisation/" + group.key, "organisation") for name in group.names]
        return out

    def updated(self, store: Store, subjects: Iterable, graphs: list[NamedNode] | None = None) -> "GraphIndex":
        """The index of `store` (its `graphs`, as in the constructor), given that only the triples
        of `subjects` differ from the graph this index was made from: those nodes are read again."""
        return GraphIndex(store, facts=_updated_facts(self.facts, store, subjects, graphs))

    # --- kept with the build ------------------------------------------------------------------

    @classmethod
    def for_build(cls, store: Store, build: Path) -> "GraphIndex":
        """The index of a build's default graph (`store` is the build opened): the one kept in the
        build's folder, else read from the store and kept there for the next command."""
        facts = kept_facts(build)
        if facts is None:
            facts = _read_facts(store, None)
            _keep_facts(build, facts)
        index = cls(store, facts=facts)
        index.build = build.name
        return index


def keep_index(built: Store, build: Path) -> None:
    """Keep a new build's linking index in its folder (build.build's `on_built`), so that the first
    ingest into it does not read the whole graph (seconds at a million triples)."""
    GraphIndex.for_build(built, build)


def carry_over(index: GraphIndex | None, before: Path, store: Store, after: Path, touched: set) -> None:
    """Keep with the build `after`, made from `before` by changing the triples of the nodes
    `touched` (update.OnUpdate), the index of `before` brought up to date: `index` when it is that
    build's, else the one kept in its folder. Without either, nothing is kept: the next ingest
    reads the new build in full."""
    facts = index.facts if index is not None and index.build == before.name else kept_facts(before)
    if facts is not None:
        _keep_facts(after, _updated_facts(facts, store, touched, None))


def kept_facts(build: Path) -> dict[str, Facts] | None:
    """The facts kept in a build's folder, if they were kept for that very build."""
    try:
        saved = json.loads((build / INDEX_FILE).read_text(encoding="utf-8"))
        if saved["format"] != INDEX_FORMAT or saved["build"] != build.name:
            return None
        return {iri: Facts(*row) for iri, row in saved["facts"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _keep_facts(build: Path, facts: dict[str, Facts]) -> None:
    """Write the facts into the folder of the build they describe (a build never changes once made,
    and a checkpoint of it does not copy the file). A folder we may not write to is simply not helped."""
    payload = json.dumps({"format": INDEX_FORMAT, "build": build.name, "facts": facts}, ensure_ascii=False)
    with contextlib.suppress(OSError, WsisgraphError):
        write_atomic(build / INDEX_FILE, payload.encode("utf-8"))


def _updated_facts(facts: dict[str, Facts], store: Store, subjects: Iterable,
                   graphs: list[NamedNode] | None) -> dict[str, Facts]:
    """`facts` with the nodes `subjects` read again from `store` (its `graphs`, or default graph)."""
    out = dict(facts)
    wanted = None if graphs is None else set(graphs)
    for subject in subjects:
        if not isinstance(subject, NamedNode):
            continue
        out.pop(subject.value, None)
        statements = []
        for predicate in FACT_PREDICATES:  # only these are decoded, not the node's other triples
            if wanted is None:
                quads = store.quads_for_pattern(subject, predicate, None, DefaultGraph())
            else:
                quads = (q for q in store.quads_for_pattern(subject, predicate, None, None) if q.graph_name in wanted)
            statements += [(predicate.value, q.object) for q in quads]
        found = Facts.of(statements)
        if found is not None:
            out[subject.value] = found
    return out


def _read_facts(store: Store, graphs: list[NamedNode] | None) -> dict[str, Facts]:
    """The facts of every node that has some, read by a few queries that join inside the store (a
    node's triples one by one would decode every term of a million-triple store)."""
    def iris(terms: Iterable[str]) -> str:
        return ", ".join(f"<{iri}>" for iri in sorted(terms))

    only_linked = LINKED_CLASS.keys() - PHRASE_CLASS.keys()
    queries = [  # each row is one statement (?p ?o) of a node ?s
        f"SELECT ?s ?p ?o WHERE {{ ?s a ?o FILTER(?o IN ({iris(CANDIDATE_TYPES)})) BIND(rdf:type AS ?p) }}",
        f"""SELECT ?s ?p ?o WHERE {{ ?s a ?t FILTER(?t IN ({iris(PHRASE_CLASS)})) ?s ?p ?o
            FILTER(?p IN ({iris(NAMES)})) }}""",
        f"""SELECT ?s ?p ?o WHERE {{ ?s a ?t FILTER(?t IN ({iris(only_linked)})) ?s ?p ?o
            FILTER(?p IN ({iris(LABELS)}) && LANGMATCHES(LANG(?o), "en")) }}""",
        "SELECT ?s ?p ?o WHERE { ?s skos:notation ?code ; a ?o BIND(rdf:type AS ?p) }",
        "SELECT ?s ?p ?o WHERE { ?s skos:notation ?o BIND(skos:notation AS ?p) }",
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p IN (wsis:documentSymbol, schema:startDate)) }",
    ]
    found: dict[str, list[tuple[str, Term]]] = {}
    for text in queries:
        for row in store.query(prologue("rdf", "skos", "wsis", "schema") + text, default_graph=graphs):
            subject = row["s"]
            if isinstance(subject, NamedNode):
                found.setdefault(subject.value, []).append((row["p"].value, row["o"]))
    out = {}
    for subject, statements in found.items():
        facts = Facts.of(statements)
        if facts is not None:
            out[subject] = facts
    return out


def _variants(name: str) -> list[str]:
    """A label and, for "Global Digital Compact (GDC)", its two halves (not for "39th meeting of
    the ... (CWG-WSIS&SDG)", whose bracket names the body, not the meeting)."""
    match = re.fullmatch(r"([^\d].+?)\s*\(([^()]+)\)", name)
    return [name, match.group(1), match.group(2)] if match else [name]


def _symbol_key(symbol: str) -> str:
    return base_symbol(symbol)[0].upper()


def base_symbol(symbol: str) -> tuple[str, str | None]:
    """The symbol without its language suffix and printed revision, and that revision:
    "WSIS-05/TUNIS/DOC/6(Rev.1)-E" -> ("WSIS-05/TUNIS/DOC/6", "Rev.1")."""
    symbol = " ".join(symbol.split())
    printed = _PRINTED_REVISION.search(symbol)
    if printed:  # "WG-WSIS-32/19-E Rev. 1"
        symbol = symbol[:printed.start()]
    symbol = _LANGUAGE_SUFFIX.sub("", symbol)
    revision = _REVISION_SUFFIX.search(symbol)
    if revision:
        symbol = symbol[:revision.start()] + symbol[revision.end():]
    found = printed.group(1) if printed else revision.group(1) if revision else None
    return symbol, found


def group_of(iri: str) -> patterns.Group | None:
    """The meeting group an organisation IRI stands for."""
    return next((g for g in patterns.groups() if ID + "organisation/" + g.key == iri), None)


class Linker:
    """Resolves mentions against a GraphIndex; remembers what it minted, so a node is new once."""

    def __init__(self, index: GraphIndex):
        self.index = index
        self.minted: dict[str, Link] = {}

    def link(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        """The node a mention stands for, or None when it names nothing the graph can hold (an SDG
        code the framework lacks, a meeting of an unknown body)."""
        recipe = getattr(self, "_" + mention.recipe.replace("-", "_"))
        return recipe(mention, group)

    def _existing_or_new(self, iri: str, cls: str, label: str, extra: list[Triple],
                         revision: str | None = None) -> Link:
        node = self.index.nodes.get(iri)
        if node is not None and not self.index.minted_by_ingest(iri):
            return Link(iri, KIND_OF_CLASS[node.cls], node.label, False, revision)
        if iri in self.minted:
            known = self.minted[iri]
            return Link(iri, known.kind, known.label, known.new, revision)
        subject = NamedNode(iri)
        facts = [Triple(subject, RDF.type, W[cls]), Triple(subject, RDFS.label, Literal(label, language="en"))]
        facts += extra
        link = Link(iri, KIND_OF_CLASS[cls], label, node is None, revision, facts)
        self.minted[iri] = link
        return link

    def _organisation(self, key: str, label: str) -> str:
        """An organisation's IRI, minted (with this label) when the graph lacks it."""
        return self._existing_or_new(ID + "organisation/" + key, "Organisation", label, []).iri

    def _phrase(self, mention: Mention, group: patterns.Group | None) -> Link:
        node = self.index.nodes.get(mention.iri)
        if node is not None and not self.index.minted_by_ingest(node.iri):
            return Link(node.iri, KIND_OF_CLASS[node.cls], node.label, False)
        known = next((e for e in patterns.entities() + tuple(_group_entities()) if ID + e.iri == mention.iri), None)
        if known is None:  # the label of a node another document minted: its name alone says too little
            return Link(node.iri, KIND_OF_CLASS[node.cls], node.label, False)
        return self._existing_or_new(mention.iri, known.cls, known.label, [])

    def _symbol(self, mention: Mention, group: patterns.Group | None) -> Link:
        symbol, revision = base_symbol(mention.fields["symbol"])
        revision = mention.fields.get("revision") or revision
        existing = self.index.symbols.get(symbol.upper())
        cls = "MeetingDocument" if _MEETING_DOCUMENT.match(symbol) else "Document"
        if existing is not None:  # what this citation says of it matters when another document minted it
            stated = [Triple(NamedNode(existing), W.documentSymbol, Literal(symbol))]
            return self._existing_or_new(existing, cls, f"Document {symbol}", stated, revision)
        if "/RES/" in symbol:
            body, label = UN_BODIES[symbol[0]]
            iri = entity("resolution", symbol.lower()).value
            subject = NamedNode(iri)
            extra = [Triple(subject, W.documentSymbol, Literal(symbol)),
                     Triple(subject, W.number, Literal(symbol.rsplit("/", 1)[1])),
                     Triple(subject, W.issuedBy, NamedNode(self._organisation(body, label)))]
            return self._existing_or_new(iri, "Resolution", f"{label.split(' (')[0]} resolution {symbol}", extra,
                                         revision)
        iri = entity("document", symbol.lower()).value
        extra = [Triple(NamedNode(iri), W.documentSymbol, Literal(symbol))]
        return self._existing_or_new(iri, cls, f"Document {symbol}", extra, revision)

    def _un_resolution(self, mention: Mention, group: patterns.Group | None) -> Link:
        f = mention.fields
        organ = "E" if f.get("body") in ("ECOSOC", "Economic and Social Council") or len(f["session"]) == 4 else "A"
        symbol = f"{organ}/RES/{f['session']}/{f['number']}"
        return self._symbol(Mention(mention.kind, mention.text, mention.start, mention.end, mention.confidence,
                                    "symbol", {"symbol": symbol}), group)

    def _itu_resolution(self, mention: Mention, group: patterns.Group | None) -> Link:
        f = mention.fields
        prefix, suffix, number = f.get("prefix", ""), f.get("suffix", ""), f["number"]
        if prefix.startswith("PP") or "Plenipotentiary" in suffix:
            body = "pp"
        elif prefix.startswith("WTDC") or "Development Conference" in suffix:
            body = "wtdc"
        elif prefix.startswith("WTSA") or "Standardization Assembly" in suffix:
            body = "wtsa"
        elif prefix.startswith("Council") or "Council" in suffix or len(number) >= 4:
            body = "council"
        else:
            body = "pp"
        key, label = ITU_BODIES[body]
        iri = entity("resolution", f"itu-{body}-{number}").value
        in_suffix = re.search(r"\(([^()]+)\)", suffix)  # "of the Plenipotentiary Conference (Guadalajara 2010)"
        revision = f.get("revision") or (in_suffix.group(1) if in_suffix else None) or (
            prefix if prefix and prefix != "Council" else None)
        subject = NamedNode(iri)
        extra = [Triple(subject, W.number, Literal(number)),
                 Triple(subject, W.issuedBy, NamedNode(self._organisation(key, label)))]
        return self._existing_or_new(iri, "Resolution", f"{label.split(' (')[0]} Resolution {number}", extra, revision)

    def _meeting(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        named = mention.fields.get("group")
        if named:
            group = next((g for g in patterns.groups() if named in g.names), group)
        if group is None:
            return None
        ordinal = patterns.ordinal_value(mention.fields["ordinal"])
        iri = entity("meeting", f"{group.meetings}-{ordinal}").value
        subject = NamedNode(iri)
        extra = [Triple(subject, W.ordinal, Literal(str(ordinal), datatype=XSD.integer)),
                 Triple(subject, W.heldBy, NamedNode(self._organisation(group.key, group.label)))]
        return self._existing_or_new(iri, "Meeting", f"{_ordinal(ordinal)} meeting of the {group.label}", extra)

    def _code(self, cls: str, code: str) -> Link | None:
        iri = self.index.codes.get((cls, code))
        if iri is None:
            return None
        node = self.index.nodes[iri]
        return Link(iri, KIND_OF_CLASS[node.cls], node.label, False)

    def _action_line(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        return self._code("ActionLine", mention.fields["code"])

    def _sdg_goal(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        return self._code("SDGGoal", mention.fields["code"])

    def _sdg_target(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        return self._code("SDGTarget", mention.fields["code"])

    def _sdg_indicator(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        return self._code("SDGIndicator", mention.fields["code"])

    def _scheme(self, iri: str, kind: str) -> Link | None:
        node = self.index.nodes.get(iri)
        return Link(iri, kind, node.label, False) if node else None

    def _sdg_scheme(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        return self._scheme(SDG_SCHEME, "sdg")

    def _action_line_scheme(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        return self._scheme(ACTION_LINE_SCHEME, "action-line")

    def _event_series(self, mention: Mention, group: patterns.Group | None) -> Link:
        """One year of a recurring event ("WSIS Forum 2024"), part of its series."""
        series, year = patterns.series_named(mention.fields["series"]), mention.fields["year"]
        iri = entity("event", f"{series.key}-{year}").value
        extra = [Triple(NamedNode(iri), W.partOf, NamedNode(ID + series.part_of))]
        return self._existing_or_new(iri, "Event", f"{series.label} {year}", extra)

    def _own_group(self, mention: Mention, group: patterns.Group | None) -> Link | None:
        """"The group" of a working group's report: the group the passage or the document names."""
        if group is None:
            return None
        return self._existing_or_new(ID + "organisation/" + group.key, "Organisation", group.label, [])


def _group_entities() -> list[patterns.KnownEntity]:
    return [patterns.KnownEntity("organisation/" + g.key, "organisation", "Organisation", g.label, g.names)
            for g in patterns.groups()]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
