"""Every canned query against the shipped data: rows that must be there, and counts where the source
fixes them (the WSIS-SDG Matrix has 287 links, 124 at goal level and 163 at target level; the
report's paragraphs fix the recommendations, documents and dates).

Each query has at least one test named after it (test_<query name with underscores>...);
test_every_canned_query_is_pinned holds the suite to that.
"""

import sys
from collections import Counter

import pytest
from click.testing import CliRunner

from wsisgraph.cli import main
from wsisgraph.sparql import query
from wsisgraph.sparql.results import plain

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


def test_describe_shows_the_modality(engine):
    rows = answer(engine, "describe", entity="Report on ITU's contribution to WSIS+20")
    facts = {(r["direction"], r["property"], r["value"], r["modality"]) for r in rows}
    assert ("out", "addressed to", "2024 session of the ITU Council", "invitation") in facts
    assert ("out", "prepares for", "2025 session of the CSTD", "destination") in facts
    assert ("in", "concerns", "Recommendation 3.14 of the 39th and 40th CWG-WSIS&SDG meetings", "stated") in facts
    assert ("out", "label", "Report on ITU's contribution to WSIS+20", "") in facts  # no passage qualifies a label
    process = answer(engine, "describe", entity="WSIS process")
    assert ("out", "aligned with", "2030 Agenda for Sustainable Development", "inferred from context") in {
        (r["direction"], r["property"], r["value"], r["modality"]) for r in process}


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


def test_provenance_of_a_report_activity(engine):
    rows = answer(engine, "provenance", entity="WSIS Forum")
    assert {r["paragraph"] for r in rows if r["kind"] == "thing"} == {"2.3", "2.7", "2.10.1", "3.3"}
    sdgs = [r for r in rows if r["fact"] == "WSIS Forum contributes to the SDGs (report paragraph 2.7)"]
    assert [(r["basisLabel"], r["paragraph"]) for r in sdgs] == [(REPORT, "2.7")]
    assert "contributing to the SDGs" in sdgs[0]["text"]
    assert ("relation", "WSIS Forum 2025 | part of | WSIS Forum", "3.3") in {
        (r["kind"], r["fact"], r["paragraph"]) for r in rows}
    assert first_seen(column(rows, "kind")) == ["thing", "alignment", "relation"]


def test_provenance_shows_how_strongly_each_fact_is_stated(engine):
    rows = answer(engine, "provenance", entity="Recommendation 3.15.1 of the 39th and 40th CWG-WSIS&SDG meetings")
    modality = {r["fact"]: r["modality"] for r in rows if r["kind"] == "relation"}
    line = "Recommendation 3.15.1 of the 39th and 40th CWG-WSIS&SDG meetings | addressed to | 2025 session of the UNGA"
    assert modality[line] == "destination"
    assert {m for f, m in modality.items() if "| actor |" in f} == {"stated"}
    event = answer(engine, "provenance", entity="WSIS+20 Forum High-Level Event")
    dated = [(r["fact"], r["modality"], float(r["confidence"]), r["paragraph"])
             for r in event if "| startDate |" in r["fact"]]
    assert dated == [("WSIS+20 Forum High-Level Event | startDate | 2024-05-27", "inferred from context", 0.9, p)
                     for p in ("1", "3.14", "3.2")]
    aims = answer(engine, "provenance", entity="GDC", other="WSIS outcomes")
    assert {(r["kind"], r["modality"]) for r in aims} == {("alignment", "aim")}


def test_provenance_of_a_curated_link(engine):
    rows = answer(engine, "provenance", entity="WTISD-25", other="5")
    assert [(r["kind"], r["basisLabel"], float(r["confidence"]), r["paragraph"]) for r in rows] == [
        ("alignment", CURATOR, 0.9, "3.11")]


def test_provenance_from_the_command_line(store_location):
    entity = "entity=Recommendation 3.1 of the 39th and 40th CWG-WSIS&SDG meetings"
    result = CliRunner().invoke(main, ["query", "provenance", "--store", str(store_location), "-f", "csv",
                                       "--param", entity])
    assert result.exit_code == 0, result.output
    assert "ITU's WSIS Action Line Roadmap for C2" in result.stdout
    assert "The group requested the secretariat to update the ITU Roadmaps C2, C4, C5 and C6" in result.stdout


# 5. Activities contributing to a goal ------------------------------------------------------------------

def test_activities_for_goal_5(engine):
    rows = answer(engine, "activities-for-goal", goal="5")
    found = {(r["activityLabel"], r["route"], r["basisLabel"], float(r["confidence"])) for r in rows}
    assert found == {
        ("WTISD-25", "the goal itself", CURATOR, 0.9),
        ("WTISD-25", "target 5.b", CURATOR, 0.8),
        ("WSIS Gender Trendsetters side event at the 67th session of the Commission on the Status of Women",
         "target 5.b", CURATOR, 0.8),
        ("WSIS Forum", "the SDGs as a whole", REPORT, 1.0),
        ("WSIS Stocktaking", "the SDGs as a whole", REPORT, 1.0),
        ("WSIS Prizes", "the SDGs as a whole", REPORT, 1.0),
        ("ITU's WSIS Action Line Roadmap for C4", "action line C4", MATRIX, 1.0),
        ("ITU's WSIS Action Line Roadmap for C5", "action line C5", MATRIX, 1.0),
        ("ITU's WSIS Action Line Roadmap for C6", "action line C6", MATRIX, 1.0),
    }
    assert column(rows, "activityLabel") == sorted(column(rows, "activityLabel"))


def test_activities_for_goal_by_basis(engine):
    curated = answer(engine, "activities-for-goal", goal="9", basis="curator")
    assert [(r["activityLabel"], r["route"], float(r["confidence"])) for r in curated] == [
        ("WTISD-24", "the goal itself", 0.5)]


# 7. Resolutions -----------------------------------------------------------------------------------------

def test_resolutions_cited_by_the_report(engine):
    rows = answer(engine, "resolutions")
    assert {"A/RES/70/125", "A/RES/70/1", "A/RES/77/150", "A/71/212", "A/70/299", "A/70/684", "A/RES/73/218",
            "E/RES/2023/3", "140", "1332", "1334"} <= set(column(rows, "symbol"))
    governs = [(r["symbol"], r["subjectLabel"]) for r in rows if r["relation"] == "governs"]
    assert governs == [("1334", "Recommendation 3.13 of the 39th and 40th CWG-WSIS&SDG meetings")]
    mandated_by_1332 = {r["subjectLabel"] for r in rows if r["symbol"] == "1332"}
    roadmap = "Roadmap for ITU's activities to help achieve the 2030 Agenda for Sustainable Development"
    assert roadmap in mandated_by_1332
    issuers = {r["symbol"]: r["issuedBy"] for r in rows}
    assert issuers["E/RES/2023/3"] == "Economic and Social Council (ECOSOC)"
    assert issuers["140"] == "ITU Plenipotentiary Conference"


def test_resolutions_mandating_the_report(engine):
    rows = answer(engine, "resolutions", subject="Report of the 39th and 40th meetings of the CWG-WSIS&SDG")
    # The report says it is "in line with" them, not that they mandate it (issue 17).
    assert [(r["resolutionLabel"], r["relation"]) for r in rows] == [
        ("ITU Council Resolution 1332 (Modified 2023)", "in line with"),
        ("ITU Council Resolution 1334 (Modified 2023)", "in line with"),
        ("ITU Plenipotentiary Conference Resolution 140 (Rev. Bucharest, 2022)", "in line with")]


# 8. Processes WSIS contributes to ------------------------------------------------------------------------

def test_processes_and_how(engine):
    rows = answer(engine, "processes")
    links = {(r["contributorLabel"], r["relation"], r["processLabel"], r["paragraph"]) for r in rows}
    assert ("WSIS process", "aligned with", "2030 Agenda for Sustainable Development", "1 c)") in links
    assert ("WSIS Forum", "contributes to", "High-Level Political Forum (HLPF) 2023", "2.3") in links
    assert ("ITU", "contributes to", "Global Digital Compact (GDC)", "1 e)") in links
    assert ("WSIS+20 Forum High-Level Event", "prepares for", "WSIS+20 review", "2.10.2") in links
    assert ("Report on ITU's contribution to WSIS+20", "prepares for", "2025 session of the CSTD", "3.14") in links


def test_processes_for_the_hlpf(engine):
    rows = answer(engine, "processes", process="HLPF")
    assert [(r["contributorLabel"], r["relation"], r["paragraph"]) for r in rows] == [
        ("ITU", "contributes to", "1 d)"), ("ITU", "contributes to", "2.14"), ("ITU Council", "contributes to", "2.14")]


# 9. Recommendations --------------------------------------------------------------------------------------

def test_recommendations_for_the_secretariat(engine):
    rows = answer(engine, "recommendations", actor="ITU secretariat")
    assert [(r["number"], r["actionLabel"], r["dueLabel"]) for r in rows] == [
        ("3.1", "request", "Next meeting of the CWG-WSIS&SDG (after the 40th)"),
        ("3.7", "encourage", ""),
        ("3.8", "request", ""),
        ("3.14", "invite", "2024 session of the ITU Council")]
    assert rows[0]["actionText"].startswith("update the ITU Roadmaps C2, C4, C5 and C6 (2023)")


def test_recommendations_of_the_meetings_by_actor(engine):
    rows = answer(engine, "recommendations")
    assert len(set(column(rows, "number"))) == 20  # 3.1-3.15, 3.15.1, 3.15.2, 3.4's appreciation, 2.10.1, cover
    assert {r["actorLabel"] for r in rows if r["number"] == "3.2"} == {"The ITU membership", "All stakeholders"}
    # "for further submission to the 2025 session of CSTD and UNGA": destinations, not deadlines (issue 17)
    assert {(r["dueLabel"], r["destinationLabel"]) for r in rows if r["number"] == "3.15.1"} == {
        ("", "2025 session of the CSTD"), ("", "2025 session of the UNGA")}
    assert {r["dueDate"] for r in rows if r["number"] == "3.2"} == {"2024-05-27"}
    assert column(rows, "actorLabel") == sorted(column(rows, "actorLabel"))
    fortieth = answer(engine, "recommendations", meeting="CWG-WSIS&SDG-40")
    assert set(column(fortieth, "number")) == set(column(rows, "number")) - {"action-required", "2.10.1"}


# 10. Documents a meeting considered ------------------------------------------------------------------------

def test_meeting_documents(engine):
    rows = answer(engine, "meeting-documents", meeting="CWG-WSIS&SDG-39")
    assert first_seen(column(rows, "symbol")) == ["CWG-WSIS&SDG-39/2", "CWG-WSIS&SDG-39/3", "CWG-WSIS&SDG-39/4",
                                                  "CWG-WSIS&SDG-39/14"]
    assert {r["supportsLabel"] for r in rows if r["symbol"] == "CWG-WSIS&SDG-39/4"} == {
        "Sustainable Development Goals Summit 2023", "Summit of the Future 2024"}
    fortieth = answer(engine, "meeting-documents", meeting="CWG-WSIS&SDG-40")
    assert first_seen(column(fortieth, "symbol")) == ["CWG-WSIS&SDG-40/INF/4", "CWG-WSIS&SDG-40/INF/5",
                                                      "CWG-WSIS&SDG-40/INF/6"]
    assert "Global Digital Compact (GDC)" in column(fortieth, "supportsLabel")


def test_meeting_documents_of_both_meetings(engine):
    both = answer(engine, "meeting-documents", meeting="39th and 40th meetings of the CWG-WSIS&SDG, taken together")
    assert len(set(column(both, "symbol"))) == 7
    assert len({(r["symbol"], r["supportsLabel"]) for r in answer(engine, "meeting-documents")}) == len(both)


# 11. Timeline -------------------------------------------------------------------------------------------

def test_timeline_of_2024(engine):
    rows = answer(engine, "timeline", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert [(r["date"], r["what"], r["itemLabel"]) for r in rows] == [
        ("2024-05-27", "starts", "WSIS+20 Forum High-Level Event"),
        ("2024-05-27", "due", "Recommendation 3.2 of the 39th and 40th CWG-WSIS&SDG meetings"),
        ("2024-05-31", "ends", "WSIS+20 Forum High-Level Event")]


def test_timeline_bounds_are_inclusive_and_optional(engine):
    assert column(answer(engine, "timeline", **{"from": "2024-05-31"}), "what") == ["ends"]
    assert column(answer(engine, "timeline", to="2024-05-27"), "what") == ["starts", "due"]
    assert answer(engine, "timeline", **{"from": "2025-01-01"}) == []


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


def test_citations_of_the_curated_report(engine):
    """On shipped data the citations are the curated paragraphs' sources (tests/test_ingest.py pins
    ingested documents' mentions)."""
    rows = answer(engine, "citations", document="Report of the 39th and 40th meetings of the CWG-WSIS&SDG")
    in_2_1 = {r["cited"].rsplit("/", 1)[-1] for r in rows if r["where"] == "2.1" and r["kind"] == "resolution"}
    assert in_2_1 == {"itu-council-1332", "itu-council-1334", "a-res-70-125", "a-res-70-1", "a-res-77-150",
                      "a-71-212", "a-70-299", "a-70-684", "a-res-73-218", "e-res-2023-3"}
    assert set(column(rows, "basisLabel")) == {"report statement"}
    assert first_seen(column(rows, "where"))[:2] == ["1", "1 a)"]


def test_cited_by_a_resolution(engine):
    rows = answer(engine, "cited-by", entity="A/RES/70/125")
    assert [(r["where"], r["basisLabel"]) for r in rows] == [("2.1", "report statement")]


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
