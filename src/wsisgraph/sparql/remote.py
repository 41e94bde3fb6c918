"""Ask a remote SPARQL 1.1 endpoint the same questions the embedded store answers.

`RemoteEngine` satisfies `query.Engine`: it POSTs the query text (parameters already bound by
query.py as a VALUES block of typed terms) through the one HTTP client (http.py) and reads the
answer with pyoxigraph's `parse_query_results`, so remote and embedded answers are the same
pyoxigraph objects and results.py prints them alike.

The embedded store's default graph is the union of the wsisgraph named graphs (`inferred` only
when asked for). A remote store's default graph is whatever its owner configured (Virtuoso: every
graph it holds; Oxigraph: empty unless started with --union-default-graph), so the engine names
our graphs in the request (`default-graph-uri`, SPARQL 1.1 protocol) and every store sees the same
default graph; they are also the named graphs (`named-graph-uri`) that GRAPH patterns see. Graphs
outside graph/ (other data, the temporary graphs of a push in progress) stay out of the answers.
Naming graphs costs the oxigraph server 2 to 6 times the time of its union default graph on the
canned queries (benchmarks/RESULTS.md); the answers are the point.
"""

import json
from collections.abc import Sequence

from pyoxigraph import BlankNode, NamedNode, QueryResultsFormat, QuerySolutions, parse_query_results

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import GRAPH, graph_iri
from wsisgraph.export import INFERRED_GRAPH
from wsisgraph.sparql import http
from wsisgraph.sparql.query import Answer, Result, query_form, read

ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
TABULAR = ("SELECT", "ASK")
VIRTUOSO_ASK = "__ASK_RETVAL"


def blank_label(label: str) -> str:
    """A remote blank node label pyoxigraph takes; those it rejects (Virtuoso's nodeID://b1) hex-encoded."""
    try:
        return BlankNode(label).value
    except ValueError:
        return "x" + label.encode().hex()


def virtuoso_fixes(body: bytes, ask: bool) -> bytes:
    """SPARQL JSON results with Virtuoso 7.2's two departures undone; other answers pass unread.

    Virtuoso labels blank nodes `nodeID://b10000`, which is no blank node label, and answers ASK
    with a one-row table (variable __ASK_RETVAL, 1 or 0) instead of {"boolean": ...}.
    """
    if b"nodeID://" not in body and not (ask and VIRTUOSO_ASK.encode() in body):
        return body
    payload = json.loads(body)
    if ask and payload.get("head", {}).get("vars") == [VIRTUOSO_ASK]:
        rows = payload["results"]["bindings"]
        truth = any(row.get(VIRTUOSO_ASK, {}).get("value") in ("1", "true") for row in rows)
        return json.dumps({"head": {}, "boolean": truth}).encode()
    for solution in payload.get("results", {}).get("bindings", []):
        for term in solution.values():
            if term.get("type") == "bnode":
                term["value"] = blank_label(term["value"])
    return json.dumps(payload).encode()


def parse(body: bytes, found: QueryResultsFormat, ask: bool) -> Answer:
    """The answer as pyoxigraph's object. pyoxigraph parses solutions as they are read, so they are
    read once here and parsed again for the caller: a broken answer fails here, where the endpoint is known."""
    if found == QueryResultsFormat.JSON:
        body = virtuoso_fixes(body, ask)
    answer = parse_query_results(body, found)
    if isinstance(answer, QuerySolutions):
        for _ in answer:
            pass
        answer = parse_query_results(body, found)
    return answer


class RemoteEngine:
    """A remote SPARQL 1.1 query endpoint; answers as pyoxigraph's own answer objects.

    Pass the `client` of a push to share its connection and credentials; without one the engine
    makes its own with `timeout` and `attempts`.
    """

    def __init__(self, endpoint: str, graphs: Sequence[str] = (), timeout: float = http.DEFAULT_TIMEOUT,
                 attempts: int = http.DEFAULT_ATTEMPTS, client: http.Client | None = None):
        self.endpoint = http.check_url(endpoint, "--endpoint")
        self.graphs = list(graphs)
        self.client = client or http.Client(timeout, attempts)

    def answer(self, text: str) -> Answer:
        form = query_form(text)
        if form not in TABULAR:
            raise WsisgraphError(f"only SELECT and ASK queries are tabular, not {form or 'this'}; "
                                 "use `wsisgraph export` for graphs")
        response = self.client.request("POST", self.endpoint, headers={"Accept": ACCEPT}, data={
            "query": text, "default-graph-uri": self.graphs, "named-graph-uri": self.graphs})
        kind = response.headers.get("content-type", "no Content-Type")
        found = QueryResultsFormat.from_media_type(kind.split(";")[0].strip())
        if found not in (QueryResultsFormat.JSON, QueryResultsFormat.XML):
            raise WsisgraphError(f"{self.endpoint}: not SPARQL results but {kind}")
        try:
            return parse(response.content, found, ask=form == "ASK")
        except (SyntaxError, ValueError, LookupError, TypeError, AttributeError) as exc:
            raise WsisgraphError(f"{self.endpoint}: not a valid SPARQL results document ({kind}): "
                                 f"{http.clip(str(exc))}") from exc

    def select(self, text: str) -> Result:
        return read(self.answer(text))


def dataset_graphs(engine: RemoteEngine) -> list[str]:
    """The wsisgraph named graphs the endpoint holds (IRIs under graph/, so no push's temporary graph).

    GROUP BY rather than DISTINCT: right after a push, Virtuoso 7.2 answered SELECT DISTINCT ?g
    without a graph that had just been moved into place, and the same query with GROUP BY with it.
    """
    text = f"""SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }} GROUP BY ?g"""
    return sorted(row[0].value for row in engine.select(text).rows if isinstance(row[0], NamedNode))


def connect(endpoint: str, timeout: float = http.DEFAULT_TIMEOUT, inferred: bool = False) -> RemoteEngine:
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
