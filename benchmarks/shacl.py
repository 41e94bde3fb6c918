"""SHACL validation two ways: plain pySHACL (the reference) and the same shapes run as SPARQL on a
pyoxigraph store (the fast way), with reports in one comparable form.

pySHACL evaluates every constraint focus node by focus node in Python, and its SHACL-SPARQL
constraints run once per focus node through rdflib's SPARQL engine: on our shapes that is about a
minute for the shipped graph alone. Here each constraint of each shape becomes one set-oriented
SPARQL query over all focus nodes at once, answered by pyoxigraph. Only the SHACL features the
shapes use are translated; any other feature raises Unsupported rather than being skipped, so the
fast way can never pass data that pySHACL would fail without saying so. Reports are compared as
sets of (focus node, path, value, constraint component, source shape, severity); the runner
checks both give the same report on the sizes where pySHACL finishes.
"""

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, parse

from terms import normalise

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_FIRST = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
RDF_REST = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
RDF_NIL = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")
XSD = "http://www.w3.org/2001/XMLSchema#"
INSTANCE_OF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
CASTABLE = {XSD + t for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime")}
NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
# Shape properties that do not validate anything.
ANNOTATIONS = {SH + p for p in ("message", "name", "description", "order", "group", "severity", "deactivated",
                                "path", "property", "targetClass", "targetSubjectsOf", "targetObjectsOf",
                                "targetNode", "sparql")} | {
    "http://www.w3.org/2000/01/rdf-schema#comment", "http://www.w3.org/2000/01/rdf-schema#label",
    RDF_TYPE.value}


class Unsupported(Exception):
    """A SHACL feature the store validator does not translate; use pySHACL for these shapes."""


@dataclass(frozen=True, order=True)
class Finding:
    """One validation result, engine-neutral."""

    focus: str
    path: str
    value: str
    component: str
    shape: str
    severity: str


@dataclass
class Report:
    method: str
    results: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def conforms(self) -> bool:
        return not any(r.severity == sh("Violation") for r in self.results)

    def digest(self) -> str:
        text = json.dumps([list(vars(r).values()) for r in sorted(self.results)])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# The reference: plain pySHACL over an rdflib Graph, as `wsisgraph validate` would run it.
# --------------------------------------------------------------------------------------------

def reference_report(data: Path, shapes: Path) -> Report:
    """pySHACL without inference (the data carries the ontology, so subclasses are seen)."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH as RSH
    start = time.perf_counter()
    graph = Graph()
    graph.parse(str(data), format="turtle")
    shapes_graph = Graph()
    shapes_graph.parse(str(shapes), format="turtle")
    _, results, _ = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    report = Report("plain pySHACL over an rdflib Graph")
    for result in results.subjects(RDF_TYPE_RDFLIB(), RSH.ValidationResult):
        def one(predicate, result=result):
            return normalise(results.value(result, predicate))
        report.results.append(Finding(one(RSH.focusNode), one(RSH.resultPath), one(RSH.value),
                                      one(RSH.sourceConstraintComponent), one(RSH.sourceShape),
                                      one(RSH.resultSeverity)))
    report.seconds = time.perf_counter() - start
    return report


def project_report(data: Path, shapes: Path) -> Report:
    """`wsisgraph validate` as the project ships it (src/wsisgraph/validate.py): pySHACL for SHACL
    Core and the SHACL-SPARQL constraints on a store, its results put in the same comparable form."""
    from wsisgraph.graph import validate
    start = time.perf_counter()
    triples = list(parse(path=str(data), format=RdfFormat.TURTLE))
    checked = validate.validate_graphs({"data": triples}, shapes=shapes)
    report = Report("wsisgraph validate (pySHACL Core + SHACL-SPARQL on a store)")
    report.results = [Finding(normalise(r.focus), project_path(r.path), normalise(r.value), f"<{r.component}>",
                              normalise(r.shape), sh(r.severity)) for r in checked.results]
    report.seconds = time.perf_counter() - start
    return report


def project_path(path: str | None) -> str:
    """validate.py gives a property IRI bare and a complex path in SPARQL syntax (with <...> inside)."""
    if not path:
        return ""
    return "_:" if "<" in path else f"<{path}>"


def RDF_TYPE_RDFLIB():
    from rdflib.namespace import RDF
    return RDF.type


# --------------------------------------------------------------------------------------------
# The fast way: every constraint as one SPARQL query over all its focus nodes.
# --------------------------------------------------------------------------------------------

def fast_report(data: Path, shapes: Path) -> Report:
    """Load the data into an in-memory pyoxigraph store and validate it there."""
    start = time.perf_counter()
    store = Store()
    store.bulk_load(path=str(data), format=RdfFormat.TURTLE)
    report = Report("SHACL as SPARQL on a pyoxigraph store", validate_store(store, load_shapes(shapes)))
    report.seconds = time.perf_counter() - start
    return report


def load_shapes(path: Path) -> Store:
    shapes = Store()
    shapes.bulk_load(path=str(path), format=RdfFormat.TURTLE)
    return shapes


def validate_store(data: Store, shapes: Store) -> list[Finding]:
    """Every result the shapes give on the data (the union of its graphs)."""
    findings: list[Finding] = []
    for shape in node_shapes(shapes):
        findings += Shape(shapes, shape).validate(data)
    return findings


def node_shapes(shapes: Store) -> list[NamedNode | BlankNode]:
    """Shapes with targets (the ones that start validation), in a stable order."""
    found = set()
    for kind in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
        found |= {q.subject for q in shapes.quads_for_pattern(None, NamedNode(SH + kind), None, None)}
    return sorted(found, key=str)


def sparql_term(term) -> str:
    return str(term)  # N-Triples form: <iri>, "literal"^^<dt>, _:b (blank shapes never reach a query)


class Shape:
    """One shape read from the shapes graph, turned into SPARQL queries."""

    def __init__(self, shapes: Store, node):
        self.shapes = shapes
        self.node = node

    def objects(self, node, predicate: str) -> list:
        return [q.object for q in self.shapes.quads_for_pattern(node, NamedNode(SH + predicate), None, None)]

    def one(self, node, predicate: str):
        values = self.objects(node, predicate)
        return values[0] if values else None

    def rdf_list(self, head) -> list:
        items = []
        while head != RDF_NIL:
            items.append(next(q.object for q in self.shapes.quads_for_pattern(head, RDF_FIRST, None, None)))
            head = next(q.object for q in self.shapes.quads_for_pattern(head, RDF_REST, None, None))
        return items

    def severity(self, node) -> str:
        return normalise(self.one(node, "severity") or NamedNode(SH + "Violation"))

    def deactivated(self, node) -> bool:
        flag = self.one(node, "deactivated")
        return isinstance(flag, Literal) and flag.value == "true"

    def path(self, node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, NamedNode):
            return sparql_term(node)
        if any(True for _ in self.shapes.quads_for_pattern(node, RDF_FIRST, None, None)):
            return "(" + "/".join(self.path(item) for item in self.rdf_list(node)) + ")"
        for key, template in (("inversePath", "^({})"), ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                              ("zeroOrOnePath", "({})?")):
            inner = self.one(node, key)
            if inner is not None:
                return template.format(self.path(inner))
        alternatives = self.one(node, "alternativePath")
        if alternatives is not None:
            return "(" + "|".join(self.path(item) for item in self.rdf_list(alternatives)) + ")"
        raise Unsupported(f"property path {node}")

    def targets(self) -> tuple[str, set[str]]:
        """A SPARQL group binding ?this to each focus node, and the predicates whose subjects are all targets."""
        parts, subjects_of = [], set()
        for cls in self.objects(self.node, "targetClass"):
            parts.append(f"{{ ?this {INSTANCE_OF} {sparql_term(cls)} }}")
        for predicate in self.objects(self.node, "targetSubjectsOf"):
            parts.append(f"{{ ?this {sparql_term(predicate)} [] }}")
            subjects_of.add(sparql_term(predicate))
        for predicate in self.objects(self.node, "targetObjectsOf"):
            parts.append(f"{{ [] {sparql_term(predicate)} ?this }}")
        for node in self.objects(self.node, "targetNode"):
            parts.append(f"{{ VALUES ?this {{ {sparql_term(node)} }} }}")
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }", subjects_of

    def validate(self, data: Store) -> list[Finding]:
        if self.deactivated(self.node):
            return []
        target, subjects_of = self.targets()
        if self.one(self.node, "path") is not None:  # a property shape with targets of its own
            return list(self.property_constraints(data, self.node, target, subjects_of))
        findings = list(self.node_constraints(data, target))
        for prop in self.objects(self.node, "property"):
            if not self.deactivated(prop):
                findings += self.property_constraints(data, prop, target, subjects_of)
        return findings

    def check_known(self, node, handled: set[str]) -> None:
        for quad in self.shapes.quads_for_pattern(node, None, None, None):
            key = quad.predicate.value
            if key not in ANNOTATIONS and key.removeprefix(SH) not in handled:
                raise Unsupported(f"{key} on shape {node}")

    def run(self, data: Store, text: str) -> Iterator:
        yield from data.query(text, use_default_graph_as_union=True)

    # ---- constraints on the focus node itself ----

    def node_constraints(self, data: Store, target: str) -> Iterator[Finding]:
        self.check_known(self.node, {"class", "or", "nodeKind"})
        severity, shape = self.severity(self.node), normalise(self.node)

        def focus_only(condition: str, component: str) -> Iterator[Finding]:
            for row in self.run(data, f"SELECT ?this WHERE {{ {target} FILTER (!({condition})) }}"):
                yield Finding(normalise(row["this"]), "", normalise(row["this"]), sh(component), shape, severity)

        for cls in self.objects(self.node, "class"):
            yield from focus_only(f"EXISTS {{ ?this {INSTANCE_OF} {sparql_term(cls)} }}", "ClassConstraintComponent")
        for kind in self.objects(self.node, "nodeKind"):
            yield from focus_only(NODE_KINDS[kind.value.removeprefix(SH)].format(v="?this"),
                                  "NodeKindConstraintComponent")
        for members in self.objects(self.node, "or"):
            condition = " || ".join(self.conforms(member, "?this") for member in self.rdf_list(members))
            yield from focus_only(condition, "OrConstraintComponent")
        for constraint in self.objects(self.node, "sparql"):
            yield from self.sparql_constraint(data, constraint, target, severity, shape)

    def conforms(self, member, var: str) -> str:
        """A SPARQL condition true when `var` conforms to a member shape of sh:or: a property shape
        with sh:minCount 1, or a shape of sh:class / sh:nodeKind / sh:datatype (plain types) checks."""
        self.check_known(member, {"minCount", "class", "nodeKind", "datatype"})
        path, count = self.one(member, "path"), self.one(member, "minCount")
        conditions = []
        if path is not None:
            if count is None or int(count.value) != 1 or len(list(self.shapes.quads_for_pattern(member, None, None,
                                                                                                 None))) > 2:
                raise Unsupported(f"sh:or member {member} other than a property shape with sh:minCount 1 only")
            return f"EXISTS {{ {var} {self.path(path)} ?any }}"
        for cls in self.objects(member, "class"):
            conditions.append(f"EXISTS {{ {var} {INSTANCE_OF} {sparql_term(cls)} }}")
        for kind in self.objects(member, "nodeKind"):
            conditions.append(NODE_KINDS[kind.value.removeprefix(SH)].format(v=var))
        for datatype in self.objects(member, "datatype"):
            if datatype.value in CASTABLE:
                raise Unsupported(f"sh:datatype {datatype} inside sh:or (needs a well-formedness check)")
            conditions.append(f"(isLiteral({var}) && DATATYPE({var}) = {sparql_term(datatype)})")
        if not conditions or count is not None:
            raise Unsupported(f"sh:or member {member}")
        return "(" + " && ".join(conditions) + ")"

    def sparql_constraint(self, data: Store, constraint, target: str, severity: str,
                          shape: str) -> Iterator[Finding]:
        """A SHACL-SPARQL SELECT run once for all focus nodes: the target is joined in first, so
        ?this is bound before the query's own patterns and filters, as pre-binding requires."""
        if self.deactivated(constraint):
            return
        select = self.one(constraint, "select").value
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes(constraint))
        where = select.upper().find("WHERE")
        brace = select.index("{", where)
        text = prefixes + select[:brace + 1] + f" {target} " + select[brace + 1:]
        constraint_severity = normalise(self.one(constraint, "severity")) or severity
        solutions = data.query(text.replace("$this", "?this"), use_default_graph_as_union=True)
        names = {v.value for v in solutions.variables}
        for row in solutions:
            value = row["value"] if "value" in names and row["value"] is not None else row["this"]
            path = row["path"] if "path" in names else None
            yield Finding(normalise(row["this"]), normalise(path), normalise(value),
                          sh("SPARQLConstraintComponent"), shape, constraint_severity)

    def prefixes(self, constraint) -> Iterator[tuple[str, str]]:
        for source in self.objects(constraint, "prefixes"):
            for declaration in self.objects(source, "declare"):
                yield self.one(declaration, "prefix").value, self.one(declaration, "namespace").value

    # ---- constraints on the values of a property ----

    def property_constraints(self, data: Store, prop, target: str, subjects_of: set[str]) -> Iterator[Finding]:
        self.check_known(prop, {"minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "flags",
                                "uniqueLang", "or", *COMPARISONS})
        path = self.path(self.one(prop, "path"))
        severity, shape = self.severity(prop), normalise(prop)
        # Every subject of P is a focus node when the shape targets subjects of P: no join needed.
        values = f"?this {path} ?value ." if path in subjects_of else f"{target} ?this {path} ?value ."

        def findings(text: str, component: str, with_value: bool = True) -> Iterator[Finding]:
            for row in self.run(data, text):
                yield Finding(normalise(row["this"]), path_string(path), normalise(row["value"]) if with_value else "",
                              sh(component), shape, severity)

        def per_value(condition: str, component: str) -> Iterator[Finding]:
            yield from findings(f"SELECT ?this ?value WHERE {{ {values} FILTER (!({condition})) }}", component)

        count = self.one(prop, "minCount")
        if count is not None:
            wanted = int(count.value)
            text = (f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} ?value }} }}" if wanted == 1
                    else f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this "
                         f"HAVING (COUNT(DISTINCT ?value) < {wanted})")
            yield from findings(text, "MinCountConstraintComponent", with_value=False)
        count = self.one(prop, "maxCount")
        if count is not None:
            yield from findings(f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this "
                                f"HAVING (COUNT(DISTINCT ?value) > {int(count.value)})",
                                "MaxCountConstraintComponent", with_value=False)
        for datatype in self.objects(prop, "datatype"):
            well_formed = "BOUND(?cast)" if datatype.value in CASTABLE else "true"
            cast = f"BIND ({sparql_term(datatype)}(STR(?value)) AS ?cast)" if datatype.value in CASTABLE else ""
            yield from findings(f"SELECT ?this ?value WHERE {{ {values} {cast} FILTER (!(isLiteral(?value) && "
                                f"DATATYPE(?value) = {sparql_term(datatype)} && {well_formed})) }}",
                                "DatatypeConstraintComponent")
        for cls in self.objects(prop, "class"):
            yield from per_value(f"EXISTS {{ ?value {INSTANCE_OF} {sparql_term(cls)} }}", "ClassConstraintComponent")
        for kind in self.objects(prop, "nodeKind"):
            yield from per_value(NODE_KINDS[kind.value.removeprefix(SH)].format(v="?value"),
                                 "NodeKindConstraintComponent")
        for members in self.objects(prop, "or"):
            yield from per_value(" || ".join(self.conforms(member, "?value") for member in self.rdf_list(members)),
                                 "OrConstraintComponent")
        for pattern in self.objects(prop, "pattern"):
            flags = self.one(prop, "flags")
            arguments = f"{sparql_term(Literal(pattern.value))}" + (f", {sparql_term(flags)}" if flags else "")
            yield from per_value(f"!isBlank(?value) && REGEX(STR(?value), {arguments})", "PatternConstraintComponent")
        for key, operator in COMPARISONS.items():
            for bound in self.objects(prop, key):
                yield from per_value(f"COALESCE(?value {operator} {sparql_term(bound)}, false)",
                                     f"{key[0].upper()}{key[1:]}ConstraintComponent")
        unique = self.one(prop, "uniqueLang")
        if unique is not None and unique.value == "true":
            for row in self.run(data, f"SELECT DISTINCT ?this WHERE {{ {values} ?this {path} ?other . "
                                      "FILTER (!sameTerm(?value, ?other) && LANG(?value) != \"\" && "
                                      "LANG(?value) = LANG(?other)) }"):
                yield Finding(normalise(row["this"]), path_string(path), "", sh("UniqueLangConstraintComponent"),
                              shape, severity)


def sh(local: str) -> str:
    """A SHACL term in normalised form."""
    return f"<{SH}{local}>"


def path_string(path: str) -> str:
    """The normalised form of a simple path (an IRI); complex paths have no single term."""
    return path if path.startswith("<") and path.endswith(">") else "_:"
