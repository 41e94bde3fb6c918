"""Check data against the SHACL shapes in ontology/shapes.ttl: the data contract.

What is validated is always the data together with the ontology graph, so that sh:targetClass and
sh:class see the ontology's rdfs:subClassOf (a wsis:Meeting is a wsis:Event) without any RDFS
inference: the data carries its own rdf:type triples and the ontology supplies the hierarchy.

Two engines share the work, each doing what it is fast at:
- SHACL Core constraints run in pySHACL (inference 'none') over an rdflib copy of the data.
- SHACL-SPARQL constraints (sh:sparql on a node shape) run on an in-memory pyoxigraph store, one
  query per constraint for all focus nodes at once: `$this` is pre-bound by joining the shape's
  targets (sh:targetClass with rdfs:subClassOf*, sh:targetNode, sh:targetSubjectsOf,
  sh:targetObjectsOf) at the start of the query's WHERE group. pySHACL runs such constraints with
  rdflib's SPARQL engine once per focus node, about 3 ms each: 25 s or more on the shipped graph,
  against milliseconds here.
Both produce the standard result fields (focus node, path, value, message, severity, source shape,
source constraint, constraint component) and one report merges them.

`validate_inputs()` checks what a build stores (build.py calls it before swapping a store in);
`validate_files()` checks a user's files together with the ontology and the shipped data they
refer to, and reports only the nodes the user's files describe.
"""

import io
import json
import re
import xml.parsers.expat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from wsisgraph.core import resources
from wsisgraph.core.errors import InputError, WsisgraphError
from wsisgraph.core.namespaces import PREFIXES, Namespace
from wsisgraph.core.rdf import stable_blank_nodes
from wsisgraph.export import FORMATS

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SHAPES_NS = "https://w3id.org/wsisgraph/shapes#"
SHAPES_FILE = "shapes.ttl"

SEVERITIES = {SH + "Violation": "Violation", SH + "Warning": "Warning", SH + "Info": "Info"}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
DISPLAY_PREFIXES = {**PREFIXES, "wsish": SHAPES_NS}
REPORT_FORMATS = ("text", "json", "turtle")

# Input syntaxes a user's file may be in: by --input-format name, and by file extension.
INPUT_FORMATS: dict[str, RdfFormat] = FORMATS  # the syntaxes we export are the ones we read
EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nt": "nt", ".ntriples": "nt", ".nq": "nq",
    ".nquads": "nq", ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "xml", ".xml": "xml", ".owl": "xml",
}


class ValidationFailed(WsisgraphError):
    """The data breaks the shapes; a build refuses to swap its store in. Exit code 1."""

    exit_code = 1

    def __init__(self, report: "Report", what: str = "validation failed"):
        super().__init__(f"{what}: {report.summary()}\n{report.text()}")
        self.report = report


Term = NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class Result:
    """One sh:ValidationResult."""

    severity: str
    focus: Term
    path: str | None  # the property IRI, or a SPARQL property path for complex sh:path
    value: Term | None
    message: str
    shape: Term | None
    constraint: Term | None
    component: str
    file: str | None = None
    focus_label: str | None = None

    @property
    def rule(self) -> str | None:
        """The IRI of the rule broken: the SPARQL constraint if one, else the shape."""
        node = self.constraint if isinstance(self.constraint, NamedNode) else self.shape
        return node.value if isinstance(node, NamedNode) else None

    def sort_key(self) -> tuple:
        return (self.file or "", _focus_key(self.focus), SEVERITY_ORDER[self.severity], self.path or "",
                self.rule or "", str(self.value) if self.value is not None else "", self.message)


def _focus_key(term: Term) -> str:
    return term.value if isinstance(term, NamedNode) else f"_:{term.value}"


@dataclass
class Report:
    """The results of one validation, with what was validated."""

    results: list[Result] = field(default_factory=list)
    triples: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        return {name: sum(1 for r in self.results if r.severity == name) for name in SEVERITY_ORDER}

    def summary(self) -> str:
        counts = self.counts()
        nodes = len({_focus_key(r.focus) for r in self.results})
        parts = [_plural(counts["Violation"], "violation"), _plural(counts["Warning"], "warning"),
                 _plural(counts["Info"], "info")]
        verdict = "conforms" if self.conforms else "does not conform"
        return (f"{verdict}: {', '.join(parts)} on {_plural(nodes, 'node')} "
                f"({self.triples} triples from {_plural(len(self.files), 'file')} checked)")

    def render(self, fmt: str) -> str:
        out = io.StringIO()
        self.write(fmt, out)
        return out.getvalue()

    def write(self, fmt: str, out: IO[str], max_results: int | None = None) -> None:
        """Write the report to `out` piece by piece (a large report is never one string in memory).

        With `max_results`, only the first N results are written; the counts stay exact and the
        report says how many were left out.
        """
        shown = self.results if max_results is None else self.results[:max_results]
        if fmt == "json":
            self._write_json(out, shown)
        elif fmt == "turtle":
            out.write(self.turtle(shown))
        else:
            out.writelines(self._text_lines(shown, summary=True))

    def text(self, summary: bool = True) -> str:
        """Results grouped by focus node (label and IRI, and the file it came from), then a summary."""
        return "".join(self._text_lines(self.results, summary))

    def _text_lines(self, shown: list[Result], summary: bool) -> Iterator[str]:
        current = None
        for result in shown:
            key = (result.file, _focus_key(result.focus))
            if key != current:
                if current is not None:
                    yield "\n"
                current = key
                name = f"{result.focus_label} " if result.focus_label else ""
                yield (f"{name}<{_focus_key(result.focus)}>\n" if isinstance(result.focus, NamedNode)
                       else f"{name}{_focus_key(result.focus)}\n")
                yield f"  in {result.file or 'unknown file'}\n"
            where = result.path and display(result.path)
            shown_value = result.value is not None and result.value != result.focus
            value = f" = {display_term(result.value)}" if shown_value else ""
            rule = f" [{display(result.rule)}]" if result.rule else ""
            yield f"  {result.severity}: {where or '(node)'}{value}: {result.message}{rule}\n"
        left_out = len(self.results) - len(shown)
        if left_out:
            yield f"\n... and {_plural(left_out, 'more result')} not shown (--max-results N shows more, 0 all)\n"
        if summary:
            if shown or left_out:
                yield "\n"
            yield self.summary() + "\n"

    def json(self) -> str:
        """A stable machine-readable report: sorted results, sorted keys, full IRIs."""
        return self.render("json")

    def _write_json(self, out: IO[str], shown: list[Result]) -> None:
        counts = self.counts()
        summary = {"violations": counts["Violation"], "warnings": counts["Warning"], "infos": counts["Info"],
                   "focusNodes": len({_focus_key(r.focus) for r in self.results}),
                   "triples": self.triples, "files": self.files}
        if len(shown) < len(self.results):
            summary["shown"] = len(shown)
        out.write('{\n  "conforms": ' + json.dumps(self.conforms) + ',\n  "results": [')
        for number, r in enumerate(shown):
            item = {
                "severity": r.severity,
                "focusNode": _focus_key(r.focus),
                "focusLabel": r.focus_label,
                "path": r.path,
                "value": str(r.value) if r.value is not None else None,
                "message": r.message,
                "shape": _focus_key(r.shape) if r.shape is not None else None,
                "constraint": _focus_key(r.constraint) if r.constraint is not None else None,
                "rule": r.rule,
                "component": r.component,
                "file": r.file,
            }
            text = json.dumps(item, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")
            out.write(("," if number else "") + "\n    " + text)
        summary_text = json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
        out.write(("\n  " if shown else "") + '],\n  "summary": ' + summary_text + "\n}\n")

    def turtle(self, shown: list[Result] | None = None) -> str:
        """The standard sh:ValidationReport in Turtle, results in a stable order (`shown`: only
        those; sh:conforms is always about all of them)."""
        sh = Namespace(SH)
        report = BlankNode("report")
        triples = [Triple(report, NamedNode(RDF_TYPE), sh.ValidationReport),
                   Triple(report, sh.conforms, Literal("true" if self.conforms else "false",
                                                      datatype=NamedNode(PREFIXES["xsd"] + "boolean")))]
        for number, r in enumerate(self.results if shown is None else shown, start=1):
            node = BlankNode(f"result{number}")
            triples += [
                Triple(report, sh.result, node),
                Triple(node, NamedNode(RDF_TYPE), sh.ValidationResult),
                Triple(node, sh.focusNode, r.focus),
                Triple(node, sh.resultSeverity, sh[r.severity]),
                Triple(node, sh.resultMessage, Literal(r.message)),
                Triple(node, sh.sourceConstraintComponent, NamedNode(r.component)),
            ]
            if r.path and not r.path.startswith(("<", "^", "(")) and "|" not in r.path:
                triples.append(Triple(node, sh.resultPath, NamedNode(r.path)))
            elif r.path:
                triples += _path_triples(node, r.path, sh, number)
            if r.value is not None:
                triples.append(Triple(node, sh.value, r.value))
            if r.shape is not None:
                triples.append(Triple(node, sh.sourceShape, r.shape))
            if r.constraint is not None:
                triples.append(Triple(node, sh.sourceConstraint, r.constraint))
        prefixes = {"sh": SH, "wsish": SHAPES_NS, **{k: v for k, v in PREFIXES.items() if k != "sh"}}
        return serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes).decode()


def _path_triples(node: BlankNode, path: str, sh: "Namespace", number: int) -> list[Triple]:
    """sh:resultPath for an alternative path `<a>|<b>` as the SHACL list structure."""
    iris = re.findall(r"<([^>]+)>", path)
    alternative = BlankNode(f"path{number}")
    out = [Triple(node, sh.resultPath, alternative)]
    cells = [BlankNode(f"path{number}-{i}") for i in range(len(iris))]
    rdf = PREFIXES["rdf"]
    out.append(Triple(alternative, sh.alternativePath, cells[0] if cells else NamedNode(rdf + "nil")))
    for i, iri in enumerate(iris):
        out.append(Triple(cells[i], NamedNode(rdf + "first"), NamedNode(iri)))
        rest = cells[i + 1] if i + 1 < len(cells) else NamedNode(rdf + "nil")
        out.append(Triple(cells[i], NamedNode(rdf + "rest"), rest))
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def display(iri: str | None) -> str:
    """prefix:local where a known prefix fits (sh:, wsish:, wsis:, skos:...), else the IRI."""
    if iri is None:
        return ""
    if iri.startswith("<") or "|" in iri:
        return re.sub(r"<([^>]+)>", lambda m: display(m.group(1)), iri)
    best = ""
    chosen = ""
    for prefix, namespace in DISPLAY_PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, chosen = namespace, prefix
    return f"{chosen}:{iri[len(best):]}" if best else iri


def display_term(term: Term | None) -> str:
    if isinstance(term, NamedNode):
        return display(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        text = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^{display(term.datatype.value)}"
        return text
    return ""


#################################################################
# Shapes
#################################################################

def shapes_path(root: Path | None = None) -> Path:
    return (root or resources.resource_root()) / "ontology" / SHAPES_FILE


@cache
def _shapes(path: Path) -> tuple[list[Triple], object]:
    """The shapes as pyoxigraph triples, and as an rdflib graph without sh:sparql (for pySHACL)."""
    import rdflib

    try:
        triples = list(parse(path=str(path), format=RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise InputError(str(path), exc.lineno, exc.msg.split(": ", 1)[-1], exc.offset) from exc
    core = rdflib.Graph()
    for t in triples:
        if t.predicate.value != SH + "sparql":
            core.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return triples, core


#################################################################
# Terms between pyoxigraph and rdflib
#################################################################

def to_rdflib(term: Term):
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def from_rdflib(node) -> Term:
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return BlankNode(str(node))
    if node.language:
        return Literal(str(node), language=node.language)
    if node.datatype is None:
        return Literal(str(node))
    return Literal(str(node), datatype=NamedNode(str(node.datatype)))


#################################################################
# Validation
#################################################################

def validate_graphs(graphs: dict[str, list[Triple]], report_files: Sequence[str] | None = None,
                    shapes: Path | None = None, on_phase: Callable[[str], None] = lambda phase: None) -> Report:
    """Validate the union of `graphs` (file label -> triples; include the ontology).

    With `report_files`, only results whose focus node is described (is a subject) in one of those
    files are kept, and each result names the first of them that describes it.
    """
    import pyshacl
    import rdflib

    shape_triples, core_shapes = _shapes(shapes or shapes_path())
    data = rdflib.Graph()
    store = Store()
    memo: dict[Term, object] = {}

    def conv(term: Term):
        node = memo.get(term)
        if node is None:
            node = memo[term] = to_rdflib(term)
        return node

    origin: dict[Term, str] = {}
    order = list(report_files or []) + [name for name in graphs if name not in (report_files or [])]
    total = 0
    for name in order:
        for t in graphs.get(name, []):
            data.add((conv(t.subject), conv(t.predicate), conv(t.object)))
            origin.setdefault(t.subject, name)
        total += len(graphs.get(name, []))
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for ts in graphs.values() for t in ts)
    memo.clear()

    on_phase(f"core constraints (pySHACL) over {total} triples")
    _, results_graph, _ = pyshacl.validate(data, shacl_graph=core_shapes, inference="none", inplace=True,
                                           advanced=False, allow_warnings=False)
    del data  # pySHACL's copy of the data is no longer needed; its results graph is read next
    results = _core_results(results_graph, core_shapes)
    del results_graph
    on_phase(f"SHACL-SPARQL rules ({len(results)} results so far)")
    results += _sparql_results(store, shape_triples)
    on_phase(f"sorting and labelling {len(results)} results")

    if report_files is not None:
        wanted = set(report_files)
        results = [r for r in results if origin.get(r.focus) in wanted]
    labels = _labels(store, {r.focus for r in results})
    results = sorted({Result(r.severity, r.focus, r.path, r.value, r.message, r.shape, r.constraint, r.component,
                             origin.get(r.focus), labels.get(r.focus)) for r in results}, key=Result.sort_key)
    return Report(results, total, sorted(graphs))


def _core_results(graph, shapes_graph) -> list[Result]:
    import rdflib

    sh = rdflib.Namespace(SH)
    out = []
    for node in graph.objects(None, sh.result):  # top-level results, not the sh:detail of one
        focus = graph.value(node, sh.focusNode)
        path = graph.value(node, sh.resultPath)
        value = graph.value(node, sh.value)
        shape = graph.value(node, sh.sourceShape)
        messages = sorted(str(m) for m in graph.objects(node, sh.resultMessage))
        severity = SEVERITIES.get(str(graph.value(node, sh.resultSeverity)), "Violation")
        component = str(graph.value(node, sh.sourceConstraintComponent))
        out.append(Result(
            severity=severity,
            focus=from_rdflib(focus),
            path=_path_string(shapes_graph, shape, path),
            value=from_rdflib(value) if value is not None else None,
            message=messages[0] if messages else component.rsplit("#", 1)[-1],
            shape=from_rdflib(shape) if shape is not None else None,
            constraint=None,
            component=component,
        ))
    return out


def _path_string(shapes_graph, shape, path) -> str | None:
    """The result path as an IRI, or as a SPARQL path for a complex sh:path (read from the shape)."""
    import rdflib

    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return str(path)
    shape_path = shapes_graph.value(shape, rdflib.URIRef(SH + "path")) if shape is not None else None
    node = shape_path if shape_path is not None else path
    source = shapes_graph if shape_path is not None else None
    if source is None:
        return None
    alternatives = source.value(node, rdflib.URIRef(SH + "alternativePath"))
    if alternatives is not None:
        items = list(rdflib.collection.Collection(source, alternatives))
        return "|".join(f"<{item}>" for item in items)
    inverse = source.value(node, rdflib.URIRef(SH + "inversePath"))
    if inverse is not None:
        return f"^<{inverse}>"
    return None


def _sparql_results(store: Store, shape_triples: list[Triple]) -> list[Result]:
    """Evaluate every sh:sparql SELECT constraint of a node shape once, for all its focus nodes."""
    shapes = Store()
    shapes.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in shape_triples)
    rows = shapes.query(f"""
        PREFIX sh: <{SH}>
        SELECT ?shape ?constraint ?select ?severity WHERE {{
            ?shape sh:sparql ?constraint . ?constraint sh:select ?select .
            FILTER NOT EXISTS {{ ?shape sh:deactivated true }}
            FILTER NOT EXISTS {{ ?constraint sh:deactivated true }}
            OPTIONAL {{ ?shape sh:severity ?severity }}
        }} ORDER BY ?shape ?constraint""")
    out: list[Result] = []
    for row in rows:
        shape, constraint, select = row["shape"], row["constraint"], row["select"].value
        severity = SEVERITIES.get(row["severity"].value, "Violation") if row["severity"] else "Violation"
        targets = _target_pattern(shapes, shape)
        if targets is None:
            continue
        text = _prefixes(shapes, constraint) + _inject(select.replace("$this", "?this"), targets, shape)
        message_of = NamedNode(SH + "message")
        messages = [q.object.value for q in shapes.quads_for_pattern(constraint, message_of, None)]
        messages = messages or [q.object.value for q in shapes.quads_for_pattern(shape, message_of, None)]
        try:
            solutions = store.query(text)
        except SyntaxError as exc:
            where = display(_focus_key(shape))
            raise WsisgraphError(f"shape {where}: SPARQL constraint does not parse: {exc}") from exc
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            focus = solution["this"]
            if focus is None:
                continue
            path = solution["path"] if "path" in names else None
            value = solution["value"] if "value" in names else None
            bound = {v.value: solution[v] for v in solutions.variables if solution[v] is not None}
            message = _substitute(messages[0], bound) if messages else "SPARQL constraint violated"
            out.append(Result(
                severity=severity,
                focus=focus,
                path=path.value if isinstance(path, NamedNode) else None,
                value=value if value is not None else focus,
                message=message,
                shape=shape,
                constraint=constraint,
                component=SH + "SPARQLConstraintComponent",
            ))
    return out


def _target_pattern(shapes: Store, shape: Term) -> str | None:
    """A SPARQL group that binds ?this to every focus node of the shape, or None if it has no targets."""
    branches = []
    for quad in shapes.quads_for_pattern(shape, None, None):
        predicate, obj = quad.predicate.value, quad.object
        if predicate == SH + "targetClass":
            branches.append(f"{{ ?this <{RDF_TYPE}>/<{RDFS}subClassOf>* {obj} }}")
        elif predicate == SH + "targetSubjectsOf":
            branches.append(f"{{ ?this {obj} ?target_object }}")
        elif predicate == SH + "targetObjectsOf":
            branches.append(f"{{ ?target_subject {obj} ?this }}")
        elif predicate == SH + "targetNode" and not isinstance(obj, BlankNode):
            branches.append(f"{{ VALUES ?this {{ {obj} }} }}")
    if not branches:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(sorted(branches)) + " } }"


def _inject(select: str, targets: str, shape: Term) -> str:
    """Put the target group first inside the query's top-level WHERE group (pre-binding $this)."""
    select = select.replace("$currentShape", str(shape))
    match = re.search(r"\bWHERE\s*\{", select, flags=re.IGNORECASE) or re.search(r"\{", select)
    if match is None:
        raise WsisgraphError(f"shape {display(_focus_key(shape))}: SPARQL constraint has no WHERE group")
    return select[:match.end()] + "\n" + targets + "\n" + select[match.end():]


def _prefixes(shapes: Store, constraint: Term) -> str:
    rows = shapes.query(f"""
        PREFIX sh: <{SH}>
        SELECT DISTINCT ?prefix ?namespace WHERE {{
            {constraint} sh:prefixes ?ontology . ?ontology sh:declare ?d .
            ?d sh:prefix ?prefix ; sh:namespace ?namespace }} ORDER BY ?prefix""")
    return "".join(f"PREFIX {r['prefix'].value}: <{r['namespace'].value}>\n" for r in rows)


def _substitute(template: str, bound: dict[str, Term]) -> str:
    """Replace {?var} and {$var} in a message with the bound values."""
    def value(match: re.Match) -> str:
        term = bound.get(match.group(2))
        if term is None:
            return match.group(0)
        if isinstance(term, Literal):
            return term.value
        return display_term(term)

    return re.sub(r"\{([?$])(\w+)\}", value, template)


def _labels(store: Store, nodes: Iterable[Term]) -> dict[Term, str]:
    """A readable name per node: its English label, else any label, else its code or paragraph."""
    out: dict[Term, str] = {}
    for node in nodes:
        if isinstance(node, Literal):
            continue
        candidates: list[tuple[int, str]] = []
        for rank, predicate in enumerate((RDFS + "label", SKOS + "prefLabel", SKOS + "notation",
                                          "https://w3id.org/wsisgraph/ontology#paragraph")):
            for quad in store.quads_for_pattern(node, NamedNode(predicate), None):
                term = quad.object
                english = isinstance(term, Literal) and (term.language or "").startswith("en")
                candidates.append((rank * 2 + (0 if english else 1), term.value))
        if candidates:
            label = min(candidates)[1]
            out[node] = label if len(label) <= 80 else label[:77] + "..."
    return out


#################################################################
# Inputs: the shipped dataset, and a user's files
#################################################################

def validate_inputs(parsed: dict[str, list[Triple]], files: dict[str, str], root: Path | None = None) -> Report:
    """Validate every graph a build stores (graph name -> triples), naming each graph by its file; the
    graphs the build makes itself (`inferred`, `dataset`) by their names."""
    graphs = {files.get(name, name): triples for name, triples in parsed.items()}
    return validate_graphs(graphs, shapes=shapes_path(root))


def input_format(path: Path, name: str | None) -> RdfFormat:
    if name:
        return INPUT_FORMATS[name]
    chosen = EXTENSIONS.get(path.suffix.lower())
    if chosen is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(str(path), None, f"cannot tell the RDF syntax from the extension {path.suffix or '(none)'!r} "
                         f"(known: {known}); give --input-format")
    return INPUT_FORMATS[chosen]


def read_file(path: Path, fmt_name: str | None = None) -> list[Triple]:
    """Triples of a user's RDF file (graph names of quads are dropped); errors as path:line:col."""
    fmt = input_format(path, fmt_name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
    if fmt == RdfFormat.RDF_XML:
        _check_xml(path, data)
    try:
        quads = list(parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        message = exc.msg
        if message.startswith("Parser error"):
            message = message.split(": ", 1)[-1]
        raise InputError(str(path), exc.lineno, message, exc.offset) from exc
    except ValueError as exc:
        raise InputError(str(path), None, str(exc)) from exc
    triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
    return stable_blank_nodes(triples, "user-" + re.sub(r"[^A-Za-z0-9]+", "-", path.name))


def _check_xml(path: Path, data: bytes) -> None:
    """RDF/XML syntax errors with a line and column (the RDF parser does not give them)."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code)
        raise InputError(str(path), exc.lineno, f"XML error: {message}", exc.offset + 1) from exc


def validate_files(paths: Sequence[Path], shipped: dict[str, list[Triple]], fmt_name: str | None = None,
                   root: Path | None = None, on_phase: Callable[[str], None] = lambda phase: None) -> Report:
    """Validate a user's files with the ontology and the shipped data (`build.shipped_graphs()`, by file);
    report on the files' nodes only."""
    on_phase(f"reading {_plural(len(paths), 'file')}")
    user = {str(path): read_file(path, fmt_name) for path in paths}
    graphs = {**shipped, **user}
    return validate_graphs(graphs, report_files=list(user), shapes=shapes_path(root), on_phase=on_phase)
