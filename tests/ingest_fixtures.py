"""Test documents in real ITU/UN citation styles, written by the tests themselves: a 2018 CWG-WSIS
chairman's report as DOCX (python-docx) and a Council annex / UNGA outcome style text as a PDF
with a text layer (fpdf2), each with the mentions the recogniser must find pinned beside it.

The wording follows the citation forms collected in DESIGN.md "Citation forms"; the documents are
fixtures for the recogniser, not sources of the graph's data.
"""

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
    "1.1": [("organisation", "organisation/itu-plenipotentiary-conference", False),  # "PP-14"
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
    "cover": [("organisation", "organisation/itu-council", False),
              ("organisation", "organisation/itu-plenipotentiary-conference", False)],
    "1": [("organisation", "organisation/itu-council", False), ("resolution", "resolution/itu-pp-140", False),
          ("organisation", "organisation/itu-plenipotentiary-conference", False),
          ("resolution", "resolution/a-res-68-302", True)],
    "2": [("document", "document/wsis-05-tunis-doc-6", True), ("resolution", "resolution/a-res-70-125", False),
          ("process", "process/wsis-plus-20-review", False), ("document", "document/pp-14-20-add.1", True),
          ("organisation", "organisation/itu-plenipotentiary-conference", False)],
    "3": [("process", "process/hlpf", False), ("process", "process/igf", True)],
}


def write_docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf(path: Path, pages: list[list[str]], encrypt: bool = False, text: bool = True) -> Path:
    """A PDF with one text line per entry (a text layer pypdf reads); text=False draws only shapes,
    as a scan without OCR has no text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    for lines in pages:
        pdf.add_page()
        if not text:
            pdf.rect(20, 20, 100, 60, style="F")
            continue
        for line in lines:
            pdf.cell(0, 6, line.replace("\u2013", "-").replace("\u00a0", " "), new_x="LMARGIN", new_y="NEXT")
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.output(str(path))
    return path
