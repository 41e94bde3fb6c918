"""`wsisgraph publish`: the Linked Data site behind a real Apache httpd (Debian's apache2) with the
site's own .htaccess. Sampled IRIs of every kind answer 303 to the file for each Accept header
(and for ?format=), that file comes back 200 with its media type and holds the node's triples,
unknown IRIs are 404, and the pages load in headless Chromium without errors or broken links.

The site of the whole shipped graph is written once per module (it takes about 15 s); in CI a
missing apache2 or chromium fails the tests instead of skipping them.
"""

import random
import re
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import rdflib
import rdflib.compare
from click.testing import CliRunner
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Store

from servers import start_apache
from test_browser import Browser, chromium  # noqa: F401 (the chromium fixture)
from wsisgraph.cli import main
from wsisgraph.core.namespaces import BASE, ID, WSIS, graph_iri
from wsisgraph.publish import linkeddata

SAMPLE = 50
KINDS = {"action line": "action-line/", "goal": "sdg/goal/", "target": "sdg/target/",
         "indicator": "sdg/indicator/", "resolution": "resolution/", "meeting": "meeting/",
         "document": "document/", "passage": "passage/", "alignment": "alignment/"}
MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}
RDFLIB_FORMAT = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
SITE_URL = "https://wsisgraph.example.org/ld"


@pytest.fixture(scope="module")
def site(store_location: Path) -> Path:
    """The published site in a world-readable folder (Apache, when started as root, serves as www-data)."""
    parent = Path(tempfile.mkdtemp(prefix="wsisgraph-site-"))
    parent.chmod(0o755)
    folder = parent / "wsisgraph"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["publish", "--store", str(store_location), "-o", str(folder),
                                       "--site-url", SITE_URL])
    assert result.exit_code == 0, result.output
    print(f"published the whole graph in {time.monotonic() - started:.1f} s")
    yield folder
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="module")
def apache(site: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    with start_apache(site, tmp_path_factory.mktemp("apache")) as base:
        yield base


@pytest.fixture(scope="module")
def client() -> httpx.Client:
    with httpx.Client(timeout=10.0) as session:
        yield session


def ids(store: Store, prefix: str) -> list[str]:
    found = {q.subject.value for q in store.quads_for_pattern(None, None, None, DefaultGraph())
             if isinstance(q.subject, NamedNode) and q.subject.value.startswith(ID + prefix)}
    return sorted(found)


def ontology_terms(store: Store) -> list[str]:
    return sorted({q.subject.value for q in store.quads_for_pattern(None, None, None, graph_iri("ontology"))
                   if isinstance(q.subject, NamedNode) and q.subject.value.startswith(WSIS)})


def sample(iris: list[str]) -> list[str]:
    """At least 50 of a kind, or all of them where the graph has fewer."""
    return sorted(random.Random(16).sample(iris, min(SAMPLE, len(iris))))


def kind_iris(store: Store, kind: str) -> list[str]:
    return sample(ontology_terms(store) if kind == "ontology term" else ids(store, KINDS[kind]))


def site_path(iri: str) -> str:
    return "ontology" if iri.startswith(WSIS) else iri[len(BASE):]


def expected_triples(store: Store, iri: str) -> set[tuple]:
    """The node's own triples (blank-node objects as their predicate only), read from the store."""
    graph = graph_iri("ontology") if iri.startswith(WSIS) else DefaultGraph()
    return {(q.predicate.value, None if isinstance(q.object, BlankNode) else str(q.object))
            for q in store.quads_for_pattern(NamedNode(iri), None, None, graph)}


def parsed_triples(graph: rdflib.Graph, iri: str) -> set[tuple]:
    out = set()
    for _, p, o in graph.triples((rdflib.URIRef(iri), None, None)):
        out.add((str(p), None if isinstance(o, rdflib.BNode) else o.n3()))
    return out


def n3_of_store(store: Store, iri: str) -> set[tuple]:
    """As expected_triples, with objects written as rdflib writes them (for comparing parsed files)."""
    graph = rdflib.Graph()
    for predicate, obj in expected_triples(store, iri):
        if obj is not None:
            graph.parse(data=f"<{iri}> <{predicate}> {obj} .", format="nt")
    out = {(str(p), o.n3()) for _, p, o in graph}
    return out | {(p, None) for p, o in expected_triples(store, iri) if o is None}


@pytest.mark.integration
@pytest.mark.parametrize("kind", [*KINDS, "ontology term"])
def test_iris_negotiate_content(kind, store, apache, client):
    iris = kind_iris(store, kind)
    assert len(iris) >= min(SAMPLE, 12)  # every kind has at least a dozen nodes; most are sampled 50
    documents: dict[tuple[str, str], rdflib.Graph] = {}  # the ontology terms share one document
    for iri in iris:
        path = site_path(iri)
        expected = n3_of_store(store, iri)
        assert expected, iri
        for ext, media in MEDIA.items():
            answer = client.get(apache + path, headers={"Accept": media})
            assert answer.status_code == 303, (iri, media, answer.status_code)
            assert answer.headers["location"] == f"{apache}{path}.{ext}"
            assert "Accept" in answer.headers.get("vary", "")
            document = client.get(answer.headers["location"])
            assert document.status_code == 200
            assert document.headers["content-type"].split(";")[0] == media
            if (path, ext) not in documents:
                documents[path, ext] = rdflib.Graph().parse(data=document.text, format=RDFLIB_FORMAT[ext])
            graph = documents[path, ext]
            assert expected <= parsed_triples(graph, iri), (iri, ext, expected - parsed_triples(graph, iri))
        page = client.get(apache + path, headers={"Accept": BROWSER_ACCEPT})
        assert (page.status_code, page.headers["location"]) == (303, f"{apache}{path}.html")
        html = client.get(page.headers["location"])
        assert html.status_code == 200 and html.headers["content-type"].split(";")[0] == "text/html"
        assert iri.split("#")[-1] in html.text
        chosen = client.get(apache + path, params={"format": "ttl"}, headers={"Accept": BROWSER_ACCEPT})
        assert (chosen.status_code, chosen.headers["location"]) == (303, f"{apache}{path}.ttl")


@pytest.mark.integration
def test_every_format_says_the_same(store, apache, client):
    """Turtle, JSON-LD (compact, context inline) and RDF/XML of one description are the same graph."""
    for iri in [ID + "action-line/C2", ID + "sdg/target/9.c", ID + "meeting/cwg-wsis-sdg-40"]:
        graphs = [rdflib.Graph().parse(data=client.get(f"{apache}{site_path(iri)}.{ext}").text,
                                       format=RDFLIB_FORMAT[ext]) for ext in MEDIA]
        assert len(graphs[0]) > 20
        assert all(rdflib.compare.isomorphic(graphs[0], other) for other in graphs[1:]), iri


@pytest.mark.integration
def test_a_description_holds_labels_alignments_and_passages(store, apache, client):
    graph = rdflib.Graph().parse(data=client.get(apache + "id/action-line/C2.ttl").text, format="turtle")
    line = rdflib.URIRef(ID + "action-line/C2")
    assert {label.language for label in graph.objects(line, rdflib.SKOS.prefLabel)} >= {"en"}
    alignments = set(graph.subjects(rdflib.URIRef(WSIS + "alignmentSubject"), line))
    assert len(alignments) > 10
    assert all(graph.value(a, rdflib.URIRef(WSIS + "basis")) is not None for a in alignments)
    goal = rdflib.Graph().parse(data=client.get(apache + "id/sdg/goal/9.ttl").text, format="turtle")
    labels = {(str(q.predicate.value), q.object.value, q.object.language) for q in store.quads_for_pattern(
        NamedNode(ID + "sdg/goal/9"), None, None, DefaultGraph()) if getattr(q.object, "language", None)}
    served = {(str(p), str(o), o.language) for _, p, o in goal.triples((rdflib.URIRef(ID + "sdg/goal/9"), None, None))
              if isinstance(o, rdflib.Literal) and o.language}
    assert labels and served == labels  # every label, in every language the graph has
    process = rdflib.Graph().parse(data=client.get(apache + "id/process/wsis-plus-20-review.ttl").text,
                                   format="turtle")
    passages = set(process.objects(None, rdflib.URIRef(WSIS + "sourcePassage")))  # of its alignments, statements
    assert len(passages) > 3 and all(process.value(p, rdflib.URIRef(WSIS + "text")) is not None for p in passages)


@pytest.mark.integration
@pytest.mark.parametrize("path", ["id/sdg/goal/99", "id/action-line/C12", "id/nothing/here", "id/sdg/goal/9/more",
                                  "ontology-terms", "id/", "id/sdg/goal/99?format=ttl"])
def test_unknown_iris_are_404(path, apache, client):
    for accept in (*MEDIA.values(), BROWSER_ACCEPT):
        assert client.get(apache + path, headers={"Accept": accept}).status_code == 404, (path, accept)


def test_the_folder_has_its_rules_and_readme(site):
    htaccess = (site / ".htaccess").read_text()
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle" in htaccess and "[R=303,L]" in htaccess
    readme = (site / "README.md").read_text()
    assert f"RewriteRule ^(id/.+|ontology)$ {SITE_URL}/$1.ttl [R=303,L]" in readme
    assert "w3id.org" in readme
    assert len(list(site.glob("id/sdg/indicator/*.ttl"))) == 232


def test_no_broken_links_on_disk(site):
    """Every relative link of every page names a file of the site (and an anchor on it, if any)."""
    anchors: dict[Path, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 900
    for page in pages:
        for href in re.findall(r'href="([^"]+)"', page.read_text()):
            if href.startswith(("http://", "https://", "data:")):
                continue
            target, _, fragment = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.is_file(), f"{page.relative_to(site)} links to {href}"
            if fragment:
                if path not in anchors:
                    anchors[path] = set(re.findall(r'id="([^"]+)"', path.read_text()))
                assert fragment in anchors[path], f"{page.relative_to(site)} links to {href}"


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory):  # noqa: F811
    session = Browser(chromium, tmp_path_factory.mktemp("chromium-profile"))
    yield session
    session.close()


@pytest.mark.integration
def test_pages_load_cleanly_in_the_browser_through_the_server(browser, store, apache, client):
    """IRIs of every kind, opened as a browser opens them (303 to the page): no console errors, and every
    link on them that stays on the site answers 200."""
    links: set[str] = set()
    for kind in [*KINDS, "ontology term"]:
        for iri in kind_iris(store, kind)[:3]:
            error, found = browser.open(apache + site_path(iri))
            assert error is None and found == [], (iri, error, found)
            assert urlsplit(browser.evaluate("location.href")).path.endswith(".html")
            links |= set(browser.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)"))
    local = sorted({link.split("#")[0] for link in links if link.startswith(apache)})
    assert len(local) > 100
    for link in local:
        assert client.get(link, follow_redirects=True).status_code == 200, link
    error, found = browser.open(urljoin(apache, "index.html"))
    assert error is None and found == []


@pytest.mark.integration
def test_the_rules_proposed_to_w3id_send_clients_to_the_site(site, apache, client):
    """The README's w3id.org .htaccess, generated for this server and installed as w3id.org would install
    it (a folder `wsisgraph/` of theirs), sends each IRI on to the right file of the site."""
    readme = linkeddata.readme(apache.rstrip("/"))
    rules = readme.split("```apache\n", 1)[1].split("```", 1)[0]
    w3id = site / "w3id" / "wsisgraph"
    w3id.mkdir(parents=True)
    (w3id / ".htaccess").write_text(rules)
    base = apache + "w3id/wsisgraph/"
    for path, accept, query, target in [
            ("id/sdg/goal/9", "text/turtle", {}, "id/sdg/goal/9.ttl"),
            ("id/action-line/C7-e-health", "application/ld+json", {}, "id/action-line/C7-e-health.jsonld"),
            ("id/sdg/target/9.c", BROWSER_ACCEPT, {"format": "rdf"}, "id/sdg/target/9.c.rdf"),
            ("ontology", BROWSER_ACCEPT, {}, "ontology.html")]:
        answer = client.get(base + path, params=query, headers={"Accept": accept})
        assert (answer.status_code, answer.headers["location"]) == (303, apache + target), path
        assert client.get(answer.headers["location"]).status_code == 200
    other = client.get(base + "releases/2026-11-27/void.ttl")
    assert (other.status_code, other.headers["location"]) == (302, apache + "releases/2026-11-27/void.ttl")
