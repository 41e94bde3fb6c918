"""The CWG-WSIS&SDG 39th/40th meetings report as data (issue 3).

One test per numbered paragraph asserts, with SPARQL against a built store, the facts that
paragraph states; further tests check coverage, provenance, datatypes and that the curator's
judgements live in their own named graph. The store is built once per session.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store

from wsisgraph.graph.build import build

ID = "https://w3id.org/wsisgraph/id/"
WSIS = "https://w3id.org/wsisgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
REPORT_GRAPH = "https://w3id.org/wsisgraph/graph/report/cwg-wsis-sdg-39-40"
CURATED_GRAPH = "https://w3id.org/wsisgraph/graph/curated/report-judgements"
SOURCE = Path(__file__).resolve().parents[2] / "shared" / "sources" / "000_4a7bf0ed2a01d9a4.txt"

PREFIXES = f"""
PREFIX wsis: <{WSIS}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <{XSD}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX p: <{ID}passage/cwg-wsis-sdg-39-40-report/>
PREFIX doc: <{ID}document/>
PREFIX res: <{ID}resolution/>
PREFIX rm: <{ID}roadmap/>
PREFIX mtg: <{ID}meeting/>
PREFIX ev: <{ID}event/>
PREFIX o: <{ID}organisation/>
PREFIX sg: <{ID}stakeholder-group/>
PREFIX proc: <{ID}process/>
PREFIX fw: <{ID}framework/>
PREFIX act: <{ID}activity/>
PREFIX sgoal: <{ID}strategic-goal/>
PREFIX spe: <{ID}strategic-plan-element/>
PREFIX topic: <{ID}topic/cwg-wsis-sdg-39-40/>
PREFIX place: <{ID}place/>
PREFIX rec: <{ID}recommendation/cwg-wsis-sdg-39-40/>
PREFIX aln: <{ID}alignment/report/>
PREFIX al: <{ID}action-line/>
PREFIX scheme: <{ID}scheme/>
PREFIX goal: <{ID}sdg/goal/>
PREFIX target: <{ID}sdg/target/>
"""

# Numbered paragraphs that state no fact of their own (a bare section heading).
PROCEDURAL = {"2"}

ALL_PARAGRAPHS = (
    ["Purpose", "Action required by the Council", "Relevant link(s) with the Strategic Plan",
     "Financial implications", "1", "1 a)", "1 b)", "1 c)", "1 d)", "1 e)", "2"]
    + [f"2.{i}" for i in range(1, 15)] + ["2.10.1", "2.10.2", "2.10.3", "3"]
    + [f"3.{i}" for i in range(1, 16)] + ["3.15.1", "3.15.2"]
)


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Store:
    location = tmp_path_factory.mktemp("report-store")
    build(location)
    return Store.read_only(str(location / "current"))


def ask(db: Store, where: str) -> bool:
    return bool(db.query(PREFIXES + f"ASK {{ {where} }}"))


def rows(db: Store, query: str) -> list[tuple]:
    return [tuple(s[i] for i in range(len(s))) for s in db.query(PREFIXES + query)]


def values(db: Store, subject: str, predicate: str) -> set:
    """Values of `subject predicate ?v`: IRIs as full strings, literals as Python values."""
    out = set()
    subject = term(subject)
    for (v,) in rows(db, f"SELECT ?v WHERE {{ {subject} {predicate} ?v }}"):
        out.add(v.value if isinstance(v, NamedNode) else literal_value(v))
    return out


def literal_value(v: Literal):
    dt = v.datatype.value
    if dt == XSD + "integer":
        return int(v.value)
    if dt == XSD + "decimal":
        return Decimal(v.value)
    return v.value


def iri(prefixed: str) -> str:
    prefix, local = prefixed.split(":", 1)
    for line in PREFIXES.split("\n"):
        if line.startswith(f"PREFIX {prefix}: "):
            return line.split("<", 1)[1].rstrip(">") + local
    raise KeyError(prefix)


HEADINGS = {"Purpose": "purpose", "Action required by the Council": "action-required",
            "Relevant link(s) with the Strategic Plan": "strategic-plan-link",
            "Financial implications": "financial-implications"}


def passage(paragraph: str) -> str:
    """The passage IRI of a paragraph as printed (3.14, 1 a), or an unnumbered section's heading."""
    key = HEADINGS.get(paragraph) or paragraph.replace(" ", ".").rstrip(")")
    return f"<{ID}passage/cwg-wsis-sdg-39-40-report/{key}>"


def term(x: str) -> str:
    """A prefixed name as SPARQL text; dotted keys such as rec:3.15.1 are written as full IRIs."""
    return f"<{iri(x)}>" if "." in x.split(":", 1)[1] and not x.startswith("<") else x


def stated(db: Store, s: str, p: str, o: str, paragraph: str, modality: str = "Stated") -> bool:
    """The triple is in the graph AND a wsis:SourcedStatement attributes it to the paragraph, in that
    modality (wsis:Stated unless said otherwise)."""
    s, o = term(s), term(o)
    return ask(db, f"""{s} {p} {o} .
        ?st a wsis:SourcedStatement ; wsis:statementSubject {s} ; wsis:statementProperty {p} ;
            wsis:statementObject {o} ; wsis:sourcePassage {passage(paragraph)} ; wsis:modality wsis:{modality} .""")


def from_paragraph(db: Store, node: str, paragraph: str) -> bool:
    node = term(node)
    return ask(db, f"{node} wsis:sourcePassage {passage(paragraph)}")


def recommendation(db: Store, key: str, action: str, actors: set[str], paragraph: str) -> None:
    node = term(f"rec:{key}")
    assert ask(db, f"{node} a wsis:Recommendation ; wsis:action wsis:{action}")
    assert values(db, node, "wsis:actor") == {iri(a) for a in actors}
    assert from_paragraph(db, node, paragraph)
    assert values(db, node, "wsis:actionText")
    if key.startswith("3"):
        assert stated(db, node, "wsis:recommendedBy", "o:cwg-wsis-sdg", "3")


# ---------------------------------------------------------------- the report itself

def test_report_purpose_and_mandate(report_db):
    db = report_db
    assert ask(db, "doc:cwg-wsis-sdg-39-40-report a wsis:Report ; rdfs:label ?l FILTER(lang(?l) = 'en')")
    for res in ("res:itu-pp-140", "res:itu-council-1332", "res:itu-council-1334"):
        # "in line with" (issue 17): the report does not say the resolutions mandate it
        assert stated(db, "doc:cwg-wsis-sdg-39-40-report", "wsis:inLineWith", res, "Purpose")
        assert not ask(db, f"{res} wsis:mandates ?x")
    assert values(db, "res:itu-pp-140", "wsis:revision") == {"Rev. Bucharest, 2022"}
    assert stated(db, "res:itu-pp-140", "wsis:issuedBy", "o:itu-plenipotentiary-conference", "Purpose")
    assert "Modified 2023" in values(db, "res:itu-council-1334", "wsis:revision")
    assert "Modified 2023" in values(db, "res:itu-council-1332", "wsis:revision")
    assert stated(db, "doc:cwg-wsis-sdg-39-40-report", "wsis:concerns", "mtg:cwg-wsis-sdg-39", "Purpose")


def test_action_required_by_the_council(report_db):
    recommendation(report_db, "action-required", "Invite", {"o:itu-council"}, "Action required by the Council")
    assert stated(report_db, "rec:action-required", "wsis:concerns", "doc:cwg-wsis-sdg-39-40-report",
                  "Action required by the Council")
    assert stated(report_db, "doc:cwg-wsis-sdg-39-40-report", "dcterms:audience", "o:itu-council",
                  "Action required by the Council")


def test_strategic_plan_link_and_financial_implications(report_db):
    db = report_db
    links = values(db, "doc:cwg-wsis-sdg-39-40-report", "wsis:strategicPlanLink")
    assert links == {iri("spe:convening-platforms"), iri("spe:partnerships-and-international-cooperation")}
    assert stated(db, "doc:cwg-wsis-sdg-39-40-report", "wsis:strategicPlanLink", "spe:convening-platforms",
                  "Relevant link(s) with the Strategic Plan")
    assert values(db, "doc:cwg-wsis-sdg-39-40-report", "wsis:financialImplications") == {
        "Within the allocated budget 2024-2025."}
    assert from_paragraph(db, "doc:cwg-wsis-sdg-39-40-report", "Financial implications")


# ---------------------------------------------------------------- section 1

def test_paragraph_1_meetings(report_db):
    db = report_db
    for n, count in ((39, 140), (40, 150)):
        m = f"mtg:cwg-wsis-sdg-{n}"
        assert ask(db, f"{m} a wsis:Meeting")
        assert values(db, m, "wsis:ordinal") == {n}
        assert values(db, m, "wsis:participantCount") == {count}
        assert stated(db, m, "wsis:heldBy", "o:cwg-wsis-sdg", "1")
        assert stated(db, m, "schema:attendee", "sg:itu-member-states", "1")
        assert stated(db, m, "schema:attendee", "sg:itu-sector-members", "1")
        assert values(db, m, "schema:eventAttendanceMode") == {"https://schema.org/MixedEventAttendanceMode"}
    joint = "mtg:cwg-wsis-sdg-39-40"
    assert values(db, joint, "wsis:documentCount") == {33}
    assert values(db, joint, "wsis:informationDocumentCount") == {10}
    assert values(db, joint, "wsis:caveat"), "the joint counts must carry their caveat"
    assert not ask(db, "mtg:cwg-wsis-sdg-39 wsis:documentCount ?n"), "counts are not split per meeting"
    assert stated(db, joint, "dcterms:hasPart", "mtg:cwg-wsis-sdg-40", "1")
    assert from_paragraph(db, "mtg:itu-council-2023", "1")
    assert stated(db, "sg:cwg-wsis-sdg-vice-chairs", "wsis:partOf", "o:cwg-wsis-sdg", "1")


@pytest.mark.parametrize("letter,about", [
    ("a", {"fw:wsis-outcomes", "fw:2030-agenda"}),
    ("b", {"proc:wsis-plus-20-review"}),
    ("c", {"proc:wsis-process", "fw:2030-agenda"}),
    ("d", {"proc:hlpf"}),
    ("e", {"proc:gdc", "proc:wsis-process"}),
])
def test_paragraph_1_topics(report_db, letter, about):
    db = report_db
    for m in ("mtg:cwg-wsis-sdg-39", "mtg:cwg-wsis-sdg-40"):
        assert stated(db, m, "wsis:topic", f"topic:{letter}", f"1 {letter})")
    assert values(db, f"topic:{letter}", "wsis:concerns") == {iri(x) for x in about}
    assert values(db, f"topic:{letter}", "skos:notation") == {letter}


def test_paragraph_1_alignments(report_db):
    db = report_db
    for obj, para in (("proc:wsis-plus-20-review", "1 b)"), ("proc:hlpf", "1 d)"), ("proc:gdc", "1 e)")):
        assert ask(db, f"""o:itu wsis:contributesTo {obj} .
            ?a wsis:alignmentSubject o:itu ; wsis:alignmentObject {obj} ; wsis:basis wsis:ReportStatement ;
               wsis:sourcePassage/wsis:paragraph "{para}" .""")
    assert ask(db, """proc:wsis-process wsis:alignedWith fw:2030-agenda .
        aln:wsis-process--2030-agenda wsis:sourcePassage p:1.c .""")


# ---------------------------------------------------------------- section 2

def test_paragraph_2_1_resolutions(report_db):
    db = report_db
    unga = {"a-res-70-125": "A/RES/70/125", "a-res-70-1": "A/RES/70/1", "a-res-77-150": "A/RES/77/150",
            "a-71-212": "A/71/212", "a-70-299": "A/70/299", "a-70-684": "A/70/684",
            "a-res-73-218": "A/RES/73/218"}
    for key, symbol in unga.items():
        r = f"res:{key}"
        assert ask(db, f"{r} a wsis:Resolution")
        assert values(db, r, "wsis:documentSymbol") == {symbol}
        assert values(db, r, "wsis:number") == {symbol.rsplit("/", 1)[-1]}
        assert stated(db, r, "wsis:issuedBy", "o:unga", "2.1")
        assert stated(db, "mtg:cwg-wsis-sdg-39-40", "wsis:topic", r, "2.1")
    for key in ("a-71-212", "a-70-299", "a-70-684"):
        assert values(db, f"res:{key}", "wsis:caveat"), "non-RES symbols carry a caveat"
    assert values(db, "res:e-res-2023-3", "wsis:documentSymbol") == {"E/RES/2023/3"}
    assert values(db, "res:e-res-2023-3", "wsis:number") == {"3"}
    assert stated(db, "res:e-res-2023-3", "wsis:issuedBy", "o:ecosoc", "2.1")
    assert values(db, "res:itu-council-1332", "wsis:number") == {"1332"}
    assert stated(db, "res:itu-council-1334", "wsis:issuedBy", "o:itu-council", "2.1")
    assert from_paragraph(db, "mtg:itu-pp-22", "2.1")


def test_paragraph_2_2_sg_report(report_db):
    db = report_db
    d = "doc:itu-sg-report-wsis-outcomes"
    assert stated(db, d, "wsis:inLineWith", "res:itu-council-1332", "2.2")
    assert stated(db, d, "dcterms:creator", "o:itu-secretary-general", "2.2")
    assert stated(db, d, "wsis:concerns", "fw:2030-agenda", "2.2")
    assert stated(db, d, "wsis:presentedAt", "mtg:cwg-wsis-sdg-39-40", "2.2")


def test_paragraph_2_3_documents(report_db):
    db = report_db
    for sym, about in (("39-2", ["fw:our-common-agenda"]),
                       ("39-4", ["ev:sdg-summit-2023", "ev:summit-of-the-future-2024"]),
                       ("39-3", ["act:wsis-forum", "ev:hlpf-2023"]),
                       ("39-14", ["act:wsis-forum", "ev:hlpf-2023"])):
        d = f"doc:cwg-wsis-sdg-{sym}"
        assert ask(db, f"{d} a wsis:MeetingDocument")
        assert values(db, d, "wsis:documentSymbol") == {"CWG-WSIS&SDG-" + sym.replace("-", "/")}
        for x in about:
            assert stated(db, d, "wsis:concerns", x, "2.3")
            assert stated(db, x, "wsis:supportingDocument", d, "2.3")
        # which meeting considered it is read from the symbol's number
        assert stated(db, "mtg:cwg-wsis-sdg-39", "wsis:considered", d, "2.3", "InferredFromContext")
    assert stated(db, "doc:unsg-report", "dcterms:creator", "o:un-secretary-general", "2.3")
    assert ask(db, """act:wsis-forum wsis:contributesTo ev:hlpf-2023 .
        aln:wsis-forum--hlpf-2023 wsis:sourcePassage/wsis:paragraph "2.3" .""")
    assert ask(db, "o:itu-council wsis:contributesTo ev:sdg-summit-2023")


def test_paragraph_2_4_wsis_plus_20_roadmaps(report_db):
    db = report_db
    assert stated(db, "rm:cstd-wsis-plus-20-review", "wsis:roadmapFor", "proc:wsis-plus-20-review", "2.4")
    assert values(db, "rm:cstd-wsis-plus-20-review", "wsis:presentedBy") == {iri("o:unctad"), iri("o:un-cstd")}
    assert stated(db, "rm:cstd-wsis-plus-20-review", "wsis:presentedBy", "o:unctad", "2.4")
    assert stated(db, "rm:unesco-wsis-plus-20-review-2025", "wsis:presentedBy", "o:unesco", "2.4")
    assert stated(db, "rm:unesco-wsis-plus-20-review-2025", "wsis:roadmapFor", "proc:wsis-plus-20-review", "2.4")


def test_paragraph_2_5_summit_of_the_future_and_gdc(report_db):
    db = report_db
    briefing = "ev:briefings-summit-of-the-future-and-gdc"
    for n in (4, 5, 6):
        d = f"doc:cwg-wsis-sdg-40-inf-{n}"
        assert values(db, d, "wsis:documentSymbol") == {f"CWG-WSIS&SDG-40/INF/{n}"}
        assert stated(db, briefing, "wsis:supportingDocument", d, "2.5")
        assert stated(db, d, "wsis:concerns", "proc:gdc", "2.5")
        assert stated(db, "mtg:cwg-wsis-sdg-40", "wsis:considered", d, "2.5", "InferredFromContext")
    assert stated(db, briefing, "schema:performer", "sg:co-facilitators-summit-of-the-future-and-gdc", "2.5")
    assert stated(db, "proc:gdc", "wsis:partOf", "ev:summit-of-the-future-2024", "2.5")


def test_paragraph_2_6_itu_action_line_roadmaps(report_db):
    db = report_db
    for c in ("C2", "C4", "C5", "C6"):
        rm = f"rm:itu-wsis-action-line-{c.lower()}"
        assert ask(db, f"{rm} a wsis:Roadmap")
        assert stated(db, rm, "wsis:roadmapFor", f"al:{c}", "2.6")
        assert ask(db, f"al:{c} a wsis:ActionLine"), "reuses the action-line IRI minted by tables.py"
        assert ask(db, f"""{rm} wsis:alignedWith fw:itu-strategic-plan-2024-2027 .
            ?a wsis:alignmentSubject {rm} ; wsis:alignmentObject fw:itu-strategic-plan-2024-2027 ;
               wsis:sourcePassage/wsis:paragraph "2.6" .""")


def test_paragraph_2_7_activities_contribute_to_sdgs(report_db):
    db = report_db
    for a in ("act:wsis-forum", "act:wsis-stocktaking", "act:wsis-prizes"):
        assert ask(db, f"""{a} wsis:contributesTo scheme:sdg .
            ?al a wsis:Alignment ; wsis:alignmentSubject {a} ; wsis:alignmentObject scheme:sdg ;
                wsis:alignmentProperty wsis:contributesTo ; wsis:basis wsis:ReportStatement ;
                wsis:confidence 1.0 ; wsis:sourcePassage/wsis:paragraph "2.7" ;
                dcterms:references <{ID}source/wsis-sdg-matrix> .""")
        assert stated(db, "mtg:cwg-wsis-sdg-39-40", "wsis:topic", a, "2.7")


def test_paragraph_2_8_measuring_ict(report_db):
    db = report_db
    assert ask(db, "o:itu wsis:contributesTo proc:partnership-on-measuring-ict-for-development")
    assert stated(db, "proc:partnership-on-measuring-ict-for-development", "wsis:concerns", "proc:gdc", "2.8")
    assert any("timely ICT statistics" in n for n in
               values(db, "proc:partnership-on-measuring-ict-for-development", "skos:note"))


def test_paragraph_2_9_ungis(report_db):
    db = report_db
    assert ask(db, 'o:ungis rdfs:label "United Nations Group on the Information Society (UNGIS)"@en')
    assert ask(db, 'o:itu wsis:contributesTo o:ungis . aln:itu--ungis wsis:sourcePassage/wsis:paragraph "2.9"')
    # UNGIS's work for 2023-2024 was presented, not UNGIS (issue 17)
    assert stated(db, "proc:ungis-work-2023-2024", "wsis:presentedAt", "mtg:cwg-wsis-sdg-39-40", "2.9")
    assert stated(db, "proc:ungis-work-2023-2024", "wsis:organisedBy", "o:ungis", "2.9")
    assert not ask(db, "o:ungis wsis:presentedAt ?meeting")


def test_paragraph_2_10_wsis_plus_20_and_strategic_goals(report_db):
    db = report_db
    assert values(db, "o:itu", "wsis:strategicGoal") == {
        iri("sgoal:itu-universal-connectivity"), iri("sgoal:itu-sustainable-digital-transformation")}
    assert stated(db, "o:itu", "wsis:strategicGoal", "sgoal:itu-universal-connectivity", "2.10")
    assert stated(db, "fw:wsis-outcomes", "wsis:reviewedBy", "proc:wsis-plus-20-review", "2.10")
    assert stated(db, "proc:wsis-plus-20-review", "dcterms:audience", "sg:all-stakeholders", "2.10")
    assert "Overall Review on the Implementation of the WSIS Outcomes: WSIS Beyond 2025" in values(
        db, "proc:wsis-plus-20-review", "skos:altLabel")


def test_paragraph_2_10_1_role_of_itu(report_db):
    db = report_db
    d = "doc:itu-sg-report-wsis-plus-20-roadmap"
    assert values(db, d, "dcterms:title") == {
        "World Summit on the Information Society (WSIS)+20: WSIS beyond 2025 - WSIS+20 Roadmap"}
    assert stated(db, d, "wsis:presentedAt", "mtg:itu-pp-22", "2.10.1")
    assert stated(db, "mtg:itu-pp-22", "schema:location", "place:bucharest", "2.10.1")
    for y in ("2022", "2023"):
        assert stated(db, f"ev:wsis-forum-{y}", "wsis:topic", "proc:wsis-plus-20-review", "2.10.1")
        assert stated(db, f"ev:wsis-forum-{y}", "wsis:partOf", "act:wsis-forum", "2.10.1")
    for g in ("sg:wsis-action-line-facilitators", "sg:civil-society", "sg:countries"):
        assert stated(db, "doc:wsis-plus-20-reporting-templates", "dcterms:audience", g, "2.10.1")
    recommendation(db, "2.10.1", "Invite", {"sg:itu-member-states"}, "2.10.1")


def test_paragraph_2_10_2_high_level_event(report_db):
    db = report_db
    hle = "ev:wsis-plus-20-forum-high-level-event"
    assert stated(db, hle, "wsis:preparesFor", "proc:wsis-plus-20-review", "2.10.2")
    assert stated(db, "sg:countries", "wsis:partOf", "sg:wsis-stakeholders", "2.10.2")
    assert from_paragraph(db, hle, "2.10.2")


def test_paragraph_2_10_3_coherence(report_db):
    db = report_db
    for s in ("proc:gdc", "fw:2030-agenda"):
        assert ask(db, f"""{s} wsis:alignedWith proc:wsis-plus-20-review .
            ?a wsis:alignmentSubject {s} ; wsis:alignmentObject proc:wsis-plus-20-review ;
               wsis:sourcePassage/wsis:paragraph "2.10.3" .""")
    assert ask(db, 'aln:itu--gdc wsis:sourcePassage/wsis:paragraph "2.10.3"')


def test_paragraph_2_11_side_events(report_db):
    db = report_db
    themes = {
        "ev:ungis-wsis-side-event-ecosoc-partnership-forum-2023":
            "WSIS Cooperation for Accelerating Progress on the SDGs",
        "ev:csocd61-special-session-icts-and-older-persons":
            "Information and Communication Technologies (ICTs) and Older Persons: Healthy Ageing in a Digital World",
        "ev:csocd61-special-session-icts-and-accessibility":
            "Information and Communication Technologies (ICTs) and Accessibility: "
            "Towards Building Inclusive Digital Communities",
        "ev:ldc5-wsis-ungis-side-event": "ICTs for accelerating the achievement of the Sustainable Development Goals "
            "(SDGs) in Least Developed Countries (LDCs) – from potential to prosperity",
        "ev:csw67-wsis-gender-trendsetters-side-event": "ICTs for Gender Inclusion",
    }
    for event, theme in themes.items():
        assert values(db, event, "wsis:theme") == {theme}
        assert from_paragraph(db, event, "2.11")
    hosts = {"ev:ungis-wsis-side-event-ecosoc-partnership-forum-2023": "ev:ecosoc-partnership-forum-2023",
             "ev:csocd61-special-session-icts-and-older-persons": "mtg:csocd61",
             "ev:ldc5-wsis-ungis-side-event": "ev:ldc5",
             "ev:csw67-wsis-gender-trendsetters-side-event": "mtg:csw67"}
    for event, host in hosts.items():
        assert stated(db, event, "wsis:partOf", host, "2.11")
    assert values(db, "mtg:csocd61", "wsis:ordinal") == {61}
    assert values(db, "mtg:csw67", "wsis:ordinal") == {67}
    assert stated(db, "mtg:csw67", "wsis:heldBy", "o:commission-on-the-status-of-women", "2.11")
    assert stated(db, "mtg:csocd61", "wsis:heldBy", "o:commission-for-social-development", "2.11")


def test_paragraph_2_12_roadmap_2030(report_db):
    db = report_db
    assert stated(db, "rm:itu-2030-agenda", "wsis:roadmapFor", "fw:2030-agenda", "2.12")
    assert stated(db, "rm:itu-2030-agenda", "wsis:inLineWith", "res:itu-council-1332", "2.12")
    assert "C11, last amended C19" in values(db, "res:itu-council-1332", "wsis:revision")
    assert stated(db, "act:itu-2030-agenda-activities", "dcterms:relation", "sg:cwg-wsis-sdg-members", "2.12")
    text = values(db, "p:2.12", "wsis:text").pop()
    assert "bookmark" not in text and text.startswith("In line with Resolution 1332 (C11, last amended C19)")


def test_paragraph_2_13_connect_2030(report_db):
    db = report_db
    assert ask(db, """fw:connect-2030-agenda wsis:contributesTo fw:2030-agenda .
        aln:connect-2030-agenda--2030-agenda wsis:sourcePassage/wsis:paragraph "2.13" .""")
    assert stated(db, "fw:connect-2030-agenda", "dcterms:relation", "fw:itu-strategic-plan-2024-2027", "2.13")


def test_paragraph_2_14_hlpf_and_sdg_summits(report_db):
    db = report_db
    assert stated(db, "proc:hlpf", "wsis:organisedBy", "o:ecosoc", "2.14")
    assert stated(db, "proc:sdg-summits", "wsis:organisedBy", "o:unga", "2.14")
    assert any("every four years" in n for n in values(db, "proc:sdg-summits", "skos:note"))
    assert ask(db, 'aln:itu-council--hlpf wsis:sourcePassage/wsis:paragraph "2.14"')


# ---------------------------------------------------------------- section 3

def test_paragraph_3_recommendations_made_by_the_group(report_db):
    db = report_db
    (count,) = rows(db, """SELECT (COUNT(?r) AS ?n) WHERE { ?r a wsis:Recommendation ;
        wsis:sourcePassage/wsis:paragraph ?p FILTER(STRSTARTS(?p, "3.")) }""")[0]
    assert int(count.value) >= 17
    assert stated(db, "rec:3.7", "wsis:recommendedBy", "mtg:cwg-wsis-sdg-39-40", "3")


def test_paragraph_3_1(report_db):
    recommendation(report_db, "3.1", "Request", {"o:itu-secretariat"}, "3.1")
    for c in ("C2", "C4", "C5", "C6"):
        assert stated(report_db, "rec:3.1", "wsis:concerns", f"al:{c}", "3.1")
        assert stated(report_db, "rec:3.1", "wsis:concerns", f"rm:itu-wsis-action-line-{c.lower()}", "3.1")
    assert stated(report_db, "rec:3.1", "wsis:dueAt", "mtg:cwg-wsis-sdg-next", "3.1")


def test_paragraph_3_2_high_level_event(report_db):
    db = report_db
    recommendation(db, "3.2", "Invite", {"sg:itu-membership", "sg:all-stakeholders"}, "3.2")
    hle = "ev:wsis-plus-20-forum-high-level-event"
    assert stated(db, "rec:3.2", "wsis:concerns", hle, "3.2")
    (start, end) = rows(db, f"SELECT ?s ?e WHERE {{ {hle} schema:startDate ?s ; schema:endDate ?e }}")[0]
    assert (start.value, start.datatype.value) == ("2024-05-27", XSD + "date")
    assert (end.value, end.datatype.value) == ("2024-05-31", XSD + "date")
    assert any("inferred" in c for c in values(db, hle, "wsis:caveat"))
    assert stated(db, hle, "schema:location", "place:cicg", "3.2")
    assert stated(db, hle, "schema:location", "place:itu-hq", "3.2")
    assert stated(db, "place:cicg", "schema:containedInPlace", "place:geneva", "3.2")


def test_paragraph_3_3(report_db):
    recommendation(report_db, "3.3", "Inform", set(), "3.3")  # "is to be presented": no actor named
    assert values(report_db, "rec:3.3", "wsis:caveat"), "who presents is not stated"
    assert stated(report_db, "rec:3.3", "wsis:concerns", "ev:wsis-forum-2025", "3.3")
    assert stated(report_db, "rec:3.3", "wsis:dueAt", "mtg:itu-council-2024", "3.3")


def test_paragraph_3_4(report_db):
    recommendation(report_db, "3.4", "Invite", {"sg:itu-membership", "sg:wsis-stakeholders"}, "3.4")
    assert stated(report_db, "rec:3.4", "wsis:concerns", "act:wsis-fund-in-trust", "3.4")
    assert stated(report_db, "rec:3.4", "wsis:concerns",
                  "act:wsis-plus-20-forum-high-level-event-partnership-packages", "3.4")
    recommendation(report_db, "3.4-appreciation", "Appreciate", {"o:cwg-wsis-sdg"}, "3.4")
    assert stated(report_db, "rec:3.4-appreciation", "wsis:concerns", "sg:wsis-fund-in-trust-2024-partners", "3.4")


def test_paragraph_3_5(report_db):
    recommendation(report_db, "3.5", "Encourage", {"sg:itu-membership", "sg:all-stakeholders"}, "3.5")
    for a in ("act:wsis-stocktaking", "act:wsis-prizes", "act:wsis-special-prizes"):
        assert stated(report_db, "rec:3.5", "wsis:concerns", a, "3.5")
    assert stated(report_db, "act:wsis-special-prizes", "wsis:partOf", "act:wsis-prizes", "3.5")


def test_paragraph_3_6(report_db):
    recommendation(report_db, "3.6", "Appreciate", {"o:cwg-wsis-sdg"}, "3.6")
    assert stated(report_db, "rec:3.6", "wsis:concerns", "o:ungis", "3.6")
    assert ask(report_db, 'aln:ungis--sdgs wsis:sourcePassage/wsis:paragraph "3.6"')


def test_paragraph_3_7(report_db):
    recommendation(report_db, "3.7", "Encourage", {"o:itu-secretariat"}, "3.7")
    for x in ("sg:un-agencies", "proc:gdc", "ev:summit-of-the-future-2024"):
        assert stated(report_db, "rec:3.7", "wsis:concerns", x, "3.7")


def test_paragraph_3_8(report_db):
    recommendation(report_db, "3.8", "Request", {"o:itu-secretariat"}, "3.8")
    assert stated(report_db, "rec:3.8", "wsis:concerns", "fw:wsis-outcomes", "3.8")
    assert ask(report_db, """proc:gdc wsis:alignedWith fw:wsis-outcomes .
        aln:gdc--wsis-outcomes wsis:basis wsis:ReportStatement ; wsis:sourcePassage/wsis:paragraph "3.8" .""")


def test_paragraph_3_9(report_db):
    recommendation(report_db, "3.9", "Encourage", {"o:itu-regional-offices"}, "3.9")
    assert stated(report_db, "rec:3.9", "wsis:concerns", "act:regional-activities-and-projects", "3.9")
    assert stated(report_db, "o:itu-regional-offices", "org:subOrganizationOf", "o:itu", "3.9")


def test_paragraph_3_10(report_db):
    recommendation(report_db, "3.10", "Invite", {"sg:itu-membership"}, "3.10")
    assert stated(report_db, "ev:regional-events-on-wsis-and-sdgs", "wsis:organisedBy", "o:itu", "3.10")
    assert stated(report_db, "ev:regional-events-on-wsis-and-sdgs", "wsis:organisedBy", "sg:regional-organisations",
                  "3.10")


def test_paragraph_3_11_wtisd(report_db):
    recommendation(report_db, "3.11", "Invite", {"sg:itu-membership"}, "3.11")
    assert values(report_db, "ev:wtisd-24", "wsis:theme") == {"Digital Innovation for Sustainable Development"}
    assert values(report_db, "ev:wtisd-25", "wsis:theme") == {"Gender Equality in Digital Transformation"}
    assert stated(report_db, "rec:3.11", "wsis:concerns", "ev:wtisd-25", "3.11")


def test_paragraph_3_12(report_db):
    recommendation(report_db, "3.12", "Note", {"o:cwg-wsis-sdg"}, "3.12")
    assert stated(report_db, "rec:3.12", "wsis:concerns", "rm:itu-2030-agenda", "3.12")
    # "looked forward to receiving the roadmap document for the next ... meeting": a destination
    assert stated(report_db, "rec:3.12", "wsis:addressedTo", "mtg:cwg-wsis-sdg-next", "3.12", "Destination")


def test_paragraph_3_13(report_db):
    recommendation(report_db, "3.13", "Agree", {"o:cwg-wsis-sdg"}, "3.13")
    assert stated(report_db, "res:itu-council-1334", "wsis:governs", "rec:3.13", "3.13")
    assert "Resolution 1334 (mod.2023)" in values(report_db, "res:itu-council-1334", "skos:altLabel")


def test_paragraph_3_14(report_db):
    db = report_db
    recommendation(db, "3.14", "Invite", {"o:itu-secretariat"}, "3.14")
    assert stated(db, "rec:3.14", "dcterms:isPartOf", "rec:3.13", "3.14")
    assert stated(db, "rec:3.14", "wsis:dueAt", "mtg:itu-council-2024", "3.14")
    report = "doc:itu-contribution-to-wsis-plus-20-report"
    assert stated(db, "rec:3.14", "wsis:concerns", report, "3.14")
    assert stated(db, report, "wsis:preparesFor", "mtg:cstd-2025", "3.14", "Destination")
    assert stated(db, report, "wsis:preparesFor", "mtg:unga-2025", "3.14", "Destination")
    # invited to be submitted to the 2024 session, not presented there (issue 17)
    assert stated(db, report, "wsis:addressedTo", "mtg:itu-council-2024", "3.14", "Invitation")
    assert not ask(db, f"{report} wsis:presentedAt ?meeting")
    assert any("(2015-2025)" in t for t in values(db, report, "dcterms:title"))


def test_paragraph_3_15(report_db):
    recommendation(report_db, "3.15", "Invite", {"o:itu-council"}, "3.15")
    assert stated(report_db, "rec:3.15", "wsis:dueAt", "mtg:itu-council-2024", "3.15")
    assert any("time constraints" in n for n in values(report_db, "rec:3.15", "skos:note"))


def test_paragraph_3_15_1(report_db):
    recommendation(report_db, "3.15.1", "Request", {"o:cwg-wsis-sdg"}, "3.15.1")
    assert stated(report_db, "rec:3.15.1", "dcterms:isPartOf", "rec:3.15", "3.15.1")
    # "for further submission to the 2025 session of CSTD and UNGA": a destination, not a deadline
    assert stated(report_db, "rec:3.15.1", "wsis:addressedTo", "mtg:cstd-2025", "3.15.1", "Destination")
    assert stated(report_db, "rec:3.15.1", "wsis:addressedTo", "mtg:unga-2025", "3.15.1", "Destination")
    assert not ask(report_db, f"{term('rec:3.15.1')} wsis:dueAt ?deadline")
    assert stated(report_db, "mtg:cstd-2025", "wsis:organisedBy", "o:un-cstd", "3.15.1")


def test_paragraph_3_15_2(report_db):
    recommendation(report_db, "3.15.2", "Request", {"o:cwg-wsis-sdg"}, "3.15.2")
    assert stated(report_db, "rec:3.15.2", "wsis:dueAt", "mtg:itu-council-2025", "3.15.2")


# ---------------------------------------------------------------- whole-graph checks

def test_every_paragraph_is_a_passage_with_text(report_db):
    got = {p.value: t.value for p, t in rows(report_db, f"""SELECT ?p ?t WHERE {{ GRAPH <{REPORT_GRAPH}> {{
        ?p a wsis:SourcePassage ; wsis:text ?t ; wsis:inDocument doc:cwg-wsis-sdg-39-40-report }} }}""")}
    assert {f"<{p}>" for p in got} == {passage(n) for n in ALL_PARAGRAPHS}
    numbered = rows(report_db, """SELECT ?p ?n WHERE {
        ?p wsis:inDocument doc:cwg-wsis-sdg-39-40-report ; wsis:paragraph ?n }""")
    assert all(passage(n.value) == f"<{p.value}>" for p, n in numbered)
    assert len(numbered) == len(ALL_PARAGRAPHS) - len(HEADINGS)
    assert all(t.strip() for t in got.values())


@pytest.mark.skipif(not SOURCE.is_file(), reason="../shared/sources is not beside this checkout")
def test_passage_text_is_verbatim(report_db):
    source = " ".join(SOURCE.read_text(encoding="utf-8").split())
    texts = rows(report_db, """SELECT ?t WHERE { ?p a wsis:SourcePassage ;
        wsis:inDocument doc:cwg-wsis-sdg-39-40-report ; wsis:text ?t }""")
    for (t,) in texts:
        for line in t.value.split("\n"):
            assert " ".join(line.split()) in source, line[:60]


def test_coverage_every_paragraph_sources_a_fact(report_db):
    sourced = {f"<{v.value}>" for (v,) in rows(report_db, f"""SELECT DISTINCT ?p WHERE {{ GRAPH <{REPORT_GRAPH}> {{
        ?x wsis:sourcePassage ?p FILTER(?x != ?p) }} }}""")}
    missing = {n for n in ALL_PARAGRAPHS if n not in PROCEDURAL and passage(n) not in sourced}
    assert not missing, f"paragraphs that source no fact: {sorted(missing)}"


def test_every_node_is_sourced_and_labelled(report_db):
    bad = rows(report_db, f"""SELECT ?x WHERE {{ GRAPH <{REPORT_GRAPH}> {{ ?x a ?type }}
        FILTER(isIRI(?x) && ?type != wsis:SourcedStatement)
        FILTER NOT EXISTS {{ GRAPH <{REPORT_GRAPH}> {{ ?x a wsis:SourcePassage }} }}
        FILTER NOT EXISTS {{ GRAPH <{REPORT_GRAPH}> {{ ?x wsis:sourcePassage ?p }} }} }}""")
    assert not bad, bad[:5]
    unlabelled = rows(report_db, f"""SELECT ?x WHERE {{ GRAPH <{REPORT_GRAPH}> {{ ?x a ?type }}
        FILTER(isIRI(?x))
        FILTER NOT EXISTS {{ ?x rdfs:label ?l FILTER(lang(?l) = "en") }} }}""")
    assert not unlabelled, unlabelled[:5]


STRUCTURAL = ["rdf:type", "wsis:sourcePassage", "wsis:inDocument", "wsis:action", "wsis:basis",
              "wsis:alignmentSubject", "wsis:alignmentObject", "wsis:alignmentProperty",
              "schema:eventAttendanceMode", "dcterms:references", "dcterms:source", "prov:wasAttributedTo",
              "wsis:statementSubject", "wsis:statementProperty", "wsis:statementObject", "wsis:modality"]


def test_every_relation_carries_its_passage(report_db):
    """Each link between two nodes has a wsis:SourcedStatement with a passage, or is the direct link of an
    alignment node that has one."""
    skip = ", ".join(f"<{iri(p)}>" if not p.startswith(("rdf:", "schema:", "dcterms:", "prov:")) else f"<{expand(p)}>"
                     for p in STRUCTURAL)
    bad = rows(report_db, f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{REPORT_GRAPH}> {{ ?s ?p ?o }}
        FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN ({skip}))
        FILTER NOT EXISTS {{ ?s a wsis:SourcePassage }}
        FILTER NOT EXISTS {{ ?st wsis:statementSubject ?s ; wsis:statementProperty ?p ; wsis:statementObject ?o ;
                               wsis:sourcePassage ?x }}
        FILTER NOT EXISTS {{ ?a wsis:alignmentSubject ?s ; wsis:alignmentProperty ?p ; wsis:alignmentObject ?o ;
                               wsis:sourcePassage ?x }} }}""")
    assert not bad, bad[:5]


def expand(prefixed: str) -> str:
    ns = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "schema": "https://schema.org/",
          "dcterms": "http://purl.org/dc/terms/", "prov": "http://www.w3.org/ns/prov#"}
    prefix, local = prefixed.split(":", 1)
    return ns[prefix] + local


def test_datatypes(report_db):
    for prop, dt in (("schema:startDate", "date"), ("schema:endDate", "date"), ("wsis:ordinal", "integer"),
                     ("wsis:participantCount", "integer"), ("wsis:documentCount", "integer"),
                     ("wsis:informationDocumentCount", "integer"), ("wsis:confidence", "decimal")):
        found = rows(report_db, f"""SELECT DISTINCT (DATATYPE(?v) AS ?d)
            WHERE {{ GRAPH <{REPORT_GRAPH}> {{ ?x {prop} ?v }} }}""")
        assert found, prop
        assert {d.value for (d,) in found} == {XSD + dt}, prop


def test_report_alignments_are_qualified(report_db):
    alignments = rows(report_db, f"""SELECT ?a ?s ?p ?o ?c ?m WHERE {{ GRAPH <{REPORT_GRAPH}> {{
        ?a a wsis:Alignment ; wsis:alignmentSubject ?s ; wsis:alignmentProperty ?p ; wsis:alignmentObject ?o ;
           wsis:basis wsis:ReportStatement ; wsis:confidence ?c ; wsis:modality ?m ; wsis:sourcePassage ?x .
        ?s ?p ?o }} }}""")
    assert len(alignments) >= 20
    assert all(Decimal(c.value) == 1 for *_, c, m in alignments if m.value == WSIS + "Stated")
    assert all(Decimal(c.value) < 1 for *_, c, m in alignments if m.value == WSIS + "InferredFromContext")
    modality = {a.value.rsplit("/", 1)[1]: m.value.removeprefix(WSIS) for a, *_, m in alignments}
    # issue 17: a focus heading, an aim sought, the aim of contributions, a reading of 3.6
    expected = {"wsis-process--2030-agenda": "InferredFromContext", "gdc--wsis-outcomes": "Aim",
                "gdc--wsis-plus-20-review": "Aim", "2030-agenda--wsis-plus-20-review": "Aim",
                "ungis--sdgs": "InferredFromContext"}
    assert {key: modality[key] for key in expected} == expected
    assert not ask(report_db, f"GRAPH <{REPORT_GRAPH}> {{ ?a wsis:basis wsis:CuratorJudgement }}")


def test_report_states_no_sdg_goal_or_target_link(report_db):
    """The report never names an SDG goal or target; any such link is a curator's judgement."""
    assert not ask(report_db, f"""GRAPH <{REPORT_GRAPH}> {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?o), "{ID}sdg/"))""")


def test_curated_judgements_are_separate_and_marked(report_db):
    judged = rows(report_db, f"""SELECT ?a ?s ?p ?o ?c WHERE {{ GRAPH <{CURATED_GRAPH}> {{
        ?a a wsis:Alignment ; wsis:basis wsis:CuratorJudgement ; wsis:alignmentSubject ?s ;
           wsis:alignmentProperty ?p ; wsis:alignmentObject ?o ; wsis:confidence ?c ;
           rdfs:comment ?why ; skos:editorialNote "curator's judgement"@en ; wsis:sourcePassage ?x .
        ?s ?p ?o }} }}""")
    assert judged
    assert all(0 < Decimal(c.value) < 1 and c.datatype.value == XSD + "decimal" for *_, c in judged)
    assert ask(report_db, f"GRAPH <{CURATED_GRAPH}> {{ ev:wtisd-25 wsis:supportsGoal goal:5 }}")
    assert ask(report_db, "goal:5 a wsis:SDGGoal"), "reuses the goal IRI minted by tables.py"
    # every direct link in the curated graph is qualified by an alignment node there
    assert not ask(report_db, f"""GRAPH <{CURATED_GRAPH}> {{ ?s ?p ?o
        FILTER(?p IN (wsis:supportsGoal, wsis:supportsTarget))
        FILTER NOT EXISTS {{ ?a wsis:alignmentSubject ?s ; wsis:alignmentProperty ?p ; wsis:alignmentObject ?o }} }}""")
