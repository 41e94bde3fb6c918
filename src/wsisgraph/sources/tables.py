"""Convert the curated CSV tables in data/ into RDF triples.

The tables are the project's own copies of the reference data (SDG framework, WSIS action lines,
WSIS-SDG Matrix); this module is the one place that knows how a row becomes triples. Each table
is registered under its path relative to data/, so a new table is one function and one entry.
Every node made here points to the reference source it came from (wsis:referenceSource), and
those source nodes, with their original authority, are curated in data/sources/reference.ttl.
"""

import csv
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from wsisgraph.core.errors import InputError
from wsisgraph.core.languages import BCP47, FALLBACK, UN_LANGUAGES
from wsisgraph.core.namespaces import DCTERMS, RDF, RDFS, SKOS, XSD, W, entity

Row = dict[str, str]
Triples = Iterator[Triple]

SDG_SCHEME = entity("scheme", "sdg")
ACTION_LINE_SCHEME = entity("scheme", "wsis-action-lines")
SRC_FRAMEWORK = entity("source", "unsd-global-indicator-framework-2023")
SRC_KOS = entity("source", "un-sdg-kos")
SRC_SDGIO = entity("source", "sdgio")
SRC_COLOURS = entity("source", "unsd-sdg-colours")
SRC_ACTION_LINES = entity("source", "wsis-action-lines")
SRC_MATRIX = entity("source", "wsis-sdg-matrix")
SRC_TRANSLATIONS = entity("source", "open-sdg-translations")


def en(text: str) -> Literal:
    return Literal(text, language="en")


def goal_iri(code: str) -> NamedNode:
    return entity("sdg/goal", code)


def target_iri(code: str) -> NamedNode:
    return entity("sdg/target", code)


def indicator_iri(code: str) -> NamedNode:
    return entity("sdg/indicator", code)


def action_line_iri(code: str) -> NamedNode:
    return entity("action-line", code)


def organisation_iri(acronym: str) -> NamedNode:
    return entity("organisation", acronym.lower())


def read_table(path: Path, required: list[str]) -> Iterator[tuple[int, Row]]:
    """Rows of a CSV file with their line numbers; a missing column or empty cell is an InputError."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(str(path), 1, f"missing column(s): {', '.join(missing)}")
        line = reader.line_num
        try:
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise InputError(str(path), line + 1, "wrong number of fields")
                for column in required:
                    if not row[column].strip():
                        raise InputError(str(path), line + 1, f"empty value in required column {column!r}")
                yield line + 1, row
                line = reader.line_num
        except csv.Error as exc:
            raise InputError(str(path), reader.line_num, f"CSV error: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(str(path), None, f"not UTF-8: {exc.reason}") from exc


@contextmanager
def at_row(path: Path, line: int) -> Iterator[None]:
    """Whatever is wrong with a cell of this row (an IRI that is not one, a code that makes no key)
    becomes `path:line: message`, so a bad table never ends in a traceback."""
    try:
        yield
    except ValueError as exc:
        raise InputError(str(path), line, str(exc)) from exc


def iri(value: str, column: str) -> NamedNode:
    """The IRI in a cell of this column, or a ValueError naming the column and the value."""
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise ValueError(f"column {column!r}: {value!r} is not an IRI ({exc})") from exc


def _common(node: NamedNode, cls: NamedNode, code: str, label: str, scheme: NamedNode) -> Triples:
    yield Triple(node, RDF.type, cls)
    yield Triple(node, SKOS.notation, Literal(code))
    yield Triple(node, SKOS.prefLabel, en(label))
    yield Triple(node, RDFS.label, en(label))
    yield Triple(node, SKOS.inScheme, scheme)


def _links_out(node: NamedNode, row: Row, close_to_sdgio: bool = False) -> Triples:
    """skos:exactMatch to the UN SDG KOS (and Wikidata); SDGIO exact, or close where wording changed."""
    if row.get("un_kos_uri"):
        yield Triple(node, SKOS.exactMatch, iri(row["un_kos_uri"], "un_kos_uri"))
    if row.get("wikidata_uri"):
        yield Triple(node, SKOS.exactMatch, iri(row["wikidata_uri"], "wikidata_uri"))
    if row.get("sdgio_iri"):
        yield Triple(node, SKOS.closeMatch if close_to_sdgio else SKOS.exactMatch, iri(row["sdgio_iri"], "sdgio_iri"))
    if row.get("footnote"):
        yield Triple(node, SKOS.note, en(row["footnote"]))


def _sources(node: NamedNode, *sources: NamedNode) -> Triples:
    for source in sources:
        yield Triple(node, W.referenceSource, source)


def sdg_goals(path: Path) -> Triples:
    yield Triple(SDG_SCHEME, RDF.type, SKOS.ConceptScheme)
    yield Triple(SDG_SCHEME, SKOS.prefLabel, en("Sustainable Development Goals: goals, targets and indicators"))
    yield Triple(SDG_SCHEME, RDFS.label, en("Sustainable Development Goals: goals, targets and indicators"))
    yield from _sources(SDG_SCHEME, SRC_FRAMEWORK)
    for line, row in read_table(path, ["code", "short_title", "title", "color_hex"]):
        with at_row(path, line):
            goal = goal_iri(row["code"])
            yield from _common(goal, W.SDGGoal, row["code"], row["short_title"], SDG_SCHEME)
            yield Triple(goal, SKOS.topConceptOf, SDG_SCHEME)
            yield Triple(goal, W.shortTitle, en(row["short_title"]))
            yield Triple(goal, DCTERMS.title, en(row["title"]))
            yield Triple(goal, SKOS.definition, en(row["title"]))
            yield Triple(goal, W.colour, Literal(row["color_hex"]))
            yield from _links_out(goal, row)
            yield from _sources(goal, SRC_FRAMEWORK, SRC_KOS, SRC_COLOURS)


def sdg_targets(path: Path) -> Triples:
    for line, row in read_table(path, ["code", "goal", "title"]):
        with at_row(path, line):
            target = target_iri(row["code"])
            yield from _common(target, W.SDGTarget, row["code"], row["title"], SDG_SCHEME)
            yield Triple(target, DCTERMS.title, en(row["title"]))
            yield Triple(target, W.goal, goal_iri(row["goal"]))
            yield Triple(target, SKOS.broader, goal_iri(row["goal"]))
            yield from _links_out(target, row)
            yield from _sources(target, SRC_FRAMEWORK, SRC_KOS)


def sdg_indicators(path: Path) -> Triples:
    """One node per UNSD code; a repeated indicator keeps every dotted code and every target."""
    for line, row in read_table(path, ["code", "target", "goal", "title", "unsd_code"]):
        with at_row(path, line):
            first = row.get("repeat_first_listed_as") or row["code"]
            indicator = indicator_iri(first)
            target = target_iri(row["target"])
            yield Triple(indicator, SKOS.notation, Literal(row["code"]))
            yield Triple(indicator, W.measuresTarget, target)
            yield Triple(indicator, SKOS.broader, target)
            if first != row["code"]:
                continue
            yield from _common(indicator, W.SDGIndicator, row["code"], row["title"], SDG_SCHEME)
            yield Triple(indicator, DCTERMS.title, en(row["title"]))
            yield Triple(indicator, W.unsdCode, Literal(row["unsd_code"]))
            close = row.get("wording_differs_from_kos_2019", "").lower() == "true"
            yield from _links_out(indicator, row, close_to_sdgio=close)
            yield from _sources(indicator, SRC_FRAMEWORK, SRC_KOS)
            if row.get("sdgio_iri"):
                yield from _sources(indicator, SRC_SDGIO)


def _split_agencies(cell: str) -> list[str]:
    return [a.strip() for a in cell.split(";") if a.strip()]


def wsis_action_lines(path: Path) -> Triples:
    yield Triple(ACTION_LINE_SCHEME, RDF.type, SKOS.ConceptScheme)
    yield Triple(ACTION_LINE_SCHEME, SKOS.prefLabel, en("WSIS action lines"))
    yield Triple(ACTION_LINE_SCHEME, RDFS.label, en("WSIS action lines"))
    yield from _sources(ACTION_LINE_SCHEME, SRC_ACTION_LINES)
    agencies: set[str] = set()
    for number, row in read_table(path, ["id", "code", "title"]):
        with at_row(path, number):
            line = action_line_iri(row["id"])
            yield from _common(line, W.ActionLine, row["id"], row["title"], ACTION_LINE_SCHEME)
            yield Triple(line, DCTERMS.title, en(row["title"]))
            if row.get("sub_line"):
                yield Triple(line, SKOS.broader, action_line_iri(row["code"]))
                yield Triple(line, SKOS.altLabel, en(f"{row['code']} {row['sub_line']}"))
            else:
                yield Triple(line, SKOS.topConceptOf, ACTION_LINE_SCHEME)
            if row.get("gpoa_heading"):
                yield Triple(line, W.gpoaHeading, en(row["gpoa_heading"]))
            for agency in _split_agencies(row.get("lead_facilitator", "")):
                agencies.add(agency)
                yield Triple(line, W.leadFacilitator, organisation_iri(agency))
            for agency in _split_agencies(row.get("co_facilitators", "")):
                agencies.add(agency)
                yield Triple(line, W.coFacilitator, organisation_iri(agency))
            if row.get("note"):
                yield Triple(line, W.caveat, en(row["note"]))
            for url in row.get("sources", "").split():
                yield Triple(line, DCTERMS.source, iri(url, "sources"))
            yield from _sources(line, SRC_ACTION_LINES)
    for agency in sorted(agencies):
        node = organisation_iri(agency)
        yield Triple(node, RDF.type, W.Organisation)
        yield Triple(node, RDFS.label, Literal(agency, language="en"))
        yield Triple(node, SKOS.notation, Literal(agency))
        yield from _sources(node, SRC_ACTION_LINES)


def wsis_sdg_matrix(path: Path) -> Triples:
    """Each matrix link twice: the direct link, and a wsis:Alignment node that qualifies it."""
    for line_no, row in read_table(path, ["action_line_id", "link_level", "sdg_goal"]):
        with at_row(path, line_no):
            level = row["link_level"]
            if level == "goal":
                obj, prop, key = goal_iri(row["sdg_goal"]), W.supportsGoal, row["sdg_goal"]
            elif level == "target" and row.get("sdg_target"):
                obj, prop, key = target_iri(row["sdg_target"]), W.supportsTarget, row["sdg_target"]
            else:
                raise ValueError(f"link_level must be goal or target with a target code, got {level!r}")
            subject = action_line_iri(row["action_line_id"])
            alignment = entity("alignment/wsis-sdg-matrix", f"{row['action_line_id']}--{key}")
            yield Triple(subject, prop, obj)
            yield Triple(alignment, RDF.type, W.Alignment)
            yield Triple(alignment, RDFS.label, en(f"{row['action_line_id']} supports {level} {key} (WSIS-SDG Matrix)"))
            yield Triple(alignment, W.alignmentSubject, subject)
            yield Triple(alignment, W.alignmentObject, obj)
            yield Triple(alignment, W.alignmentProperty, prop)
            yield Triple(alignment, W.basis, W.WSISSDGMatrix)
            # "1", not "1.0": the canonical form a store writes back, so an export re-validates with the data
            yield Triple(alignment, W.confidence, Literal("1", datatype=XSD.decimal))
            yield from _sources(alignment, SRC_MATRIX)
            if row.get("source_cell_value") and row.get("source_cell_value") != key:
                cell = f"source cell under goal {row.get('source_cell_goal', '')}: {row['source_cell_value']}"
                yield Triple(alignment, SKOS.editorialNote, en(cell))
            if row.get("note"):
                yield Triple(alignment, W.caveat, en(row["note"]))


# The translations table: what each (kind, field) row becomes. A goal's preferred label is its short
# title, as in English; targets and indicators are labelled by their title.
TRANSLATED: dict[tuple[str, str], tuple[NamedNode, ...]] = {
    ("goal", "title"): (DCTERMS.title,),
    ("goal", "short_title"): (W.shortTitle, SKOS.prefLabel),
    ("target", "title"): (DCTERMS.title, SKOS.prefLabel),
    ("indicator", "title"): (DCTERMS.title, SKOS.prefLabel),
}
NODE_IRIS = {"goal": goal_iri, "target": target_iri, "indicator": indicator_iri}
EARLIER_WORDING = ("The titles of this indicator in the six UN languages from open-sdg/sdg-translations render an "
                   "earlier English wording ({earlier!r}) that differs from the 2023 framework title; they are kept "
                   "as skos:altLabel, never as the current title, which is the English one.")
NO_TRANSLATION = ("open-sdg/sdg-translations has no title of this indicator in Arabic, Chinese, French, Russian or "
                  "Spanish; it is titled in English only, and readers in those languages see the English title.")
REPEAT_WORDING = ("A repeated indicator is translated under each of its codes; the translation under the first-listed "
                  "code is the preferred label, a different wording under another code is a skos:altLabel.")


def _framework_indicators(path: Path) -> dict[str, str]:
    """Each indicator code of the framework table beside the translations, with its first-listed code."""
    return {row["code"]: row.get("repeat_first_listed_as") or row["code"]
            for _, row in read_table(path.parent / "indicators.csv", ["code", "target", "goal", "title", "unsd_code"])}


def sdg_translations(path: Path) -> Triples:
    """Goal, target and indicator titles in the six UN languages (open-sdg/sdg-translations).

    English comes from the framework tables, so English rows are only checked, except where the
    source's English differs from the framework (`english_matches_framework = differs`): then the
    source renders an earlier wording, and its texts in every language become skos:altLabel with a
    caveat. A repeated indicator is one node, labelled from its first-listed code. An indicator of
    the framework with no row at all gets a caveat saying so (11.5.3), rather than any label. Texts
    are stored in Unicode NFC, as RDF 1.1 Concepts (3.3) asks of literals: the source writes many
    accents as combining marks, which RDF/XML readers such as Jena refuse.
    """
    first_listed = _framework_indicators(path)
    required = ["kind", "code", "lang", "field", "text", "english_matches_framework"]
    rows = list(read_table(path, required))
    texts = {(row["kind"], row["code"], row["lang"], row["field"]): row["text"] for _, row in rows}
    translated: set[str] = set()
    for line, row in rows:
        with at_row(path, line):
            kind, code, lang, field = row["kind"], row["code"], row["lang"], row["field"]
            if (kind, field) not in TRANSLATED:
                raise ValueError(f"unknown kind and field {kind!r}/{field!r}")
            if not BCP47.match(lang) or lang not in UN_LANGUAGES:
                raise ValueError(f"language must be one of {', '.join(UN_LANGUAGES)}, got {lang!r}")
            if kind == "indicator" and code not in first_listed:
                raise ValueError(f"indicator {code!r} is not in indicators.csv")
            first = first_listed.get(code, code) if kind == "indicator" else code
            node = NODE_IRIS[kind](first)
            if kind == "indicator":
                translated.add(first)
            text = Literal(unicodedata.normalize("NFC", row["text"]), language=lang)
            matching = row["english_matches_framework"]
            if matching == "differs":
                yield Triple(node, SKOS.altLabel, text)
                if lang == FALLBACK:
                    caveat = EARLIER_WORDING.format(earlier=row["text"])
                    yield Triple(node, W.caveat, Literal(caveat, language=FALLBACK))
            elif matching not in {"exact", "typographic"}:
                raise ValueError(f"english_matches_framework must be exact, typographic or differs, "
                                 f"got {matching!r}")
            elif lang == FALLBACK:
                continue  # the framework's English is the title; this row only confirms it
            elif first != code:
                if texts.get((kind, first, lang, field)) != row["text"]:
                    yield Triple(node, SKOS.altLabel, text)
                    yield Triple(node, SKOS.editorialNote, Literal(REPEAT_WORDING, language=FALLBACK))
            else:
                for prop in TRANSLATED[(kind, field)]:
                    yield Triple(node, prop, text)
            yield from _sources(node, SRC_TRANSLATIONS)
    for first in sorted(set(first_listed.values()) - translated):
        yield Triple(indicator_iri(first), W.caveat, Literal(NO_TRANSLATION, language=FALLBACK))
        yield from _sources(indicator_iri(first), SRC_TRANSLATIONS)


TABLES: dict[str, Callable[[Path], Triples]] = {
    "sdg/goals.csv": sdg_goals,
    "sdg/targets.csv": sdg_targets,
    "sdg/indicators.csv": sdg_indicators,
    "wsis/action_lines.csv": wsis_action_lines,
    "wsis/wsis_sdg_matrix.csv": wsis_sdg_matrix,
    "sdg/translations.csv": sdg_translations,
}


def convert(path: Path, relative: str) -> list[Triple]:
    """Triples of one table, chosen by its path relative to data/."""
    converter = TABLES.get(relative)
    if converter is None:
        known = ", ".join(sorted(TABLES))
        raise InputError(str(path), None, f"no converter for this table (known tables: {known})")
    return list(converter(path))

