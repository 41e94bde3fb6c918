"""The store engine: every SHACL constraint as one set-oriented SPARQL query over all its focus
nodes, answered by pyoxigraph.

pySHACL checks constraints focus node by focus node in Python over rdflib, and runs SHACL-SPARQL
constraints once per focus node through rdflib's SPARQL engine (about 3 ms each): 49 s for a
10,000-row activity list, minutes at a million triples. Here each constraint of a shape is one
query whose WHERE group starts with the shape's targets (sh:targetClass with its subclasses,
sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf, a shape that is itself a class), so the
store joins them set-wise: seconds at a million triples.

Only what is translated here runs here: the SHACL Core components listed in CORE below, property
paths of every kind, and SELECT-based SHACL-SPARQL constraints on node shapes. A shape using
anything else raises Unsupported while it is compiled, before any query runs, and the caller hands
that shape to pySHACL: nothing is skipped silently. tests/test_validate_engines.py checks that both
engines give the same report, result for result.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Store

from wsisgraph.core import sparqltext
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import PREFIXES, declarations, display_term
from wsisgraph.graph.validate.paths import PropertyPath, Unsupported, rdf_list
from wsisgraph.graph.validate.paths import read as read_path
from wsisgraph.graph.validate.report import SEVERITIES, ValidationResult
from wsisgraph.graph.validate.shapes import CLASSES, TARGETS, Shapes

SH = PREFIXES["sh"]
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
SUBCLASS_OF = f"<{PREFIXES['rdfs']}subClassOf>"
# Datatypes whose lexical forms must also be well-formed (a cast to them fails on "abc" or 2024-02-30).
CASTABLE = {XSD + t for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime")}
NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
# SHACL Core parameters translated here, on a node shape and on a property shape.
NODE_CORE = {"class", "nodeKind", "or", "in", "hasValue", "datatype", "pattern", "flags", *COMPARISONS}
PROPERTY_CORE = NODE_CORE | {"minCount", "maxCount", "uniqueLang"}
# Properties of a shape that constrain nothing themselves (annotations, targets, structure).
NEUTRAL = {SH + p for p in ("message", "name", "description", "order", "group", "severity", "deactivated",
                            "path", "property", "sparql", "declare", *TARGETS)} | {
    PREFIXES["rdfs"] + "comment", PREFIXES["rdfs"] + "label", PREFIXES["rdfs"] + "subClassOf",
    PREFIXES["rdfs"] + "isDefinedBy", RDF_TYPE}
# pySHACL's wording where a shape has no sh:message of its own.
DEFAULT_MESSAGES = {
    "MinCountConstraintComponent": "Less than {0} values on {1}",
    "MaxCountConstraintComponent": "More than {0} values on {1}",
    "DatatypeConstraintComponent": "Value is not Literal with datatype {0}",
    "ClassConstraintComponent": "Value does not have class {0}",
    "NodeKindConstraintComponent": "Value is not of Node Kind {0}",
    "OrConstraintComponent": "Node does not conform to one or more shapes in sh:or",
    "InConstraintComponent": "Value is not in the list of allowed values",
    "HasValueConstraintComponent": "Node does not have the value {0}",
    "PatternConstraintComponent": "Value does not match pattern {0}",
    "UniqueLangConstraintComponent": "More than one value shares a language tag",
    "SPARQLConstraintComponent": "SPARQL constraint violated",
}


@dataclass
class Check:
    """One query and what each of its answers reports: ?this is the focus node; ?value, when the
    query selects it, the value."""

    text: str
    component: str
    shape: NamedNode | BlankNode
    severity: str
    message: str
    path: PropertyPath | None = None
    constraint: NamedNode | BlankNode | None = None
    value_is_focus: bool = False
    sparql: bool = False  # a SHACL-SPARQL constraint: ?path, ?value and {?var} messages from its answers


@dataclass
class Compiled:
    """What the store engine runs, and the shapes whose SHACL Core constraints it leaves to pySHACL."""

    checks: list[Check] = field(default_factory=list)
    fallback: list[NamedNode | BlankNode] = field(default_factory=list)


def compile_shapes(shapes: Shapes, data: Store, core: bool = True) -> Compiled:
    """The checks of every targeted shape on the data. With `core` False, only SHACL-SPARQL
    constraints are compiled and every shape's Core constraints go to pySHACL (the reference run)."""
    out = Compiled()
    classes = _Classes(data)
    for node in shapes.targeted():
        shape = _Shape(shapes, node, classes)
        if shape.deactivated(node):
            continue
        out.checks += shape.sparql_checks()
        if not core:
            out.fallback.append(node)
            continue
        try:
            out.checks += shape.core_checks()
        except Unsupported:
            out.fallback.append(node)
    return out


def run(data: Store, checks: list[Check]) -> Iterator[ValidationResult]:
    """Every result of the checks on the data (its default graph)."""
    for check in checks:
        try:
            solutions = data.query(check.text)
        except SyntaxError as exc:
            raise WsisgraphError(f"shape {display_term(check.shape)}: a constraint does not parse as SPARQL: "
                                 f"{exc}") from exc
        names = {v.value for v in solutions.variables}
        seen: set[ValidationResult] = set()
        for solution in solutions:
            focus = solution["this"]
            if focus is None:
                continue
            value = solution["value"] if "value" in names else None
            path, message = check.path, check.message
            if check.sparql:
                found = solution["path"] if "path" in names else None
                path = PropertyPath(iri=found.value) if isinstance(found, NamedNode) else None
                bound = {v.value: solution[v] for v in solutions.variables if solution[v] is not None}
                message = _substitute(message, bound)
            if check.value_is_focus or (check.sparql and value is None):
                value = focus
            result = ValidationResult(check.severity, focus, path, value, message, check.shape, check.constraint,
                                      SH + check.component)
            if result not in seen:
                seen.add(result)
                yield result


def _substitute(template: str, bound: dict) -> str:
    """Replace {?var} and {$var} in a message with the bound values."""
    def value(match: re.Match) -> str:
        term = bound.get(match.group(2))
        if term is None:
            return match.group(0)
        return term.value if isinstance(term, Literal) else display_term(term)

    return re.sub(r"\{([?$])(\w+)\}", value, template)


class _Classes:
    """`Is an instance of C` as a join: rdf:type with one of C's subclasses in the data (C itself
    included), read once per class. SHACL's `rdf:type/rdfs:subClassOf*`, without walking the
    class hierarchy again for every value."""

    def __init__(self, data: Store):
        self.data = data
        self.subclasses: dict[NamedNode, str] = {}
        self.names = 0

    def instance_of(self, var: str, cls: NamedNode) -> str:
        if cls not in self.subclasses:
            rows = self.data.query(f"SELECT DISTINCT ?c WHERE {{ ?c {SUBCLASS_OF}* {cls} }}")
            self.subclasses[cls] = " ".join(sorted(str(row["c"]) for row in rows))
        self.names += 1
        name = f"?class_{self.names}"
        return f"{var} <{RDF_TYPE}> {name} . VALUES {name} {{ {self.subclasses[cls]} }}"


class _Shape:
    """One targeted shape of the shapes graph, turned into checks."""

    def __init__(self, shapes: Shapes, node: NamedNode | BlankNode, classes: _Classes):
        self.shapes = shapes
        self.node = node
        self.classes = classes

    def objects(self, node, predicate: str) -> list:
        return self.shapes.objects(node, predicate)

    def one(self, node, predicate: str):
        return self.shapes.one(node, predicate)

    def deactivated(self, node) -> bool:
        flag = self.one(node, "deactivated")
        return isinstance(flag, Literal) and flag.value == "true"

    def severity(self, node) -> str:
        given = self.one(node, "severity")
        return SEVERITIES.get(given.value, "Violation") if given is not None else "Violation"

    def message(self, node, component: str, *arguments) -> str:
        messages = sorted(m.value for m in self.objects(node, "message"))
        return messages[0] if messages else DEFAULT_MESSAGES[component].format(*arguments)

    def targets(self) -> str:
        """A pattern binding ?this to every focus node of the shape. Several targets are one
        DISTINCT sub-select (a node may be the subject of several target predicates); one class or
        node is joined directly, which Oxigraph evaluates several times faster (a node typed with two
        subclasses of the class would come twice: `run` reports each result once)."""
        types = {q.object.value for q in self.shapes.store.quads_for_pattern(self.node, NamedNode(RDF_TYPE), None)}
        classes = self.objects(self.node, "targetClass") + ([self.node] if types & CLASSES else [])
        direct = [self.classes.instance_of("?this", cls) for cls in classes]
        for node in self.objects(self.node, "targetNode"):
            if isinstance(node, BlankNode):
                raise Unsupported(f"blank sh:targetNode on {self.node}")
            direct.append(f"VALUES ?this {{ {node} }}")
        linked = [f"?this {predicate} ?target_object" for predicate in self.objects(self.node, "targetSubjectsOf")]
        linked += [f"?target_subject {predicate} ?this" for predicate in self.objects(self.node, "targetObjectsOf")]
        if len(direct) == 1 and not linked:
            return direct[0]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(f"{{ {part} }}" for part in direct + linked) + " } }"

    def check_known(self, node, allowed: set[str]) -> None:
        for quad in self.shapes.store.quads_for_pattern(node, None, None):
            key = quad.predicate.value
            if key not in NEUTRAL and key.removeprefix(SH) not in allowed:
                raise Unsupported(f"{key} on shape {node}")

    # ---- SHACL-SPARQL ----

    def sparql_checks(self) -> list[Check]:
        """Each SELECT constraint of the shape once for all focus nodes: the targets are joined in
        first inside its WHERE group, so $this is bound before the constraint's own patterns and
        filters, as SHACL's pre-binding requires."""
        checks = []
        constraints = self.objects(self.node, "sparql")
        if constraints and self.one(self.node, "path") is not None:
            raise Unsupported(f"sh:sparql on the property shape {self.node}")
        for constraint in constraints:
            if self.deactivated(constraint):
                continue
            select = self.one(constraint, "select")
            if select is None or "$shapesGraph" in select.value or "$PATH" in select.value:
                raise Unsupported(f"SPARQL constraint {constraint}: only SELECT without $shapesGraph and $PATH")
            text = select.value.replace("$currentShape", str(self.node)).replace("$this", "?this")
            where = sparqltext.where_group(text)
            if where is None:
                raise Unsupported(f"SPARQL constraint {constraint} has no WHERE group")
            prefixes = declarations(self.prefixes(constraint))
            messages = sorted(m.value for m in self.objects(constraint, "message")) or \
                sorted(m.value for m in self.objects(self.node, "message"))
            checks.append(Check(
                text=prefixes + text[:where] + f"\n{self.targets()}\n" + text[where:],
                component="SPARQLConstraintComponent", shape=self.node, constraint=constraint,
                severity=self.severity(self.node), sparql=True,
                message=messages[0] if messages else DEFAULT_MESSAGES["SPARQLConstraintComponent"]))
        return checks

    def prefixes(self, constraint) -> list[tuple[str, str]]:
        found = set()
        for source in self.objects(constraint, "prefixes"):
            for declaration in self.objects(source, "declare"):
                found.add((self.one(declaration, "prefix").value, self.one(declaration, "namespace").value))
        return sorted(found)

    # ---- SHACL Core ----

    def core_checks(self) -> list[Check]:
        target = self.targets()
        if self.one(self.node, "path") is not None:  # a property shape with targets of its own
            return self.property_checks(self.node, target)
        self.check_known(self.node, NODE_CORE)
        checks = self.value_checks(self.node, target, "?this")
        for prop in self.objects(self.node, "property"):
            if not self.deactivated(prop):
                checks += self.property_checks(prop, target)
        return checks

    def property_checks(self, prop, target: str) -> list[Check]:
        self.check_known(prop, PROPERTY_CORE)
        path = read_path(self.shapes.store, self.one(prop, "path"))
        sparql_path = path.sparql()
        severity = self.severity(prop)
        # When the shape targets the subjects of its own predicate, every subject with a value is a
        # focus node: the values need no join with the targets.
        subjects_of = {p.value for p in self.objects(self.node, "targetSubjectsOf")}
        own = not path.operator and path.iri in subjects_of
        values = f"?this {sparql_path} ?value ." if own else f"{target} ?this {sparql_path} ?value ."

        def check(text: str, component: str, *arguments) -> Check:
            return Check(text, component, prop, severity, self.message(prop, component, *arguments), path)

        checks = []
        count = self.one(prop, "minCount")
        if count is not None:
            wanted = int(count.value)
            text = (f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {sparql_path} ?value }} }}"
                    if wanted == 1 else
                    f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {sparql_path} ?value }} }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?value) < {wanted})")
            checks.append(check(text, "MinCountConstraintComponent", wanted, path))
        count = self.one(prop, "maxCount")
        if count is not None:
            most = int(count.value)
            text = (f"SELECT DISTINCT ?this WHERE {{ {values} }}" if most == 0 else
                    f"SELECT DISTINCT ?this WHERE {{ {values} ?this {sparql_path} ?other . "
                    "FILTER (!sameTerm(?value, ?other)) }" if most == 1 else  # a self-join: 2× faster than grouping
                    f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {most})")
            checks.append(check(text, "MaxCountConstraintComponent", most, path))
        for value in self.objects(prop, "hasValue"):
            checks.append(check(f"SELECT ?this WHERE {{ {target} "
                                f"FILTER NOT EXISTS {{ ?this {sparql_path} {value} }} }}",
                                "HasValueConstraintComponent", value))
        unique = self.one(prop, "uniqueLang")
        if unique is not None and unique.value == "true":
            checks.append(check(f"SELECT DISTINCT ?this WHERE {{ {values} ?this {sparql_path} ?other . "
                                "FILTER (!sameTerm(?value, ?other) && LANG(?value) != \"\" && "
                                "LANG(?value) = LANG(?other)) }", "UniqueLangConstraintComponent"))
        for one in self.value_checks(prop, values, "?value"):
            one.path = path
            checks.append(one)
        return checks

    def value_checks(self, node, values: str, var: str) -> list[Check]:
        """The constraints each value node must meet on its own: the focus node itself on a node
        shape (`var` ?this, `values` the targets), each value of the path on a property shape
        (`var` ?value, `values` the pattern binding ?this and ?value)."""
        severity = self.severity(node)
        on_values = var == "?value"
        selected = "?this ?value" if on_values else "?this"
        checks = []

        def each(condition: str, component: str, *arguments) -> None:
            checks.append(Check(f"SELECT {selected} WHERE {{ {values} FILTER (!({condition})) }}", component, node,
                                severity, self.message(node, component, *arguments), value_is_focus=not on_values))

        for datatype in self.objects(node, "datatype"):
            if datatype.value in CASTABLE:
                checks.append(Check(
                    f"SELECT {selected} WHERE {{ {values} BIND ({datatype}(STR({var})) AS ?cast) "
                    f"FILTER (!(isLiteral({var}) && DATATYPE({var}) = {datatype} && BOUND(?cast))) }}",
                    "DatatypeConstraintComponent", node, severity,
                    self.message(node, "DatatypeConstraintComponent", datatype), value_is_focus=not on_values))
            else:
                each(f"isLiteral({var}) && DATATYPE({var}) = {datatype}", "DatatypeConstraintComponent", datatype)
        for cls in self.objects(node, "class"):
            # MINUS: the instances are read once and hash-joined out, where a NOT EXISTS per value is
            # evaluated value by value (0.03 s against 6 s for wsis:supportsGoal at a million triples).
            instances = self.classes.instance_of(var, cls)
            checks.append(Check(f"SELECT {selected} WHERE {{ {values} MINUS {{ {instances} }} }}",
                                "ClassConstraintComponent", node, severity,
                                self.message(node, "ClassConstraintComponent", cls), value_is_focus=not on_values))
        for kind in self.objects(node, "nodeKind"):
            each(NODE_KINDS[kind.value.removeprefix(SH)].format(v=var), "NodeKindConstraintComponent", kind)
        for members in self.objects(node, "or"):
            each(" || ".join(self.conforms(member, var) for member in rdf_list(self.shapes.store, members)),
                 "OrConstraintComponent")
        for allowed in self.objects(node, "in"):
            options = rdf_list(self.shapes.store, allowed)
            each(" || ".join(f"sameTerm({var}, {option})" for option in options) or "false", "InConstraintComponent")
        if not on_values:
            for value in self.objects(node, "hasValue"):
                each(f"sameTerm({var}, {value})", "HasValueConstraintComponent", value)
        flags = self.one(node, "flags")
        for pattern in self.objects(node, "pattern"):
            arguments = f"{Literal(pattern.value)}" + (f", {Literal(flags.value)}" if flags else "")
            each(f"!isBlank({var}) && REGEX(STR({var}), {arguments})", "PatternConstraintComponent", pattern.value)
        for key, operator in COMPARISONS.items():
            for bound in self.objects(node, key):
                each(f"COALESCE({var} {operator} {bound}, false)", f"{key[0].upper()}{key[1:]}ConstraintComponent")
        return checks

    def conforms(self, member, var: str) -> str:
        """A SPARQL condition true when `var` conforms to a member shape of sh:or: a property shape
        with only sh:minCount 1, or a shape of sh:class / sh:nodeKind / plain sh:datatype checks."""
        path, count = self.one(member, "path"), self.one(member, "minCount")
        if path is not None:
            self.check_known(member, {"minCount"})
            if count is None or int(count.value) != 1:
                raise Unsupported(f"sh:or member {member} other than a property shape with sh:minCount 1 only")
            return f"EXISTS {{ {var} {read_path(self.shapes.store, path).sparql()} ?any }}"
        self.check_known(member, {"class", "nodeKind", "datatype"})
        conditions = [f"EXISTS {{ {self.classes.instance_of(var, cls)} }}" for cls in self.objects(member, "class")]
        conditions += [NODE_KINDS[kind.value.removeprefix(SH)].format(v=var)
                       for kind in self.objects(member, "nodeKind")]
        for datatype in self.objects(member, "datatype"):
            if datatype.value in CASTABLE:
                raise Unsupported(f"sh:datatype {datatype} inside sh:or (needs a well-formedness check)")
            conditions.append(f"(isLiteral({var}) && DATATYPE({var}) = {datatype})")
        if not conditions:
            raise Unsupported(f"sh:or member {member}")
        return "(" + " && ".join(conditions) + ")"
