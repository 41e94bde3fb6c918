"""Test documents in real ITU/UN citation styles, written by the tests themselves: a 2018 CWG-WSIS
chairman's report as DOCX (python-docx), a Council annex / UNGA outcome style text as a PDF
with a text layer (fpdf2), and a 2023 information document with dated events (both), each with the
mentions and dates the recogniser must find pinned beside it.

The wording follows the citation forms collected in DESIGN.md "Citation forms"; the documents are
fixtures for the recogniser, not sources of the graph's data.
"""

import textwrap
from pathlib import Path

CHAIRMAN_COVER = [
    "Council Working Group on the World Summit on the Information Society",
    "32nd meeting \u2013 Geneva, 24\u201325 January 2018",
    "Document WG-WSIS-32/19-E Rev. 1",
    "25 January 2018",
    "English only",
    "CHAIRMAN'S REPORT OF THE 32ND MEETING OF THE CWG-WSIS",
    "Summary",
    "The Council Working Group on WSIS held its 32nd meeting on the 24thand 25thJanuary 2018.",
]
CHAIRMAN_BODY = [
    "1. Introduction",
    "The 31st meeting was held on 19 September and 20 September 2017 in Geneva.",
    "1.1. The group recalled PP-14 Resolution 140 (Busan, 2014) and Council Resolution 1332 (Modified 2016), "
    "together with UN ECOSOC Resolution E/RES/2016/22 and resolution 70/1 of 25 September 2015.",
    "1.2. [bookmark: _Hlk500000001]The secretariat presented Document CWG-WSIS-32/16-E "
    "on Action Lines C2, C5\u00a0and C6 "
    "and on e-health (C7), with WTDC-17 Resolution 30 (Rev. Buenos Aires, 2017).",
    "1.3. Contributions linked the work to SDG 9, target 9.c and indicator 17.8.1.",
]
# (passage number, recipe kind, IRI under id/, new?) the recogniser must give, in order per passage.
CHAIRMAN_EXPECTED = {
    "cover": [("organisation", "organisation/cwg-wsis", True), ("meeting", "meeting/cwg-wsis-32", True),
              ("organisation", "organisation/cwg-wsis", True)],
    "summary": [("organisation", "organisation/cwg-wsis", True), ("meeting", "meeting/cwg-wsis-32", True)],
    "1": [("meeting", "meeting/cwg-wsis-31", True)],
    "1.1": [("organisation", "organisation/cwg-wsis", True),  # "The group" of the group's report
            ("organisation", "organisation/itu-plenipotentiary-conference", False),  # "PP-14"
            ("resolution", "resolution/itu-pp-140", False), ("organisation", "organisation/itu-council", False),
            ("resolution", "resolution/itu-council-1332", False),
            ("organisation", "organisation/ecosoc", False), ("resolution", "resolution/e-res-2016-22", True),
            ("resolution", "resolution/a-res-70-1", False)],
    "1.2": [("organisation", "organisation/itu-secretariat", False), ("meeting", "meeting/cwg-wsis-32", True),
            ("document", "document/cwg-wsis-32-16", True),
            ("action-line", "action-line/C2", False), ("action-line", "action-line/C5", False),
            ("action-line", "action-line/C6", False), ("action-line", "action-line/C7-e-health", False),
            ("action-line", "action-line/C7", False), ("resolution", "resolution/itu-wtdc-30", True)],
    "1.3": [("sdg", "sdg/goal/9", False), ("sdg", "sdg/target/9.c", False), ("sdg", "sdg/indicator/17.8.1", False)],
}

ANNEX_PAGES = [
    ["C18/12-E",
     "ANNEX",
     "Contribution of the ITU Council to the Plenipotentiary Conference",
     "1. The Council recalled Resolution 140 of the Plenipotentiary Conference (Guadalajara 2010) and",
     "General Assembly resolution 68/302 on the modalities of the overall review of the imple-",
     "mentation of the outcomes of the World Summit on the Information Society.",
     "- 1/2 -"],
    ["C18/12-E",
     "2. The Tunis Agenda (WSIS-05/TUNIS/DOC/6(Rev.1)-E) and A/RES/70/125 frame the WSIS+20 review;",
     "see also Addendum 1 to Document PP-14/20(Add.1)-E, considered at the Plenipotentiary Conference",
     "held in Busan, 20 October \u2013 7 November 2014.",
     "- 2/2 -"],
    ["C18/12-E", "3. The HLPF and the IGF were informed."],
]
ANNEX_EXPECTED = {
    "cover": [("organisation", "organisation/itu", False),  # the "ITU" of "ITU Council"
              ("organisation", "organisation/itu-council", False),
              ("organisation", "organisation/itu-plenipotentiary-conference", False)],
    "1": [("organisation", "organisation/itu-council", False), ("resolution", "resolution/itu-pp-140", False),
          ("organisation", "organisation/itu-plenipotentiary-conference", False),
          ("resolution", "resolution/a-res-68-302", True)],
    "2": [("document", "document/wsis-05-tunis-doc-6", True), ("resolution", "resolution/a-res-70-125", False),
          ("process", "process/wsis-plus-20-review", False), ("document", "document/pp-14-20-add.1", True),
          ("organisation", "organisation/itu-plenipotentiary-conference", False)],
    "3": [("process", "process/hlpf", False), ("process", "process/igf", True)],
}

# A 2023 information document on ITU's contributions to other UN processes: events with their dates
# in the forms such documents print them (en dashes, a range without a year after an event whose name
# carries it, a list of meetings with a list of dates, a document's own date beside a citation).
EVENTS_COVER = [
    "Council Working Group on WSIS&SDG",
    "Document CWG-WSIS&SDG-39/14-E",
    "18 September 2023",
    "English only",
    "ITU CONTRIBUTION TO THE HIGH-LEVEL POLITICAL FORUM 2023",
]
EVENTS_BODY = [
    "1. ITU took part in the WSIS Forum 2023, 13\u201317 March 2023, in Geneva.",
    "2. The WSIS Forum contribution was presented at the High-Level Political Forum (HLPF) 2023, held under "
    "the auspices of ECOSOC from 10 to 19 July.",
    "3. At the 61st session of the Commission for Social Development (CSocD61), 6\u201315 February 2023, "
    "special sessions were held; the 67th session of the Commission on the Status of Women, 6\u201317 March "
    "2023, hosted a WSIS side event.",
    "4. The 39th and 40th meetings were held on 3 October 2023 and 24 January 2024, and the group considered "
    "Document CWG-WSIS&SDG-39/2 of 5 September 2023.",
    "5. The WSIS+20 Forum High-Level Event is scheduled to take place 27-31 May.",
    "6. ITU also contributed to the IGF 2023, held in Kyoto from 8 to 12 October 2023, and to the HLPF 2024.",
    "7. At its 41st meeting the group adopted the report dated 2 February 2024. On 5 March 2024 it began "
    "preparing the WSIS Forum 2025.",
]
EVENTS_EXPECTED = {
    "2": [("activity", "activity/wsis-forum", False), ("process", "process/hlpf", False),
          ("event", "event/hlpf-2023", False), ("organisation", "organisation/ecosoc", False)],
    "3": [("meeting", "meeting/csocd61", False),  # a body named inside the session's name is a mention too
          ("organisation", "organisation/commission-for-social-development", False),
          ("meeting", "meeting/csw67", False),
          ("organisation", "organisation/commission-on-the-status-of-women", False),
          ("process", "process/wsis-process", False)],
    "6": [("organisation", "organisation/itu", False),  # events the graph lacks: one year of a series
          ("process", "process/igf", True), ("event", "event/igf-2023", True),
          ("process", "process/hlpf", False), ("event", "event/hlpf-2024", True)],
}
# node -> (start, end, modality, passage): every date the document gives, and no other. Paragraph 4's
# two meetings and two dates are not paired (which is which is a reading), 5 September 2023 is the
# cited document's, 27-31 May has no year, the cover's date is the document's own, and in 7 the
# report's date is not the meeting's, nor the day preparations began the Forum's.
EVENTS_DATES = {
    "event/wsis-forum-2023": ("2023-03-13", "2023-03-17", "Stated", "1"),
    "event/hlpf-2023": ("2023-07-10", "2023-07-19", "InferredFromContext", "2"),   # the year is the name's
    "meeting/csocd61": ("2023-02-06", "2023-02-15", "Stated", "3"),
    "meeting/csw67": ("2023-03-06", "2023-03-17", "Stated", "3"),
    "event/igf-2023": ("2023-10-08", "2023-10-12", "Stated", "6"),
}


def write_docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf(path: Path, pages: list[list[str]], encrypt: bool = False, text: bool = True) -> Path:
    """A PDF with one paragraph per entry, wrapped at 100 characters (a text layer pypdf reads);
    text=False draws only shapes, as a scan without OCR has no text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    for lines in pages:
        pdf.add_page()
        if not text:
            pdf.rect(20, 20, 100, 60, style="F")
            continue
        for line in lines:  # a long paragraph wraps over several lines, as a printed page does
            for part in textwrap.wrap(line.replace("\u2013", "-").replace("\u00a0", " "), 100,
                                      break_long_words=False, break_on_hyphens=False):
                pdf.cell(0, 6, part, new_x="LMARGIN", new_y="NEXT")
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.output(str(path))
    return path
