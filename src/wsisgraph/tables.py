"""Convert the curated CSV tables in data/ into RDF triples.

The tables are the project's own copies of the reference data (SDG framework, WSIS action lines,
WSIS-SDG Matrix); this module is the one place that knows how a row becomes triples. Each table
is registered under its path relative to data/, so a new table is one function and one entry.
Every node made here points to the reference source it came from (wsis:referenceSource), and
those source nodes, with their original authority, are curated in data/sources/reference.ttl.
"""

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from wsisgraph.errors import InputError
from wsisgraph.namespaces import DCTERMS, RDF, RDFS, SKOS, XSD, W, entity

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


def _common(node: NamedNode, cls: NamedNode, code: str, label: str, scheme: NamedNode) -> Triples:
    yield Triple(node, RDF.type, cls)
    yield Triple(node, SKOS.notation, Literal(code))
    yield Triple(node, SKOS.prefLabel, en(label))
    yield Triple(node, RDFS.label, en(label))
    yield Triple(node, SKOS.inScheme, scheme)


def _links_out(node: NamedNode, row: Row, close_to_sdgio: bool = False) -> Triples:
    """skos:exactMatch to the UN SDG KOS (and Wikidata); SDGIO exact, or close where wording changed."""
    if row.get("un_kos_uri"):
        yield Triple(node, SKOS.exactMatch, NamedNode(row["un_kos_uri"]))
    if row.get("wikidata_uri"):
        yield Triple(node, SKOS.exactMatch, NamedNode(row["wikidata_uri"]))
    if row.get("sdgio_iri"):
        yield Triple(node, SKOS.closeMatch if close_to_sdgio else SKOS.exactMatch, NamedNode(row["sdgio_iri"]))
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
    for _, row in read_table(path, ["code", "short_title", "title", "color_hex"]):
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
    for _, row in read_table(path, ["code", "goal", "title"]):
        target = target_iri(row["code"])
        yield from _common(target, W.SDGTarget, row["code"], row["title"], SDG_SCHEME)
        yield Triple(target, DCTERMS.title, en(row["title"]))
        yield Triple(target, W.goal, goal_iri(row["goal"]))
        yield Triple(target, SKOS.broader, goal_iri(row["goal"]))
        yield from _links_out(target, row)
        yield from _sources(target, SRC_FRAMEWORK, SRC_KOS)


def sdg_indicators(path: Path) -> Triples:
    """One node per UNSD code; a repeated indicator keeps every dotted code and every target."""
    for _, row in read_table(path, ["code", "target", "goal", "title", "unsd_code"]):
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
    for _, row in read_table(path, ["id", "code", "title"]):
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
            yield Triple(line, DCTERMS.source, NamedNode(url))
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
        level = row["link_level"]
        if level == "goal":
            obj, prop, key = goal_iri(row["sdg_goal"]), W.supportsGoal, row["sdg_goal"]
        elif level == "target" and row.get("sdg_target"):
            obj, prop, key = target_iri(row["sdg_target"]), W.supportsTarget, row["sdg_target"]
        else:
            raise InputError(str(path), line_no, f"link_level must be goal or target with a target code, got {level!r}")
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


TABLES: dict[str, Callable[[Path], Triples]] = {
    "sdg/goals.csv": sdg_goals,
    "sdg/targets.csv": sdg_targets,
    "sdg/indicators.csv": sdg_indicators,
    "wsis/action_lines.csv": wsis_action_lines,
    "wsis/wsis_sdg_matrix.csv": wsis_sdg_matrix,
}


def convert(path: Path, relative: str) -> list[Triple]:
    """Triples of one table, chosen by its path relative to data/."""
    converter = TABLES.get(relative)
    if converter is None:
        known = ", ".join(sorted(TABLES))
        raise InputError(str(path), None, f"no converter for this table (known tables: {known})")
    return list(converter(path))

