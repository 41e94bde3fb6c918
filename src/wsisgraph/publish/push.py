"""Load the built dataset, named graph by named graph, into any SPARQL 1.1 store.

Each graph is replaced without a window in which readers see it half loaded: its triples go to a
fresh temporary graph (Graph Store protocol PUT/POST, or SPARQL Update INSERT where the store
has no Graph Store endpoint), the temporary graph's size is checked, and one `MOVE` request
replaces the real graph with it. A store that takes no SPARQL Update cannot move graphs; there
each graph is replaced in place by Graph Store requests, and push says so before it starts.

Large graphs go in batches of whole blank-node groups: a blank node's label only means something
within one request, so every triple that shares a blank node travels in the same request.
Every graph's size in the store is checked against what was sent.
"""

import contextlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Store, Triple, serialize

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import BASE, graph_iri
from wsisgraph.export import select_graphs
from wsisgraph.sparql import http, remote

BATCH = 10_000
UPDATE_BATCH = 1_000  # Virtuoso compiles an INSERT template to SQL and refuses one of 3,500 triples
NTRIPLES = "application/n-triples"
NO_GRAPH_STORE = {404, 405, 501}


@dataclass(frozen=True)
class Target:
    """Where a store listens: queries (size checks), updates (MOVE, INSERT DATA), Graph Store requests."""

    endpoint: str
    update: str
    graph_store: str | None = None


@dataclass(frozen=True)
class Settings:
    """How patient to be: seconds per request, attempts per request, triples per request."""

    timeout: float = http.DEFAULT_TIMEOUT
    attempts: int = http.DEFAULT_ATTEMPTS
    batch: int = BATCH


@dataclass(frozen=True)
class Upload:
    name: str
    iri: str
    triples: list[Triple]


def plan(store: Store, names: list[str], inferred: bool = False) -> list[Upload]:
    """The graphs to send: those named, else all but `inferred` unless it is asked for (as export does)."""
    uploads = []
    for name in select_graphs(store, names, inferred):
        graph = graph_iri(name)
        triples = [Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)]
        uploads.append(Upload(name, graph.value, triples))
    return uploads


def batches(triples: list[Triple], size: int = BATCH) -> list[list[Triple]]:
    """Triples in batches of about `size`, never splitting a group of triples joined by blank nodes."""
    parent: dict[BlankNode, BlankNode] = {}

    def root(node: BlankNode) -> BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for t in triples:
        if isinstance(t.subject, BlankNode) and isinstance(t.object, BlankNode):
            parent[root(t.subject)] = root(t.object)
    groups: dict[object, list[Triple]] = {}
    for index, t in enumerate(triples):
        node = t.subject if isinstance(t.subject, BlankNode) else t.object
        key = root(node) if isinstance(node, BlankNode) else index
        groups.setdefault(key, []).append(t)
    out: list[list[Triple]] = [[]]
    for group in groups.values():
        if out[-1] and len(out[-1]) + len(group) > size:
            out.append([])
        out[-1].extend(group)
    return [batch for batch in out if batch]


def ntriples(triples: Iterable[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.N_TRIPLES)


def sparql_iri(iri: str) -> str:
    """An IRI in SPARQL syntax, checked by pyoxigraph, so no text is pasted into an update unchecked."""
    return str(NamedNode(iri))


def insert(graph: str, triples: list[Triple]) -> str:
    """INSERT DATA, or for triples with blank nodes INSERT {...} WHERE {}: Virtuoso 7.2 refuses blank
    nodes in INSERT DATA, and in a template matched once each label still stands for one new node."""
    body = ntriples(triples).decode()
    if any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples):
        return f"INSERT {{ GRAPH {sparql_iri(graph)} {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {sparql_iri(graph)} {{\n{body}}} }}"


def temporary_graph(name: str) -> str:
    """A fresh graph IRI outside graph/, so `wsisgraph query --endpoint` never reads a graph mid-upload."""
    return f"{BASE}upload/{secrets.token_hex(8)}/{name}"


class Pusher:
    """One store's endpoints through one HTTP client (timeouts, retries, credentials from the environment);
    the size checks are queries through the same client."""

    def __init__(self, target: Target, settings: Settings, note: Callable[[str], None]):
        self.target = target
        self.settings = settings
        self.note = note
        self.client = http.Client(settings.timeout, settings.attempts)
        self.counter = remote.RemoteEngine(target.endpoint, client=self.client)
        self.updates = False

    def close(self) -> None:
        self.client.close()

    def update(self, text: str) -> None:
        self.client.request("POST", self.target.update, data={"update": text})

    def check_updates(self) -> None:
        """Whether the update endpoint runs SPARQL Update for us (a harmless DROP SILENT of a fresh graph)."""
        try:
            self.update(f"DROP SILENT GRAPH {sparql_iri(temporary_graph('probe'))}")
        except http.HttpError as exc:
            if exc.status == 401:
                raise
            self.note(f"note: {self.target.update} refused SPARQL Update ({exc.reason})")
            return
        self.updates = True

    def check_graph_store(self) -> None:
        """Keep the Graph Store endpoint if it takes a PUT (an empty fresh graph), else fall back to Update."""
        if not self.target.graph_store:
            return
        probe = {"graph": temporary_graph("probe")}
        try:
            self.client.request("PUT", self.target.graph_store, params=probe, content=b"",
                                headers={"Content-Type": NTRIPLES})
        except http.HttpError as exc:
            if not (self.updates and exc.status in NO_GRAPH_STORE):
                raise
            self.note(f"note: no Graph Store protocol at {self.target.graph_store} ({exc.reason}); "
                      "using SPARQL Update instead")
            self.target = Target(self.target.endpoint, self.target.update, None)
            return
        with contextlib.suppress(http.HttpError):  # stores answer 404 for deleting an empty graph
            self.client.request("DELETE", self.target.graph_store, params=probe)

    def prepare(self) -> None:
        """Find out what the store takes before sending anything; say so when graphs cannot be moved."""
        self.check_updates()
        self.check_graph_store()
        if self.updates:
            return
        if not self.target.graph_store:
            raise WsisgraphError(f"{self.target.update} takes no SPARQL Update and no --graph-store was given; "
                                 "nothing was sent")
        self.note("note: without SPARQL Update a graph cannot be moved into place, so each one is replaced "
                  "in place by Graph Store requests and readers may see it half loaded meanwhile")

    def count(self, graph: str) -> int:
        result = self.counter.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }} }}")
        return int(result.rows[0][0].value)

    def upload(self, graph: str, triples: list[Triple]) -> None:
        """Replace `graph` with `triples`: by Graph Store protocol (PUT, then POST per batch), else by Update."""
        store = self.target.graph_store
        for number, part in enumerate(batches(triples, batch_size(self.target, self.settings))):
            if store:
                self.client.request("PUT" if number == 0 else "POST", store, params={"graph": graph},
                                    content=ntriples(part), headers={"Content-Type": NTRIPLES})
            else:
                clear = f"DROP SILENT GRAPH {sparql_iri(graph)} ;\n" if number == 0 else ""
                self.update(clear + insert(graph, part))

    def move_into_place(self, item: Upload) -> None:
        """Fill a temporary graph, check its size, then replace the real graph with it in one MOVE."""
        staging = temporary_graph(item.name)
        try:
            self.upload(staging, item.triples)
            staged = self.count(staging)
            if staged != len(item.triples):
                raise WsisgraphError(f"{item.name}: sent {len(item.triples)} triples but the temporary graph "
                                     f"holds {staged}; <{item.iri}> was left as it was")
            self.update(f"MOVE {sparql_iri(staging)} TO {sparql_iri(item.iri)}")
        except BaseException:
            with contextlib.suppress(WsisgraphError):
                self.update(f"DROP SILENT GRAPH {sparql_iri(staging)}")
            raise

    def drop(self, graph: str) -> None:
        if self.updates:
            self.update(f"DROP SILENT GRAPH {sparql_iri(graph)}")
        else:
            self.client.request("DELETE", self.target.graph_store, params={"graph": graph})

    def check_default_graph(self, uploads: list[Upload]) -> None:
        """Say so when a client that names no graph would see none of the data (README: the default
        graph is the union of the published graphs; Virtuoso gives it, an oxigraph server only when
        started with --union-default-graph)."""
        if not any(item.triples for item in uploads):
            return
        if self.counter.select("ASK { ?s ?p ?o }").boolean:
            return
        self.note(f"note: {self.target.endpoint} has an empty default graph: a SPARQL client that names no "
                  "graph (no default-graph-uri, no FROM) gets no rows; an oxigraph server gives the union of "
                  "its graphs when started with --union-default-graph. `wsisgraph query --endpoint` names "
                  "the graphs and is not affected")

    def remove_stale(self, kept: set[str], echo: Callable[[str], None]) -> None:
        """Drop the store's wsisgraph graphs the dataset no longer has, so its union answers like ours."""
        for graph in sorted(set(remote.dataset_graphs(self.counter)) - kept):
            self.drop(graph)
            echo(f"removed <{graph}>: no longer in the dataset")

    def replace(self, item: Upload) -> int:
        """Put one graph in the store; what the store holds afterwards, checked against what was sent."""
        sent = len(item.triples)
        if not self.updates:
            self.upload(item.iri, item.triples)
        elif sent:
            self.move_into_place(item)
        else:
            self.update(f"DROP SILENT GRAPH {sparql_iri(item.iri)}")
        held = self.count(item.iri)
        if held != sent:
            raise WsisgraphError(f"{item.name}: sent {sent} triples but <{item.iri}> holds {held}")
        return held


def describe(target: Target) -> str:
    if target.graph_store:
        return f"Graph Store protocol at {target.graph_store}"
    return f"SPARQL Update at {target.update}"


def batch_size(target: Target, settings: Settings) -> int:
    return settings.batch if target.graph_store else min(settings.batch, UPDATE_BATCH)


def show_plan(uploads: list[Upload], target: Target, settings: Settings, echo: Callable[[str], None]) -> None:
    for item in uploads:
        echo(f"{item.name}: would send {len(item.triples)} triples to <{item.iri}> "
             f"in {len(batches(item.triples, batch_size(target, settings)))} request(s)")
    echo(f"dry run: {sum(len(u.triples) for u in uploads)} triples in {len(uploads)} graphs "
         f"by {describe(target)}; nothing was sent")


def push(store: Store, target: Target, names: list[str], inferred: bool = False, dry_run: bool = False,
         settings: Settings = Settings(), echo: Callable[[str], None] = print,
         note: Callable[[str], None] = print) -> dict[str, int]:
    """Send the graphs and check them; triples held per graph. A dry run only prints the plan.

    Without `names` the whole dataset is sent, and graphs of ours the dataset no longer has are
    dropped from the store. `echo` gets what was sent and held, `note` the warnings (the CLI
    sends them to stderr).
    """
    uploads = plan(store, names, inferred)
    if dry_run:
        show_plan(uploads, target, settings, echo)
        return {}
    with contextlib.closing(Pusher(target, settings, note)) as pusher:
        pusher.prepare()
        how = "via a temporary graph and MOVE" if pusher.updates else "in place"
        held = {}
        for item in uploads:
            held[item.name] = pusher.replace(item)
            echo(f"{item.name}: sent {len(item.triples)} triples, store holds {held[item.name]} ({how})")
        if not names:
            pusher.remove_stale({item.iri for item in uploads}, echo)
        pusher.check_default_graph(uploads)
        echo(f"pushed {sum(held.values())} triples in {len(held)} graphs to {target.endpoint} "
             f"by {describe(pusher.target)}")
        return held
