"""`citations` and `cited-by` over ingested documents answer alike on the embedded store, an oxigraph
server and Virtuoso 7 (each loaded by `push`, named graphs and union default graph). The shipped
graph has no ingested mentions, so tests/test_remote.py only sees these queries' curated branch;
here every document with passages and every thing they cite is asked, on servers of this module's
own (Virtuoso 7.2 has dropped rows of reshaped queries before: README, "The canned queries")."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Store

from servers import VIRTUOSO_PASSWORD, VIRTUOSO_USER, credentials, start_oxigraph, start_virtuoso
from test_remote import comparable
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.graph import store as store_module
from wsisgraph.publish import push
from wsisgraph.sparql import query, remote

pytestmark = pytest.mark.integration

CATALOG = query.catalog()


@pytest.fixture(scope="module")
def cited(cited_location: Path) -> Store:
    """The shipped store with the DOCX chairman's report and the PDF Council annex ingested."""
    return Store.read_only(str(store_module.current_build(cited_location)))


@pytest.fixture(scope="module")
def servers(cited: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, remote.RemoteEngine]]:
    """Virtuoso and an oxigraph server (union default graph) holding the same graphs, each asked with
    our graphs named (`query --endpoint`) and as a generic client asks (no graph named)."""
    with start_virtuoso(tmp_path_factory.mktemp("virtuoso-cited")) as virtuoso, \
            start_oxigraph(tmp_path_factory.mktemp("oxigraph-cited"), "--union-default-graph") as oxigraph:
        with credentials(VIRTUOSO_USER, VIRTUOSO_PASSWORD):
            push.push(cited, push.Target(virtuoso.sparql_auth, virtuoso.sparql_auth, virtuoso.graph_store), [],
                      note=pytest.fail)
        push.push(cited, push.Target(oxigraph.query, oxigraph.update, oxigraph.store), [], note=pytest.fail)
        yield {"virtuoso": remote.connect(virtuoso.sparql), "virtuoso_generic": remote.RemoteEngine(virtuoso.sparql),
               "oxigraph": remote.connect(oxigraph.query), "oxigraph_generic": remote.RemoteEngine(oxigraph.query)}


def parameters(cited: Store) -> list[tuple[str, str, str]]:
    """(query, parameter, IRI): every document with passages, and every thing a passage cites."""
    engine = query.EmbeddedEngine(cited)
    documents = query.run(engine, "PREFIX wsis: <https://w3id.org/wsisgraph/ontology#> "
                                  "SELECT DISTINCT ?d WHERE { ?p wsis:inDocument ?d } ORDER BY ?d")
    things = query.run(engine, "PREFIX wsis: <https://w3id.org/wsisgraph/ontology#> SELECT DISTINCT ?e WHERE { "
                               "{ ?m wsis:alignmentProperty wsis:mentions ; wsis:alignmentObject ?e } "
                               "UNION { ?e wsis:sourcePassage ?p } FILTER(isIRI(?e)) } ORDER BY ?e")
    asked = [("citations", "document", row[0].value) for row in documents.rows]
    asked += [("cited-by", "entity", row[0].value) for row in things.rows]
    return [(name, parameter, iri) for name, parameter, iri in asked if named(engine, parameter, iri)]


def named(engine: query.EmbeddedEngine, kind: str, iri: str) -> bool:
    """Whether a parameter can name the node (it has a code or label; a sourced statement has not)."""
    try:
        query.resolve_entity(engine, kind, iri)
    except WsisgraphError:
        return False
    return True


@pytest.mark.parametrize("endpoint", ["virtuoso", "virtuoso_generic", "oxigraph", "oxigraph_generic"])
def test_citations_and_cited_by_answer_alike_remotely(cited, servers, endpoint):
    embedded = query.EmbeddedEngine(cited)
    asked = parameters(cited)
    assert sum(name == "citations" for name, _, _ in asked) >= 3 and len(asked) > 50
    mentions = 0
    for name, parameter, iri in asked:
        canned = CATALOG[name]
        expected = query.run_canned(embedded, canned, {parameter: iri})
        mentions += sum(1 for row in expected.rows if any("extracted" in str(term) for term in row))
        answered = query.run_canned(servers[endpoint], canned, {parameter: iri})
        assert comparable(answered, True) == comparable(expected, True), (name, iri)
    assert mentions > 50  # the ingested branch is exercised, not only the curated one
