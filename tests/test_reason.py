"""Reasoning: HermiT consistency through owlready2 (`wsisgraph reason`), and the `inferred` graph a
build materialises. HermiT needs Java; the shipped data is reasoned over once per session."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import select
from wsisgraph import export
from wsisgraph.cli import main
from wsisgraph.graph import build, reason
from wsisgraph.sparql import query

DATA = Path(__file__).parent / "data" / "reason"
PREFIXES = """
PREFIX wsis: <https://w3id.org/wsisgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX graph: <https://w3id.org/wsisgraph/graph/>
PREFIX line: <https://w3id.org/wsisgraph/id/action-line/>
PREFIX goal: <https://w3id.org/wsisgraph/id/sdg/goal/>
PREFIX target: <https://w3id.org/wsisgraph/id/sdg/target/>
PREFIX org: <https://w3id.org/wsisgraph/id/organisation/>
"""


@pytest.fixture(scope="session")
def shipped_reasoned() -> Result:
    """`wsisgraph reason` on the shipped ontology and data: HermiT takes seconds, so once."""
    return CliRunner().invoke(main, ["reason"])


def inferred(store, where: str) -> list[dict[str, str]]:
    return select(store, PREFIXES + f"SELECT * WHERE {{ GRAPH graph:inferred {{ {where} }} }}")


# Consistency -------------------------------------------------------------------------------------------

def test_shipped_ontology_and_data_are_consistent(shipped_reasoned):
    assert shipped_reasoned.exit_code == 0, shipped_reasoned.output
    assert shipped_reasoned.stdout.startswith("consistent: HermiT finds no contradiction in the ontology and data (")
    assert re.search(r"\(\d+ triples, \d+ individuals; [\d.]+ s\)", shipped_reasoned.stdout)
    rules = r"^inferred graph: \d+ triples \(target-to-goal \d+, sub-line-to-line \d+"
    assert re.search(rules, shipped_reasoned.stdout, re.MULTILINE)


def test_shipped_dates_are_named_as_ignored_by_hermit(shipped_reasoned):
    """HermiT does not know xsd:date; the report says which datatypes it left out."""
    if "xsd:date" in reason.unsupported_datatypes(_shipped_triples()):
        assert "note: HermiT does not support these datatypes and ignored their literals: xsd:date (" \
               in shipped_reasoned.stdout


def _shipped_triples():

    return [t for ts in build.shipped_graphs().values() for t in ts]


def test_small_inconsistent_ontology_and_data_are_reported(tmp_path):
    result = CliRunner().invoke(main, ["reason", "--only-files", str(DATA / "inconsistent.ttl")])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("inconsistent: HermiT finds a contradiction in the files given")
    assert lines[1] == ("  https://example.org/wsisgraph-test/C5 is both a wsis:ActionLine and a wsis:SDGTarget, "
                        "which are disjoint:")
    assert "    wsis:ActionLine: asserted" in lines
    assert "    wsis:SDGTarget: object of wsis:supportsTarget from https://example.org/wsisgraph-test/C2" in lines


def test_the_same_small_ontology_with_sound_data_is_consistent():
    result = CliRunner().invoke(main, ["reason", "--only-files", str(DATA / "consistent.ttl")])
    assert result.exit_code == 0, result.output
    assert "2 individuals" in result.stdout


def test_clashes_are_found_through_domain_range_and_subclass():
    from pyoxigraph import RdfFormat, parse

    triples = list(parse(path=str(DATA / "inconsistent.ttl"), format=RdfFormat.TURTLE))
    clashes = reason.disjointness_clashes(triples)
    assert [(c.individual, c.classes) for c in clashes] == [
        ("https://example.org/wsisgraph-test/C5",
         ("https://w3id.org/wsisgraph/ontology#ActionLine", "https://w3id.org/wsisgraph/ontology#SDGTarget"))]


def test_without_java_says_what_to_install_and_exits_2(monkeypatch):
    monkeypatch.setenv("WSISGRAPH_JAVA", "/nonexistent/bin/java")
    result = CliRunner().invoke(main, ["reason"])
    assert result.exit_code == 2
    assert "needs Java" in result.stderr
    assert "apt-get install default-jre-headless" in result.stderr
    assert "Traceback" not in result.output


def test_no_java_anywhere(monkeypatch, tmp_path):
    monkeypatch.delenv("WSISGRAPH_JAVA", raising=False)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(reason.JavaMissing, match="no java on PATH"):
        reason.find_java()


def test_unreadable_input_exits_2(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = CliRunner().invoke(main, ["reason", str(bad)])
    assert result.exit_code == 2
    assert re.match(rf"error: {re.escape(str(bad))}:2:\d+: ", result.stderr)


# The inferred graph --------------------------------------------------------------------------------------

def test_target_links_imply_goal_links(store):
    """Every action line that supports a target supports its goal, asserted or in `inferred`."""
    missing = select(store, PREFIXES + """
        SELECT ?line ?goal WHERE {
            ?line wsis:supportsTarget ?target . ?target wsis:goal ?goal .
            FILTER NOT EXISTS { ?line wsis:supportsGoal ?goal }
        }""", inferred=True)
    assert missing == []
    assert inferred(store, "?line wsis:supportsGoal ?goal") != []


def test_sub_line_support_rolls_up_to_its_line(store):
    """What a C7 sub-line supports, C7 supports (asserted or in `inferred`)."""
    missing = select(store, PREFIXES + """SELECT ?goal WHERE {
        ?sub skos:broader line:C7 ; wsis:supportsGoal ?goal .
        FILTER NOT EXISTS { line:C7 wsis:supportsGoal ?goal } }""", inferred=True)
    assert missing == []
    assert inferred(store, "line:C7 wsis:supportsGoal ?goal") != []


def test_inverse_links(store):
    assert inferred(store, "goal:9 wsis:supportedBy line:C2") == [{}]
    assert inferred(store, "target:9.c wsis:measuredBy ?indicator") != []
    # (The report states no mandate since issue 17, only "in line with"; the pair is still closed.)
    pairs = (("supportsGoal", "supportedBy"), ("measuresTarget", "measuredBy"), ("mandates", "mandatedBy"))
    for one, other in [*pairs, *((b, a) for a, b in pairs)]:
        where = f"?r wsis:{one} ?x FILTER NOT EXISTS {{ ?x wsis:{other} ?r }}"
        assert select(store, PREFIXES + f"SELECT * WHERE {{ {where} }}", inferred=True) == []
    assert inferred(store, "goal:9 skos:narrower target:9.c") == [{}]


def test_sub_property_closure_up_to_the_wsis_properties(store):
    assert inferred(store, "line:C2 wsis:supports target:9.c") == [{}]
    assert inferred(store, "line:C2 wsis:alignedWith target:9.c") == [{}]
    assert inferred(store, "line:C2 wsis:facilitator org:itu") == [{}]
    # Only wsis: super-properties: a UNSD code does not become a skos:notation, sources stay as given.
    assert inferred(store, "?i skos:notation ?code") == []
    assert inferred(store, "?x <http://www.w3.org/ns/prov#wasDerivedFrom> ?y") == []


def test_sub_class_closure(store):
    assert inferred(store, "line:C2 a skos:Concept") == [{}]
    meetings = select(store, PREFIXES + "SELECT ?m WHERE { ?m a wsis:Meeting }", inferred=True)
    assert meetings
    for row in meetings:
        assert select(store, PREFIXES + f"SELECT * WHERE {{ <{row['m']}> a wsis:Event }}", inferred=True) == [{}]


def test_inferred_holds_nothing_already_asserted(store):
    assert select(store, PREFIXES + """SELECT * WHERE {
        GRAPH graph:inferred { ?s ?p ?o } GRAPH ?g { ?s ?p ?o } FILTER (?g != graph:inferred) } LIMIT 1""") == []


def test_canned_queries_and_exports_leave_inferred_out_unless_asked(store):
    assert "inferred" in export.graph_names(store)
    assert "inferred" not in export.select_graphs(store, [], inferred=False)
    assert "inferred" in export.select_graphs(store, [], inferred=True)
    ask = PREFIXES + "SELECT * WHERE { goal:9 wsis:supportedBy line:C2 }"
    assert query.EmbeddedEngine(store).select(ask).rows == []
    assert len(query.EmbeddedEngine(store, inferred=True).select(ask).rows) == 1


def test_materialise_reaches_a_fixpoint():
    from pyoxigraph import NamedNode, Triple

    w = "https://w3id.org/wsisgraph/ontology#"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    sub, line, target, goal = (NamedNode(f"https://example.org/{n}") for n in ("sub", "line", "t", "g"))
    triples = [
        Triple(NamedNode(w + "supportsTarget"), NamedNode(rdfs + "subPropertyOf"), NamedNode(w + "supports")),
        Triple(NamedNode(w + "supportsGoal"), NamedNode(rdfs + "subPropertyOf"), NamedNode(w + "supports")),
        Triple(NamedNode(w + "supports"), NamedNode(rdfs + "subPropertyOf"), NamedNode(w + "alignedWith")),
        Triple(NamedNode(w + "supportsGoal"), NamedNode("http://www.w3.org/2002/07/owl#inverseOf"),
               NamedNode(w + "supportedBy")),
        Triple(sub, rdf_type, NamedNode(w + "ActionLine")), Triple(line, rdf_type, NamedNode(w + "ActionLine")),
        Triple(sub, NamedNode("http://www.w3.org/2004/02/skos/core#broader"), line),
        Triple(sub, NamedNode(w + "supportsTarget"), target), Triple(target, NamedNode(w + "goal"), goal),
    ]
    result = reason.materialise([triples])
    derived = {(t.subject.value.rsplit("/", 1)[-1], t.predicate.value.rsplit("#", 1)[-1],
                t.object.value.rsplit("/", 1)[-1]) for t in result.triples}
    # sub-line -> target -> goal -> line -> inverse -> super-properties, in one build.
    assert {("sub", "supportsGoal", "g"), ("line", "supportsTarget", "t"), ("line", "supportsGoal", "g"),
            ("g", "supportedBy", "line"), ("line", "alignedWith", "g"), ("sub", "supports", "t")} <= derived


def test_query_inferred_flag_reads_the_inferred_graph(store_location, tmp_path):
    rq = tmp_path / "supported.rq"
    rq.write_text(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { goal:9 wsis:supportedBy line:C2 }")
    runner = CliRunner()
    plain = runner.invoke(main, ["query", "--file", str(rq), "--store", str(store_location), "-f", "csv"])
    with_inferred = runner.invoke(main, ["query", "--file", str(rq), "--inferred", "--store", str(store_location),
                                         "-f", "csv"])
    assert plain.stdout.splitlines() == ["n", "0"], plain.output
    assert with_inferred.stdout.splitlines() == ["n", "1"], with_inferred.output
