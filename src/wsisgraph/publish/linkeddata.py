"""`wsisgraph publish -o DIR`: a Linked Data site in which every IRI of the graph resolves.

For every node with an `https://w3id.org/wsisgraph/id/…` IRI the site holds its description in
Turtle, JSON-LD (compact, with the published context inline) and RDF/XML, and an HTML page, at the
IRI's path plus an extension (`id/sdg/goal/9.ttl`, `.jsonld`, `.rdf`, `.html`). A description is
what a client needs about one node: its own triples (labels in every language included), the
triples that point at it from other named nodes, the sourced statements about it, the alignments
it is a side of, and the source passages behind it, its alignments and its statements. The
ontology (`…/ontology`, terms `…/ontology#Term`) is one document, with an anchor per term in HTML.

The folder is served as `https://w3id.org/wsisgraph/`: `.htaccess` (Apache, the form w3id.org uses)
answers an IRI with 303 to the file for the client's Accept header (Turtle, JSON-LD, RDF/XML, else
HTML; `?format=ttl|jsonld|rdf|html` overrides), and README.md gives the rules to propose to
w3id.org, which send the same requests on to the host. One generator (`rules`) writes both.
"""

import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Store, Triple, serialize

from wsisgraph.core import jsonld, messages
from wsisgraph.core.languages import FALLBACK, best_label, direction
from wsisgraph.core.namespaces import BASE, EXPORT_PREFIXES, ID, RDF, RDFS, SKOS, WSIS, W, compact, graph_iri
from wsisgraph.core.output import write_tree
from wsisgraph.graph.export import FORMATS as EXPORT_FORMATS
from wsisgraph.publish.diff import triple_key
from wsisgraph.views.templates import environment

MARKER = ".wsisgraph-linked-data"
ONTOLOGY = BASE + "ontology"
# extension, media type, export format name, what `?format=` accepts for it
FORMATS = [("ttl", "text/turtle", "turtle", ("ttl", "turtle")),
           ("jsonld", "application/ld+json", "jsonld", ("jsonld", "json-ld", "json")),
           ("rdf", "application/rdf+xml", "xml", ("rdf", "xml", "rdfxml"))]
HTML = ("html", "text/html", None, ("html",))
LABEL_ORDER = (SKOS.prefLabel, RDFS.label, NamedNode("http://purl.org/dc/terms/title"))
ALIGNMENT_ENDS = (W.alignmentSubject, W.alignmentObject)
STATEMENT_SUBJECTS = (W.statementSubject, RDF.subject)  # wsis:SourcedStatement records, rdf:Statement reification


def path_of(iri: str) -> str | None:
    """The site path of an IRI we serve (`id/sdg/goal/9`, `ontology`), None for any other."""
    if iri.startswith(ID) and len(iri) > len(ID):
        return iri[len(BASE):]
    if iri == ONTOLOGY or iri.startswith(ONTOLOGY + "#"):
        return "ontology"
    return None


@dataclass
class Graph:
    """The published union (the store's default graph), indexed for describing nodes one by one."""

    store: Store
    labels: dict[str, list[tuple[str, Literal]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        found: dict[str, list[tuple[str, Literal]]] = defaultdict(list)
        for predicate in LABEL_ORDER:
            for q in self.store.quads_for_pattern(None, predicate, None, DefaultGraph()):
                if isinstance(q.subject, NamedNode) and isinstance(q.object, Literal):
                    found[q.subject.value].append((predicate.value, q.object))
        self.labels = dict(found)

    def triples(self, subject=None, predicate=None, obj=None) -> list[Triple]:
        return [q.triple for q in self.store.quads_for_pattern(subject, predicate, obj, DefaultGraph())]

    def nodes(self) -> list[NamedNode]:
        """Every id/ IRI that is the subject of a triple, in IRI order."""
        seen = {q.subject.value for q in self.store.quads_for_pattern(None, None, None, DefaultGraph())
                if isinstance(q.subject, NamedNode) and q.subject.value.startswith(ID)}
        return [NamedNode(iri) for iri in sorted(seen)]

    def label(self, iri: str) -> str:
        """The English label (any label otherwise), else the code, else the short IRI."""
        best = best_label(self.labels.get(iri, []), FALLBACK, [p.value for p in LABEL_ORDER])
        if best is not None:
            return best.value
        codes = self.triples(NamedNode(iri), SKOS.notation)
        return codes[0].object.value if codes else compact(iri)

    def closure(self, node: BlankNode, into: set[Triple]) -> None:
        """A blank node's triples, and those of the blank nodes it leads to."""
        for t in self.triples(node):
            if t not in into:
                into.add(t)
                if isinstance(t.object, BlankNode):
                    self.closure(t.object, into)


@dataclass
class Description:
    """One node's description, sorted into what its page shows."""

    node: NamedNode
    own: list[Triple]
    incoming: list[Triple]
    statements: list[Triple]
    alignments: list[Triple]
    passages: list[Triple]

    @property
    def triples(self) -> list[Triple]:
        every = {*self.own, *self.incoming, *self.statements, *self.alignments, *self.passages}
        return sorted(every, key=triple_key)


def describe(graph: Graph, node: NamedNode) -> Description:
    own: set[Triple] = set()
    for t in graph.triples(node):
        own.add(t)
        if isinstance(t.object, BlankNode):
            graph.closure(t.object, own)
    incoming = {t for t in graph.triples(None, None, node) if isinstance(t.subject, NamedNode)}
    statements: set[Triple] = set()
    for pointer in STATEMENT_SUBJECTS:
        for t in graph.triples(None, pointer, node):
            if isinstance(t.subject, BlankNode):
                graph.closure(t.subject, statements)
    alignments: set[Triple] = set()
    for end in ALIGNMENT_ENDS:
        for t in graph.triples(None, end, node):
            alignments.update(graph.triples(t.subject))
    sources = {t.object for t in (*own, *statements, *alignments) if t.predicate == W.sourcePassage}
    passages = {t for passage in sources for t in graph.triples(passage)}
    # every list in a fixed order, so the same graph gives the same files
    return Description(node, sorted(own, key=triple_key), sorted(incoming - alignments, key=triple_key),
                       sorted(statements, key=triple_key), sorted(alignments - own, key=triple_key),
                       sorted(passages - own, key=triple_key))


def serialise(triples: list[Triple], fmt: str) -> bytes:
    """One description in one format, with the export's prefixes (JSON-LD compacted as `export` does)."""
    if fmt == "jsonld":
        return jsonld.compact_triples(triples)
    return serialize(triples, format=EXPORT_FORMATS[fmt], prefixes=EXPORT_PREFIXES)


# --- HTML ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A term as a page shows it: text, a link (relative, inside the site) or none, a language."""

    text: str
    href: str | None = None
    language: str = ""
    iri: str = ""


class Pages:
    """Turns terms into links relative to the page being written."""

    def __init__(self, graph: Graph, env: Environment, version: str):
        self.graph, self.env, self.version = graph, env, version

    def href(self, iri: str, page: str) -> str | None:
        path = path_of(iri)
        if path is None:
            return iri if iri.startswith(("http://", "https://")) else None
        anchor = "#" + iri.split("#", 1)[1] if "#" in iri else ""
        return os.path.relpath(f"{path}.html", os.path.dirname(page) or ".") + anchor

    def show(self, term, page: str) -> Shown:
        if isinstance(term, NamedNode):
            text = self.graph.label(term.value) if term.value.startswith(ID) else compact(term.value)
            return Shown(text, self.href(term.value, page), iri=term.value)
        if isinstance(term, Literal):
            return Shown(term.value, language=term.language or "")
        return Shown("(a statement)" if isinstance(term, BlankNode) else str(term))

    def rows(self, triples: list[Triple], page: str) -> list[tuple[Shown, Shown, Shown]]:
        return [(self.show(t.subject, page), self.show(t.predicate, page), self.show(t.object, page))
                for t in triples]

    def render(self, page: str, title: str, iri: str, sections: list[tuple[str, str, list]],
               alternates: list[tuple[str, str]], terms: list[dict] | None = None) -> bytes:
        root = os.path.relpath(".", os.path.dirname(page) or ".")
        root = "" if root == "." else root + "/"
        return self.env.get_template("linked_data.html").render(
            root=root, version=self.version, site_title="wsisgraph", title=title, iri=iri, sections=sections,
            alternates=alternates, terms=terms or [], lang=FALLBACK, dir=direction(FALLBACK), languages=[],
            page_path=page, t=lambda key: messages.text(FALLBACK, key)).encode()


# --- the site -----------------------------------------------------------------------------------


def alternates(path: str) -> list[tuple[str, str]]:
    name = path.rsplit("/", 1)[-1]
    return [(f"{name}.{ext}", media) for ext, media, _, _ in FORMATS]


def node_files(pages: Pages, description: Description) -> dict[str, bytes]:
    node = description.node.value
    path = path_of(node)
    page = f"{path}.html"
    files = {f"{path}.{ext}": serialise(description.triples, fmt) for ext, _, fmt, _ in FORMATS}
    sections = [("Statements", "statements", pages.rows(description.own, page)),
                ("Alignments", "alignments", pages.rows(description.alignments, page)),
                ("Sources", "sources", pages.rows(description.passages, page)),
                ("Statements about it, with their sources", "reified", pages.rows(description.statements, page)),
                ("Referred to by", "incoming", pages.rows(description.incoming, page))]
    files[page] = pages.render(page, pages.graph.label(node), node, [s for s in sections if s[2]], alternates(path))
    return files


def ontology_files(pages: Pages, store: Store) -> dict[str, bytes]:
    """The ontology document: its graph in each format, and a page with an anchor for every term."""
    triples = sorted((q.triple for q in store.quads_for_pattern(None, None, None, graph_iri("ontology"))),
                     key=triple_key)
    files = {f"ontology.{ext}": serialise(triples, fmt) for ext, _, fmt, _ in FORMATS}
    by_term: dict[str, list[Triple]] = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, NamedNode) and t.subject.value.startswith(WSIS):
            by_term[t.subject.value].append(t)
    header = [t for t in triples if t.subject == NamedNode(ONTOLOGY)]
    terms = [{"anchor": iri[len(WSIS):], "iri": iri, "name": compact(iri),
              "rows": pages.rows(found, "ontology.html")} for iri, found in sorted(by_term.items())]
    files["ontology.html"] = pages.render("ontology.html", "The wsisgraph ontology", ONTOLOGY,
                                          [("Ontology", "ontology", pages.rows(header, "ontology.html"))],
                                          alternates("ontology"), terms)
    return files


def index_page(pages: Pages, nodes: list[NamedNode]) -> bytes:
    """The site's front page: every node by kind, so each page is reachable by following links."""
    kinds: dict[str, list[NamedNode]] = defaultdict(list)
    for node in nodes:
        kinds[node.value[len(ID):].rsplit("/", 1)[0]].append(node)
    sections = [(f"id/{kind}", kind.replace("/", "-"),
                 [(pages.show(node, "index.html"), Shown(""), Shown(compact(node.value))) for node in found])
                for kind, found in sorted(kinds.items())]
    sections.insert(0, ("Ontology", "ontology", [(pages.show(NamedNode(ONTOLOGY), "index.html"), Shown(""),
                                                   Shown("classes and properties"))]))
    return pages.render("index.html", "wsisgraph Linked Data", BASE, sections, [])


def file_checks(ext: str) -> list[str]:
    """Conditions that the IRI has that file here: no path beyond an existing name (id/sdg/goal/9/more
    would otherwise pass as 9 plus path info), and the file itself."""
    return ["RewriteCond %{PATH_INFO} ^$", f"RewriteCond %{{REQUEST_FILENAME}}.{ext} -f"]


def rules(target: str, check_files: bool) -> list[str]:
    """Rewrite rules for content negotiation on id/… and ontology: `target` is where files are
    (empty: this folder, via RewriteBase; else the host's URL for w3id.org to redirect to)."""
    served = r"^(id/.+|ontology)$"
    lines = []
    for ext, _, _, names in [*FORMATS, HTML]:
        exists = file_checks(ext) if check_files else []
        lines += [f"# ?format={'|'.join(names)}", f"RewriteCond %{{QUERY_STRING}} (^|&)format=({'|'.join(names)})(&|$)",
                  *exists, f"RewriteRule {served} {target}$1.{ext}? [R=303,L]", ""]
    for ext, media, _, _ in FORMATS:
        exists = file_checks(ext) if check_files else []
        pattern = media.replace("+", r"\+")
        lines += [f"# Accept: {media}", f"RewriteCond %{{HTTP_ACCEPT}} {pattern}", *exists,
                  f"RewriteRule {served} {target}$1.{ext} [R=303,L]", ""]
    exists = file_checks("html") if check_files else []
    lines += ["# browsers and everything else: the HTML page", *exists,
              f"RewriteRule {served} {target}$1.html [R=303,L]"]
    return lines


def htaccess(base_path: str) -> str:
    types = [f"AddType {media} .{ext}" for ext, media, _, _ in [*FORMATS, HTML]]
    return "\n".join([
        "# wsisgraph Linked Data (written by `wsisgraph publish`): this folder is https://w3id.org/wsisgraph/.",
        "# Needs mod_rewrite, mod_mime and mod_headers, and AllowOverride FileInfo Options Indexes.",
        "Options -MultiViews -Indexes",
        "<IfModule mod_dir.c>", "DirectorySlash Off", "</IfModule>",
        *types, "AddCharset utf-8 .ttl .jsonld .html",
        "<IfModule mod_headers.c>", "Header always merge Vary Accept", "</IfModule>",
        "RewriteEngine On", f"RewriteBase {base_path}", "",
        *rules("", check_files=True), ""])


def readme(site_url: str) -> str:
    target = site_url.rstrip("/") + "/"
    return "\n".join([
        "# wsisgraph Linked Data site",
        "",
        "Written by `wsisgraph publish`. Every `https://w3id.org/wsisgraph/id/…` IRI of the graph has a file per",
        "format here (`id/sdg/goal/9.ttl`, `.jsonld`, `.rdf`, `.html`), and the ontology is `ontology.*`.",
        "`.htaccess` does the content negotiation on an Apache server that serves this folder as",
        "`https://w3id.org/wsisgraph/` would be served: an IRI without extension answers `303 See Other` to",
        "`.ttl` for `Accept: text/turtle`, `.jsonld` for `application/ld+json`, `.rdf` for",
        "`application/rdf+xml`, and `.html` otherwise (browsers); `?format=ttl|jsonld|rdf|html` overrides the",
        "Accept header; an IRI the graph does not have is `404 Not Found`.",
        "",
        "## Redirect rules to propose to w3id.org",
        "",
        f"Host this folder at `{target}` and propose this `.htaccess` as `wsisgraph/.htaccess` in",
        "https://github.com/perma-id/w3id.org (a pull request, as for every w3id.org namespace). It sends",
        "each request on with the same negotiation, so clients reach the right file in one more redirect:",
        "",
        "```apache",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "",
        *rules(target, check_files=False),
        "",
        "# releases and anything else: the same path on the host",
        f"RewriteRule ^(.*)$ {target}$1 [R=302,L]",
        "```",
        ""])


def write_site(store: Store, output: Path, version: str, site_url: str, base_path: str = "/") -> int:
    """Write the whole site into `output` (replaced whole when we wrote it before); the number of nodes."""
    graph = Graph(store)
    env = environment()
    pages = Pages(graph, env, version)
    nodes = graph.nodes()

    def fill(folder: Path) -> None:
        def put(name: str, payload: bytes) -> None:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)

        for node in nodes:
            for name, payload in node_files(pages, describe(graph, node)).items():
                put(name, payload)
        for name, payload in ontology_files(pages, store).items():
            put(name, payload)
        put("index.html", index_page(pages, nodes))
        put(".htaccess", htaccess(base_path).encode())
        put("README.md", readme(site_url).encode())

    write_tree(output, fill, marker=MARKER)
    return len(nodes)
