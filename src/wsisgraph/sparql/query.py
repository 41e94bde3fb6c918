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

from wsisgraph.core import languages, resources, sparqltext
from wsisgraph.core.errors import InputError, WsisgraphError
from wsisgraph.core.namespaces import INFERRED_GRAPH, WSIS, XSD, graph_iri, prologue

Term = NamedNode | Literal


# pyoxigraph's own answer, not yet read: what results.py serialises into every machine format
Answer = QuerySolutions | QueryBoolean


@dataclass
class Result:
    """A SELECT result (variables and rows of terms) or an ASK answer, engine-neutral."""

    variables: list[str]
    rows: list[list[object | None]] = field(default_factory=list)
    boolean: bool | None = None


def read(answer: Answer) -> Result:
    """An answer read into rows, for tables and for code that looks at the terms."""
    if isinstance(answer, QueryBoolean):
        return Result([], boolean=bool(answer))
    variables = [v.value for v in answer.variables]
    return Result(variables, [[solution[v] for v in variables] for solution in answer])


class Engine(Protocol):
    """Anything that answers SPARQL: the embedded store or a remote endpoint. Both give pyoxigraph's
    answer objects (`answer`), so every result prints alike whichever engine answered."""

    def answer(self, text: str) -> Answer: ...

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
# One word per basis everywhere (the graph's skos:notation: matrix, report, curator, extracted,
# list); `coverage` once said "curated", so both commands take it too.
BASIS_WORDS = ("matrix", "report", "curator", "extracted", "list")
BASIS_SYNONYMS = {"curated": "curator"}
PARAM_TYPES = set(ENTITY_CLASSES) | LITERAL_TYPES | {"iri"}
HEADER_PREFIX = "#+"
INFERRED_GRAPH_IRI = graph_iri(INFERRED_GRAPH).value


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

    def answer(self, text: str) -> Answer:
        try:
            if self.inferred:  # `inferred` holds only what is not asserted, so the two never repeat a triple
                answer = self.store.query(text, default_graph=[DefaultGraph(), NamedNode(INFERRED_GRAPH_IRI)],
                                          named_graphs=self.graphs)
            else:
                answer = self.store.query(text, named_graphs=self.graphs)
        except SyntaxError as exc:
            raise WsisgraphError(f"SPARQL syntax error: {exc}") from exc
        if not isinstance(answer, QuerySolutions | QueryBoolean):
            raise WsisgraphError("CONSTRUCT and DESCRIBE queries are not tabular; use `wsisgraph export`")
        return answer

    def select(self, text: str) -> Result:
        return read(self.answer(text))


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
    text = read_text(path)
    header = read_header(path, text)
    for key in ("title", "description", "example"):
        if not header.get(key):
            raise InputError(str(path), 1, f"query header lacks {key!r}")
    return CannedQuery(path.stem, path, str(header["title"]), " ".join(str(header["description"]).split()),
                       header_params(path, header), str(header["example"]), text)


def user_query(path: Path) -> tuple[str, dict[str, Param] | None]:
    """The text of a `--file` query and, when it has a `#+ params:` header, its typed parameters."""
    text = read_text(path)
    refuse_updates(text)
    header = read_header(path, text)
    return text, (header_params(path, header) if header.get("params") else None)


def read_text(path: Path) -> str:
    """A text file as UTF-8 (a byte-order mark for UTF-8 or UTF-16 is honoured); anything else is
    a one-line `path:line:col:` error, not a traceback."""
    data = path.read_bytes()
    for mark, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(mark):
            try:
                return data[len(mark):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(str(path), None, f"not valid {codec.upper()} text ({exc.reason})") from exc
    if b"\0" in data:
        raise InputError(str(path), None, "a binary file (it holds NUL bytes), not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(str(path), line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                         column) from exc


UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


def query_form(text: str) -> str:
    """The first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE or an update's (INSERT...)."""
    masked = sparqltext.mask(text)  # blanks comments and the prologue's IRIs
    word = re.match(r"(?:\s*(?:PREFIX\s+[^\s:]*:|BASE))*\s*([A-Za-z]+)", masked, re.IGNORECASE)
    return word.group(1).upper() if word else ""


def refuse_updates(text: str) -> None:
    """A SPARQL Update is refused by name, before anything runs (the store is read-only anyway)."""
    if query_form(text) in UPDATE_KEYWORDS:
        raise WsisgraphError("updates are not allowed; use `wsisgraph ingest` or edit data/")


def header_params(path: Path, header: dict) -> dict[str, Param]:
    """The `params:` of a query header, each with a known type."""
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
    return params


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


LOOKUP_PREFIXES = prologue("skos", "rdfs", "wsis")
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
    if kind == "basis":
        value = BASIS_SYNONYMS.get(value.strip().casefold(), value)
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
    return literal_term(param, value)


def literal_term(param: Param, value: str) -> Term:
    """The term for a parameter that names no node of the graph: an IRI or a typed literal."""
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


MAX_PARAM_LENGTH = 1000


def shown(value: str, width: int = 40) -> str:
    """A value for an error message: quoted, cut to `width` characters, undecodable bytes escaped."""
    return repr(value if len(value) <= width else value[:width] + "…")


def check_text(name: str, value: str) -> None:
    """Valid Unicode (the shell hands undecodable bytes over as lone surrogates), no NUL, sane length."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise WsisgraphError(f"parameter {name}: {shown(value)} is not valid UTF-8 text") from None
    if "\0" in value:
        raise WsisgraphError(f"parameter {name}: {shown(value)} holds a NUL character")
    if len(value) > MAX_PARAM_LENGTH:
        raise WsisgraphError(f"parameter {name}: {shown(value)} is {len(value)} characters long "
                             f"(at most {MAX_PARAM_LENGTH})")


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """KEY=VALUE strings from the command line into a mapping; each key once."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise WsisgraphError(f"--param takes KEY=VALUE, got {shown(pair)}")
        check_text(key, key)
        check_text(key, value)
        if key in values:
            raise WsisgraphError(f"--param {key} is given twice ({shown(values[key])} and {shown(value)}); "
                                 f"give it once")
        values[key] = value
    return values


def check_code(param: Param, value: str) -> None:
    """A code or label as people write it: no stray punctuation at either end (`-9` and `9.` are
    not goal 9, though punctuation-insensitive matching would take them for it)."""
    text = value.strip()
    if not text:
        raise WsisgraphError(f"parameter {param.name}: empty")
    if text.startswith(("http://", "https://")):
        return
    stray = re.match(r"[^\w(\"'“‘]", text) or re.search(r"[^\w)\"'”’]$", text)
    if stray:
        raise WsisgraphError(f"parameter {param.name}: {shown(value)} is not a {param.type} code or label "
                             f"(stray {stray.group(0)!r})")


def check_values(query: CannedQuery, values: dict[str, str]) -> None:
    """Everything about the parameters that needs no store: names, required ones, literal syntax,
    well-formed codes. Runs before any build, so a mistake costs nothing."""
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise WsisgraphError(f"query {query.name!r} has no parameter {', '.join(unknown)} (parameters: {known})")
    for name, param in query.params.items():
        value = values.get(name, param.default)
        if value is None:
            if param.required:
                raise WsisgraphError(f"query {query.name!r} needs --param {name}=... ({param.help or param.type})")
        elif param.type in ENTITY_CLASSES:
            check_code(param, value)
        else:
            literal_term(param, value)


def typed_term(name: str, value: str) -> Term:
    """A `--file` parameter without a header: `<IRI>`, `LEXICAL^^xsd:TYPE` or `^^<IRI>`,
    `"text"@lang`, else a plain string."""
    if value.startswith("<") and value.endswith(">"):
        return literal_term(Param(name, "iri"), value[1:-1])
    typed = re.fullmatch(r"(.*)\^\^(?:xsd:([A-Za-z]+)|<([^<>\s]+)>)", value, re.DOTALL)
    if typed:
        lexical, local, iri = typed.groups()
        if local in ("integer", "date"):  # checked as the header types are
            return literal_term(Param(name, local), lexical)
        datatype = XSD + local if local else iri
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", datatype):
            raise WsisgraphError(f"parameter {name}: {shown(datatype)} is not a datatype IRI")
        return Literal(lexical, datatype=NamedNode(datatype))
    tagged = re.fullmatch(r'"(.*)"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)', value, re.DOTALL)
    if tagged:
        return Literal(tagged.group(1), language=tagged.group(2))
    return Literal(value)


def bind_params(engine: Engine, query: CannedQuery, values: dict[str, str]) -> dict[str, Term]:
    """Check names, apply defaults, require required ones, and turn each value into a term."""
    check_values(query, values)
    bindings: dict[str, Term] = {}
    for name, param in query.params.items():
        value = values.get(name, param.default)
        if value is not None:
            bindings[name] = to_term(engine, param, value)
    return bindings


def inject_values(text: str, bindings: dict[str, Term]) -> str:
    """Insert `VALUES (?a ?b) { (term term) }` at the start of the first WHERE group."""
    if not bindings:
        return text
    where = sparqltext.where_group(text)
    if where is None:
        raise WsisgraphError("cannot bind parameters: the query has no WHERE group")
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise WsisgraphError(f"parameter name {name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}\n"
    return text[:where] + block + text[where:]


def bound(text: str, bindings: dict[str, Term] | None = None) -> str:
    """The query to send: an update refused, the parameters bound."""
    refuse_updates(text)
    return inject_values(text, bindings or {})


def run(engine: Engine, text: str, bindings: dict[str, Term] | None = None) -> Result:
    return engine.select(bound(text, bindings))


def answer(engine: Engine, text: str, bindings: dict[str, Term] | None = None) -> Answer:
    """The engine's answer unread, for serialising (results.serialize) without reading it into rows."""
    return engine.answer(bound(text, bindings))


def run_canned(engine: Engine, query: CannedQuery, values: dict[str, str]) -> Result:
    return run(engine, query.text, bind_params(engine, query, values))

