"""`wsisgraph push` into real stores: a writable oxigraph server (a fresh one per test) and Virtuoso."""

import socket
import threading
import time

import httpx
import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, parse

from servers import VIRTUOSO_PASSWORD, VIRTUOSO_USER, credentials, free_port, start_oxigraph
from wsisgraph.cli import main
from wsisgraph.core import settings
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import GRAPH, graph_iri
from wsisgraph.export import select_graphs
from wsisgraph.publish import push
from wsisgraph.sparql import http, remote

BNODE_GRAPH = "report/cwg-wsis-sdg-39-40"  # the graph with the most blank nodes (reified provenance)


@pytest.fixture()
def oxigraph(tmp_path):
    """A fresh oxigraph server as README sets one up: its default graph is the union of its graphs."""
    with start_oxigraph(tmp_path / "oxigraph", "--union-default-graph") as server:
        yield server


def local_counts(store: Store, names: list[str] | None = None) -> dict[str, int]:
    return {name: len(list(store.quads_for_pattern(None, None, None, graph_iri(name))))
            for name in select_graphs(store, names or [], inferred=False)}


def remote_graph(graph_store: str, name: str, auth: httpx.Auth | None = None) -> list[Triple]:
    """A graph as the store gives it back by Graph Store protocol GET."""
    response = httpx.get(graph_store, params={"graph": graph_iri(name).value}, auth=auth,
                         headers={"Accept": "application/n-triples"})
    response.raise_for_status()
    kind = RdfFormat.from_media_type(response.headers["content-type"].split(";")[0]) or RdfFormat.TURTLE
    return [Triple(q.subject, q.predicate, q.object) for q in parse(response.content, format=kind)]


def same_graph(received: list[Triple], store: Store, name: str) -> None:
    """Equal up to blank node labels: the same triples without blank nodes, and as many with them."""
    sent = [Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph_iri(name))]

    def plain(triples):
        return {t for t in triples if not isinstance(t.subject, BlankNode) and not isinstance(t.object, BlankNode)}

    assert len(received) == len(sent)
    assert plain(received) == plain(sent)


def store_graphs(server) -> set[str]:
    engine = remote.RemoteEngine(server.query)
    return {row[0].value for row in engine.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows}


@pytest.mark.integration
def test_push_loads_every_graph_by_graph_store_and_checks_counts(oxigraph, store):
    target = push.Target(oxigraph.query, oxigraph.update, oxigraph.store)
    held = push.push(store, target, [], note=pytest.fail)
    assert held == local_counts(store)
    assert store_graphs(oxigraph) == {graph_iri(name).value for name in held}
    for name in (BNODE_GRAPH, "sdg/goals", "ontology"):
        same_graph(remote_graph(oxigraph.store, name), store, name)


@pytest.mark.integration
def test_sparql_update_fallback_keeps_blank_node_groups_together(oxigraph, store):
    """Without a Graph Store endpoint: INSERT DATA in small batches, blank nodes still joined up."""
    target = push.Target(oxigraph.query, oxigraph.update)
    held = push.push(store, target, [BNODE_GRAPH], settings=push.Settings(batch=50), note=pytest.fail)
    assert held == local_counts(store, [BNODE_GRAPH])
    received = remote_graph(oxigraph.store, BNODE_GRAPH)
    same_graph(received, store, BNODE_GRAPH)
    subjects = {t.subject for t in received if isinstance(t.subject, BlankNode)}
    local = {q.subject for q in store.quads_for_pattern(None, None, None, graph_iri(BNODE_GRAPH))
             if isinstance(q.subject, BlankNode)}
    assert len(subjects) == len(local), "a blank node was split across requests into two nodes"


@pytest.mark.integration
def test_a_second_push_replaces_instead_of_adding(oxigraph, store):
    target = push.Target(oxigraph.query, oxigraph.update, oxigraph.store)
    push.push(store, target, ["sdg/goals"], note=pytest.fail)
    stray = "<urn:stray> <urn:was> <urn:here> .\n"
    httpx.post(oxigraph.store, params={"graph": graph_iri("sdg/goals").value}, content=stray,
               headers={"Content-Type": "application/n-triples"}).raise_for_status()
    held = push.push(store, target, ["sdg/goals"], note=pytest.fail)
    assert held == local_counts(store, ["sdg/goals"])
    assert Triple(NamedNode("urn:stray"), NamedNode("urn:was"), NamedNode("urn:here")) not in \
        remote_graph(oxigraph.store, "sdg/goals")


@pytest.mark.integration
def test_a_full_push_drops_graphs_the_dataset_no_longer_has_and_leaves_others_alone(oxigraph, store):
    old = GRAPH + "retired/graph"
    foreign = "urn:somebody-else:graph"
    for graph in (old, foreign):
        httpx.put(oxigraph.store, params={"graph": graph}, content="<urn:a> <urn:b> <urn:c> .\n",
                  headers={"Content-Type": "application/n-triples"}).raise_for_status()
    lines = []
    push.push(store, push.Target(oxigraph.query, oxigraph.update, oxigraph.store), [], echo=lines.append,
              note=pytest.fail)
    graphs = store_graphs(oxigraph)
    assert old not in graphs
    assert foreign in graphs
    assert f"removed <{old}>: no longer in the dataset" in lines
    assert not any("/upload/" in g for g in graphs), "a temporary graph was left behind"


@pytest.mark.integration
def test_readers_never_see_a_half_loaded_graph(oxigraph, store):
    """While a graph goes up in many small requests, a reader sees the old graph or the new one."""
    graph = graph_iri(BNODE_GRAPH).value
    old = "".join(f"<urn:old:{i}> <urn:p> <urn:o> .\n" for i in range(5))
    httpx.put(oxigraph.store, params={"graph": graph}, content=old,
              headers={"Content-Type": "application/n-triples"}).raise_for_status()
    counter = remote.RemoteEngine(oxigraph.query)
    seen: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            rows = counter.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
            seen.append(int(rows[0][0].value))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        push.push(store, push.Target(oxigraph.query, oxigraph.update, oxigraph.store), [BNODE_GRAPH],
                  settings=push.Settings(batch=100), note=pytest.fail)
    finally:
        done.set()
        reader.join()
    expected = local_counts(store, [BNODE_GRAPH])[BNODE_GRAPH]
    assert len(seen) > 5
    assert set(seen) <= {5, expected}, sorted(set(seen))
    assert seen[-1] == expected


@pytest.mark.integration
def test_without_sparql_update_it_says_the_replacement_is_in_place(oxigraph, store):
    notes: list[str] = []
    target = push.Target(oxigraph.query, oxigraph.query, oxigraph.store)  # /query takes no updates
    held = push.push(store, target, ["sdg/goals"], note=notes.append)
    assert held == local_counts(store, ["sdg/goals"])
    assert any("refused SPARQL Update" in note for note in notes)
    assert any("readers may see it half loaded" in note for note in notes)


@pytest.mark.integration
def test_falls_back_to_sparql_update_where_there_is_no_graph_store(oxigraph, store):
    notes: list[str] = []
    target = push.Target(oxigraph.query, oxigraph.update, oxigraph.base + "no-graph-store-here")
    held = push.push(store, target, ["sdg/goals"], note=notes.append)
    assert held == local_counts(store, ["sdg/goals"])
    assert any("using SPARQL Update instead" in note for note in notes)


@pytest.mark.integration
def test_neither_update_nor_graph_store_is_an_error_before_sending(oxigraph, store):
    notes: list[str] = []
    with pytest.raises(WsisgraphError, match="takes no SPARQL Update and no --graph-store was given"):
        push.push(store, push.Target(oxigraph.query, oxigraph.query), ["sdg/goals"], note=notes.append)
    assert any("refused SPARQL Update" in note for note in notes)
    assert store_graphs(oxigraph) == set()


@pytest.mark.integration
def test_dry_run_prints_the_plan_and_sends_nothing(oxigraph, store_location, store):
    result = CliRunner().invoke(main, ["push", "--endpoint", oxigraph.query, "--graph-store", oxigraph.store,
                                       "--dry-run", "--store", str(store_location)])
    assert result.exit_code == 0, result.output
    for name, count in local_counts(store).items():
        assert f"{name}: would send {count} triples" in result.stdout
    assert "nothing was sent" in result.stdout
    assert store_graphs(oxigraph) == set()


@pytest.mark.integration
def test_command_prints_triples_per_graph(oxigraph, store_location, store):
    result = CliRunner().invoke(main, ["push", "--endpoint", oxigraph.query, "--update-endpoint", oxigraph.update,
                                       "--graph-store", oxigraph.store, "-g", "sdg/goals", "-g", "sdg/targets",
                                       "--store", str(store_location)])
    assert result.exit_code == 0, result.output
    counts = local_counts(store, ["sdg/goals", "sdg/targets"])
    for name, count in counts.items():
        assert f"{name}: sent {count} triples, store holds {count} (via a temporary graph and MOVE)" in result.stdout
    assert result.stderr == ""


@pytest.mark.integration
def test_virtuoso_by_graph_store_with_credentials_never_printed(virtuoso, store_location, store):
    env = {"WSISGRAPH_USER": VIRTUOSO_USER, "WSISGRAPH_PASSWORD": VIRTUOSO_PASSWORD}
    result = CliRunner().invoke(main, ["push", "--endpoint", virtuoso.sparql_auth, "--graph-store",
                                       virtuoso.graph_store, "-g", BNODE_GRAPH, "-g", "ontology",
                                       "--store", str(store_location)], env=env)
    assert result.exit_code == 0, result.output
    for name, count in local_counts(store, [BNODE_GRAPH, "ontology"]).items():
        assert f"{name}: sent {count} triples, store holds {count}" in result.stdout
    auth = httpx.DigestAuth(VIRTUOSO_USER, VIRTUOSO_PASSWORD)
    same_graph(remote_graph(virtuoso.graph_store, BNODE_GRAPH, auth), store, BNODE_GRAPH)


@pytest.mark.integration
def test_virtuoso_by_sparql_update_in_batches(virtuoso, store):
    with credentials(VIRTUOSO_USER, VIRTUOSO_PASSWORD):
        held = push.push(store, push.Target(virtuoso.sparql_auth, virtuoso.sparql_auth), [BNODE_GRAPH],
                         settings=push.Settings(batch=200), note=pytest.fail)
    assert held == local_counts(store, [BNODE_GRAPH])


@pytest.mark.integration
def test_virtuoso_refusing_the_credentials_is_an_error_that_hides_them(virtuoso, store_location):
    secret = "not-the-password-4711"
    env = {"WSISGRAPH_USER": VIRTUOSO_USER, "WSISGRAPH_PASSWORD": secret}
    result = CliRunner().invoke(main, ["push", "--endpoint", virtuoso.sparql_auth, "--graph-store",
                                       virtuoso.graph_store, "-g", "sdg/goals", "--store", str(store_location)],
                                env=env)
    assert result.exit_code == 2
    assert f"error: {virtuoso.sparql_auth}: HTTP 401" in result.stderr
    assert secret not in result.output
    assert "Traceback" not in result.output


def test_credentials_in_the_url_are_refused_and_not_echoed(store_location):
    result = CliRunner().invoke(main, ["push", "--endpoint", "http://dba:hunter2@127.0.0.1:1/sparql",
                                       "--store", str(store_location)])
    assert result.exit_code == 2
    assert "put credentials in $WSISGRAPH_USER and $WSISGRAPH_PASSWORD" in result.stderr
    assert "hunter2" not in result.output


def test_user_without_password_is_an_error(monkeypatch):
    monkeypatch.setenv("WSISGRAPH_USER", "someone")
    monkeypatch.delenv("WSISGRAPH_PASSWORD", raising=False)
    with pytest.raises(WsisgraphError, match="WSISGRAPH_PASSWORD is not"):
        settings.credentials()


def test_unreachable_endpoint_is_named_after_the_retries(store_location):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["push", "--endpoint", url, "--retries", "1", "--store", str(store_location)])
    assert result.exit_code == 2
    assert f"error: {url}: cannot reach the endpoint" in result.stderr
    assert "(after 2 attempts)" in result.stderr
    assert time.monotonic() - started < 30


def test_a_store_that_never_answers_times_out(store_location):
    """A socket that takes the connection and says nothing: the request gives up after --timeout."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        started = time.monotonic()
        result = CliRunner().invoke(main, ["push", "--endpoint", url, "--timeout", "1", "--retries", "0",
                                           "--store", str(store_location)])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {url}: no answer within 1 s\n"
    assert time.monotonic() - started < 10


def test_retries_back_off_then_succeed():
    failures = iter([http.Transient("HTTP 503"), http.Transient("HTTP 503")])
    pauses = []
    started = time.monotonic()

    def flaky() -> str:
        pauses.append(time.monotonic() - started)
        failure = next(failures, None)
        if failure:
            raise failure
        return "answer"

    assert http.with_retries(flaky, "http://example.org/sparql", attempts=3, backoff=0.05) == "answer"
    assert pauses[1] - pauses[0] >= 0.05
    assert pauses[2] - pauses[1] >= 0.1


def test_retries_give_up_with_the_endpoint_named():
    def down() -> None:
        raise http.Transient("HTTP 503: busy")

    with pytest.raises(WsisgraphError, match=r"^http://example.org/sparql: HTTP 503: busy \(after 2 attempts\)$"):
        http.with_retries(down, "http://example.org/sparql", attempts=2, backoff=0.01)


def test_batches_never_split_blank_node_groups():
    a, b, c = BlankNode("a"), BlankNode("b"), BlankNode("c")
    p = NamedNode("urn:p")
    triples = [Triple(NamedNode(f"urn:s{i}"), p, Literal(str(i))) for i in range(5)]
    triples += [Triple(a, p, b), Triple(NamedNode("urn:x"), p, a), Triple(b, p, Literal("b")), Triple(c, p, c)]
    parts = push.batches(triples, size=2)
    assert sorted(str(t) for part in parts for t in part) == sorted(map(str, triples))
    for node in (a, b, c):
        holding = [i for i, part in enumerate(parts) for t in part if node in (t.subject, t.object)]
        assert len(set(holding)) == 1, f"{node} is in batches {holding}"
    assert max(len(part) for part in parts) == 3  # the a-b group is 3 triples; the rest fit in 2


@pytest.mark.integration
def test_a_store_whose_default_graph_stays_empty_is_pointed_out(tmp_path, store):
    """A plain oxigraph server keeps its default graph apart: a client naming no graph would get 0 rows."""
    notes: list[str] = []
    with start_oxigraph(tmp_path / "plain") as server:
        push.push(store, push.Target(server.query, server.update, server.store), ["sdg/goals"], echo=lambda _: None,
                  note=notes.append)
        assert remote.RemoteEngine(server.query).select("ASK { ?s ?p ?o }").boolean is False
    assert len(notes) == 1 and "empty default graph" in notes[0] and "--union-default-graph" in notes[0]


@pytest.mark.integration
def test_a_generic_client_sees_the_pushed_graphs_as_the_default_graph(oxigraph, store):
    """With the union default graph, a client naming no graph reads exactly the published triples."""
    push.push(store, push.Target(oxigraph.query, oxigraph.update, oxigraph.store), [], echo=lambda _: None,
              note=pytest.fail)
    generic = remote.RemoteEngine(oxigraph.query)
    count = generic.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert int(count.value) == sum(local_counts(store).values())
