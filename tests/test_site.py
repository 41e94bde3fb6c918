"""The HTML report: a page per action line and per goal, report data on them, and no broken links."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from conftest import select
from wsisgraph.cli import main
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.output import write_tree
from wsisgraph.sparql import query
from wsisgraph.views import site

PREFIXES = """
PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


class Page(HTMLParser):
    """The links, sources and element ids of one HTML file."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in ("href", "src", "xlink:href"):
                self.links.append(value)


@pytest.fixture(scope="module")
def pages(report_site: Path) -> dict[Path, Page]:
    return {path: Page(path.read_text(encoding="utf-8")) for path in sorted(report_site.rglob("*.html"))}


def internal(link: str) -> bool:
    return not urlsplit(link).scheme and not link.startswith("//")


def test_a_page_per_action_line_and_per_goal(store, report_site):
    lines = select(store, PREFIXES + "SELECT ?code WHERE { ?l a wsis:ActionLine ; skos:notation ?code }")
    goals = select(store, PREFIXES + "SELECT ?code WHERE { ?g a wsis:SDGGoal ; skos:notation ?code }")
    assert len(lines) == 19 and len(goals) == 17
    for row in lines:
        assert (report_site / "action-line" / f"{row['code']}.html").is_file(), row["code"]
    for row in goals:
        assert (report_site / "goal" / f"{row['code']}.html").is_file(), row["code"]
    assert sorted(p.name for p in (report_site / "action-line").iterdir()) == sorted(f"{r['code']}.html" for r in lines)


def test_no_broken_internal_links(report_site, pages):
    checked = 0
    for path, page in pages.items():
        for link in page.links:
            if not internal(link):
                continue
            parts = urlsplit(link)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(report_site)} links to missing {link}"
            assert report_site.resolve() in target.parents, f"{path} links outside the site: {link}"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in pages[target].ids, f"{path.relative_to(report_site)}: no #{parts.fragment}"
            checked += 1
    assert checked > 1000


def test_every_page_links_entity_iris(report_site, pages):
    for path, page in pages.items():
        assert any(link.startswith("https://w3id.org/wsisgraph/") for link in page.links), path


def test_entity_pages_link_their_own_iri(store, report_site, pages):
    for row in select(store, PREFIXES + "SELECT ?s ?code WHERE { ?s a wsis:SDGGoal ; skos:notation ?code }"):
        assert row["s"] in pages[report_site / "goal" / f"{row['code']}.html"].links
    page = pages[report_site / "action-line" / "C7-e-health.html"]
    assert "https://w3id.org/wsisgraph/id/action-line/C7-e-health" in page.links


def test_the_site_opens_from_disk(report_site, pages):
    """Nothing is loaded from a server: every src is a local file or inline data."""
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text.replace('type="application/ld+json"', ""), path
        assert "http://localhost" not in text and "file://" not in text, path


def test_action_line_pages_show_links_with_basis_and_source(report_site):
    text = (report_site / "action-line" / "C2.html").read_text(encoding="utf-8")
    assert "9.c" in text and "WSIS-SDG Matrix" in text and "ITU" in text
    c7 = (report_site / "action-line" / "C7.html").read_text(encoding="utf-8")
    assert "C7-e-health" in c7  # the sub-lines' links are on C7's page


def test_recommendations_appear_on_the_lines_they_concern(store, report_site, pages):
    rows = select(store, PREFIXES + """SELECT ?rec ?code WHERE {
        ?rec a wsis:Recommendation ; wsis:concerns ?line . ?line a wsis:ActionLine ; skos:notation ?code }""")
    for row in rows:
        page = pages[report_site / "action-line" / f"{row['code']}.html"]
        assert row["rec"] in page.links, (row["code"], row["rec"])


def test_meetings_show_their_documents_and_recommendations(store, report_site, pages):
    page = pages[report_site / "meetings.html"]
    rows = select(store, PREFIXES + "SELECT ?m ?d WHERE { ?m wsis:considered ?d }")
    rows += select(store, PREFIXES + """SELECT ?m ?d WHERE {
        ?d a wsis:Recommendation ; wsis:recommendedBy ?m . ?m a ?kind . VALUES ?kind { wsis:Meeting wsis:Event } }""")
    assert rows
    for row in rows:
        assert row["m"] in page.links and row["d"] in page.links, row


def test_goal_pages_list_the_gaps_of_the_canned_query(engine, report_site):
    result = query.run_canned(engine, query.find("coverage-gaps"), {"goal": "5"})
    gaps = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    codes = {row["targetCode"].value for row in gaps if row["targetCode"] is not None}
    text = (report_site / "goal" / "5.html").read_text(encoding="utf-8")
    section = text[text.index('id="gaps"'):text.index('id="activities"')]
    for code in codes:
        assert f">{code} " in section, code
    assert section.count("<li>") == len(codes)


def test_heatmap_page_inlines_the_picture_with_links(report_site):
    text = (report_site / "heatmap.html").read_text(encoding="utf-8")
    assert text.count("<svg") == 1 and 'id="cell-C2-9"' in text
    assert 'xlink:href="action-line/C2.html"' in text
    assert (report_site / "coverage.svg").is_file() and (report_site / "coverage.csv").is_file()


def test_writing_again_replaces_the_site(tmp_path):
    target = tmp_path / "out"
    write_tree(target, lambda folder: (folder / "stale.html").write_text("old"), site.SITE_MARKER)
    write_tree(target, lambda folder: (folder / "index.html").write_text("new"), site.SITE_MARKER)
    assert not (target / "stale.html").exists() and (target / "index.html").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary or old folder left


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me")
    with pytest.raises(WsisgraphError, match="not a folder wsisgraph wrote"):
        write_tree(precious, lambda folder: (folder / "index.html").write_text("x"), site.SITE_MARKER)
    assert (precious / "thesis.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["documents"]


def test_a_failed_build_leaves_nothing(tmp_path):
    def broken(folder: Path) -> None:
        (folder / "index.html").write_text("half")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        write_tree(tmp_path / "out", broken, site.SITE_MARKER)
    assert list(tmp_path.iterdir()) == []


def test_the_command_wrote_the_site(report_site):
    """The session's site comes from `wsisgraph report` (see conftest): check what else it left."""
    assert (report_site / ".wsisgraph-site").is_file()
    assert [p.name for p in report_site.parent.iterdir()] == ["report"]  # no temporary folder left


def test_cli_report_refuses_a_foreign_folder(store_location, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["report", "--store", str(store_location), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "not a folder wsisgraph wrote" in result.stderr
    assert "Traceback" not in result.output
