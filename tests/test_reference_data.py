"""Data tests: the SDG framework, the action lines and the WSIS-SDG Matrix as built, against the
reference counts and, where ../shared is present, against the reference files themselves."""

import csv
from pathlib import Path

import pytest

from conftest import REPO, select

PREFIXES = """
PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def count(store, where: str) -> int:
    rows = select(store, PREFIXES + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"])


@pytest.mark.parametrize(("cls", "expected"), [
    ("wsis:SDGGoal", 17), ("wsis:SDGTarget", 169), ("wsis:SDGIndicator", 232), ("wsis:ActionLine", 19),
])
def test_class_counts(store, cls, expected):
    assert count(store, f"?x a {cls}") == expected


def test_indicator_rows_are_248_dotted_codes(store):
    assert count(store, "?i a wsis:SDGIndicator ; skos:notation ?x") == 248


def test_repeated_indicator_is_one_node_with_each_code_and_target(store):
    rows = select(store, PREFIXES + """
        SELECT ?code ?target WHERE { ?i wsis:unsdCode "C200303" ; skos:notation ?code ; wsis:measuresTarget ?t .
                                     ?t skos:notation ?target } ORDER BY ?code ?target""")
    assert {r["code"] for r in rows} == {"1.5.1", "11.5.1", "13.1.1"}
    assert {r["target"] for r in rows} == {"1.5", "11.5", "13.1"}


def test_every_target_has_exactly_one_goal(store):
    assert count(store, "?x a wsis:SDGTarget FILTER NOT EXISTS { ?x wsis:goal ?g }") == 0
    assert count(store, "?x a wsis:SDGTarget ; wsis:goal ?a, ?b FILTER(?a != ?b)") == 0


def test_every_indicator_measures_a_target(store):
    orphan = "?x a wsis:SDGIndicator FILTER NOT EXISTS { ?x wsis:measuresTarget ?t . ?t a wsis:SDGTarget }"
    assert count(store, orphan) == 0


def test_target_code_starts_with_goal_code(store):
    rows = select(store, PREFIXES + """SELECT ?t ?g WHERE { ?x a wsis:SDGTarget ; skos:notation ?t ;
        wsis:goal/skos:notation ?g FILTER(!STRSTARTS(?t, CONCAT(?g, "."))) }""")
    assert rows == []


def test_links_out_to_un_kos_and_sdgio(store):
    rows = select(store, PREFIXES + """SELECT ?m WHERE { <https://w3id.org/wsisgraph/id/sdg/indicator/9.c.1>
        skos:exactMatch ?m }""")
    assert "http://metadata.un.org/sdg/C090c01" in {r["m"] for r in rows}
    kos = "?x a wsis:SDGGoal ; skos:exactMatch ?k FILTER STRSTARTS(STR(?k), 'http://metadata.un.org/sdg/')"
    assert count(store, kos) == 17
    # closeMatch to SDGIO where the wording was refined since 2019 (22 rows, reference README)
    assert count(store, "?x a wsis:SDGIndicator ; skos:closeMatch ?s") == 22


def test_c7_sub_lines_are_narrower_than_c7(store):
    assert count(store, "?x skos:broader <https://w3id.org/wsisgraph/id/action-line/C7>") == 8


def test_matrix_links_are_qualified(store):
    assert count(store, "?x a wsis:Alignment ; wsis:basis wsis:WSISSDGMatrix") == 287
    assert count(store, "?x a wsis:Alignment ; wsis:basis wsis:WSISSDGMatrix ; "
                        "wsis:alignmentProperty wsis:supportsGoal") == 124
    assert count(store, "?x a wsis:Alignment FILTER NOT EXISTS { ?x wsis:basis ?b }") == 0
    assert count(store, "?x a wsis:Alignment FILTER NOT EXISTS { ?x wsis:referenceSource|wsis:sourcePassage ?s }") == 0


def test_every_matrix_alignment_has_its_direct_link(store):
    missing = select(store, PREFIXES + """SELECT ?a WHERE { ?a a wsis:Alignment ; wsis:alignmentSubject ?s ;
        wsis:alignmentProperty ?p ; wsis:alignmentObject ?o FILTER NOT EXISTS { ?s ?p ?o } }""")
    assert missing == []


def test_matrix_caveats_are_kept(store):
    assert count(store, "?x a wsis:Alignment ; wsis:caveat ?c FILTER CONTAINS(?c, 'off-by-one')") == 1


def test_facilitators(store):
    rows = select(store, PREFIXES + """SELECT ?org WHERE { <https://w3id.org/wsisgraph/id/action-line/C7-e-business>
        wsis:coFacilitator/skos:notation ?org }""")
    assert {r["org"] for r in rows} == {"ITC", "UPU"}


@pytest.mark.parametrize("name", ["sdg/goals.csv", "sdg/targets.csv", "sdg/indicators.csv",
                                  "wsis/action_lines.csv", "wsis/wsis_sdg_matrix.csv",
                                  "sdg/translations.csv"])
def test_data_tables_equal_reference(reference: Path, name: str):
    """The project's copies of the reference tables are the reference, byte for byte."""
    assert (REPO / "data" / name).read_bytes() == (reference / name).read_bytes()


@pytest.mark.parametrize(("table", "cls"), [("sdg/goals.csv", "SDGGoal"), ("sdg/targets.csv", "SDGTarget")])
def test_titles_equal_reference(store, reference: Path, table: str, cls: str):
    with (reference / table).open(encoding="utf-8") as handle:
        expected = {row["code"]: row["title"] for row in csv.DictReader(handle)}
    rows = select(store, PREFIXES + f"SELECT ?code ?title WHERE {{ ?x a wsis:{cls} ; skos:notation ?code ; "
                                    "dcterms:title ?title FILTER(LANG(?title) = 'en') }")
    assert {r["code"]: r["title"] for r in rows} == expected


def test_indicator_titles_equal_reference(store, reference: Path):
    with (reference / "sdg/indicators.csv").open(encoding="utf-8") as handle:
        expected = {row["unsd_code"]: row["title"] for row in csv.DictReader(handle)}
    rows = select(store, PREFIXES + "SELECT ?code ?title WHERE { ?x wsis:unsdCode ?code ; dcterms:title ?title "
                                    "FILTER(LANG(?title) = 'en') }")
    assert {r["code"]: r["title"] for r in rows} == expected


def test_every_reference_node_has_a_source(store):
    assert count(store, """?x a ?c FILTER(?c IN (wsis:SDGGoal, wsis:SDGTarget, wsis:SDGIndicator, wsis:ActionLine,
        wsis:Alignment)) FILTER NOT EXISTS { ?x wsis:referenceSource|wsis:sourcePassage ?s }""") == 0
