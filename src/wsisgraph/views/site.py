"""The HTML report: a static site of the graph for people who do not use SPARQL.

Pages: an overview (version, counts, sources, graphs), one page per action line, one per SDG goal,
the meetings with their documents and recommendations, the coverage heatmap, a list per class,
and a page for every other described entity (documents, recommendations, activities, passages...).
Every mention of an entity links to its page when it has one and always to its IRI.

Pages are rendered from Jinja2 templates shipped in the package. Links are relative and nothing is
fetched at view time, so the site works opened from disk. The site is built in a temporary folder
beside the target and renamed into place only when complete; a folder that is not a previous
wsisgraph site is never replaced.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from pyoxigraph import BlankNode, Literal, NamedNode

from wsisgraph.core import languages, messages
from wsisgraph.core.namespaces import DATASET_IRI, ID, PREFIXES, WSIS, compact, prologue
from wsisgraph.core.output import check_target, write_tree
from wsisgraph.sparql.query import Engine, run
from wsisgraph.sparql.stats import read_version
from wsisgraph.views import coverage, heatmap
from wsisgraph.views.templates import environment

SITE_MARKER = ".wsisgraph-site"
RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL_PROPERTIES = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title")
# Kinds of node listed inside other pages rather than given their own.
NO_PAGE_CLASSES = {WSIS + "Alignment", WSIS + "SDGIndicator"}
CODED_CLASSES = {WSIS + "ActionLine", WSIS + "SDGGoal", WSIS + "SDGTarget", WSIS + "SDGIndicator"}
LONG_TEXT = {WSIS + "text", WSIS + "actionText", PREFIXES["dcterms"] + "description"}

Q = prologue()  # every query of the site starts with the project's prefixes


@dataclass(frozen=True)
class Ref:
    """An entity as pages show it: its label, its IRI, and its page in the site if it has one."""

    iri: str
    label: str
    href: str | None = None
    language: str = ""  # set when the label is the English fallback of a page in another language


@dataclass(frozen=True)
class Value:
    """An object of a statement: an entity, an external link, or a literal."""

    ref: Ref | None = None
    text: str = ""
    language: str = ""
    long: bool = False


@dataclass
class Statement:
    """One property of a page's entity, with its values and the passages that state each."""

    property: Ref
    values: list[tuple[Value, list[Ref]]] = field(default_factory=list)


class SiteReader:
    """Read access to the store for page building: queries with safely bound IRIs, labels, pages."""

    def __init__(self, engine: Engine, lang: str = languages.FALLBACK):
        self.engine = engine
        self.lang = lang
        self.fallbacks: set[str] = set()  # IRIs whose label is English although `lang` was asked
        self.pages: dict[str, str] = {}
        self.labels = self._labels()
        self.types = self._types()
        self.notations: dict[str, str] = {}
        for row in self.rows("SELECT ?s ?code WHERE { ?s skos:notation ?code } ORDER BY ?s ?code"):
            self.notations.setdefault(row["s"].value, row["code"].value)  # a repeated indicator has several

    def rows(self, text: str, **bindings: str) -> list[dict[str, object]]:
        """Solutions of a query as dicts; keyword arguments are IRIs bound as terms, never pasted."""
        result = run(self.engine, Q + text, {name: NamedNode(iri) for name, iri in bindings.items()})
        return [{v: term for v, term in zip(result.variables, row, strict=True) if term is not None}
                for row in result.rows]

    def _labels(self) -> dict[str, str]:
        """The best label of every IRI in the site's language, else in English: prefLabel, then
        rdfs:label, then title. The language is bound as a literal, like every query parameter."""
        candidates: dict[str, list[tuple[str, Literal]]] = defaultdict(list)
        result = run(self.engine, Q + """SELECT ?s ?p ?label WHERE {
                                  VALUES ?p { skos:prefLabel rdfs:label dcterms:title }
                                  ?s ?p ?label .
                                  FILTER(isIRI(?s) && (LANG(?label) = "" || LANGMATCHES(LANG(?label), ?fallback)
                                                       || LANGMATCHES(LANG(?label), ?lang)))
                                }""", {"lang": Literal(self.lang), "fallback": Literal(languages.FALLBACK)})
        for s, p, label in result.rows:
            candidates[s.value].append((p.value, label))
        labels = {}
        for iri, found in candidates.items():
            best = languages.best_label(found, self.lang, LABEL_PROPERTIES)
            if not languages.matches(best.language, self.lang) and not languages.matches(languages.FALLBACK, self.lang):
                self.fallbacks.add(iri)
            labels[iri] = best.value
        return labels

    def _types(self) -> dict[str, set[str]]:
        types: dict[str, set[str]] = defaultdict(set)
        for row in self.rows("SELECT ?s ?type WHERE { ?s a ?type . FILTER(isIRI(?s)) }"):
            types[row["s"].value].add(row["type"].value)
        return types

    def label(self, iri: str) -> str:
        """The label, led by the code for action lines, goals and targets (`C2 Information…`, `9.c …`)."""
        label = self.labels.get(iri) or compact(iri)
        if self.types.get(iri, set()) & CODED_CLASSES and iri in self.notations:
            return f"{self.notations[iri]} {label}"
        return label

    def ref(self, term: object) -> Ref:
        iri = term.value if isinstance(term, NamedNode) else str(term)
        return Ref(iri, self.label(iri), self.pages.get(iri), languages.FALLBACK if iri in self.fallbacks else "")

    def value(self, term: object, prop: str = "") -> Value:
        if isinstance(term, Literal):
            return Value(text=term.value, language=term.language or "", long=prop in LONG_TEXT)
        if isinstance(term, BlankNode):
            return Value(text="(unnamed node)")
        return Value(ref=self.ref(term))


def page_path(iri: str, kind: str) -> str:
    """The site path of an entity page, from the readable key of its IRI."""
    key = iri[len(ID):] if iri.startswith(ID) else iri
    segments = [re.sub(r"[^A-Za-z0-9._~-]+", "-", part).strip(".") or "-" for part in key.split("/")]
    if kind in ("action-line", "goal"):
        segments = segments[-1:]
    else:
        kind = "entity"
    return "/".join([kind, *segments]) + ".html"


def plan_pages(graph: SiteReader) -> dict[str, str]:
    """IRI -> page path for every entity that gets a page of its own."""
    pages = {}
    for iri, types in sorted(graph.types.items()):
        if not iri.startswith(ID) or iri == DATASET_IRI or types & NO_PAGE_CLASSES:
            continue
        if WSIS + "ActionLine" in types:
            pages[iri] = page_path(iri, "action-line")
        elif WSIS + "SDGGoal" in types:
            pages[iri] = page_path(iri, "goal")
        else:
            pages[iri] = page_path(iri, "entity")
    return pages


# ------------------------------------------------------------------------------------------------
# What each page shows
# ------------------------------------------------------------------------------------------------

def statements(graph: SiteReader, iri: str, skip: Iterable[str] = ()) -> list[Statement]:
    """Every property of the entity with its values, each value with the passages that state it."""
    passages: dict[tuple[str, str], list[Ref]] = defaultdict(list)
    for row in graph.rows("""SELECT ?p ?o ?passage WHERE {
                               ?st wsis:statementSubject ?s ; wsis:statementProperty ?p ;
                                   wsis:statementObject ?o ; wsis:sourcePassage ?passage }
                             ORDER BY ?passage""", s=iri):
        passages[(row["p"].value, str(row["o"]))].append(graph.ref(row["passage"]))
    grouped: dict[str, Statement] = {}
    skipped = {RDF_TYPE, *skip}
    for row in graph.rows("SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p ?o", s=iri):
        prop = row["p"].value
        if prop in skipped:
            continue
        item = grouped.setdefault(prop, Statement(graph.ref(row["p"])))
        item.values.append((graph.value(row["o"], prop), passages.get((prop, str(row["o"])), [])))
    return sorted(grouped.values(), key=lambda s: s.property.label.casefold())


def mentions(graph: SiteReader, iri: str, skip_classes: Iterable[str] = ()) -> list[tuple[Ref, Ref]]:
    """(entity, property) pairs of the named entities that point at this one."""
    out = []
    hidden = {*skip_classes, WSIS + "Alignment"}  # alignments have their own table
    for row in graph.rows("SELECT DISTINCT ?s ?p WHERE { ?s ?p ?o . FILTER(isIRI(?s)) } ORDER BY ?p ?s", o=iri):
        subject = row["s"].value
        if graph.types.get(subject, set()) & hidden or subject == DATASET_IRI:
            continue
        out.append((graph.ref(row["s"]), graph.ref(row["p"])))
    return out


def classes(graph: SiteReader, iri: str) -> list[Ref]:
    return [graph.ref(NamedNode(t)) for t in sorted(graph.types.get(iri, ()))]


@dataclass
class Link:
    """A qualified alignment (or a bare direct link) as a table row."""

    subject: Ref
    object: Ref
    goal: Ref | None
    basis: list[Ref] = field(default_factory=list)
    sources: list[Ref] = field(default_factory=list)
    confidence: str = ""
    notes: list[str] = field(default_factory=list)


ALIGNMENTS = """
SELECT ?subject ?object ?alignment ?basis ?confidence ?source ?note WHERE {
  %s
  OPTIONAL {
    ?alignment wsis:alignmentSubject ?subject ; wsis:alignmentObject ?object .
    OPTIONAL { ?alignment wsis:basis ?basis }
    OPTIONAL { ?alignment wsis:confidence ?confidence }
    OPTIONAL { ?alignment wsis:sourcePassage|wsis:referenceSource|dcterms:source ?source }
    OPTIONAL { ?alignment rdfs:comment|skos:editorialNote|wsis:caveat|skos:note ?note }
  }
}
"""
LINE_LINKS = """?subject skos:broader* ?line ; a wsis:ActionLine .
  { ?subject wsis:supportsGoal ?object } UNION { ?subject wsis:supportsTarget ?object }"""
GOAL_LINKS = """{ ?subject wsis:supportsGoal ?goal . BIND(?goal AS ?object) }
  UNION { ?subject wsis:supportsTarget ?object . ?object wsis:goal ?goal }
  UNION { ?alignment0 wsis:alignmentObject ?goal ; wsis:alignmentSubject ?subject . BIND(?goal AS ?object) }
  UNION { ?alignment0 wsis:alignmentObject ?object ; wsis:alignmentSubject ?subject . ?object wsis:goal ?goal }"""


def links(graph: SiteReader, pattern: str, goal_of: dict[str, str], **bindings: str) -> list[Link]:
    """Alignment rows for a graph pattern binding ?subject and ?object, merged per alignment."""
    merged: dict[tuple[str, str, str], Link] = {}
    for row in graph.rows(ALIGNMENTS % pattern, **bindings):
        subject, obj = row["subject"].value, row["object"].value
        key = (subject, obj, str(row.get("alignment", "")))
        goal = goal_of.get(obj, obj if obj in goal_of.values() else None)
        link = merged.setdefault(key, Link(graph.ref(row["subject"]), graph.ref(row["object"]),
                                           graph.ref(NamedNode(goal)) if goal else None))
        for name, bucket in (("basis", link.basis), ("source", link.sources)):
            if name in row and graph.ref(row[name]) not in bucket:
                bucket.append(graph.ref(row[name]))
        if "note" in row and row["note"].value not in link.notes:
            link.notes.append(row["note"].value)
        if "confidence" in row:
            link.confidence = row["confidence"].value
    return sorted(merged.values(), key=lambda k: (code_key(graph.notations.get(k.object.iri, "")),
                                                  k.subject.label, [b.label for b in k.basis]))


def code_key(code: str) -> tuple:
    """Sort codes as people read them: 9 < 10, 9.2 < 9.10 < 9.a, C2 < C10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"[.\s-]+", code.lstrip("C")))


def goal_of_targets(graph: SiteReader) -> dict[str, str]:
    return {row["t"].value: row["g"].value for row in graph.rows("SELECT ?t ?g WHERE { ?t wsis:goal ?g }")}


def related(graph: SiteReader, iri: str, cls: str, via_broader: bool = False) -> list[Ref]:
    """Entities of a class linked to or from this one (or its narrower concepts) by any property."""
    anchor = "?member skos:broader* ?x ." if via_broader else "BIND(?x AS ?member)"
    text = f"""SELECT DISTINCT ?e WHERE {{
                 {anchor}
                 {{ ?e ?p ?member }} UNION {{ ?member ?p ?e }} UNION {{ ?e ?p ?t . ?t wsis:goal ?member }}
                 ?e a <{cls}> .
               }}"""
    refs = [graph.ref(row["e"]) for row in graph.rows(text, x=iri)]
    return sorted(refs, key=lambda r: code_key(r.label))


def action_lines(graph: SiteReader) -> list[Ref]:
    rows = graph.rows("SELECT ?line WHERE { ?line a wsis:ActionLine ; skos:notation ?code }")
    return sorted((graph.ref(r["line"]) for r in rows), key=lambda r: code_key(graph.notations.get(r.iri, "")))


def goals(graph: SiteReader) -> list[Ref]:
    rows = graph.rows("SELECT ?goal WHERE { ?goal a wsis:SDGGoal ; skos:notation ?code }")
    return sorted((graph.ref(r["goal"]) for r in rows), key=lambda r: code_key(graph.notations.get(r.iri, "")))


def recommendation_rows(graph: SiteReader, recs: Iterable[Ref]) -> list[dict]:
    """What each recommendation asks, of whom, and where the report says it."""
    out = []
    for rec in recs:
        facts = {s.property.iri: [v for v, _ in s.values] for s in statements(graph, rec.iri)}
        out.append({"ref": rec, **{key: facts.get(WSIS + prop, []) for key, prop in (
            ("action", "action"), ("actor", "actor"), ("text", "actionText"), ("passages", "sourcePassage"))}})
    return sorted(out, key=lambda r: code_key(" ".join(p.ref.label for p in r["passages"] if p.ref)))


# ------------------------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------------------------

@dataclass
class Page:
    path: str
    template: str
    context: dict


def overview_page(graph: SiteReader, lines: list[Ref], goal_refs: list[Ref], meetings: dict) -> Page:
    dataset = {s.property.iri: s.values for s in statements(graph, DATASET_IRI)}
    sources = [v.ref for v, _ in dataset.get(PREFIXES["dcterms"] + "source", []) if v.ref]
    source_rows = [{"ref": src, "facts": statements(graph, src.iri, skip=LABEL_PROPERTIES)} for src in sources]
    graphs = graph.rows("""SELECT ?name ?triples WHERE {
                             ?d void:subset ?s . ?s rdfs:label ?name ; void:triples ?triples
                           } ORDER BY ?name""", d=DATASET_IRI)
    # Named things only: a class whose members are all blank nodes (sourced statements) has no page.
    counts = graph.rows("""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class .
                             FILTER(isIRI(?s) && STRSTARTS(STR(?class), "https://w3id.org/wsisgraph/ontology#")) }
                           GROUP BY ?class ORDER BY DESC(?n) ?class""")
    return Page("index.html", "index.html", {
        "dataset": dataset, "sources": source_rows,
        "graphs": [(row["name"].value, int(row["triples"].value)) for row in graphs],
        "counts": [(graph.ref(row["class"]), int(row["n"].value), class_page(row["class"].value)) for row in counts],
        "lines": lines, "goals": goal_refs,
        "meetings": [section["ref"] for section in meetings["meetings"]],
    })


def class_page(cls: str) -> str:
    return f"class/{cls.rsplit('#', 1)[-1]}.html"


def refs_of_class(graph: SiteReader, cls: str) -> list[Ref]:
    return [graph.ref(NamedNode(iri)) for iri, types in sorted(graph.types.items()) if cls in types]


def class_pages(graph: SiteReader) -> list[Page]:
    used = sorted({t for types in graph.types.values() for t in types if t.startswith(WSIS)})
    return [Page(class_page(cls), "class.html", {
        "cls": graph.ref(NamedNode(cls)),
        "members": sorted(refs_of_class(graph, cls), key=lambda r: code_key(graph.notations.get(r.iri, r.label))),
    }) for cls in used]


def action_line_page(graph: SiteReader, line: Ref, goal_of: dict[str, str]) -> Page:
    lead = WSIS + "leadFacilitator"
    co = WSIS + "coFacilitator"
    facts = statements(graph, line.iri)
    by_prop = {s.property.iri: s.values for s in facts}
    subs = [graph.ref(r["s"]) for r in graph.rows("SELECT ?s WHERE { ?s skos:broader ?x ; a wsis:ActionLine }",
                                                   x=line.iri)]
    recs = related(graph, line.iri, WSIS + "Recommendation", via_broader=True)
    return Page(graph.pages[line.iri], "action_line.html", {
        "entity": line, "code": graph.notations.get(line.iri, ""), "types": classes(graph, line.iri),
        "lead": [v for v, _ in by_prop.get(lead, [])], "co": [v for v, _ in by_prop.get(co, [])],
        "parent": [v for v, _ in by_prop.get(PREFIXES["skos"] + "broader", [])],
        "subs": sorted(subs, key=lambda r: r.label),
        "links": links(graph, LINE_LINKS, goal_of, line=line.iri),
        "activities": related(graph, line.iri, WSIS + "ITUActivity", via_broader=True),
        "recommendations": recommendation_rows(graph, recs),
        "facts": [s for s in facts if s.property.iri not in {lead, co}],
        "mentions": mentions(graph, line.iri, [WSIS + "Recommendation", WSIS + "ITUActivity", WSIS + "ActionLine"]),
    })


def goal_page(graph: SiteReader, goal: Ref, goal_of: dict[str, str]) -> Page:
    targets = sorted((graph.ref(NamedNode(t)) for t, g in goal_of.items() if g == goal.iri),
                     key=lambda r: code_key(graph.notations.get(r.iri, "")))
    goal_links = links(graph, GOAL_LINKS, goal_of, goal=goal.iri)
    line_links = [k for k in goal_links if WSIS + "ActionLine" in graph.types.get(k.subject.iri, set())]
    supported = defaultdict(list)
    for k in line_links:
        if supported[k.object.iri].count(k.subject) == 0:
            supported[k.object.iri].append(k.subject)
    colour = next((v.text for s in statements(graph, goal.iri) if s.property.iri == WSIS + "colour"
                   for v, _ in s.values), coverage.NEUTRAL)
    schemes = {r["scheme"].value for r in graph.rows("SELECT ?scheme WHERE { ?g skos:inScheme ?scheme }",
                                                      g=goal.iri)}
    whole = [r for scheme in sorted(schemes) for r in related(graph, scheme, WSIS + "ITUActivity")]
    return Page(graph.pages[goal.iri], "goal.html", {
        "entity": goal, "code": graph.notations.get(goal.iri, ""), "title": graph.labels.get(goal.iri, ""),
        "colour": colour,
        "text_colour": heatmap.text_colour(colour), "types": classes(graph, goal.iri),
        "facts": statements(graph, goal.iri),
        "targets": [(t, supported.get(t.iri, [])) for t in targets],
        "gaps": [t for t in targets if not supported.get(t.iri)],
        "direct": supported.get(goal.iri, []),
        "links": line_links,
        "other_links": [k for k in goal_links if k not in line_links],
        "lines": sorted({k.subject for k in line_links}, key=lambda r: code_key(graph.notations.get(r.iri, ""))),
        "activities": related(graph, goal.iri, WSIS + "ITUActivity"),
        "whole": whole,
    })


def entity_page(graph: SiteReader, iri: str, goal_of: dict[str, str]) -> Page:
    entity = graph.ref(NamedNode(iri))
    alignment_links = links(graph, "{ ?alignment0 wsis:alignmentSubject ?x ; wsis:alignmentObject ?object . "
                                   "BIND(?x AS ?subject) } UNION { ?alignment0 wsis:alignmentObject ?x ; "
                                   "wsis:alignmentSubject ?subject . BIND(?x AS ?object) }", goal_of, x=iri)
    return Page(graph.pages[iri], "entity.html", {
        "entity": entity, "types": classes(graph, iri), "facts": statements(graph, iri),
        "mentions": mentions(graph, iri), "links": alignment_links,
    })


MEETINGS = """SELECT DISTINCT ?m WHERE {
  { ?m a wsis:Meeting } UNION { ?m dcterms:hasPart ?part . ?part a wsis:Meeting }
}"""
MEETING_DOCUMENTS = """SELECT DISTINCT ?d WHERE {
  { ?m wsis:considered ?d } UNION { ?d wsis:presentedAt ?m }
  ?d a/rdfs:subClassOf* wsis:Document .
}"""


def meetings_page(graph: SiteReader) -> Page:
    """Each meeting with the documents it considered and the recommendations made at it or due at it.

    Meetings with documents or recommendations get a section each; the sessions a source merely
    mentions are listed after them.
    """
    sections, mentioned = [], []
    for row in graph.rows(MEETINGS):
        meeting = graph.ref(row["m"])
        documents = [graph.ref(r["d"]) for r in graph.rows(MEETING_DOCUMENTS, m=meeting.iri)]
        made = [graph.ref(r["r"]) for r in graph.rows("SELECT ?r WHERE { ?r wsis:recommendedBy ?m }", m=meeting.iri)]
        due = [graph.ref(r["r"]) for r in graph.rows("SELECT ?r WHERE { ?r wsis:dueAt ?m }", m=meeting.iri)]
        if not (documents or made or due):
            mentioned.append(meeting)
            continue
        sections.append({"ref": meeting, "facts": statements(graph, meeting.iri),
                         "documents": sorted(documents, key=lambda r: code_key(r.label)),
                         "made": recommendation_rows(graph, made), "due": recommendation_rows(graph, due)})
    sections.sort(key=lambda s: code_key(s["ref"].label))
    return Page("meetings.html", "meetings.html", {
        "meetings": sections, "mentioned": sorted(mentioned, key=lambda r: code_key(r.label))})


HEATMAPS = [("goal", None), ("goal", "matrix"), ("goal", "report"), ("goal", "curator"), ("target", None)]


def heatmap_files(graph: SiteReader) -> tuple[Page, dict[str, bytes]]:
    """The heatmap page and its pictures; the first picture is inlined so its labels link to pages."""
    files: dict[str, bytes] = {}
    pictures = []
    for level, basis in HEATMAPS:
        grid = coverage.compute(graph.engine, level, basis, graph.lang)
        stem = "coverage" + ("" if level == "goal" else "-" + level) + (f"-{basis}" if basis else "")
        links_total = sum(grid.total(line.code) for line in grid.lines if line.parent is None)
        if links_total or basis is None:
            files[f"{stem}.svg"] = heatmap.render_svg(grid, site_link if not pictures else None)
            files[f"{stem}.csv"] = coverage.render_csv(grid)
        basis_ref = graph.ref(coverage.BASES[basis]) if basis else None
        pictures.append({"stem": stem, "title": grid.title, "links": links_total, "basis": basis_ref,
                         "level": level, "drawn": f"{stem}.svg" in files})
    inline = files[f"{pictures[0]['stem']}.svg"].decode("utf-8")
    inline = inline[inline.index("<svg"):]
    return Page("heatmap.html", "heatmap.html", {"pictures": pictures, "inline": inline}), files


def site_link(kind: str, code: str) -> str:
    """Where the inlined heatmap's labels point, relative to the site root."""
    return page_path(ID + ("action-line/" if kind == "action-line" else "sdg/goal/") + code, kind)


# ------------------------------------------------------------------------------------------------
# Rendering and writing
# ------------------------------------------------------------------------------------------------

def render(env: Environment, page: Page, common: dict) -> str:
    root = "../" * page.path.count("/")
    return env.get_template(page.template).render(root=root, page_path=page.path, **common, **page.context)


def language_folders(default: str) -> dict[str, str]:
    """Where each language's site goes: the default language at the top, each other UN language in
    a folder named for its tag (ar/, zh-Hans/ ...)."""
    return {lang: "" if lang == default else f"{lang}/" for lang in dict.fromkeys([default, *languages.UN_LANGUAGES])}


def build_pages(engine: Engine, lang: str = languages.FALLBACK) -> tuple[list[Page], dict[str, bytes], dict]:
    graph = SiteReader(engine, lang)
    graph.pages = plan_pages(graph)
    goal_of = goal_of_targets(graph)
    lines, goal_refs = action_lines(graph), goals(graph)
    heatmap, files = heatmap_files(graph)
    meetings = meetings_page(graph)
    pages = [overview_page(graph, lines, goal_refs, meetings.context), meetings, heatmap, *class_pages(graph)]
    pages += [action_line_page(graph, line, goal_of) for line in lines]
    pages += [goal_page(graph, goal, goal_of) for goal in goal_refs]
    special = {line.iri for line in lines} | {goal.iri for goal in goal_refs}
    pages += [entity_page(graph, iri, goal_of) for iri in graph.pages if iri not in special]
    common = {"version": read_version(engine), "site_title": "wsisgraph", "lang": lang,
              "dir": languages.direction(lang), "t": lambda key: messages.text(lang, key)}
    return pages, files, common


def write_site(engine: Engine, target: Path, lang: str = languages.FALLBACK) -> int:
    """Render every page in each of the six UN languages into a new folder and move it into place:
    `lang` at the top, the others in a folder each, every page with a switcher to the same page in
    the other languages. Returns the number of pages of one language."""
    check_target(target, SITE_MARKER)
    folders = language_folders(lang)
    env = environment()
    sites = {tag: build_pages(engine, tag) for tag in folders}

    def fill(folder: Path) -> None:
        for tag, (pages, files, common) in sites.items():
            top = "../" if folders[tag] else ""
            switcher = [(other, languages.NAMES[other], top + prefix) for other, prefix in folders.items()]
            for page in pages:
                out = folder / folders[tag] / page.path
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(render(env, page, {**common, "languages": switcher}), encoding="utf-8")
            for name, payload in files.items():
                (folder / folders[tag] / name).write_bytes(payload)

    write_tree(target, fill, SITE_MARKER)
    return len(sites[lang][0])
