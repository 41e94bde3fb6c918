"""What one ingested document becomes: its analysis (passages, mentions and their links, facts),
the triples of its named graph `ingested/<key>`, and the review `--dry-run` prints (a table per
passage, or one JSON document for tools).

Facts recorded, each from a passage and with the basis wsis:ExtractedFromText:
- every mention: `passage wsis:mentions node`, qualified by a wsis:Mention (span, quoted text,
  cited revision, recogniser's confidence);
- a new node: its type, label and what its citation says (number, symbol, issuing body; a
  meeting's ordinal and body);
- an event's or meeting's dates, when a passage prints them beside it: schema:startDate and
  schema:endDate, each with a wsis:SourcedStatement citing the passages (modality wsis:Stated, or
  wsis:InferredFromContext when the year is only in the event's name);
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
from wsisgraph.ingest.recognise import Mention, PrintedDates, Recogniser, dates

SCHEMA = "https://schema.org/"
_MEETING_DOCUMENT = re.compile(r"^(?:CWG-|WG-|C\d{2}/|PP-\d{2}/|WSIS-)")
_SENTENCE_END = re.compile(r"[.;](?:\s|$)|\n")


@dataclass
class Linked:
    mention: Mention
    link: Link


@dataclass
class PassageResult:
    passage: segment.Passage
    linked: list[Linked] = field(default_factory=list)
    # spans of the resolutions and documents it cites, the document itself included: a day printed
    # beside one is that citation's date, and a meeting named inside a symbol is not dated by it
    citations: list[tuple[int, int]] = field(default_factory=list)


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
        result = PassageResult(passage, citations=[(m.start, m.end) for m in mentions
                                                   if m.kind in ("resolution", "document")])
        for mention in mentions:
            link = linker.link(mention, group)
            if link is not None and link.iri != document:
                result.linked.append(Linked(mention, link))
        results.append(result)
    analysis = Analysis(path, key, sha256(path), document, document not in index.nodes, base, title, when,
                        segmented, results, [m for m in linker.minted.values() if m.iri != document])
    analysis.facts = _event_dates(analysis, index) + _considered(analysis) + _considered_by_symbol(analysis)
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
    """The sentence (or list item, or line) of a passage that holds offset `at`."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
    end = next((m.start() + 1 for m in _SENTENCE_END.finditer(text, at)), len(text))
    return start, end


EVENT_KINDS = ("meeting", "event")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


@dataclass
class _Dated:
    """The days one passage prints for one event."""
    event: Linked
    printed: PrintedDates
    days: tuple[date, date]
    passage: segment.Passage


def _event_dates(analysis: Analysis, index: GraphIndex) -> list[Triple]:
    """The dates of the events and meetings a document mentions, each as schema:startDate and
    schema:endDate and a wsis:SourcedStatement that cites the passages printing them (basis
    wsis:ExtractedFromText). Only what the passages print: an event whose passages print different
    days gets none, and a node the graph already dates is left as it is (a curated fact is never
    restated or changed)."""
    found: dict[str, list[_Dated]] = {}
    for result in analysis.passages:
        for dated in _printed_dates(result):
            found.setdefault(dated.event.link.iri, []).append(dated)
    out: list[Triple] = []
    for number, (iri, readings) in enumerate(found.items(), 1):
        if iri in index.dated or len({r.days for r in readings}) > 1:
            continue
        stated = any(r.printed.year_printed for r in readings)
        passages = list(dict.fromkeys(passage_iri(analysis.key, r.passage) for r in readings))
        quoted = list(dict.fromkeys(r.printed.text for r in readings))
        caveat = None if stated else (
            f"The passage prints \"{quoted[0]}\" without a year; the year is the one printed in the event's name, "
            f"\"{readings[0].event.mention.text}\".")
        confidence = Literal(canonical_decimal(0.9 if stated else 0.85), datatype=XSD.decimal)
        for prop, day in (("startDate", readings[0].days[0]), ("endDate", readings[0].days[1])):
            event, value = NamedNode(iri), Literal(day.isoformat(), datatype=XSD.date)
            node = entity(f"statement/{analysis.key}", f"{prop.lower()}-{number}")
            out += [Triple(event, NamedNode(SCHEMA + prop), value),
                    Triple(node, RDF.type, W.SourcedStatement),
                    Triple(node, W.statementSubject, event),
                    Triple(node, W.statementProperty, NamedNode(SCHEMA + prop)),
                    Triple(node, W.statementObject, value),
                    Triple(node, W.basis, W.ExtractedFromText),
                    Triple(node, W.modality, W.Stated if stated else W.InferredFromContext),
                    Triple(node, W.confidence, confidence),
                    *[Triple(node, W.sourcePassage, p) for p in passages],
                    *[Triple(node, W.quotedText, Literal(text)) for text in quoted]]
            if caveat:
                out.append(Triple(node, W.caveat, Literal(caveat, language="en")))
    return out


def _printed_dates(result: PassageResult) -> list[_Dated]:
    """The events of a passage paired with the days printed beside them, sentence by sentence. A
    range printed without a year ("10-19 July") is dated only by the one year printed in the event's
    name ("High-Level Political Forum (HLPF) 2023")."""
    text = result.passage.text
    events = [x for x in result.linked if x.link.kind in EVENT_KINDS
              and not any(s <= x.mention.start and x.mention.end <= e for s, e in result.citations)]
    out: list[_Dated] = []
    printed = dates(text)
    for start, end in sorted({_sentence(text, x.mention.start) for x in events}
                             | {_sentence(text, d.start) for d in printed}):
        tokens: list[Linked | PrintedDates] = sorted(
            [x for x in events if start <= x.mention.start < end] + [d for d in printed if start <= d.start < end],
            key=lambda t: t.mention.start if isinstance(t, Linked) else t.start)
        tokens = [t for i, t in enumerate(tokens) if not (  # one event named twice in a row is one event
            i and isinstance(t, Linked) and isinstance(tokens[i - 1], Linked) and tokens[i - 1].link.iri == t.link.iri)]
        for event, days in _pairs(tokens):
            if not _beside(text, result.citations, event, days):
                continue
            years = set(_YEAR.findall(event.mention.text))
            year = int(years.pop()) if len(years) == 1 and not days.year_printed else None
            resolved = days.resolve(year)
            if resolved is not None:
                out.append(_Dated(event, days, resolved, result.passage))
    return out


def _pairs(tokens: list[Linked | PrintedDates]) -> list[tuple[Linked, PrintedDates]]:
    """Which event the days of one sentence belong to: the one event with the one range, or each
    range with the event just before it ("WSIS Forum 2023, 13-17 March, and HLPF 2023, 10-19 July");
    a list of events followed by a list of days ("the 39th and 40th meetings ... on 3 October and 24
    January") is too ambiguous to pair."""
    kinds = [isinstance(t, Linked) for t in tokens]
    if kinds.count(True) == 1 and kinds.count(False) == 1:
        return [(tokens[0], tokens[1]) if kinds[0] else (tokens[1], tokens[0])]
    return [(tokens[i - 1], token) for i, token in enumerate(tokens)
            if not kinds[i] and i and kinds[i - 1] and not (i > 1 and kinds[i - 2])
            and not (i + 1 < len(tokens) and not kinds[i + 1])]


_DATED_OTHER = re.compile(r"\S.*\b(?:of|dated)\s*$", re.DOTALL)
_LEADS_IN = re.compile(r"^[\s,]*(?:(?:at|during|for)\s+)?(?:the\s+)?$")


def _beside(text: str, citations: list[tuple[int, int]], event: Linked, days: PrintedDates) -> bool:
    """Whether the days are the event's: after it, unless a resolution or document is cited in
    between or the words between end with another thing's "of" or "dated" ("the report dated 2
    February 2024"); before it, only when they lead into its name ("On 13-17 March 2023, the WSIS
    Forum 2023")."""
    if event.mention.start < days.start:
        low, high = event.mention.end, days.start
        worded = not _DATED_OTHER.search(text[low:high])
    else:
        low, high = days.end, event.mention.start
        worded = bool(_LEADS_IN.match(text[low:high]))
    return worded and not any(low <= s < high for s, _ in citations)


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
