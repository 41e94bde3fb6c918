"""Link mentions to the graph's nodes, or mint new nodes with deterministic IRIs.

The same thing is one node whatever the citation form: "PP-14 Resolution 140 (Busan, 2014)" and
"Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference" both resolve to
id/resolution/itu-pp-140, the revision staying on the citation; "CWG-WSIS&SDG-40/INF/4-E" is the
English version of id/document/cwg-wsis-sdg-40-inf-4. IRIs follow README "Identifiers"
(id/{kind}/{key}, keys normalised by namespaces.entity), so a node the graph already has is found
by computing its IRI, and a new one gets the IRI the curators would give it.
"""

import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Store, Triple

from wsisgraph.core.namespaces import GRAPH, ID, RDF, RDFS, XSD, W, entity, prologue
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


class GraphIndex:
    """What the graph already holds that linking needs: every typed node of the ontology's classes
    with its label, document symbols, codes, names for the phrase matcher, dated events."""

    def __init__(self, store: Store, graphs: list[NamedNode] | None = None):
        """Read from `graphs` (default: the store's default graph, every asserted triple)."""

        def query(text: str):
            return store.query(text) if graphs is None else store.query(text, default_graph=graphs)

        select = prologue("wsis", "rdfs", "skos", "schema")
        self.nodes: dict[str, Node] = {}
        # the classes linking knows (skos:ConceptScheme for the SDG scheme), not every passage and alignment
        classes = " ".join("skos:ConceptScheme" if cls == "ConceptScheme" else f"wsis:{cls}" for cls in KIND_OF_CLASS)
        for row in query(select + f"""SELECT ?s ?c ?label WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c .
                OPTIONAL {{ ?s rdfs:label|skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }} }}"""):
            cls = row["c"].value.rsplit("#", 1)[-1]
            if cls not in KIND_OF_CLASS or not isinstance(row["s"], NamedNode):
                continue
            iri = row["s"].value
            known = self.nodes.get(iri)
            if known is None or SPECIFIC_FIRST.index(cls) < SPECIFIC_FIRST.index(known.cls):
                label = row["label"].value if row["label"] is not None else (known.label if known else iri)
                self.nodes[iri] = Node(iri, cls, label)
        self.symbols = {_symbol_key(row["sym"].value): row["s"].value for row in query(
            select + "SELECT ?s ?sym WHERE { ?s wsis:documentSymbol ?sym }")}
        self.codes: dict[tuple[str, str], str] = {}
        for row in query(select + "SELECT ?s ?c ?code WHERE { ?s skos:notation ?code ; a ?c }"):
            self.codes[(row["c"].value.rsplit("#", 1)[-1], row["code"].value)] = row["s"].value
        self.dated = {row["s"].value for row in query(select + "SELECT DISTINCT ?s WHERE { ?s schema:startDate ?d }")}
        self.phrases = self._phrases(query, select)
        self.store = store

    def minted_by_ingest(self, iri: str) -> bool:
        """Whether only ingested graphs say what the node is (another document minted it). A document
        linking to such a node states what it is too, so that removing the other document leaves
        it typed and labelled."""
        graphs = {q.graph_name.value for q in self.store.quads_for_pattern(NamedNode(iri), RDF.type, None, None)
                  if isinstance(q.graph_name, NamedNode) and q.graph_name.value != INFERRED_GRAPH}
        return bool(graphs) and all(graph.startswith(INGESTED_GRAPHS) for graph in graphs)

    @staticmethod
    def _phrases(query, select: str) -> list[Phrase]:
        out: list[Phrase] = []
        for cls, kind in patterns.phrase_classes():
            for row in query(select + f"""SELECT ?s ?name WHERE {{ ?s a wsis:{cls} ;
                    rdfs:label|skos:altLabel|skos:prefLabel|skos:notation ?name }} ORDER BY ?s ?name"""):
                name = row["name"].value
                if cls == "ActionLine" and re.fullmatch(r"C\d+", name):
                    continue  # bare codes come from the action-line pattern, which knows "Council session C11"
                variants = _variants(name)
                if cls == "ActionLine" and ": " in name:  # "ICT Applications: E-health" -> the sub-line's name
                    variants.append(name.split(": ", 1)[1])
                out += [Phrase(variant, row["s"].value, kind) for variant in variants]
        for known in patterns.entities():
            out += [Phrase(name, ID + known.iri, known.kind) for name in known.names]
        for group in patterns.groups():
            out += [Phrase(name, ID + "organisation/" + group.key, "organisation") for name in group.names]
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
