"""Ask a remote SPARQL 1.1 endpoint the same questions the embedded store answers.

`RemoteEngine` satisfies `query.Engine`: it sends the query text (parameters already bound by
query.py as a VALUES block of typed terms) through SPARQLWrapper and turns the SPARQL JSON answer
back into pyoxigraph terms, so formats.py prints remote and embedded answers alike.

The embedded store's default graph is the union of the wsisgraph named graphs (`inferred` only
when asked for). A remote store's default graph is whatever its owner configured (Virtuoso: every
graph it holds; Oxigraph: empty unless started with --union-default-graph), so the engine names
our graphs in the request (`default-graph-uri`, SPARQL 1.1 protocol) and every store sees the same
default graph; they are also the named graphs (`named-graph-uri`) that GRAPH patterns see. Graphs
outside graph/ (other data, the temporary graphs of a push in progress) stay out of the answers.
Naming graphs costs the oxigraph server 2 to 6 times the time of its union default graph on the
canned queries (benchmarks/RESULTS.md); the answers are the point.

Credentials come only from $WSISGRAPH_USER and $WSISGRAPH_PASSWORD and are never printed.
Transient failures (connection refused, timeouts, HTTP 429/502/503/504) are retried with
exponential backoff; every error names the endpoint.
"""

import ast
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import TypeVar

from pyoxigraph import BlankNode, Literal, NamedNode
from SPARQLWrapper import ASK, JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import GRAPH, graph_iri
from wsisgraph.export import INFERRED_GRAPH
from wsisgraph.sparql.query import Result

ENV_USER = "WSISGRAPH_USER"
ENV_PASSWORD = "WSISGRAPH_PASSWORD"
RETRY_STATUS = {429, 502, 503, 504}
DEFAULT_TIMEOUT = 60.0
DEFAULT_ATTEMPTS = 3
FIRST_BACKOFF = 0.5

T = TypeVar("T")


class Transient(Exception):
    """A failure worth another attempt: the endpoint may answer a moment later."""


def credentials() -> tuple[str, str] | None:
    """(user, password) from the environment, or None when no user is set."""
    user = os.environ.get(ENV_USER)
    if not user:
        return None
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        raise WsisgraphError(f"{ENV_USER} is set but {ENV_PASSWORD} is not")
    return user, password


def check_url(url: str, option: str) -> str:
    """An http(s) URL without credentials in it (they belong in the environment, and URLs get printed)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WsisgraphError(f"{option} must be an http(s) URL, got {url!r}")
    if parts.username or parts.password:
        raise WsisgraphError(f"{option}: put credentials in ${ENV_USER} and ${ENV_PASSWORD}, not in the URL")
    return url


def with_retries(call: Callable[[], T], endpoint: str, attempts: int = DEFAULT_ATTEMPTS,
                 backoff: float = FIRST_BACKOFF) -> T:
    """call(), again after 0.5 s, 1 s, 2 s... while it fails transiently; then an error naming the endpoint."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Transient as exc:
            if attempt == attempts:
                tries = f" (after {attempts} attempts)" if attempts > 1 else ""
                raise WsisgraphError(f"{endpoint}: {exc}{tries}") from exc
            time.sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def install_credentials(url: str) -> None:
    """Let urllib (which SPARQLWrapper uses) answer a Basic or a Digest challenge from this URL.

    SPARQLWrapper can only be told one scheme in advance; stores differ (Virtuoso asks for Digest,
    GraphDB and Fuseki usually Basic), so both handlers are installed and the server's challenge
    picks. Credentials are only sent to URLs under `url`.
    """
    found = credentials()
    if found is None:
        return
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, *found)
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager),
                                         urllib.request.HTTPDigestAuthHandler(manager))
    urllib.request.install_opener(opener)


def blank_node(label: str) -> BlankNode:
    """A blank node for a remote label; labels pyoxigraph rejects (Virtuoso's nodeID://b1) are hex-encoded."""
    try:
        return BlankNode(label)
    except ValueError:
        return BlankNode("x" + label.encode().hex())


def term(binding: dict[str, str]) -> NamedNode | Literal | BlankNode:
    """A SPARQL JSON term as a pyoxigraph term ("typed-literal" is the pre-standard form Virtuoso sends)."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        return blank_node(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return Literal(value, datatype=NamedNode(binding["datatype"]))
        return Literal(value)
    raise WsisgraphError(f"unsupported term in SPARQL JSON results: {binding!r}")


def result_from_json(payload: dict, ask: bool = False) -> Result:
    """A Result from a SPARQL 1.1 JSON results document.

    Virtuoso 7.2 answers ASK with a one-row table (variable __ASK_RETVAL, 1 or 0) instead of
    {"boolean": ...}; for an ASK query that table is read as the boolean it stands for.
    """
    if "boolean" in payload:
        return Result([], boolean=bool(payload["boolean"]))
    variables = list(payload["head"]["vars"])
    rows = [[term(solution[v]) if v in solution else None for v in variables]
            for solution in payload["results"]["bindings"]]
    if ask and len(variables) == 1:
        return Result([], boolean=any(row[0] is not None and row[0].value in ("1", "true") for row in rows))
    return Result(variables, rows)


def server_text(exc: SPARQLWrapperException) -> str:
    """The server's own message, which SPARQLWrapper keeps only as a repr inside its exception text."""
    _, sep, body = str(exc).partition("Response:\n")
    if not sep:
        return ""
    try:
        raw = ast.literal_eval(body)
    except (ValueError, SyntaxError):
        raw = body
    return clip(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))


def clip(text: str) -> str:
    """A server's error text on one line, short enough for a terminal."""
    return " ".join(text.split())[:400]


class HttpError(WsisgraphError):
    """A request the endpoint answered with an error status that another attempt will not change."""

    def __init__(self, url: str, status: int, reason: str):
        super().__init__(f"{url}: {reason}")
        self.status = status
        self.reason = reason


def http_failure(url: str, status: int, text: str) -> HttpError | Transient:
    """The error for an HTTP status: transient ones are retried, the rest reported."""
    detail = f": {text}" if text else ""
    if status in RETRY_STATUS:
        return Transient(f"HTTP {status}{detail}")
    if status == 401:
        advice = (f"the credentials in ${ENV_USER} and ${ENV_PASSWORD} were refused" if credentials()
                  else f"authentication required; set ${ENV_USER} and ${ENV_PASSWORD}")
        return HttpError(url, status, f"HTTP 401: {advice}")
    if status == 404:
        return HttpError(url, status, f"HTTP 404: nothing at this URL{detail}")
    return HttpError(url, status, f"HTTP {status}{detail}")


PROLOGUE = re.compile(r"\s*(?:#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or an update's first keyword: the first word after the prologue."""
    position = 0
    while (match := PROLOGUE.match(text, position)) and match.end() > position:
        position = match.end()
    word = re.match(r"\s*([A-Za-z]+)", text[position:])
    return word.group(1).upper() if word else ""


class RemoteEngine:
    """A remote SPARQL 1.1 query endpoint, queried through SPARQLWrapper; answers as pyoxigraph terms."""

    def __init__(self, endpoint: str, graphs: Sequence[str] = (), timeout: float = DEFAULT_TIMEOUT,
                 attempts: int = DEFAULT_ATTEMPTS):
        self.endpoint = check_url(endpoint, "--endpoint")
        self.graphs = list(graphs)
        self.timeout = timeout
        self.attempts = attempts
        install_credentials(self.endpoint)

    def select(self, text: str) -> Result:
        form = query_form(text)
        if form not in (SELECT, ASK):
            raise WsisgraphError(f"only SELECT and ASK queries are tabular, not {form or 'this'}; "
                                 "use `wsisgraph export` for graphs")
        client = SPARQLWrapper(self.endpoint)
        client.setQuery(text)
        client.queryType = form  # SPARQLWrapper's own guess trips over comment headers (it saw ADD in one)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setOnlyConneg(True)
        client.setTimeout(int(self.timeout))
        for graph in self.graphs:
            client.addParameter("default-graph-uri", graph)
            client.addParameter("named-graph-uri", graph)
        return with_retries(lambda: self._send(client), self.endpoint, self.attempts)

    def _send(self, client: SPARQLWrapper) -> Result:
        try:
            response = client.query().response
            body = response.read()
        except SPARQLWrapperException as exc:
            raise http_failure(self.endpoint, status_of(exc), server_text(exc)) from exc
        except urllib.error.HTTPError as exc:
            raise http_failure(self.endpoint, exc.code, clip(exc.read().decode("utf-8", "replace"))) from exc
        except urllib.error.URLError as exc:
            raise Transient(f"cannot reach the endpoint: {exc.reason}") from exc
        except (TimeoutError, ConnectionError) as exc:
            raise Transient(f"no answer within {self.timeout:g} s ({exc})") from exc
        try:
            return result_from_json(json.loads(body), ask=client.queryType == ASK)
        except (ValueError, KeyError, TypeError) as exc:
            kind = response.headers.get("Content-Type", "unknown")
            raise WsisgraphError(f"{self.endpoint}: not a SPARQL JSON result (Content-Type {kind})") from exc


STATUS = {QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414, EndPointInternalError: 500}


def status_of(exc: SPARQLWrapperException) -> int:
    """The HTTP status behind a SPARQLWrapper exception (each class stands for one status)."""
    return next((status for cls, status in STATUS.items() if isinstance(exc, cls)), 500)


def dataset_graphs(engine: RemoteEngine) -> list[str]:
    """The wsisgraph named graphs the endpoint holds (IRIs under graph/, so no push's temporary graph).

    GROUP BY rather than DISTINCT: right after a push, Virtuoso 7.2 answered SELECT DISTINCT ?g
    without a graph that had just been moved into place, and the same query with GROUP BY with it.
    """
    text = f"""SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }} GROUP BY ?g"""
    return sorted(row[0].value for row in engine.select(text).rows if isinstance(row[0], NamedNode))


def connect(endpoint: str, timeout: float = DEFAULT_TIMEOUT, inferred: bool = False) -> RemoteEngine:
    """An engine over the wsisgraph graphs at the endpoint; an error when it holds none.

    As in the embedded store, the `inferred` graph stays out unless asked for: answers are what
    the sources state.
    """
    engine = RemoteEngine(endpoint, timeout=timeout)
    graphs = dataset_graphs(engine)
    if not graphs:
        raise WsisgraphError(f"{endpoint}: holds no wsisgraph graphs (IRIs under {GRAPH}); "
                             f"load them with `wsisgraph push --endpoint {endpoint} ...`")
    if inferred and graph_iri(INFERRED_GRAPH).value not in graphs:
        raise WsisgraphError(f"{endpoint}: holds no `inferred` graph (`wsisgraph serve` publishes the asserted "
                             "graphs only); query the local store with --inferred, or load it with "
                             "`wsisgraph push --inferred`")
    engine.graphs = [g for g in graphs if inferred or g != graph_iri(INFERRED_GRAPH).value]
    return engine
