"""Reasoning: OWL consistency under HermiT, and the `inferred` graph a build materialises.

Consistency. The ontology and data are written as N-Triples (owlready2 does not read Turtle),
loaded into an owlready2 World and handed to HermiT (Java). The ontology's disjointness axioms
make misuse detectable: a node typed, or used through a property's domain or range, as two
disjoint kinds of thing (an action line as an SDG target, a meeting as a document) makes the
whole inconsistent. HermiT says only *that* it is inconsistent, so on inconsistency the individuals
in two disjoint classes are found here with SPARQL, with the triples that gave them each type.
Literals whose datatype is outside the OWL 2 datatype map (xsd:date, xsd:gYear...) make HermiT
stop; they are ignored by HermiT (its --ignoreUnsupportedDatatypes) and the report says so.

Materialisation. Users query the graph without writing inference themselves, so a build adds a
named graph `inferred` holding what these rules derive, to a fixpoint (targeted SPARQL CONSTRUCT
on the embedded store, not a general OWL closure):
  target-to-goal    X wsis:supportsTarget T, T wsis:goal G          => X wsis:supportsGoal G
  sub-line-to-line  S skos:broader L (both action lines), S supports  => L supports the same
  sub-property      P rdfs:subPropertyOf+ Q (Q a wsis: property)       => X Q Y for every X P Y
                    (supportsGoal/supportsTarget => supports => alignedWith; lead/co => facilitator)
  inverse           P owl:inverseOf Q                                  => Y Q X for every X P Y
                    (wsis:supportedBy, wsis:measuredBy, wsis:mandatedBy and back)
  narrower          X skos:broader Y                                   => Y skos:narrower X
  sub-class         C rdfs:subClassOf+ D                               => X a D for every X a C
Only triples not already asserted go into `inferred`; `export` leaves the graph out unless asked.
"""

import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from wsisgraph.core import settings
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import PREFIXES, WSIS, prologue

INSTALL_JAVA = ("install a Java runtime (8 or newer), for example `apt-get install default-jre-headless` on "
                "Debian/Ubuntu, `dnf install java-17-openjdk-headless` on Fedora or `brew install openjdk` on "
                "macOS, or set WSISGRAPH_JAVA (or JAVA_HOME) to point at one")

_PREFIXES = prologue("wsis", "rdf", "rdfs", "owl", "skos")

RULES: list[tuple[str, str]] = [
    ("target-to-goal", "CONSTRUCT { ?x wsis:supportsGoal ?goal } WHERE { ?x wsis:supportsTarget ?target . "
                       "?target wsis:goal ?goal }"),
    ("sub-line-to-line", "CONSTRUCT { ?line ?p ?o } WHERE { VALUES ?p { wsis:supportsGoal wsis:supportsTarget } "
                         "?sub a wsis:ActionLine ; skos:broader ?line ; ?p ?o . ?line a wsis:ActionLine }"),
    ("sub-property", f"CONSTRUCT {{ ?s ?super ?o }} WHERE {{ ?p rdfs:subPropertyOf+ ?super . "
                     f"FILTER (STRSTARTS(STR(?super), \"{WSIS}\")) ?s ?p ?o }}"),
    ("inverse", "CONSTRUCT { ?o ?q ?s } WHERE { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } "
                "?s ?p ?o . FILTER (!isLiteral(?o)) }"),
    ("narrower", "CONSTRUCT { ?b skos:narrower ?n } WHERE { ?n skos:broader ?b }"),
    ("sub-class", "CONSTRUCT { ?x a ?super } WHERE { ?c rdfs:subClassOf+ ?super . FILTER (isIRI(?super)) "
                  "?x a ?c }"),
]


@dataclass
class Materialised:
    triples: list[Triple]
    by_rule: dict[str, int]


def materialise(graphs: Iterable[Iterable[Triple]]) -> Materialised:
    """What the rules derive from the union of `graphs` and is not asserted there, sorted."""
    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for ts in graphs for t in ts)
    derived: dict[Triple, str] = {}
    while True:
        new: list[Triple] = []
        for name, rule in RULES:
            for triple in store.query(_PREFIXES + rule):
                if triple in derived or Quad(triple.subject, triple.predicate, triple.object, DefaultGraph()) in store:
                    continue
                derived[triple] = name
                new.append(triple)
        if not new:
            break
        store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in new)
    counts = {name: 0 for name, _ in RULES}
    for name in derived.values():
        counts[name] += 1
    return Materialised(sorted(derived, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))), counts)


#################################################################
# Consistency under HermiT
#################################################################

# The OWL 2 datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps): HermiT parses these.
XSD = PREFIXES["xsd"]
OWL2_DATATYPES = {XSD + name for name in (
    "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger", "negativeInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "double", "float",
    "string", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary",
    "base64Binary", "anyURI", "dateTime", "dateTimeStamp")} | {
    PREFIXES["rdf"] + "PlainLiteral", PREFIXES["rdf"] + "XMLLiteral", PREFIXES["rdf"] + "langString",
    PREFIXES["rdfs"] + "Literal", PREFIXES["owl"] + "real", PREFIXES["owl"] + "rational"}


class JavaMissing(WsisgraphError):
    """No working Java runtime: HermiT cannot run. Exit code 2."""


@dataclass
class Clash:
    individual: str
    classes: tuple[str, str]
    reasons: dict[str, list[str]]


@dataclass
class ConsistencyReport:
    consistent: bool
    triples: int
    individuals: int
    seconds: float
    unsatisfiable: list[str] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    ignored_datatypes: dict[str, int] = field(default_factory=dict)
    ontology_alone_inconsistent: bool | None = None

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def find_java() -> str:
    """A java executable that runs: $WSISGRAPH_JAVA, else $JAVA_HOME/bin/java, else `java` on PATH."""
    candidates = settings.java_candidates()
    tried = []
    for exe, where in candidates:
        try:
            done = subprocess.run([exe, "-version"], capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            tried.append(f"{where} ({exe}): {exc}")
            continue
        if done.returncode == 0:
            return exe
        tried.append(f"{where} ({exe}): exit {done.returncode}")
    looked = "; ".join(tried) if tried else f"no ${settings.JAVA}, no $JAVA_HOME, no java on PATH"
    raise JavaMissing(f"the HermiT reasoner needs Java and none works here ({looked}): {INSTALL_JAVA}")


def check_consistency(ontology: list[Triple], data: list[Triple], java: str | None = None) -> ConsistencyReport:
    """Is ontology + data consistent under HermiT? Names the clashing individuals when not."""
    java = java or find_java()
    triples = list(dict.fromkeys([*ontology, *data]))
    ignored = unsupported_datatypes(triples)
    started = time.monotonic()
    consistent, unsatisfiable = _hermit(triples, java, bool(ignored))
    report = ConsistencyReport(consistent, len(triples), count_individuals(triples), 0.0, unsatisfiable,
                               ignored_datatypes=ignored)
    if not consistent:
        report.clashes = disjointness_clashes(triples)
        if not report.clashes:
            alone, _ = _hermit(list(dict.fromkeys(ontology)), java, bool(unsupported_datatypes(ontology)))
            report.ontology_alone_inconsistent = not alone
    report.seconds = time.monotonic() - started
    return report


def unsupported_datatypes(triples: Iterable[Triple]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in triples:
        obj = t.object
        if isinstance(obj, Literal) and not obj.language and obj.datatype.value not in OWL2_DATATYPES:
            counts[obj.datatype.value] = counts.get(obj.datatype.value, 0) + 1
    return dict(sorted(counts.items()))


def count_individuals(triples: Iterable[Triple]) -> int:
    """Nodes typed with a class of a domain vocabulary (not OWL, RDF or RDFS terms)."""
    vocabularies = (PREFIXES["owl"], PREFIXES["rdf"], PREFIXES["rdfs"])
    rdf_type = PREFIXES["rdf"] + "type"
    return len({t.subject for t in triples
                if t.predicate.value == rdf_type and not t.object.value.startswith(vocabularies)})


def _hermit(triples: list[Triple], java: str, ignore_datatypes: bool) -> tuple[bool, list[str]]:
    """Run HermiT through owlready2: (consistent, IRIs of unsatisfiable classes)."""
    import owlready2

    with tempfile.TemporaryDirectory(prefix="wsisgraph-reason-") as folder:
        path = Path(folder) / "graph.nt"
        path.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES))
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
            owlready2.JAVA_EXE = java
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                               ignore_unsupported_datatypes=ignore_datatypes)
            except owlready2.OwlReadyInconsistentOntologyError:
                return False, []
            except owlready2.OwlReadyJavaError as exc:
                lines = [line for line in str(exc).splitlines() if line.strip()][:6]
                raise WsisgraphError("HermiT failed: " + " / ".join(lines)) from exc
            except FileNotFoundError as exc:
                raise JavaMissing(f"cannot run {java}: {exc.strerror}: {INSTALL_JAVA}") from exc
            unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if hasattr(c, "iri"))
            return True, unsatisfiable
        finally:
            world.close()


TYPES_QUERY = _PREFIXES + """
SELECT DISTINCT ?x ?class ?why WHERE {
    {
        ?x a ?given . BIND ("asserted" AS ?why)
    } UNION {
        ?x ?p ?y . ?p rdfs:subPropertyOf* ?q . ?q rdfs:domain ?given .
        BIND (CONCAT("subject of ", STR(?p)) AS ?why)
    } UNION {
        ?y ?p ?x . ?p rdfs:subPropertyOf* ?q . ?q rdfs:range ?given . FILTER (!isLiteral(?x))
        BIND (CONCAT("object of ", STR(?p), " from ", STR(?y)) AS ?why)
    }
    ?given rdfs:subClassOf* ?class .
    FILTER (isIRI(?class))
}"""

DISJOINT_QUERY = _PREFIXES + """
SELECT DISTINCT ?a ?b WHERE {
    { ?all a owl:AllDisjointClasses ; owl:members ?list . ?list rdf:rest*/rdf:first ?a , ?b . FILTER (?a != ?b) }
    UNION { ?a owl:disjointWith ?b } UNION { ?b owl:disjointWith ?a }
}"""


def disjointness_clashes(triples: list[Triple]) -> list[Clash]:
    """Individuals that are, by assertion, domain, range or sub-class, in two disjoint classes."""
    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    types: dict[str, dict[str, list[str]]] = {}
    for row in store.query(TYPES_QUERY):
        node = row["x"]
        key = node.value if isinstance(node, NamedNode) else f"_:{node.value}" if isinstance(node, BlankNode) else None
        if key is None:
            continue
        types.setdefault(key, {}).setdefault(row["class"].value, []).append(row["why"].value)
    pairs = {tuple(sorted((row["a"].value, row["b"].value))) for row in store.query(DISJOINT_QUERY)}
    clashes = []
    for individual in sorted(types):
        classes = types[individual]
        for a, b in sorted(pairs):
            if a in classes and b in classes:
                clashes.append(Clash(individual, (a, b), {a: sorted(set(classes[a])), b: sorted(set(classes[b]))}))
    return clashes
