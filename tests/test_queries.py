"""Every canned query against the shipped data: rows that must be there, and counts where the source
fixes them (the WSIS-SDG Matrix has 287 links, 124 at goal level and 163 at target level; the
report's paragraphs fix the recommendations, documents and dates).

Each query has at least one test named after it (test_<query name with underscores>...);
test_every_canned_query_is_pinned holds the suite to that.
"""

import sys
from collections import Counter

import pytest

from wsisgraph import query
from wsisgraph.formats import plain

MATRIX = "WSIS-SDG Matrix"
REPORT = "report statement"
CURATOR = "curator's judgement"
SUB_LINES = ["C7-e-agriculture", "C7-e-business", "C7-e-employment", "C7-e-environment", "C7-e-government",
             "C7-e-health", "C7-e-learning", "C7-e-science"]
LINE_ORDER = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", *SUB_LINES, "C8", "C9", "C10", "C11"]
GOAL_9_LINES = {"C2", "C3", "C5", "C6", "C7-e-agriculture", "C7-e-business", "C7-e-environment",
                "C7-e-government", "C8", "C9", "C10"}
C2_LINKS_PER_GOAL = {"1": 2, "8": 2, "9": 4, "11": 3}


def answer(engine, name: str, **params: str) -> list[dict[str, str]]:
    """The rows of a canned query as plain strings (unbound cells are empty strings)."""
    result = query.run_canned(engine, query.find(name), params)
    return [{var: plain(term) for var, term in zip(result.variables, row, strict=True)} for row in result.rows]


def column(rows: list[dict[str, str]], name: str) -> list[str]:
    return [row[name] for row in rows]


def first_seen(values: list[str]) -> list[str]:
    """Values in order of first appearance, to check a query's ordering."""
    return list(dict.fromkeys(values))


# 1. Action lines aligned with a goal ---------------------------------------------------------------

def test_action_lines_for_goal_9(engine):
    rows = answer(engine, "action-lines-for-goal", goal="9")
    assert set(column(rows, "lineCode")) == GOAL_9_LINES
    assert len(rows) == 25  # 11 goal-level links and 14 links to goal 9's targets in the matrix
    assert Counter(column(rows, "targetCode")) == {"": 11, "9.c": 6, "9.1": 5, "9.a": 1, "9.3": 1, "9.4": 1}
    assert {"goalCode": "9", "lineCode": "C2", "targetCode": "9.c", "basisLabel": MATRIX,
            "actionLine": "Information and communication infrastructure"}.items() <= rows[3].items()
    assert first_seen(column(rows, "lineCode")) == [c for c in LINE_ORDER if c in GOAL_9_LINES]
    assert column(rows, "targetCode")[:4] == ["", "9.1", "9.a", "9.c"]  # goal-level link first, then targets


def test_action_lines_for_goal_every_matrix_link(engine):
    rows = answer(engine, "action-lines-for-goal", basis="matrix")
    assert len(rows) == 287
    assert sum(1 for row in rows if not row["targetCode"]) == 124
    assert sum(1 for row in rows if row["targetCode"]) == 163
    assert set(column(rows, "source")) == {"WSIS-SDG Matrix (ITU-coordinated, 2015/16)"}
    assert first_seen(column(rows, "goalCode")) == [str(g) for g in range(1, 18)]


def test_action_lines_for_goal_basis_filter_excludes_other_bases(engine):
    assert answer(engine, "action-lines-for-goal", goal="9", basis="report") == []


# 2. Goals and targets an action line supports ------------------------------------------------------

def test_targets_for_action_line_c2(engine):
    rows = answer(engine, "targets-for-action-line", line="C2")
    assert Counter(column(rows, "goalCode")) == C2_LINKS_PER_GOAL
    assert [r["targetCode"] for r in rows if r["targetCode"]] == ["1.4", "8.2", "9.1", "9.a", "9.c", "11.5", "11.b"]
    assert {r["basisLabel"] for r in rows} == {MATRIX}
    assert rows[0]["title"] == "No poverty"


def test_targets_for_action_line_c7_gathers_its_sub_lines(engine):
    rows = answer(engine, "targets-for-action-line", line="C7")
    assert len(rows) == 105
    assert first_seen(column(rows, "lineCode")) == SUB_LINES
    health = answer(engine, "targets-for-action-line", line="C7 e-health")
    assert len(health) == 16
    assert set(column(health, "lineCode")) == {"C7-e-health"}


# 3. Coverage matrix ---------------------------------------------------------------------------------

def test_coverage_matrix_counts_the_matrix(engine):
    rows = answer(engine, "coverage-matrix")
    assert column(rows, "lineCode") == LINE_ORDER
    by_line = {row["lineCode"]: row for row in rows}
    c2 = {goal: int(by_line["C2"][f"g{goal}"]) for goal in range(1, 18)}
    assert {str(g): n for g, n in c2.items() if n} == C2_LINKS_PER_GOAL
    assert by_line["C2"]["total"] == "11"
    assert sum(int(row["total"]) for row in rows if row["lineCode"] != "C7") == 287
    for goal in range(1, 18):
        assert int(by_line["C7"][f"g{goal}"]) == sum(int(by_line[s][f"g{goal}"]) for s in SUB_LINES)
    assert by_line["C7"]["total"] == "105"


def test_coverage_matrix_by_basis(engine):
    matrix = answer(engine, "coverage-matrix", basis="matrix")
    assert sum(int(row["total"]) for row in matrix if row["lineCode"] != "C7") == 287
    curated = answer(engine, "coverage-matrix", basis="curator")
    assert column(curated, "lineCode") == LINE_ORDER  # every line keeps its row, with zeros
    assert {row["total"] for row in curated} == {"0"}


# 4. Gaps --------------------------------------------------------------------------------------------

def test_coverage_gaps(engine):
    rows = answer(engine, "coverage-gaps")
    assert Counter(column(rows, "level")) == {"target": 89}  # 169 targets, 80 linked; every goal is linked
    goal_5 = answer(engine, "coverage-gaps", goal="5")
    assert column(goal_5, "targetCode") == ["5.2", "5.3", "5.4", "5.a", "5.c"]


def test_coverage_gaps_by_basis(engine):
    assert len(answer(engine, "coverage-gaps", basis="matrix")) == 89
    report = answer(engine, "coverage-gaps", basis="report", goal="9")
    assert column(report, "level") == ["goal"] + ["target"] * 8  # the report links no action line to an SDG


# 6. Facilitators -------------------------------------------------------------------------------------

def test_facilitators(engine):
    rows = answer(engine, "facilitators")
    pairs = [(r["lineCode"], r["role"], r["agencyCode"]) for r in rows]
    assert ("C2", "lead facilitator", "ITU") in pairs
    assert [p for p in pairs if p[0] == "C7-e-business"] == [
        ("C7-e-business", "lead facilitator", "UNCTAD"), ("C7-e-business", "co-facilitator", "ITC"),
        ("C7-e-business", "co-facilitator", "UPU")]
    assert ("C7", "", "") in pairs  # C7 is facilitated per sub-line
    assert first_seen(column(rows, "lineCode")) == LINE_ORDER


def test_facilitators_of_one_agency(engine):
    unesco = answer(engine, "facilitators", agency="UNESCO")
    assert column(unesco, "lineCode") == ["C3", "C7-e-learning", "C7-e-science", "C8", "C9", "C10"]
    assert set(column(unesco, "role")) == {"lead facilitator"}
    itu = answer(engine, "facilitators", agency="itu")
    assert {(r["lineCode"], r["role"]) for r in itu} >= {("C1", "co-facilitator"), ("C2", "lead facilitator")}


# 13. Indicators of an action line's targets -----------------------------------------------------------

def test_indicators_for_action_line(engine):
    rows = answer(engine, "indicators-for-action-line", line="C2")
    triples = [(r["targetCode"], r["indicatorCode"], r["unsdCode"]) for r in rows]
    assert len(rows) == 12
    assert ("9.c", "9.c.1", "C090c01") in triples
    # a repeated indicator (1.5.1 = 11.5.1 = 13.1.1) shows the code it has under this target
    assert ("11.5", "11.5.1", "C200303") in triples
    assert first_seen(column(rows, "targetCode")) == ["1.4", "8.2", "9.1", "9.a", "9.c", "11.5", "11.b"]


# 14. Search -------------------------------------------------------------------------------------------

def test_search_is_case_insensitive(engine):
    lower = answer(engine, "search", text="broadband")
    assert ("SDG indicator", "17.6.1") in {(r["kind"], r["code"]) for r in lower}
    assert answer(engine, "search", text="BROADBAND") == lower


def test_search_finds_labels_and_passages(engine):
    rows = answer(engine, "search", text="e-health")
    assert "C7-e-health" in column(rows, "code")
    forum = answer(engine, "search", text="WSIS Forum")
    assert {"WSIS Forum", "WSIS Forum 2025"} <= set(column(forum, "label"))
    assert any(r["kind"] == "source passage" for r in forum)


# 15. Describe ----------------------------------------------------------------------------------------

def test_describe_action_line(engine):
    rows = answer(engine, "describe", entity="C2")
    facts = {(r["direction"], r["property"], r["value"], r["code"]) for r in rows}
    assert ("out", "lead facilitator", "ITU", "ITU") in facts
    assert ("out", "notation", "C2", "") in facts
    assert ("out", "type", "WSIS action line", "") in facts
    assert sum(1 for f in facts if f[:2] == ("out", "supports target")) == 7
    assert ("in", "roadmap for", "ITU's WSIS Action Line Roadmap for C2", "") in facts
    assert column(rows, "direction") == sorted(column(rows, "direction"), reverse=True)  # out, then in
    graphs = {r["property"]: r["graphName"] for r in rows if r["direction"] == "out"}
    assert graphs["supports goal"] == "wsis/wsis-sdg-matrix"


# 12. Provenance (reference data part) -----------------------------------------------------------------

def test_provenance_of_a_matrix_link(engine):
    rows = answer(engine, "provenance", entity="C2", other="9.c")
    assert [(r["kind"], r["fact"], r["basisLabel"], r["source"]) for r in rows] == [
        ("alignment", "C2 supports target 9.c (WSIS-SDG Matrix)", MATRIX, "WSIS-SDG Matrix (ITU-coordinated, 2015/16)")]
    assert "287 links" in rows[0]["text"]


def test_provenance_of_a_goal_credits_unsd(engine):
    rows = answer(engine, "provenance", entity="9")
    sources = {r["source"] for r in rows if r["kind"] == "thing"}
    assert "Global indicator framework for the SDGs, after the 2023 refinement (UNSD)" in sources


# Extra analyst questions -------------------------------------------------------------------------------

def test_alignment_summary_counts_the_matrix(engine):
    rows = {(r["basisLabel"], r["link"]): r for r in answer(engine, "alignment-summary")}
    goal_level, target_level = rows[MATRIX, "supports goal"], rows[MATRIX, "supports target"]
    assert (goal_level["alignments"], target_level["alignments"]) == ("124", "163")
    assert (goal_level["subjects"], goal_level["objects"]) == ("18", "17")
    assert target_level["objects"] == "80"


def test_goal_coverage_of_goal_9(engine):
    rows = answer(engine, "goal-coverage", goal="9")
    assert column(rows, "targetCode") == ["", "9.1", "9.2", "9.3", "9.4", "9.5", "9.a", "9.b", "9.c"]
    lines = dict(zip(column(rows, "targetCode"), column(rows, "actionLines"), strict=True))
    assert lines == {"": "11", "9.1": "5", "9.2": "0", "9.3": "1", "9.4": "1", "9.5": "0", "9.a": "1",
                     "9.b": "0", "9.c": "6"}
    assert rows[-1]["indicators"] == "1"


# The whole library ------------------------------------------------------------------------------------

def test_every_canned_query_is_pinned():
    tests = {name for name in dir(sys.modules[__name__]) if name.startswith("test_")}
    for name in query.catalog():
        stem = "test_" + name.replace("-", "_")
        assert any(t.startswith(stem) for t in tests), f"no test pins the answer of query {name!r}"


@pytest.mark.parametrize("name", sorted(query.catalog()))
def test_answers_are_repeatable(engine, name):
    """Same store, same parameters, same rows in the same order."""
    canned = query.find(name)
    values = {p.name: p.example for p in canned.params.values() if p.required}
    first, second = (query.run_canned(engine, canned, values) for _ in range(2))
    assert first.rows == second.rows
