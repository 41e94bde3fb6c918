"""`wsisgraph serve`: the real oxigraph server, read-only, over the session's store."""

import shutil
import socket

import httpx
import pytest
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, QueryResultsFormat, RdfFormat, Triple, parse, parse_query_results

from servers import Process, free_port, port_is_free, serve_args, start_served
from wsisgraph.cli import main
from wsisgraph.core.namespaces import graph_iri
from wsisgraph.export import select_graphs
from wsisgraph.graph import store

pytestmark = pytest.mark.integration

GOALS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
SELECT ?goal ?code ?label WHERE { ?goal a wsis:SDGGoal ; skos:notation ?code ; skos:prefLabel ?label }
ORDER BY ?code ?label"""


def ask(served, accept: str, text: str = GOALS, method: str = "POST") -> httpx.Response:
    url = served.base + "query"
    if method == "GET":
        response = httpx.get(url, params={"query": text}, headers={"Accept": accept})
    else:
        response = httpx.post(url, data={"query": text}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return response


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("kind", [QueryResultsFormat.JSON, QueryResultsFormat.XML, QueryResultsFormat.TSV])
def test_results_by_content_negotiation_equal_the_embedded_answer(served, engine, kind, method):
    response = ask(served, kind.media_type, method=method)
    assert response.headers["content-type"].startswith(kind.media_type)
    solutions = parse_query_results(response.content, format=kind)
    variables = [v.value for v in solutions.variables]
    expected = engine.select(GOALS)
    assert variables == expected.variables
    assert [[s[v] for v in variables] for s in solutions] == expected.rows
    assert len(expected.rows) >= 17


@pytest.mark.parametrize(("fmt", "accept"), [("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_csv_and_tsv_are_byte_identical_to_the_query_command(served, store_location, tmp_path, fmt, accept):
    """The same query gives the same bytes from the endpoint and from `wsisgraph query -f csv/tsv`."""
    rq = tmp_path / "goals.rq"
    rq.write_text(GOALS, encoding="utf-8")
    printed = CliRunner().invoke(main, ["query", "--file", str(rq), "--store", str(store_location), "-f", fmt])
    assert printed.exit_code == 0, printed.output
    assert ask(served, accept).content == printed.stdout_bytes


def test_ask_query(served):
    response = ask(served, "application/sparql-results+json", "ASK { ?s ?p ?o }", method="GET")
    assert response.json()["boolean"] is True


@pytest.mark.parametrize("kind", [RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD, RdfFormat.RDF_XML])
def test_graph_store_reads_a_named_graph(served, store, kind):
    graph = graph_iri("sdg/goals")
    response = httpx.get(served.base + "store", params={"graph": graph.value}, headers={"Accept": kind.media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(kind.media_type)
    received = {Triple(q.subject, q.predicate, q.object) for q in parse(response.content, format=kind)}
    expected = {Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
    assert received == expected
    assert len(expected) > 100


def test_cors_header_for_browser_tools(served):
    origin = {"Origin": "https://example.org"}
    response = httpx.get(served.base + "query", params={"query": "ASK {}"}, headers=origin)
    assert response.headers.get("access-control-allow-origin") in ("*", "https://example.org")
    preflight = httpx.options(served.base + "query", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code < 300
    assert preflight.headers.get("access-control-allow-origin") in ("*", "https://example.org")


def test_updates_are_refused_and_change_nothing(served):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = ask(served, "application/sparql-results+json", count).json()
    update = httpx.post(served.base + "update", content="CLEAR ALL",
                        headers={"Content-Type": "application/sparql-update"})
    assert 400 <= update.status_code < 500
    put = httpx.put(served.base + "store", params={"graph": graph_iri("sdg/goals").value},
                    content=b"<urn:a> <urn:b> <urn:c> .", headers={"Content-Type": "application/n-triples"})
    assert 400 <= put.status_code < 500
    assert ask(served, "application/sparql-results+json", count).json() == before


def test_query_page(served):
    response = httpx.get(served.base)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_port_taken_gives_a_clear_message(served):
    process = Process(serve_args(served.store, served.port))
    status = process.popen.wait(60)
    process.stop()
    assert status == 2
    assert f"port {served.port} on 127.0.0.1 is already in use" in process.output
    assert "Traceback" not in process.output


def test_port_taken_by_another_program(tmp_path, store_location):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = Process(serve_args(store_location, port))
        status = process.popen.wait(60)
        process.stop()
    assert status == 2
    assert "already in use" in process.output


def test_loopback_by_default_ctrl_c_stops_cleanly_and_a_rebuild_is_served(tmp_path, store_location):
    """One server of its own: listens on 127.0.0.1, follows a swapped-in build, stops on SIGINT."""
    location = tmp_path / "store"
    shutil.copytree(store_location, location, symlinks=True)
    with start_served(location) as served:
        assert f"read-only at http://127.0.0.1:{served.port}/" in served.process.output
        copy = store.new_build_dir(location)
        shutil.copytree(store.current_path(location).resolve(), copy, dirs_exist_ok=True)
        store.swap_in(location, copy)
        served.process.wait_for(f"now serving build {copy.name}")
        assert ask(served, "application/sparql-results+json", "ASK { ?s ?p ?o }").json()["boolean"] is True
        status = served.process.interrupt()
        served.process.reader.join(5)
    assert status == 0, served.process.output
    assert served.process.output.rstrip().endswith("stopped")
    assert port_is_free(served.port), "the oxigraph server outlived `wsisgraph serve`"


def test_ctrl_c_at_a_terminal_stops_server_and_wrapper(store_location):
    """Ctrl-C reaches the whole foreground group: the oxigraph server dies of it too, and that is a clean stop."""
    port = free_port()
    process = Process(serve_args(store_location, port), own_group=True)
    try:
        process.wait_for("Ctrl-C stops it")
        status = process.interrupt(group=True)
        process.reader.join(5)
    finally:
        process.stop()
    assert status == 0, process.output
    assert process.output.rstrip().endswith("stopped")
    assert "Traceback" not in process.output
    assert port_is_free(port)


def test_non_loopback_host_is_warned_about(store_location):
    port = free_port()
    process = Process(serve_args(store_location, port, "--host", "0.0.0.0"))
    try:
        process.wait_for("Ctrl-C stops it")
        assert "warning: listening on 0.0.0.0, not loopback" in process.output
    finally:
        process.stop()


def test_whole_store_dump_holds_each_published_quad_once(served, store):
    """Graph Store GET of the whole dataset: the asserted graphs and `dataset`, each quad once, nothing in
    the default graph (it is the union of the named graphs) and no `inferred` (it is not published)."""
    response = httpx.get(served.base + "store", headers={"Accept": "application/n-quads"}, timeout=60)
    assert response.status_code == 200, response.text
    quads = list(parse(response.content, format=RdfFormat.N_QUADS))
    assert len(quads) == len(set(quads))
    assert not [q for q in quads if isinstance(q.graph_name, DefaultGraph)]
    published = {q for name in select_graphs(store, None, inferred=False)
                 for q in store.quads_for_pattern(None, None, None, graph_iri(name))}
    assert set(quads) == published
    assert graph_iri("inferred") not in {q.graph_name for q in quads}


def test_default_graph_is_the_union_of_the_published_graphs(served, store):
    """A client that names no graph reads the triples of the published graphs, as the embedded query does."""
    response = ask(served, "application/sparql-results+json", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    count = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert count == sum(1 for name in select_graphs(store, None, inferred=False)
                        for _ in store.quads_for_pattern(None, None, None, graph_iri(name)))
