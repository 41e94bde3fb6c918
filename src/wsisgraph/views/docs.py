"""Ontology documentation: pyLODE's page for ontology/wsis.ttl and a per-class summary of the shapes.

pyLODE documents the classes and properties (labels, definitions, domains, ranges) from the
ontology file. The SHACL shapes in ontology/shapes.ttl are summarised here, grouped by what they
target (a class, the subjects or objects of a property, a node), each rule in words with its
severity and message, so a data author sees the whole contract of a class on one page. Both files
are checked with the project's own parser first, so a syntax error reads `file:line: message`.
"""

import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from wsisgraph.core import languages, resources
from wsisgraph.core.messages import text as phrase
from wsisgraph.core.namespaces import PREFIXES, compact
from wsisgraph.core.output import check_target, write_tree
from wsisgraph.graph import build
from wsisgraph.sources import inputs
from wsisgraph.views.templates import environment

DOCS_MARKER = ".wsisgraph-docs"
SH = "http://www.w3.org/ns/shacl#"
RDF = PREFIXES["rdf"]
TARGETS = {"targetClass": "instances of", "targetSubjectsOf": "subjects of", "targetObjectsOf": "objects of",
           "targetNode": "the node"}
SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
# How each constraint reads; {0} is the value (compacted), {1} the raw value for patterns.
CONSTRAINT_WORDS = {
    "minCount": "at least {0}", "maxCount": "at most {0}", "datatype": "datatype {0}", "class": "an instance of {0}",
    "nodeKind": "node kind {0}", "pattern": "matches /{1}/", "flags": "pattern flags {1}", "node": "meets shape {0}",
    "hasValue": "has the value {0}", "minInclusive": "≥ {1}", "maxInclusive": "≤ {1}", "minExclusive": "> {1}",
    "maxExclusive": "< {1}", "minLength": "length ≥ {1}", "maxLength": "length ≤ {1}",
    "uniqueLang": "one value per language",
    "languageIn": "language in {0}", "in": "one of {0}", "equals": "equals {0}", "disjoint": "disjoint from {0}",
    "lessThan": "less than {0}", "lessThanOrEquals": "at most {0}", "qualifiedValueShape": "values meeting {0}",
    "qualifiedMinCount": "at least {1} such values", "qualifiedMaxCount": "at most {1} such values",
    "closed": "closed: no other properties", "not": "does not meet {0}", "and": "meets all of {0}",
    "or": "meets one of {0}", "xone": "meets exactly one of {0}",
}
SKIP = {"path", "message", "severity", "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "property",
        "name", "description", "order", "group", "deactivated", "ignoredProperties", "declare", "prefixes", "select",
        "sparql"}


@dataclass
class Rule:
    """One shape's constraint, in words."""

    shape: str
    path: str
    checks: list[str]
    severity: str
    message: str


@dataclass
class ShapeTarget:
    """What a group of rules applies to, such as `instances of wsis:Meeting`."""

    kind: str
    term: str
    iri: str
    anchor: str | None = None
    rules: list[Rule] = field(default_factory=list)


class Triples:
    """The shapes file as an index, to follow blank-node paths and RDF lists."""

    def __init__(self, triples: list[Triple]):
        self.index: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.index[t.subject][t.predicate.value].append(t.object)

    def objects(self, node: object, predicate: str) -> list:
        return sorted(self.index.get(node, {}).get(predicate, []), key=str)

    def first(self, node: object, predicate: str) -> object | None:
        values = self.objects(node, predicate)
        return values[0] if values else None

    def items(self, node: object) -> list:
        """The members of an RDF list."""
        out = []
        while node is not None and node != NamedNode(RDF + "nil"):
            out += self.objects(node, RDF + "first")
            node = self.first(node, RDF + "rest")
        return out

    def subjects_with(self, predicate: str) -> list:
        return sorted((s for s, props in self.index.items() if predicate in props), key=str)

    def show(self, node: object) -> str:
        """A node as a reader wants it: a compact IRI, a literal's text, a path or a list in words."""
        if isinstance(node, NamedNode):
            return compact(node.value)
        if isinstance(node, Literal):
            return node.value
        if RDF + "first" in self.index.get(node, {}):
            return "(" + ", ".join(self.show(item) for item in self.items(node)) + ")"
        for key, form in (("alternativePath", " | "), ("inversePath", "^"), ("zeroOrMorePath", "*"),
                          ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            value = self.first(node, SH + key)
            if value is not None:
                if key == "alternativePath":
                    return form.join(self.show(item) for item in self.items(value))
                shown = self.show(value)
                return form + shown if key == "inversePath" else shown + form
        return "[" + "; ".join(f"{compact(p)} {self.show(v)}" for p, vs in sorted(self.index.get(node, {}).items())
                               for v in vs) + "]"


def read_turtle(path: Path, graph: str) -> list[Triple]:
    """Triples of a Turtle file; a syntax error is an InputError naming the file and line."""
    return inputs.parse_input(inputs.Input(graph, path, f"ontology/{path.name}"))


def checks(shapes: Triples, shape: object) -> list[str]:
    """Every constraint of a shape in words, sorted so the output is stable."""
    out = []
    for predicate, values in sorted(shapes.index.get(shape, {}).items()):
        name = predicate.removeprefix(SH)
        if not predicate.startswith(SH) or name in SKIP:
            continue
        for value in values:
            shown = shapes.show(value)
            template = CONSTRAINT_WORDS.get(name, name + " {0}")
            out.append(template.format(shown, shown))
    if (mins := shapes.first(shape, SH + "minCount")) and mins == shapes.first(shape, SH + "maxCount"):
        out = [c for c in out if not c.startswith(("at least ", "at most "))] + [f"exactly {mins.value}"]
    for constraint in shapes.objects(shape, SH + "sparql"):
        out.append("SPARQL check" + (" (deactivated)" if shapes.first(constraint, SH + "deactivated") else ""))
    return sorted(out)


def messages(shapes: Triples, shape: object) -> str:
    texts = [m.value for m in shapes.objects(shape, SH + "message")]
    for constraint in shapes.objects(shape, SH + "sparql"):
        texts += [m.value for m in shapes.objects(constraint, SH + "message")]
    texts += [c.value for c in shapes.objects(shape, PREFIXES["rdfs"] + "comment")]
    return " ".join(dict.fromkeys(texts))


def rule(shapes: Triples, shape: object) -> Rule:
    severity = shapes.first(shape, SH + "severity")
    path = shapes.first(shape, SH + "path")
    name = compact(shape.value) if isinstance(shape, NamedNode) else "(unnamed shape)"
    return Rule(name, shapes.show(path) if path is not None else "(the node itself)", checks(shapes, shape),
                SEVERITIES.get(severity.value if severity else SH + "Violation", compact(str(severity))),
                messages(shapes, shape))


def summarise_shapes(path: Path, domains: dict[str, list[str]] | None = None) -> list[ShapeTarget]:
    """The shapes grouped by target; a property shape nested in a node shape inherits its targets.

    Rules on the subjects of a property with an rdfs:domain are listed under the domain's classes
    too, so each class shows its whole contract; the rest stay grouped by property.
    """
    shapes = Triples(read_turtle(path, "shapes"))
    groups: dict[tuple[str, str], ShapeTarget] = {}
    for key, kind in TARGETS.items():
        for shape in shapes.subjects_with(SH + key):
            for target in shapes.objects(shape, SH + key):
                group = groups.setdefault((kind, shapes.show(target)), ShapeTarget(kind, shapes.show(target), getattr(
                    target, "value", str(target))))
                members = [shape, *shapes.objects(shape, SH + "property")]
                for member in members:
                    if (checks(shapes, member) or shapes.first(member, SH + "path") is not None
                            or shapes.objects(member, SH + "message")):
                        group.rules.append(rule(shapes, member))
    for (kind, _), group in list(groups.items()):
        owners = (domains or {}).get(group.iri, []) if kind == TARGETS["targetSubjectsOf"] else []
        for owner in owners:
            cls = groups.setdefault((TARGETS["targetClass"], compact(owner)),
                                    ShapeTarget(TARGETS["targetClass"], compact(owner), owner))
            cls.rules += group.rules
        if owners:
            del groups[(kind, group.term)]
    for group in groups.values():
        group.rules.sort(key=lambda r: (r.path, r.shape, r.checks))
    order = {kind: i for i, kind in enumerate(TARGETS.values())}
    return sorted(groups.values(), key=lambda g: (order[g.kind], g.term))


def property_domains(ontology: list[Triple]) -> dict[str, list[str]]:
    domains: dict[str, list[str]] = defaultdict(list)
    for t in ontology:
        if t.predicate.value == PREFIXES["rdfs"] + "domain" and isinstance(t.object, NamedNode):
            domains[t.subject.value].append(t.object.value)
    return domains


def ontology_html(path: Path) -> str:
    """pyLODE's single-page documentation of the ontology (with its CSS inlined)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub  # importing pyLODE configures root logging at DEBUG; undone below
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return OntPub(ontology=str(path)).make_html(include_css=True)


def class_anchors(html: str) -> dict[str, str]:
    """IRI -> the id pyLODE gave its entry, to link the shape summary into the ontology page."""
    found = re.finditer(r'<div class="[^"]*entity[^"]*" id="([^"]+)">\s*<h3>.{0,400}?<code>([^<]+)</code>',
                        html, re.DOTALL)
    return {unescape(match.group(2)): match.group(1) for match in found}


def documented_language(triples: list[Triple], lang: str, warn: Callable[[str], None]) -> str:
    """The language the documentation can be written in: `lang` where the ontology labels its terms
    in it, else English (today the ontology's labels are English only), with a warning saying so."""
    if any(isinstance(t.object, Literal) and languages.matches(t.object.language, lang) for t in triples):
        return lang
    if not languages.matches(languages.FALLBACK, lang):
        warn(f"the ontology has no labels in {lang}: the documentation is in English")
    return languages.FALLBACK


def write_docs(output: Path, warn: Callable[[str], None] = lambda line: None,
               lang: str = languages.FALLBACK) -> list[str]:
    """Write index.html, ontology.html and shapes.html into `output` (replaced whole, atomically)."""
    check_target(output, DOCS_MARKER)
    ontology_file = resources.ontology_dir() / inputs.ONTOLOGY_FILE
    shapes_file = resources.ontology_dir() / "shapes.ttl"
    triples = read_turtle(ontology_file, "ontology")  # a syntax error reads file:line before pyLODE sees it
    ontology = ontology_html(ontology_file)
    anchors = class_anchors(ontology)
    if shapes_file.exists():
        targets = summarise_shapes(shapes_file, property_domains(triples))
        for target in targets:
            target.anchor = anchors.get(target.iri)
    else:
        targets = None
        warn(f"{shapes_file} does not exist yet: shapes.html says so instead of summarising the shapes")
    env = environment()
    lang = documented_language(triples, lang, warn)
    context = {"root": "", "version": build.ontology_version(triples)[1] or "",
               "site_title": "wsisgraph ontology", "shapes_file": f"ontology/{shapes_file.name}", "lang": lang,
               "dir": languages.direction(lang), "t": lambda key: phrase(lang, key), "languages": [],
               "page_path": ""}
    pages = {
        "ontology.html": ontology,
        "shapes.html": env.get_template("shapes.html").render(targets=targets, **context),
        "index.html": env.get_template("docs_index.html").render(
            entries=len(anchors), has_shapes=targets is not None,
            rules=sum(len(t.rules) for t in targets or []), **context),
    }

    def fill(folder: Path) -> None:
        for name, text in pages.items():
            (folder / name).write_text(text, encoding="utf-8")

    write_tree(output, fill, marker=DOCS_MARKER)
    return list(pages)
