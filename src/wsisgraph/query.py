"""Canned queries: read their headers, resolve parameters to RDF terms, bind them safely, run them.

A canned query is a `.rq` file in queries/ whose header is YAML in lines starting `#+ `:

    #+ title: Action lines aligned with an SDG goal
    #+ description: >-
    #+   Which action lines support the goal, directly or through its targets, and on what basis.
    #+ params:
    #+   goal: {type: goal, required: true, example: "9", help: SDG goal code}
    #+ example: wsisgraph query action-lines-for-goal --param goal=9

Parameters are never pasted into query text as strings. Each value becomes a typed RDF term
(an IRI resolved from a code, or a literal with its datatype), and the terms are bound with a
VALUES block whose text is the terms' own N-Triples serialisation, inserted at the start of the
query's top-level WHERE group. The same binding works for the embedded store and any remote
SPARQL 1.1 endpoint, so both answer the same query.
"""

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import yaml
from pyoxigraph import DefaultGraph, Literal, NamedNode, QueryBoolean, QuerySolutions, Store

from wsisgraph import languages, resources
from wsisgraph.errors import InputError, WsisgraphError
from wsisgraph.namespaces import GRAPH, WSIS, XSD

Term = NamedNode | Literal


@dataclass
class Result:
    """A SELECT result (variables and rows of terms) or an ASK answer, engine-neutral."""

    variables: list[str]
    rows: list[list[object | None]] = field(default_factory=list)
    boolean: bool | None = None


class Engine(Protocol):
    """Anything that answers SPARQL: the embedded store or a remote endpoint."""

    def select(self, text: str) -> Result: ...


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    example: str | None = None
    help: str = ""


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: dict[str, Param]
    example: str
    text: str


ENTITY_CLASSES: dict[str, str | None] = {
    "goal": WSIS + "SDGGoal",
    "target": WSIS + "SDGTarget",
    "indicator": WSIS + "SDGIndicator",
    "action-line": WSIS + "ActionLine",
    "organisation": WSIS + "Organisation",
    "meeting": WSIS + "Meeting",
    "document": WSIS + "Document",
    "process": WSIS + "Process",
    "event": WSIS + "Event",
    "agent": "http://www.w3.org/ns/prov#Agent",
    "basis": WSIS + "AlignmentBasis",
    "entity": None,
}
LITERAL_TYPES = {"literal", "string", "date", "integer", "language", "search"}
PARAM_TYPES = set(ENTITY_CLASSES) | LITERAL_TYPES | {"iri"}
HEADER_PREFIX = "#+"
INFERRED_GRAPH_IRI = GRAPH + "inferred"


class EmbeddedEngine:
    """The pyoxigraph store. Its default graph holds every asserted triple (build.write_store copies
    the named graphs there, all but `inferred`), so answers are what the sources state.

    With `inferred=True` the default graph adds the `inferred` graph, as exports include it only
    with --inferred. GRAPH patterns see the same named graphs as the
    default graph, as with a remote endpoint.
    """

    def __init__(self, store: Store, inferred: bool = False):
        self.store = store
        self.inferred = inferred
        self.graphs = [g for g in store.named_graphs() if inferred or g.value != INFERRED_GRAPH_IRI]

    def select(self, text: str) -> Result:
        try:
            if self.inferred:  # `inferred` holds only what is not asserted, so the two never repeat a triple
                answer = self.store.query(text, default_graph=[DefaultGraph(), NamedNode(INFERRED_GRAPH_IRI)],
                                          named_graphs=self.graphs)
            else:
                answer = self.store.query(text, named_graphs=self.graphs)
        except SyntaxError as exc:
            raise WsisgraphError(f"SPARQL syntax error: {exc}") from exc
        if isinstance(answer, QueryBoolean):
            return Result([], boolean=bool(answer))
        if not isinstance(answer, QuerySolutions):
            raise WsisgraphError("CONSTRUCT and DESCRIBE queries are not tabular; use `wsisgraph export`")
        variables = [v.value for v in answer.variables]
        rows = [[solution[v] for v in variables] for solution in answer]
        return Result(variables, rows)


def read_header(path: Path, text: str) -> dict:
    lines = [line[len(HEADER_PREFIX):].removeprefix(" ") for line in text.splitlines()
             if line.startswith(HEADER_PREFIX)]
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(str(path), mark.line + 1 if mark else None, f"bad query header: {exc}") from exc
    if not isinstance(header, dict):
        raise InputError(str(path), 1, "query header must be a YAML mapping in `#+ ` lines")
    return header


def load_query(path: Path) -> CannedQuery:
    """A canned query and its header; a missing title, description or example is an error."""
    text = path.read_text(encoding="utf-8")
    header = read_header(path, text)
    for key in ("title", "description", "example"):
        if not header.get(key):
            raise InputError(str(path), 1, f"query header lacks {key!r}")
    params = {}
    for name, spec in (header.get("params") or {}).items():
        spec = spec or {}
        kind = spec.get("type", "literal")
        if kind not in PARAM_TYPES:
            raise InputError(str(path), 1, f"parameter {name!r} has unknown type {kind!r}")
        default = spec.get("default")
        example = spec.get("example")
        params[name] = Param(name, kind, bool(spec.get("required", False)),
                             None if default is None else str(default),
                             None if example is None else str(example), str(spec.get("help", "")))
    return CannedQuery(path.stem, path, str(header["title"]), " ".join(str(header["description"]).split()),
                       params, str(header["example"]), text)


def catalog(directory: Path | None = None) -> dict[str, CannedQuery]:
    directory = directory or resources.queries_dir()
    return {path.stem: load_query(path) for path in sorted(directory.glob("*.rq"))}


def find(name: str, queries: dict[str, CannedQuery] | None = None) -> CannedQuery:
    queries = queries if queries is not None else catalog()
    if name not in queries:
        near = difflib.get_close_matches(name, list(queries), n=3)
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise WsisgraphError(f"unknown query {name!r}.{hint} Known queries: {', '.join(queries)}")
    return queries[name]


def _fold(text: str) -> str:
    """Case- and punctuation-insensitive form used to match codes as users write them."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


LOOKUP_PREFIXES = f"""
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX wsis: <{WSIS}>
"""
# What users may type for a thing: its code, a label, a document symbol or a UNSD indicator code.
# A UNION of plain patterns rather than an alternative path: Virtuoso 7 finds nothing when such a
# path is joined with the rdfs:subClassOf* type test, and pyoxigraph probes each branch by index.
CODE_OR_LABEL = " UNION ".join(f"{{ ?s {p} ?code }}" for p in (
    "skos:notation", "rdfs:label", "skos:altLabel", "skos:prefLabel", "wsis:documentSymbol", "wsis:unsdCode"))


def _typed(cls: str | None) -> str:
    """A pattern keeping ?s to the class or its subclasses (a resolution is a document)."""
    return f"?s a ?type . ?type rdfs:subClassOf* <{cls}> ." if cls else ""


def _candidates(engine: Engine, cls: str | None) -> list[tuple[NamedNode, str]]:
    """Every (node, code or label) of the class: the full list that near matches come from."""
    text = f"""{LOOKUP_PREFIXES}
        SELECT DISTINCT ?s ?code WHERE {{
          {_typed(cls)}
          {CODE_OR_LABEL}
        }}"""
    return [(row[0], row[1].value) for row in engine.select(text).rows if isinstance(row[0], NamedNode)]


def _exact(engine: Engine, cls: str | None, value: str) -> list[str]:
    """Nodes of the class that are the IRI, or carry the value as a code or English label, exactly.

    Index lookups on the value bound as terms (never pasted as text), so the usual case does not
    scan every label; a one-variable VALUES block keeps the lookup indexed in pyoxigraph.
    """
    if value.startswith(("http://", "https://")):
        try:
            node = NamedNode(value)
        except ValueError:
            return []
        where = f"VALUES ?s {{ {node} }} {CODE_OR_LABEL}"
    else:
        codes = f"{Literal(value)} {Literal(value, language='en')}"
        where = f"VALUES ?code {{ {codes} }} {CODE_OR_LABEL}"
    text = f"{LOOKUP_PREFIXES} SELECT DISTINCT ?s WHERE {{ {where} {_typed(cls)} }}"
    return sorted(row[0].value for row in engine.select(text).rows if isinstance(row[0], NamedNode))


def resolve_entity(engine: Engine, kind: str, value: str) -> NamedNode:
    """An IRI for a code, label or IRI of the given kind; unknown values list near matches."""
    cls = ENTITY_CLASSES[kind]
    exact = _exact(engine, cls, value)
    if len(exact) == 1:
        return NamedNode(exact[0])
    if value.startswith(("http://", "https://")):
        raise WsisgraphError(f"no {kind} with IRI <{value}> in the graph")
    candidates = _candidates(engine, cls)
    matches: list[str] = []
    for form in (str.strip, str.casefold, _fold):  # exact first: target 1.1 and goal 11 fold alike
        wanted = form(value)
        matches = sorted({node.value for node, code in candidates if form(code) == wanted})
        if matches:
            break
    if len(matches) == 1:
        return NamedNode(matches[0])
    codes = sorted({code for _, code in candidates})
    if len(matches) > 1:
        raise WsisgraphError(f"{kind} {value!r} is ambiguous: {', '.join(matches)}")
    near = difflib.get_close_matches(value, codes, n=5, cutoff=0.5)
    hint = f" Near matches: {', '.join(near)}." if near else ""
    raise WsisgraphError(f"unknown {kind} {value!r}.{hint}")


def _is_date(value: str) -> bool:
    """True for a real calendar day: 2024-02-30 matches the pattern but is no xsd:date."""
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def to_term(engine: Engine, param: Param, value: str) -> Term:
    """The typed RDF term for a parameter value."""
    if param.type in ENTITY_CLASSES:
        return resolve_entity(engine, param.type, value)
    if param.type == "iri":
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
            raise WsisgraphError(f"parameter {param.name}: {value!r} is not an http(s) IRI")
        return NamedNode(value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise WsisgraphError(f"parameter {param.name}: {value!r} is not an integer")
        return Literal(value, datatype=XSD.integer)
    if param.type == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) or not _is_date(value):
            raise WsisgraphError(f"parameter {param.name}: {value!r} is not a date (YYYY-MM-DD)")
        return Literal(value, datatype=XSD.date)
    if param.type == "search":  # free text, folded as the query folds the graph's texts
        return Literal(languages.fold(value))
    if param.type == "language":  # a BCP 47 tag, compared with langMatches: a plain literal
        try:
            return Literal(languages.check_tag(value))
        except WsisgraphError as exc:
            raise WsisgraphError(f"parameter {param.name}: {exc}") from exc
    return Literal(value)


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """KEY=VALUE strings from the command line into a mapping."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise WsisgraphError(f"--param takes KEY=VALUE, got {pair!r}")
        values[key.strip()] = value
    return values


def bind_params(engine: Engine, query: CannedQuery, values: dict[str, str]) -> dict[str, Term]:
    """Check names, apply defaults, require required ones, and turn each value into a term."""
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise WsisgraphError(f"query {query.name!r} has no parameter {', '.join(unknown)} (parameters: {known})")
    bindings: dict[str, Term] = {}
    for name, param in query.params.items():
        value = values.get(name, param.default)
        if value is None:
            if param.required:
                raise WsisgraphError(f"query {query.name!r} needs --param {name}=... ({param.help or param.type})")
            continue
        bindings[name] = to_term(engine, param, value)
    return bindings


def _mask_comments_and_strings(text: str) -> str:
    """Same length as text, with comments and string literals blanked, for locating keywords."""
    pattern = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''
                         r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def inject_values(text: str, bindings: dict[str, Term]) -> str:
    """Insert `VALUES (?a ?b) { (term term) }` at the start of the first WHERE group."""
    if not bindings:
        return text
    masked = _mask_comments_and_strings(text)
    match = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE) or re.search(r"\{", masked)
    if not match:
        raise WsisgraphError("cannot bind parameters: the query has no WHERE group")
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise WsisgraphError(f"parameter name {name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    return text[: match.end()] + block + text[match.end():]


def run(engine: Engine, text: str, bindings: dict[str, Term] | None = None) -> Result:
    return engine.select(inject_values(text, bindings or {}))


def run_canned(engine: Engine, query: CannedQuery, values: dict[str, str]) -> Result:
    return run(engine, query.text, bind_params(engine, query, values))

