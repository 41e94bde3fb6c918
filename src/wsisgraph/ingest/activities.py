"""Activity lists (.csv, .xlsx): one wsis:ITUActivity per row with the alignments the row states
(action lines, SDG goals or targets), each qualified by a wsis:Alignment whose basis is
wsis:ActivityList and whose source is the row (a wsis:SourcePassage numbered by its row).

Columns are found by their header, in any case ("Action lines", "SDG targets"...), or mapped with
`--column name=HEADER`. A bad row is `file:row: what is wrong`; nothing is written unless every
row is valid, or `--skip-invalid` leaves the bad rows out (and says which).
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from wsisgraph.core.errors import InputError
from wsisgraph.core.namespaces import DCTERMS, ID, RDF, RDFS, XSD, W, entity, normalise_key
from wsisgraph.ingest import patterns, readers
from wsisgraph.ingest.link import GraphIndex

SUFFIXES = {".csv", ".xlsx"}
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "activity", "activity title", "name"),
    "description": ("description", "summary", "details"),
    "action-lines": ("action lines", "action line", "wsis action lines", "wsis action line", "action_lines", "lines"),
    "sdgs": ("sdgs", "sdg", "sdg goals", "sdg targets", "sdg goals or targets", "sdg goals/targets", "goals",
             "targets", "goals and targets"),
    "organisation": ("organisation", "organization", "lead organisation", "lead organization", "agency", "entity"),
    "date": ("date", "start date", "year"),
    "url": ("url", "link", "website", "web page"),
}
SCHEMA_URL = NamedNode("https://schema.org/url")
_SPLIT = re.compile(r"\s*[;,\n]\s*")
_SDG_PREFIX = re.compile(r"^(?:SDGs?|Goal|Target|Indicator)\s*", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$")


@dataclass
class Row:
    number: int                       # the row as a spreadsheet shows it (header is row 1)
    values: dict[str, str]            # field -> cell text
    text: str                         # the row as "Header: value; ..." (the passage text)


@dataclass
class ActivityList:
    path: Path
    key: str
    title: str
    sha256: str
    rows: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)        # "file:row: what is wrong"
    triples: list[Triple] = field(default_factory=list)

    @property
    def graph(self) -> str:
        return f"ingested/{self.key}"


def _cells(path: Path, encoding: str | None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of a CSV or the first sheet of an XLSX."""
    if path.suffix.lower() == ".csv":
        text = readers.read_text_file(path, encoding)
        reader = csv.reader(text.splitlines())
        for cells in reader:
            yield reader.line_num, cells
        return
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException from a damaged workbook
        raise InputError(str(path), None, f"not a readable .xlsx file ({type(exc).__name__}: {exc})") from exc
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        yield number, ["" if v is None else v.date().isoformat() if isinstance(v, datetime) else str(v)
                       for v in values]
    workbook.close()


def _columns(path: Path, header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Field -> column index, by --column mappings first, then by the known header names."""
    folded = [h.strip().casefold() for h in header]
    out: dict[str, int] = {}
    for name, wanted in mapping.items():
        if wanted.strip().casefold() not in folded:
            raise InputError(str(path), 1, f"no column {wanted!r} (for --column {name}=...); the header has: "
                                           + ", ".join(h for h in header if h))
        out[name] = folded.index(wanted.strip().casefold())
    for name, names in FIELDS.items():
        if name not in out:
            found = next((folded.index(n) for n in names if n in folded), None)
            if found is not None:
                out[name] = found
    missing = [] if "title" in out else ["title"]
    if "action-lines" not in out and "sdgs" not in out:
        missing.append("action lines or SDG goals/targets")
    if missing:
        raise InputError(str(path), 1, f"missing required column(s): {', '.join(missing)} "
                                       f"(the header has: {', '.join(h for h in header if h)}; map others with "
                                       "--column title=HEADER)")
    return out


def parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    """--column name=HEADER options."""
    out = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        if not sep or name not in FIELDS:
            raise InputError("--column", None, f"{pair!r}: give NAME=HEADER with NAME one of {', '.join(FIELDS)}")
        out[name] = header
    return out


class RowChecker:
    """Resolves a row's cells against the graph: action lines and SDG codes must exist."""

    def __init__(self, index: GraphIndex):
        self.index = index
        self.line_names = {p.text.casefold(): p.iri for p in index.phrases if p.kind == "action-line"}
        self.organisations = {p.text.casefold(): p.iri for p in index.phrases if p.kind == "organisation"}

    def action_line(self, text: str) -> str:
        found = self.index.codes.get(("ActionLine", text.upper())) or self.line_names.get(text.casefold())
        if found is None:
            raise ValueError(f"unknown action line {text!r} (C1-C11, or a C7 sub-line such as \"C7 e-health\")")
        return found

    def sdg(self, text: str) -> tuple[str, NamedNode]:
        code = _SDG_PREFIX.sub("", text).strip()
        if re.fullmatch(r"\d{1,2}", code):
            cls, prop = "SDGGoal", W.supportsGoal
        elif re.fullmatch(r"\d{1,2}\.\w{1,2}", code):
            cls, prop = "SDGTarget", W.supportsTarget
        else:
            raise ValueError(f"not an SDG goal or target code: {text!r} (such as 9 or 9.c)")
        found = self.index.codes.get((cls, code))
        if found is None:
            raise ValueError(f"unknown SDG {'goal' if cls == 'SDGGoal' else 'target'} {code!r}")
        return found, prop


def _date(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", text)
    try:
        if match and match.group(2) in patterns.MONTH_NUMBERS:
            return date(int(match.group(3)), patterns.MONTH_NUMBERS[match.group(2)], int(match.group(1))).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise ValueError(f"impossible date {text!r}") from exc
    raise ValueError(f"not a date: {text!r} (give YYYY-MM-DD)")


def read(path: Path, index: GraphIndex, key: str | None, title: str | None, mapping: dict[str, str],
         skip_invalid: bool, encoding: str | None, sha256: str) -> ActivityList:
    """Rows and their triples; bad rows raise (all of them listed) unless skip_invalid."""
    if not path.is_file():
        raise InputError(str(path), None, "no such file")
    if path.stat().st_size == 0:
        raise InputError(str(path), None, "the file is empty")
    rows = iter(_cells(path, encoding))
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputError(str(path), None, "no header row") from None
    columns = _columns(path, header, mapping)
    listing = ActivityList(path, normalise_key(key or path.stem), title or f"Activity list {path.name}", sha256)
    checker = RowChecker(index)
    document = entity("document", listing.key)
    errors: list[str] = []
    seen: dict[str, int] = {}
    out: list[Triple] = [Triple(document, RDF.type, W.Document),
                         Triple(document, RDFS.label, Literal(listing.title, language="en")),
                         Triple(document, DCTERMS.title, Literal(listing.title, language="en"))]
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in columns.items()}
        try:
            triples = _row(listing, document, number, values, header, cells, checker, seen)
        except ValueError as exc:
            errors.append(f"{path}:{number}: {exc}")
            continue
        out += triples
        listing.rows.append(Row(number, values, ""))
    if errors and not skip_invalid:
        raise RowErrors(path, errors)
    if not listing.rows:
        raise InputError(str(path), None, "no valid rows")
    listing.skipped = errors
    out.append(Triple(document, W.sourcePassage, entity(f"passage/{listing.key}", f"row-{listing.rows[0].number}")))
    listing.triples = out
    return listing


def _row(listing: ActivityList, document: NamedNode, number: int, values: dict[str, str], header: list[str],
         cells: list[str], checker: RowChecker, seen: dict[str, int]) -> list[Triple]:
    title = values.get("title", "")
    if not title:
        raise ValueError("no title")
    lines = [code for code in _SPLIT.split(values.get("action-lines", "")) if code]
    links = [(NamedNode(checker.action_line(code)), W.alignedWith) for code in lines]
    links += [(NamedNode(iri), prop) for iri, prop in (checker.sdg(code) for code in
                                                        _SPLIT.split(values.get("sdgs", "")) if code)]
    when = _date(values["date"]) if values.get("date") else None
    url = values.get("url", "")
    if url and not _URL.match(url):
        raise ValueError(f"not a web address: {url!r}")
    slug = normalise_key(title.lower())[:80]
    seen[slug] = seen.get(slug, 0) + 1
    activity = entity(f"activity/{listing.key}", slug if seen[slug] == 1 else f"{slug}-row-{number}")
    passage = entity(f"passage/{listing.key}", f"row-{number}")
    text = "; ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=False) if h and str(c).strip())
    out = [Triple(passage, RDF.type, W.SourcePassage),
           Triple(passage, RDFS.label, Literal(f"{listing.title}, row {number}", language="en")),
           Triple(passage, W.inDocument, document),
           Triple(passage, W.paragraph, Literal(str(number))),
           Triple(passage, W.text, Literal(text, language="en")),
           Triple(activity, RDF.type, W.ITUActivity),
           Triple(activity, RDFS.label, Literal(title, language="en")),
           Triple(activity, W.sourcePassage, passage)]
    if values.get("description"):
        out.append(Triple(activity, DCTERMS.description, Literal(values["description"], language="en")))
    if when:
        out.append(Triple(activity, DCTERMS.date, Literal(when, datatype=XSD.date)))
    if url:
        out.append(Triple(activity, SCHEMA_URL, NamedNode(url)))
    if values.get("organisation"):
        out.append(Triple(activity, W.organisedBy, _organisation(values["organisation"], checker, passage, out)))
    for index, (target, prop) in enumerate(links, 1):
        alignment = entity(f"alignment/{listing.key}", f"row-{number}-{index}")
        what = f"{title} {prop.value.rsplit('#', 1)[1]} {target.value.removeprefix(ID)} (row {number})"
        out += [Triple(activity, prop, target),
                Triple(alignment, RDF.type, W.Alignment),
                Triple(alignment, RDFS.label, Literal(what, language="en")),
                Triple(alignment, W.alignmentSubject, activity),
                Triple(alignment, W.alignmentProperty, prop),
                Triple(alignment, W.alignmentObject, target),
                Triple(alignment, W.basis, W.ActivityList),
                Triple(alignment, W.modality, W.Stated),  # the row names the line or goal in its own column
                Triple(alignment, W.sourcePassage, passage)]
    return out


def _organisation(name: str, checker: RowChecker, passage: NamedNode, out: list[Triple]) -> NamedNode:
    """The organisation the graph knows by this name or acronym, else a new one sourced by the row."""
    known = checker.organisations.get(name.casefold()) or checker.index.codes.get(("Organisation", name))
    if known:
        return NamedNode(known)
    node = entity("organisation", name.lower())
    if node.value not in checker.index.nodes:
        out += [Triple(node, RDF.type, W.Organisation), Triple(node, RDFS.label, Literal(name, language="en")),
                Triple(node, W.sourcePassage, passage)]
    return node


class RowErrors(InputError):
    """Bad rows of an activity list: every one of them, one line each."""

    def __init__(self, path: Path, lines: list[str]):
        super().__init__(str(path), None, f"{len(lines)} invalid row(s); nothing was written "
                                          "(--skip-invalid ingests the valid rows)")
        self.lines = lines
