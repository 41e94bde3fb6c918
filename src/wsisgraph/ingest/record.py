"""What one ingested document becomes: its analysis (passages, mentions and their links, facts),
the triples of its named graph `ingested/<key>`, and the review `--dry-run` prints (a table per
passage, or one JSON document for tools).

Facts recorded, each from a passage and with the basis wsis:ExtractedFromText:
- every mention: `passage wsis:mentions node`, qualified by a wsis:Mention (span, quoted text,
  cited revision, recogniser's confidence);
- a new node: its type, label and what its citation says (number, symbol, issuing body; a
  meeting's ordinal, body and, when printed beside it, its dates);
- the cover's meeting considered the document (`meeting wsis:considered document`, qualified).
A node the graph already has is only linked to: a curated fact is never restated or changed.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from wsisgraph.core.namespaces import DCTERMS, PROV, RDF, RDFS, XSD, W, entity, normalise_key
from wsisgraph.ingest import clean, patterns, readers, segment
from wsisgraph.ingest.link import GraphIndex, Link, Linker, base_symbol, group_of
from wsisgraph.ingest.recognise import Mention, Recogniser, dates

SCHEMA = "https://schema.org/"
_MEETING_DOCUMENT = re.compile(r"^(?:CWG-|WG-|C\d{2}/|PP-\d{2}/|WSIS-)")
_SENTENCE_END = re.compile(r"[.;](?:\s|$)")


@dataclass
class Linked:
    mention: Mention
    link: Link


@dataclass
class PassageResult:
    passage: segment.Passage
    linked: list[Linked] = field(default_factory=list)


@dataclass
class Options:
    symbol: str | None = None
    title: str | None = None
    date: str | None = None          # YYYY-MM-DD
    key: str | None = None
    encoding: str | None = None


@dataclass
class Analysis:
    path: Path
    key: str
    sha256: str
    document: str                    # IRI
    document_new: bool
    symbol: str | None
    title: str
    date: str | None
    segmented: segment.Segmented
    passages: list[PassageResult]
    minted: list[Link] = field(default_factory=list)     # nodes it states: new, or minted by another document
    facts: list[Triple] = field(default_factory=list)

    @property
    def graph(self) -> str:
        return f"ingested/{self.key}"


def analyse(path: Path, options: Options, index_for: Callable[[str], GraphIndex]) -> Analysis:
    """Read, clean, segment, recognise and link one document; nothing is written. `index_for(key)`
    gives what the graph holds apart from this document's own earlier graph."""
    raw = readers.read(path, options.encoding)
    text = clean.clean(raw, wrapped=path.suffix.lower() == ".pdf")
    segmented = segment.segment(text)
    cover = segmented.cover
    symbol = options.symbol or cover.symbol
    base = base_symbol(symbol)[0] if symbol else None
    key = normalise_key(options.key or (base.lower() if base else path.stem))
    when = _iso_date(options.date or cover.date, path)
    index = index_for(key)
    recogniser = Recogniser(index.phrases)
    linker = Linker(index)
    existing_document = index.symbols.get(base.upper()) if base else None
    document = existing_document or entity("document", key).value
    title = options.title or cover.title or (index.nodes[document].label if document in index.nodes else None)
    title = title or (f"Document {symbol}" if symbol else path.name)
    default_group = _document_group(segmented, recogniser)
    results = []
    for passage in segmented.passages:
        children = [(c.start - passage.start, c.end - passage.start) for c in segmented.passages
                    if c.parent == passage.key]
        mentions = [m for m in recogniser.mentions(passage.text)  # an item's mentions are the item's own
                    if not any(s <= m.start and m.end <= e for s, e in children)]
        group = _passage_group(mentions) or default_group
        result = PassageResult(passage)
        for mention in mentions:
            link = linker.link(mention, group)
            if link is not None and link.iri != document:
                result.linked.append(Linked(mention, link))
        results.append(result)
    analysis = Analysis(path, key, sha256(path), document, document not in index.nodes, base, title, when,
                        segmented, results, [m for m in linker.minted.values() if m.iri != document])
    analysis.facts = _meeting_dates(analysis, index) + _considered(analysis) + _considered_by_symbol(analysis)
    return analysis


def _iso_date(printed: str | None, path: Path) -> str | None:
    """YYYY-MM-DD from --date or a printed cover date ("24 January 2018")."""
    if printed is None:
        return None
    match = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", printed)
    try:
        if match:
            return date(int(match.group(3)), patterns.MONTH_NUMBERS[match.group(2)], int(match.group(1))).isoformat()
        return date.fromisoformat(printed).isoformat()
    except (ValueError, KeyError) as exc:
        from wsisgraph.core.errors import InputError

        raise InputError(str(path), None, f"not a date: {printed!r} (give --date YYYY-MM-DD)") from exc


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _document_group(segmented: segment.Segmented, recogniser: Recogniser) -> patterns.Group | None:
    """The body whose meetings an unqualified "31st meeting" means: the cover's, else the first
    one the text names."""
    for text in [segmented.cover.body or "", segmented.cover.meeting or "", segmented.text]:
        found = _passage_group(recogniser.mentions(text))
        if found:
            return found
    return None


def _passage_group(mentions: list[Mention]) -> patterns.Group | None:
    for mention in mentions:
        group = group_of(mention.iri) if mention.iri else None
        if group is None and mention.recipe == "symbol":
            group = next((g for g in patterns.groups() if any(
                mention.fields["symbol"].startswith(name + "-") for name in g.names)), None)
        if group:
            return group
    return None


def passage_iri(key: str, passage: segment.Passage) -> NamedNode:
    return entity(f"passage/{key}", passage.key)


def _sentence(text: str, at: int) -> tuple[int, int]:
    """The sentence (or list item) of a passage that holds offset `at`."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
    end = next((m.start() + 1 for m in _SENTENCE_END.finditer(text, at)), len(text))
    return start, end


def _meeting_dates(analysis: Analysis, index: GraphIndex) -> list[Triple]:
    """A new meeting's dates, when one date range is printed in the same sentence as the meeting
    alone ("the 31st meeting was held on 19 September and 20 September 2017")."""
    out: list[Triple] = []
    dated: set[str] = set()
    for result in analysis.passages:
        ranges = dates(result.passage.text)
        for linked in result.linked:
            if linked.link.kind != "meeting" or not linked.link.new or linked.link.iri in dated | index.dated:
                continue
            start, end = _sentence(result.passage.text, linked.mention.start)
            meetings = {x.link.iri for x in result.linked
                        if x.link.kind == "meeting" and start <= x.mention.start < end}
            inside = [r for r in ranges if start <= r.start < end]
            if len(meetings) == 1 and len(inside) == 1:
                meeting = NamedNode(linked.link.iri)
                out += [Triple(meeting, NamedNode(SCHEMA + "startDate"), Literal(inside[0].first.isoformat(),
                                                                                   datatype=XSD.date)),
                        Triple(meeting, NamedNode(SCHEMA + "endDate"), Literal(inside[0].last.isoformat(),
                                                                                 datatype=XSD.date))]
                dated.add(linked.link.iri)
    return out


def _considered(analysis: Analysis) -> list[Triple]:
    """The meeting on the cover considered this document."""
    cover = next((r for r in analysis.passages if r.passage.key == "cover"), None)
    if cover is None:
        return []
    meetings = [x for x in cover.linked if x.link.kind == "meeting"]
    if len(meetings) != 1:
        return []
    meeting, document = NamedNode(meetings[0].link.iri), NamedNode(analysis.document)
    return [Triple(meeting, W.considered, document),
            *_qualified(entity(f"statement/{analysis.key}", "considered"), meeting, W.considered, document,
                        passage_iri(analysis.key, cover.passage), 0.9, "the cover's meeting considered this document",
                        modality=W.InferredFromContext)]


def _considered_by_symbol(analysis: Analysis) -> list[Triple]:
    """A cited document whose symbol names a meeting (CWG-WSIS-32/16 is a document of the 32nd
    meeting) was considered at that meeting: read from the symbol's form, so inferred from context,
    and sourced to the passage that prints the symbol."""
    out: list[Triple] = []
    for result in analysis.passages:
        documents = [x for x in result.linked if x.link.kind == "document"]
        for number, meeting in enumerate(x for x in result.linked if x.link.kind == "meeting"):
            inside = [d for d in documents if d.mention.start <= meeting.mention.start
                      and meeting.mention.end <= d.mention.end]
            if len(inside) != 1:
                continue
            subject, document = NamedNode(meeting.link.iri), NamedNode(inside[0].link.iri)
            statement = entity(f"statement/{analysis.key}", f"considered-{result.passage.key}-{number + 1}")
            out += [Triple(subject, W.considered, document),
                    *_qualified(statement, subject, W.considered, document, passage_iri(analysis.key, result.passage),
                                0.85, f"{inside[0].mention.text}: a document of {meeting.link.label}",
                                modality=W.InferredFromContext)]
    return out


def _qualified(node: NamedNode, subject: NamedNode, prop: NamedNode, obj: NamedNode, passage: NamedNode,
               confidence: float, label: str, cls: NamedNode | None = None,
               modality: NamedNode = W.Stated) -> list[Triple]:
    """The wsis:Alignment that qualifies one extracted link: basis, passage, confidence, and how strongly the
    text supports it, in the modalities the curated report uses (a name printed in the passage is
    wsis:Stated; a link read from the cover's layout is wsis:InferredFromContext)."""
    return [Triple(node, RDF.type, cls or W.Alignment),
            Triple(node, RDFS.label, Literal(label, language="en")),
            Triple(node, W.alignmentSubject, subject),
            Triple(node, W.alignmentProperty, prop),
            Triple(node, W.alignmentObject, obj),
            Triple(node, W.basis, W.ExtractedFromText),
            Triple(node, W.modality, modality),
            Triple(node, W.confidence, Literal(canonical_decimal(confidence), datatype=XSD.decimal)),
            Triple(node, W.sourcePassage, passage)]


def canonical_decimal(value: float) -> str:
    """The canonical xsd:decimal form ("0.9", "1"), so the same confidence is the same literal."""
    return format(Decimal(str(value)).normalize(), "f")


def triples(analysis: Analysis, ingested_at: datetime | None = None) -> list[Triple]:
    """The named graph of one document."""
    key, doc = analysis.key, NamedNode(analysis.document)
    out: list[Triple] = []
    first_passage = passage_iri(key, analysis.passages[0].passage) if analysis.passages else None
    if analysis.document_new:
        cls = W.MeetingDocument if analysis.symbol and _MEETING_DOCUMENT.match(analysis.symbol) else W.Document
        out += [Triple(doc, RDF.type, cls), Triple(doc, RDFS.label, Literal(analysis.title, language="en")),
                Triple(doc, DCTERMS.title, Literal(analysis.title, language="en"))]
        if analysis.symbol:
            out.append(Triple(doc, W.documentSymbol, Literal(analysis.symbol)))
        if analysis.date:
            out.append(Triple(doc, DCTERMS.date, Literal(analysis.date, datatype=XSD.date)))
        if first_passage is not None:
            out.append(Triple(doc, W.sourcePassage, first_passage))
    sources: dict[str, list[NamedNode]] = {}
    for result in analysis.passages:
        passage = result.passage
        node = passage_iri(key, passage)
        where = f"section \"{passage.number}\"" if passage.section else f"paragraph {passage.number}"
        out += [Triple(node, RDF.type, W.SourcePassage),
                Triple(node, RDFS.label, Literal(f"{analysis.title}, {where}", language="en")),
                Triple(node, W.inDocument, doc),
                Triple(node, W.text, Literal(passage.text, language="en")),
                Triple(node, W.startOffset, Literal(str(passage.start), datatype=XSD.integer)),
                Triple(node, W.endOffset, Literal(str(passage.end), datatype=XSD.integer))]
        if passage.paragraph:
            out.append(Triple(node, W.paragraph, Literal(passage.paragraph)))
        if passage.title:
            out.append(Triple(node, DCTERMS.title, Literal(passage.title, language="en")))
        if passage.parent:
            out.append(Triple(node, DCTERMS.isPartOf, entity(f"passage/{key}", passage.parent)))
        for number, linked in enumerate(result.linked, 1):
            target = NamedNode(linked.link.iri)
            sources.setdefault(linked.link.iri, []).append(node)
            mention = entity(f"mention/{key}/{passage.key}", str(number))
            out.append(Triple(node, W.mentions, target))
            out += _qualified(mention, node, W.mentions, target, node, linked.mention.confidence,
                              f"\"{linked.mention.text}\" in {where}: {linked.link.label}", W.Mention)
            out += [Triple(mention, W.startOffset, Literal(str(linked.mention.start), datatype=XSD.integer)),
                    Triple(mention, W.endOffset, Literal(str(linked.mention.end), datatype=XSD.integer)),
                    Triple(mention, W.quotedText, Literal(linked.mention.text))]
            if linked.link.revision:
                out.append(Triple(mention, W.revision, Literal(linked.link.revision)))
    for minted in analysis.minted:
        out += minted.facts
        cited = sources.get(minted.iri) or [  # a body minted only as an issuer: the passages citing what it issued
            p for t in (f for m in analysis.minted for f in m.facts)
            if t.object.value == minted.iri for p in sources.get(t.subject.value, [])]
        out += [Triple(NamedNode(minted.iri), W.sourcePassage, p) for p in dict.fromkeys(cited)]
    out += analysis.facts
    out += ingest_record(analysis.key, analysis.path, analysis.sha256, analysis.document, ingested_at)
    return list(dict.fromkeys(out))


def ingest_record(key: str, path: Path, sha256: str, document: str,
                  ingested_at: datetime | None = None) -> list[Triple]:
    """When, and from which file, a graph was made (what `ingest --list` shows)."""
    node = entity("ingest", key)
    when = (ingested_at or datetime.now(tz=UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return [Triple(node, RDF.type, PROV.Activity),
            Triple(node, RDFS.label, Literal(f"wsisgraph ingest of {path.name}", language="en")),
            Triple(node, PROV.generated, NamedNode(document)),
            Triple(node, PROV.endedAtTime, Literal(when, datatype=XSD.dateTime)),
            Triple(node, W.fileName, Literal(path.name)),
            Triple(node, W.sha256, Literal(sha256))]


def review(analysis: Analysis) -> dict:
    """The --format json review: document, passages[] with number, text, mentions[]."""
    return {
        "document": {"iri": analysis.document, "new": analysis.document_new, "key": analysis.key,
                     "graph": analysis.graph, "symbol": analysis.symbol, "title": analysis.title,
                     "date": analysis.date, "file": str(analysis.path), "sha256": analysis.sha256},
        "passages": [{"number": r.passage.number, "key": r.passage.key, "title": r.passage.title,
                      "start": r.passage.start, "end": r.passage.end, "text": r.passage.text,
                      "mentions": [{"kind": x.link.kind, "text": x.mention.text, "start": x.mention.start,
                                    "end": x.mention.end, "iri": x.link.iri, "label": x.link.label,
                                    "new": x.link.new, "revision": x.link.revision,
                                    "confidence": x.mention.confidence} for x in r.linked]}
                     for r in analysis.passages],
    }


def review_json(analyses: list[Analysis]) -> str:
    body = [review(a) for a in analyses]
    return json.dumps(body[0] if len(body) == 1 else body, ensure_ascii=False, indent=2) + "\n"
