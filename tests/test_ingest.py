"""`wsisgraph ingest`: readers and their bad input, artefact clean-up, segmentation of the seed
report against its hand-curated graph, every citation form, linking, the JSON review, writing
(validated, idempotent, removable, listed) and what queries see afterwards."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, Store, parse

from ingest_fixtures import (
    ANNEX_EXPECTED,
    ANNEX_PAGES,
    CHAIRMAN_BODY,
    CHAIRMAN_COVER,
    CHAIRMAN_EXPECTED,
    EVENTS_BODY,
    EVENTS_COVER,
    EVENTS_DATES,
    EVENTS_EXPECTED,
    write_docx,
    write_pdf,
)
from wsisgraph.cli import main
from wsisgraph.core.namespaces import ID, WSIS, graph_iri
from wsisgraph.ingest import clean, link, readers, record, segment
from wsisgraph.ingest.recognise import Recogniser, dates

SEED = Path(__file__).resolve().parents[2] / "shared" / "sources" / "000_4a7bf0ed2a01d9a4.txt"
CURATED = Path(__file__).resolve().parents[1] / "data" / "report" / "cwg-wsis-sdg-39-40.ttl"
PASSAGE = ID + "passage/cwg-wsis-sdg-39-40-report/"


@pytest.fixture(scope="module")
def index(store: Store) -> link.GraphIndex:
    return link.GraphIndex(store)


@pytest.fixture()
def location(store_location: Path, tmp_path: Path) -> Path:
    """A private copy of the session store, for tests that write."""
    copy = tmp_path / "store"
    shutil.copytree(store_location, copy, symlinks=True)
    return copy


def ingest(location: Path, *args: str, columns: int = 80):
    return CliRunner().invoke(main, ["ingest", "--store", str(location), *args], env={"COLUMNS": str(columns)})


def analyse(path: Path, index: link.GraphIndex, **options) -> record.Analysis:
    return record.analyse(path, record.Options(**options), lambda key: index)


def found(analysis: record.Analysis) -> dict[str, list[tuple[str, str, bool]]]:
    return {r.passage.key: [(x.link.kind, x.link.iri.removeprefix(ID), x.link.new) for x in r.linked]
            for r in analysis.passages if r.linked}


# Clean-up of extraction artefacts

@pytest.mark.parametrize(("raw", "cleaned"), [
    ("held its 32nd meeting on the 24thand 25thJanuary 2018",
     "held its 32nd meeting on the 24th and 25th January 2018"),
    ("the31st meeting", "the 31st meeting"),
    ("the imple-\nmentation of", "the implementation of"),
    ("text\n- 1/9 -\nmore", "text\nmore"),
    ("text\nPage 2 of 9\nmore", "text\nmore"),
    ("2.12. [bookmark: _Hlk164764779]In line", "2.12. In line"),
    ("Resolution\u00a0140 and\u202fC2", "Resolution 140 and C2"),
    ("24\u201325 January 2018", "24-25 January 2018"),
    ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
])
def test_clean_removes_artefacts(raw, cleaned):
    assert clean.clean(raw) == cleaned


def test_running_header_is_kept_once():
    lines = ["C24/12-E", "1. First", "C24/12-E", "2. Second", "C24/12-E", "3. Third"]
    assert clean.clean("\n".join(lines)) == "C24/12-E\n1. First\n2. Second\n3. Third"


def test_pdf_lines_are_unwrapped_into_paragraphs():
    text = "1. A paragraph that a PDF printed on two lines because\nthe page was narrow.\n2. The next one."
    assert clean.clean(text, wrapped=True).split("\n") == [
        "1. A paragraph that a PDF printed on two lines because the page was narrow.", "2. The next one."]


# Segmentation: the seed report gives the curated graph's passages, verbatim

def curated_passages() -> dict[str, str]:
    quads = parse(path=str(CURATED), format=RdfFormat.TURTLE)
    return {q.subject.value.removeprefix(PASSAGE): q.object.value for q in quads
            if q.predicate.value.endswith("#text") and q.subject.value.startswith(PASSAGE)}


def test_seed_report_segments_as_curated():
    text = clean.clean(readers.read(SEED))
    passages = segment.segment(text).passages
    assert {p.key: p.text for p in passages} == curated_passages()
    for p in passages:
        assert text[p.start:p.end] == p.text
    numbers = [p.number for p in passages]
    assert numbers[:6] == ["Purpose", "Action required by the Council", "Relevant link(s) with the Strategic Plan",
                           "Financial implications", "1", "1 a)"]
    assert "2.10.1" in numbers and "3.15.2" in numbers
    assert next(p for p in passages if p.key == "1").title == "Introduction"


def test_unnumbered_paragraphs_are_numbered_by_order():
    passages = segment.segment("First paragraph of a text without numbers, long enough to be body text.\n\n"
                               "Second paragraph.\n\nThird.").passages
    assert [(p.number, p.text) for p in passages] == [
        ("1", "First paragraph of a text without numbers, long enough to be body text."),
        ("2", "Second paragraph."), ("3", "Third.")]


def test_cover_metadata():
    cover = segment.segment(clean.clean("\n".join(CHAIRMAN_COVER + CHAIRMAN_BODY))).cover
    assert cover.symbol == "WG-WSIS-32/19-E Rev. 1"
    assert cover.date == "25 January 2018"
    assert cover.meeting == "32nd meeting \u2013 Geneva, 24-25 January 2018"
    assert cover.body == "Council Working Group on the World Summit on the Information Society"
    assert cover.title == "CHAIRMAN'S REPORT OF THE 32ND MEETING OF THE CWG-WSIS"


# Recognising and linking every citation form

@pytest.mark.parametrize(("text", "iri", "revision"), [
    ("A/RES/70/125", "resolution/a-res-70-125", None),
    ("UNGA Resolution A/RES/70/1", "resolution/a-res-70-1", None),
    ("resolution 70/1 of 25 September 2015", "resolution/a-res-70-1", None),
    ("General Assembly resolution 68/302", "resolution/a-res-68-302", None),
    ("symbols listed among resolutions (A/71/212, A/70/299)", "resolution/a-71-212", None),
    ("E/RES/2023/3", "resolution/e-res-2023-3", None),
    ("UN ECOSOC Resolution E/RES/2016/22", "resolution/e-res-2016-22", None),
    ("ECOSOC resolution 2014/27", "resolution/e-res-2014-27", None),
    ("Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference", "resolution/itu-pp-140",
     "Rev. Bucharest, 2022"),
    ("PP-14 Resolution 140 (Busan, 2014)", "resolution/itu-pp-140", "Busan, 2014"),
    ("PP-14 Resolution 140 (Rev. Busan, 2014)", "resolution/itu-pp-140", "Rev. Busan, 2014"),
    ("PP-10 Resolution 172 (Rev. Guadalajara, 2010)", "resolution/itu-pp-172", "Rev. Guadalajara, 2010"),
    ("Resolution 140 of the Plenipotentiary Conference (Guadalajara 2010)", "resolution/itu-pp-140",
     "Guadalajara 2010"),
    ("Council Resolution 1332 (Modified 2016)", "resolution/itu-council-1332", "Modified 2016"),
    ("Resolution 1332 (C11, last amended C19)", "resolution/itu-council-1332", "C11, last amended C19"),
    ("Resolution 1334 (mod.2023)", "resolution/itu-council-1334", "mod.2023"),
    ("Council 2011 Resolution 1334", "resolution/itu-council-1334", "Council 2011"),
    ("Council Resolution 1196", "resolution/itu-council-1196", None),
    ("WTDC 2017 Resolution 30 (REV. Buenos Aires, 2017)", "resolution/itu-wtdc-30", "REV. Buenos Aires, 2017"),
    ("WTDC-17 Resolution 30", "resolution/itu-wtdc-30", "WTDC-17"),
    ("WTSA-16 Resolution 75 (Rev. Hammamet, 2016)", "resolution/itu-wtsa-75", "Rev. Hammamet, 2016"),
    ("Document WG-WSIS-32/19-E Rev. 1", "document/wg-wsis-32-19", "Rev. 1"),
    ("CWG-WSIS-32/16-E", "document/cwg-wsis-32-16", None),
    ("PP-14/20(Add.1)-E", "document/pp-14-20-add.1", None),
    ("CWG-WSIS&SDG-40/INF/4", "document/cwg-wsis-sdg-40-inf-4", None),
    ("C24/12-E", "document/c24-12", None),
    ("WSIS-05/TUNIS/DOC/6(Rev.1)-E", "document/wsis-05-tunis-doc-6", "Rev.1"),
    ("SDG 9", "sdg/goal/9", None),
    ("Goal 5", "sdg/goal/5", None),
    ("target 9.c", "sdg/target/9.c", None),
    ("SDG 9.c", "sdg/target/9.c", None),
    ("SDGs 9 and 17.", "sdg/goal/17", None),
    ("indicator 17.8.1", "sdg/indicator/17.8.1", None),
    ("the SDGs", "scheme/sdg", None),
    ("e-health (C7)", "action-line/C7-e-health", None),
    ("the GDC", "process/gdc", None),
    ("the 39th meeting of the CWG-WSIS&SDG", "meeting/cwg-wsis-sdg-39", None),
    ("CWG-WSIS&SDG-40", "meeting/cwg-wsis-sdg-40", None),
    ("Forty-first meeting of the CWG-WSIS&SDG", "meeting/cwg-wsis-sdg-41", None),
])
def test_citation_form_links(index, text, iri, revision):
    linker, recogniser = link.Linker(index), Recogniser(index.phrases)
    links = [linker.link(m, link.group_of(ID + "organisation/cwg-wsis-sdg")) for m in recogniser.mentions(text)]
    matching = [x for x in links if x is not None and x.iri == ID + iri]
    assert matching, [x.iri for x in links if x]
    assert matching[0].revision == revision


@pytest.mark.parametrize("text", ["Council session C11 noted", "the Council (C23) met", "2024-2025 budget"])
def test_no_action_line_in_council_sessions_or_years(index, text):
    mentions = Recogniser(index.phrases).mentions(text)
    assert not [m for m in mentions if m.kind == "action-line"]


def test_action_line_lists(index):
    mentions = Recogniser(index.phrases).mentions("Action Lines C2, C5 and C6")
    assert [m.fields.get("code") for m in mentions if m.kind == "action-line"] == ["C2", "C5", "C6"]


def test_the_same_resolution_is_one_node_whatever_the_form(index):
    path_text = ("PP-14 Resolution 140 (Busan, 2014) and Resolution 140 (Rev. Bucharest, 2022) of the "
                 "Plenipotentiary Conference")
    linker = link.Linker(index)
    links = [linker.link(m, None) for m in Recogniser(index.phrases).mentions(path_text) if m.kind == "resolution"]
    assert {x.iri for x in links} == {ID + "resolution/itu-pp-140"}
    assert [x.revision for x in links] == ["Busan, 2014", "Rev. Bucharest, 2022"]
    assert not any(x.new for x in links)


# Fixture documents in two more citation styles, as DOCX and PDF

def test_docx_chairman_report(index, tmp_path):
    path = write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY)
    analysis = analyse(path, index)
    assert (analysis.key, analysis.symbol, analysis.date) == ("wg-wsis-32-19", "WG-WSIS-32/19", "2018-01-25")
    got = found(analysis)
    for key, expected in CHAIRMAN_EXPECTED.items():
        assert got[key] == expected, key
    facts = {(t.subject.value.removeprefix(ID), t.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], t.object.value)
             for t in analysis.facts}
    assert ("meeting/cwg-wsis-31", "startDate", "2017-09-19") in facts
    assert ("meeting/cwg-wsis-31", "endDate", "2017-09-20") in facts
    assert ("meeting/cwg-wsis-32", "startDate", "2018-01-24") in facts
    assert ("meeting/cwg-wsis-32", "considered", ID + "document/wg-wsis-32-19") in facts
    # 1.2 cites Document CWG-WSIS-32/16-E: its symbol says the 32nd meeting considered it (issue 11)
    assert ("meeting/cwg-wsis-32", "considered", ID + "document/cwg-wsis-32-16") in facts
    sourced = {t.subject for t in analysis.facts if t.predicate.value.endswith("sourcePassage")
               and t.object.value.endswith("/1.2")}
    assert {(t.predicate.value.rsplit("#", 1)[-1], t.object.value.rsplit("#", 1)[-1]) for t in analysis.facts
            if t.subject in sourced} >= {("alignmentObject", ID + "document/cwg-wsis-32-16"),
                                         ("modality", "InferredFromContext")}


def test_pdf_council_annex(index, tmp_path):
    path = write_pdf(tmp_path / "annex.pdf", ANNEX_PAGES)
    analysis = analyse(path, index)
    title = "Contribution of the ITU Council to the Plenipotentiary Conference"
    assert (analysis.key, analysis.title) == ("c18-12", title)
    got = found(analysis)
    for key, expected in ANNEX_EXPECTED.items():
        assert got[key] == expected, key
    paragraph_1 = next(r.passage for r in analysis.passages if r.passage.key == "1")
    assert "implementation of the outcomes" in paragraph_1.text  # hyphenation and line wrap undone
    assert "1/2" not in analysis.segmented.text


# Events with dates: each date a sourced statement citing the passage that prints it

def local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def dated(analysis: record.Analysis) -> dict[str, tuple[str, str, str, str]]:
    """node -> (start, end, modality, passages) from the document's sourced date statements, after
    checking that each states a triple the document asserts, on the extracted basis."""
    records: dict[str, dict[str, list[str]]] = {}
    for t in analysis.facts:
        records.setdefault(t.subject.value, {}).setdefault(local(t.predicate.value), []).append(t.object.value)
    asserted = {(t.subject.value, t.predicate.value, t.object.value) for t in analysis.facts}
    out: dict[str, dict[str, str]] = {}
    for facts in records.values():
        if "SourcedStatement" not in {local(c) for c in facts.get("type", [])}:
            continue
        assert facts["basis"] == [WSIS + "ExtractedFromText"]
        subject, prop, value = facts["statementSubject"][0], facts["statementProperty"][0], facts["statementObject"][0]
        assert (subject, prop, value) in asserted
        node = out.setdefault(subject.removeprefix(ID), {})
        node[local(prop)] = value
        node["modality"] = local(facts["modality"][0])
        node["passages"] = " ".join(sorted(local(p) for p in facts["sourcePassage"]))
    return {k: (v["startDate"], v["endDate"], v["modality"], v["passages"]) for k, v in out.items()}


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_event_dates_are_sourced_statements(index, tmp_path, kind):
    lines = EVENTS_COVER + EVENTS_BODY
    path = (write_docx(tmp_path / "events.docx", lines) if kind == "docx"
            else write_pdf(tmp_path / "events.pdf", [lines]))
    analysis = analyse(path, index)
    got = found(analysis)
    for key, expected in EVENTS_EXPECTED.items():
        assert got[key] == expected, key
    assert dated(analysis) == EVENTS_DATES
    caveats = [t.object.value for t in analysis.facts if local(t.predicate.value) == "caveat"]
    assert caveats and all('"10 to 19 July" without a year' in c for c in caveats)
    minted = {t.subject.value.removeprefix(ID): t.object.value.removeprefix(ID)
              for m in analysis.minted for t in m.facts if local(t.predicate.value) == "partOf"}
    assert minted == {"event/igf-2023": "process/igf", "event/hlpf-2024": "process/hlpf"}


def test_meeting_dates_cite_every_passage_that_prints_them(index, tmp_path):
    """The cover's "24-25 January 2018" and the summary's "24thand 25thJanuary 2018" give one pair of
    statements on the 32nd meeting, citing both passages and quoting both forms."""
    analysis = analyse(write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY), index)
    assert dated(analysis) == {"meeting/cwg-wsis-32": ("2018-01-24", "2018-01-25", "Stated", "cover summary"),
                               "meeting/cwg-wsis-31": ("2017-09-19", "2017-09-20", "Stated", "1")}
    quoted = {t.object.value for t in analysis.facts if local(t.predicate.value) == "quotedText"}
    assert quoted == {"24-25 January 2018", "24th and 25th January 2018", "19 September and 20 September 2017"}


def test_no_date_is_invented(index, tmp_path):
    """The seed report prints one range, "27-31 May" (3.2), with no year anywhere in the event's name:
    it dates nothing (the curated 2024 is a curator's reading). The annex's "Busan, 20 October - 7
    November 2014" follows the Plenipotentiary Conference, a body, not a dated event of the graph."""
    seed = analyse(SEED, index, key="seed")
    assert [d.text for r in seed.passages for d in dates(r.passage.text)] == ["27-31 May"]
    assert dated(seed) == {}
    annex = analyse(write_pdf(tmp_path / "annex.pdf", ANNEX_PAGES), index)
    assert dated(annex) == {}


@pytest.mark.parametrize(("text", "first", "last"), [
    ("19 September and 20 September 2017", "2017-09-19", "2017-09-20"),
    ("the 24th and 25th January 2018", "2018-01-24", "2018-01-25"),
    ("19 and 20 September 2017", "2017-09-19", "2017-09-20"),
    ("13\u201317 March 2023", "2023-03-13", "2023-03-17"),
    ("20 October \u2013 7 November 2014", "2014-10-20", "2014-11-07"),
    ("28 December 2023 \u2013 3 January 2024", "2023-12-28", "2024-01-03"),
    ("Wednesday, 2 October (all day) to Thursday, 3 October 2024", "2024-10-02", "2024-10-03"),
    ("on 25 September 2015", "2015-09-25", "2015-09-25"),
    ("3 October 2023 and 24 January 2024", None, None),   # two dates, not a range
    ("31 September 2017", None, None),                    # no such day
    ("10\u201319 July", None, None),                       # no year printed
])
def test_printed_date_forms(text, first, last):
    [printed] = dates(text)
    resolved = printed.resolve()
    days = (resolved[0].isoformat(), resolved[1].isoformat()) if resolved else (None, None)
    assert days == (first, last)


def test_dated_events_are_queryable_with_their_provenance(location, tmp_path):
    path = write_docx(tmp_path / "events.docx", EVENTS_COVER + EVENTS_BODY)
    result = ingest(location, str(path))
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output
    rows = csv_rows(location, "timeline", "-p", "from=2023-01-01", "-p", "to=2023-12-31")
    assert [(r["date"], r["what"], r["event"].removeprefix(ID)) for r in rows] == [
        ("2023-02-06", "starts", "meeting/csocd61"), ("2023-02-15", "ends", "meeting/csocd61"),
        ("2023-03-06", "starts", "meeting/csw67"), ("2023-03-13", "starts", "event/wsis-forum-2023"),
        ("2023-03-17", "ends", "meeting/csw67"), ("2023-03-17", "ends", "event/wsis-forum-2023"),
        ("2023-07-10", "starts", "event/hlpf-2023"), ("2023-07-19", "ends", "event/hlpf-2023"),
        ("2023-10-08", "starts", "event/igf-2023"), ("2023-10-12", "ends", "event/igf-2023")]
    provenance = csv_rows(location, "provenance", "-p", f"entity={ID}event/hlpf-2023")
    starts = [r for r in provenance if r["kind"] == "relation" and "2023-07-10" in r["fact"]]
    assert [(r["basisLabel"], r["modality"], r["paragraph"]) for r in starts] == [
        ("extracted from text", "inferred from context", "2")]


# Bad input: one line, exit 2, nothing written

def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("1. First line\n2. Caf\u00e9 r\u00e9sum\u00e9\n".encode("cp1252"))
    unknown = tmp_path / "report.rtf"
    unknown.write_text("text")
    return {
        "empty": (empty, "empty.txt: the file is empty"),
        "encoding": (latin, "latin.txt:2: not UTF-8 (byte 0xe9); it looks like cp1252: give --encoding cp1252"),
        "extension": (unknown, "report.rtf: unknown kind of document '.rtf'"),
        "scanned": (write_pdf(tmp_path / "scan.pdf", [[]], text=False), "scan.pdf: no text layer in 1 page(s)"),
        "encrypted": (write_pdf(tmp_path / "locked.pdf", [["1. Secret."]], encrypt=True),
                      "locked.pdf: the PDF is encrypted"),
        "docx": (tmp_path / "fake.docx", "fake.docx: not a readable .docx file"),
    }


@pytest.mark.parametrize("case", ["empty", "encoding", "extension", "scanned", "encrypted", "docx"])
def test_bad_input_is_one_line_exit_2(store_location, tmp_path, case):
    cases = bad_inputs(tmp_path)
    path, message = cases[case]
    if case == "docx":
        path.write_text("not a zip")
    before = sorted(p.name for p in store_location.iterdir())
    result = ingest(store_location, str(path))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in store_location.iterdir()) == before


def test_encoding_option_reads_the_file(index, tmp_path):
    latin = bad_inputs(tmp_path)["encoding"][0]
    analysis = analyse(latin, index, encoding="cp1252")
    assert analysis.passages[1].passage.text == "Caf\u00e9 r\u00e9sum\u00e9"


# Review, writing, idempotence, removal, listing

def test_dry_run_json_writes_nothing(store_location):
    result = ingest(store_location, str(SEED), "--dry-run", "--format", "json", "--key", "seed")
    assert result.exit_code == 0, result.output
    review = json.loads(result.stdout)
    assert set(review) == {"document", "passages"}
    assert review["document"]["graph"] == "ingested/seed"
    passage = next(p for p in review["passages"] if p["number"] == "2.1")
    assert set(passage) >= {"number", "text", "mentions"}
    mention = next(m for m in passage["mentions"] if m["text"] == "E/RES/2023/3")
    assert {k: mention[k] for k in ("kind", "iri", "new")} == {
        "kind": "resolution", "iri": ID + "resolution/e-res-2023-3", "new": False}
    assert passage["text"][mention["start"]:mention["end"]] == "E/RES/2023/3"
    assert not (store_location / "ingested").exists()


def test_dry_run_table(store_location):
    result = ingest(store_location, str(SEED), "--dry-run", columns=160)
    assert result.exit_code == 0, result.output
    assert "A/RES/70/125" in result.stdout and "resolution/a-res-70-125" in result.stdout


def graph_quads(location: Path, name: str) -> int:
    reader = Store.read_only(str(location / "current"))
    return len(list(reader.quads_for_pattern(None, None, None, graph_iri(name))))


def test_ingest_write_idempotent_list_remove(location, tmp_path):
    path = write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY)
    first = ingest(location, str(path))
    assert first.exit_code == 0, first.output
    stored = location / "ingested" / "wg-wsis-32-19.ttl"
    assert stored.is_file()
    count = graph_quads(location, "ingested/wg-wsis-32-19")
    assert count > 100
    # the store answers at once: the new meeting and its dates
    found_rows = CliRunner().invoke(main, ["query", "timeline", "-p", "from=2017-09-01", "-p", "to=2018-02-01",
                                           "--store", str(location), "--format", "csv"])
    assert found_rows.exit_code == 0, found_rows.output
    assert "2017-09-19" in found_rows.stdout
    again = ingest(location, str(path))
    assert again.exit_code == 0, again.output
    assert graph_quads(location, "ingested/wg-wsis-32-19") == count
    assert sorted(p.name for p in (location / "ingested").iterdir()) == ["wg-wsis-32-19.ttl"]
    listed = ingest(location, "--list")
    assert listed.exit_code == 0
    assert "wg-wsis-32-19" in listed.output and "chairman.docx" in listed.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() in listed.output
    removed = ingest(location, "--remove", "wg-wsis-32-19")
    assert removed.exit_code == 0, removed.output
    assert not stored.exists()
    assert graph_quads(location, "ingested/wg-wsis-32-19") == 0
    unknown = ingest(location, "--remove", "nothing-here")
    assert unknown.exit_code == 2 and "nothing ingested under the key 'nothing-here'" in unknown.output


def test_removing_one_of_two_documents_that_cite_a_new_node_keeps_it_typed(location, tmp_path):
    """The first document mints E/RES/2016/22; the second links to it and states what it is too, so
    taking the first out leaves the node typed, labelled and sourced (issue 11)."""
    path = write_docx(tmp_path / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY)
    assert ingest(location, str(path), "--key", "first").exit_code == 0
    second = ingest(location, str(path), "--key", "second", "--symbol", "WG-WSIS-32/20", "--format", "json",
                    "--dry-run")
    assert second.exit_code == 0, second.output
    cited = [m for p in json.loads(second.stdout)["passages"] for m in p["mentions"]
             if m["iri"] == ID + "resolution/e-res-2016-22"]
    assert cited and not any(m["new"] for m in cited)  # it exists: minted by the first document
    assert ingest(location, str(path), "--key", "second", "--symbol", "WG-WSIS-32/20").exit_code == 0
    removed = ingest(location, "--remove", "first")
    assert removed.exit_code == 0, removed.output
    reader = Store.read_only(str(location / "current"))
    node = ID + "resolution/e-res-2016-22"
    facts = {(q.predicate.value.rsplit("#", 1)[-1], q.graph_name.value.rsplit("/", 1)[-1])
             for q in reader.quads_for_pattern(NamedNode(node), None, None) if isinstance(q.graph_name, NamedNode)}
    assert {("type", "second"), ("label", "second"), ("sourcePassage", "second")} <= facts


def test_shape_violation_writes_nothing(location):
    result = ingest(location, str(SEED), "--key", "seed", "--symbol", "not a symbol")
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.output
    assert not (location / "ingested" / "seed.ttl").exists()


def test_seed_report_graph_conforms_and_is_queryable(location):
    result = ingest(location, str(SEED), "--key", "seed", "--title", "Report of the 39th and 40th meetings")
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output
    search = CliRunner().invoke(main, ["query", "search", "-p", "text=Partnership on Measuring", "--store",
                                       str(location), "--format", "csv"])
    assert ID + "passage/seed/2.8" in search.stdout


# Activity lists

ACTIVITY_HEADER = ["Title", "Description", "Action lines", "SDG targets", "Organisation", "Date", "URL"]
ACTIVITY_ROWS = [
    ["Broadband mapping", "Maps of networks", "C2", "9.c; 17.8", "ITU", "2024-03-01", "https://www.itu.int/"],
    ["E-health pilot", "", "C7 e-health", "SDG 3", "UNESCO", "12 May 2023", ""],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = ACTIVITY_HEADER) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def write_xlsx(path: Path, rows: list[list[str]], header: list[str] = ACTIVITY_HEADER) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    workbook.save(str(path))
    return path


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_activity_list_becomes_activities_with_alignments(location, tmp_path, writer):
    path = writer(tmp_path / f"activities{'.csv' if writer is write_csv else '.xlsx'}", ACTIVITY_ROWS)
    result = ingest(location, str(path))
    assert result.exit_code == 0, result.output
    answer = CliRunner().invoke(main, ["query", "activities-for-goal", "-p", "goal=9", "-p", "basis=list",
                                       "--store", str(location), "--format", "csv"])
    assert answer.exit_code == 0, answer.output
    rows = [line for line in answer.stdout.splitlines() if "Broadband mapping" in line]
    assert len(rows) == 1 and "target 9.c" in rows[0] and "activity list" in rows[0]
    described = CliRunner().invoke(main, ["query", "describe", "-p", f"entity={ID}activity/activities/e-health-pilot",
                                          "--store", str(location), "--format", "csv"])
    assert "C7-e-health" in described.stdout and "2023-05-12" in described.stdout


@pytest.mark.parametrize(("rows", "header", "message"), [
    ([["A", "", "C12", "9.c", "", "", ""]], ACTIVITY_HEADER, ":3: unknown action line 'C12'"),
    ([["A", "", "C2", "9.z", "", "", ""]], ACTIVITY_HEADER, ":3: unknown SDG target '9.z'"),
    ([["A", "", "C2", "9.c", "", "2023-02-30", ""]], ACTIVITY_HEADER, ":3: impossible date '2023-02-30'"),
    ([["A", "C2"]], ["Name of thing", "Action lines"], ":1: missing required column(s): title"),
    ([["A", "B"]], ["Title", "Notes"], ":1: missing required column(s): action lines or SDG goals/targets"),
])
def test_bad_activity_rows_write_nothing(location, tmp_path, rows, header, message):
    path = write_csv(tmp_path / "bad.csv", [ACTIVITY_ROWS[0], *rows], header)
    result = ingest(location, str(path))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (location / "ingested").exists()


def test_skip_invalid_and_column_mapping(location, tmp_path):
    header = ["Activity name", "Lines", "Goals"]
    path = write_csv(tmp_path / "mapped.csv", [["Good", "C2", "9"], ["Bad", "C99", "9"]], header)
    refused = ingest(location, str(path), "--column", "title=Activity name", "--dry-run")
    assert refused.exit_code == 2 and "mapped.csv:3: unknown action line 'C99'" in refused.output
    result = ingest(location, str(path), "--column", "title=Activity name", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and "mapped.csv:3:" in result.output
    assert "1 activities" in result.output


# The citation graph: citations and cited-by, pinned on the two fixture documents

def csv_rows(location: Path, *args: str) -> list[dict[str, str]]:
    import csv
    import io

    result = CliRunner().invoke(main, ["query", *args, "--store", str(location), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_citations_of_an_ingested_document(cited_location):
    rows = csv_rows(cited_location, "citations", "-p", "document=WG-WSIS-32/19")
    got = [(r["where"], r["cited"].removeprefix(ID), r["revision"], r["basisLabel"]) for r in rows]
    assert got == [
        ("Cover", "meeting/cwg-wsis-32", "", "extracted from text"),
        ("Cover", "organisation/cwg-wsis", "", "extracted from text"),
        ("Cover", "organisation/cwg-wsis", "", "extracted from text"),
        ("Summary", "meeting/cwg-wsis-32", "", "extracted from text"),
        ("Summary", "organisation/cwg-wsis", "", "extracted from text"),
        ("1", "meeting/cwg-wsis-31", "", "extracted from text"),
        ("1.1", "organisation/cwg-wsis", "", "extracted from text"),  # "The group"
        ("1.1", "organisation/ecosoc", "", "extracted from text"),
        ("1.1", "organisation/itu-council", "", "extracted from text"),
        ("1.1", "organisation/itu-plenipotentiary-conference", "", "extracted from text"),
        ("1.1", "resolution/e-res-2016-22", "", "extracted from text"),
        ("1.1", "resolution/itu-council-1332", "Modified 2016", "extracted from text"),
        ("1.1", "resolution/itu-pp-140", "Busan, 2014", "extracted from text"),
        ("1.1", "resolution/a-res-70-1", "", "extracted from text"),
        ("1.2", "action-line/C5", "", "extracted from text"),
        ("1.2", "action-line/C6", "", "extracted from text"),
        ("1.2", "action-line/C7", "", "extracted from text"),
        ("1.2", "action-line/C7-e-health", "", "extracted from text"),
        ("1.2", "action-line/C2", "", "extracted from text"),
        ("1.2", "meeting/cwg-wsis-32", "", "extracted from text"),
        ("1.2", "document/cwg-wsis-32-16", "", "extracted from text"),
        ("1.2", "organisation/itu-secretariat", "", "extracted from text"),
        ("1.2", "resolution/itu-wtdc-30", "Rev. Buenos Aires, 2017", "extracted from text"),
        ("1.3", "sdg/goal/9", "", "extracted from text"),
        ("1.3", "sdg/indicator/17.8.1", "", "extracted from text"),
        ("1.3", "sdg/target/9.c", "", "extracted from text"),
    ]


def test_cited_by_across_reports_in_date_order(cited_location):
    rows = csv_rows(cited_location, "cited-by", "-p", f"entity={ID}resolution/itu-pp-140")
    got = [(r["date"], r["symbol"], r["where"], r["revision"], r["basisLabel"]) for r in rows]
    assert got == [
        ("2018-01-25", "WG-WSIS-32/19", "1.1", "Busan, 2014", "extracted from text"),
        ("", "C18/12", "1", "Guadalajara 2010", "extracted from text"),
        ("", "", "Purpose", "", "report statement"),
    ]
    meeting = csv_rows(cited_location, "cited-by", "-p", f"entity={ID}meeting/cwg-wsis-32")
    assert [(r["where"], r["quoted"]) for r in meeting] == [
        ("Cover", "32nd meeting"), ("Summary", "32nd meeting"), ("1.2", "CWG-WSIS-32")]


def test_extracted_basis_filter(cited_location):
    rows = csv_rows(cited_location, "alignment-summary")
    bases = {r["basisLabel"] for r in rows if "basisLabel" in r}
    assert "extracted from text" in bases


# Other readers: HTML and Markdown; a location with no store yet

HTML_REPORT = """<!DOCTYPE html><html><head><title>Outcome</title><style>p {color: red}</style>
<script>var x = "Resolution 999";</script></head><body>
<h1>Draft outcome document</h1>
<p>1. We recall General Assembly resolution 70/125 and&nbsp;the Tunis Agenda.</p>
<p>2. We welcome the <b>Internet Governance Forum</b> (IGF) and the HLPF.</p>
</body></html>"""


def test_html_reader_keeps_visible_text_by_block(index, tmp_path):
    path = tmp_path / "outcome.html"
    path.write_text(HTML_REPORT, encoding="utf-8")
    text = readers.read(path)
    assert "Resolution 999" not in text and "color" not in text
    analysis = analyse(path, index)
    got = found(analysis)
    assert got["1"] == [("resolution", "resolution/a-res-70-125", False)]  # "General Assembly" is the citation's
    assert got["2"] == [("process", "process/igf", True), ("process", "process/igf", True),
                        ("process", "process/hlpf", False)]


def test_markdown_reader(index, tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\n1. See Council Resolution 1332.\n2. And SDG 4.\n", encoding="utf-8")
    assert found(analyse(path, index))["2"] == [("sdg", "sdg/goal/4", False)]


def test_ingest_builds_a_missing_store_first(tmp_path):
    location = tmp_path / "fresh"
    result = ingest(location, str(SEED), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "building it first" in result.output
    assert (location / "current").is_dir()


def test_extracted_facts_say_how_strongly_the_text_supports_them(location, tmp_path):
    """Issue 17: ingested alignments carry the report's modalities, so `provenance` can tell a name the passage
    prints (stated) from a link read off the cover's layout (inferred from context)."""
    assert ingest(location, str(SEED), "--key", "seed", "--title", "Report").exit_code == 0
    assert ingest(location, str(write_csv(tmp_path / "activities.csv", ACTIVITY_ROWS))).exit_code == 0
    wsis = "https://w3id.org/wsisgraph/ontology#"
    modalities: dict[str, set[str]] = {}
    bases: dict[str, str] = {}
    for path in sorted((location / "ingested").glob("*.ttl")):
        for triple in parse(path=str(path), format=RdfFormat.TURTLE):
            if triple.predicate.value == wsis + "modality":
                modalities.setdefault(triple.subject.value, set()).add(triple.object.value.removeprefix(wsis))
            elif triple.predicate.value == wsis + "basis":
                bases[triple.subject.value] = triple.object.value.removeprefix(wsis)
    assert {"ExtractedFromText", "ActivityList"} <= set(bases.values())
    assert all(len(modalities.get(node, ())) == 1 for node in bases), "every extracted link has one modality"
    assert {m for node, basis in bases.items() if basis == "ActivityList" for m in modalities[node]} == {"Stated"}
    mentions = [modalities[node] for node in bases if "/mention/seed/" in node]
    assert mentions and all(m == {"Stated"} for m in mentions)
