"""Every machine format `wsisgraph query` prints (pyoxigraph's writers: SPARQL 1.1 JSON, CSV, TSV and
SPARQL XML results) reads back as the embedded store's answer, with pyoxigraph's parser and with
rdflib's (a third-party reader of the same W3C formats)."""

import csv
import io

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, parse_query_results
from rdflib import BNode, URIRef
from rdflib.query import Result as RdflibResult

from wsisgraph.cli import main
from wsisgraph.sparql import query
from wsisgraph.sparql.results import SERIALIZED, plain

CATALOG = query.catalog()
# language tags, integers, unbound cells (action-lines-for-goal's targetCode), every UN script (search),
# and blank nodes (the ontology's owl:AllDisjointClasses lists, through --file)
CANNED = {"action-lines-for-goal": {"goal": "9"}, "alignment-summary": {}, "search": {"text": "pauvreté", "lang": "fr"}}
BLANK_NODES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s)) } ORDER BY ?s ?p ?o LIMIT 40\n"
ASK = "ASK { ?s ?p ?o }\n"
CASES = [*CANNED, "blank-nodes", "ask"]
# SPARQL 1.1 TSV has no form for an ASK answer
READ_BACK = [(fmt, case) for fmt in ("json", "xml", "tsv") for case in CASES if (fmt, case) != ("tsv", "ask")]


def printed(case: str, fmt: str, store_location, tmp_path) -> bytes:
    """What `wsisgraph query` prints for a case in a format."""
    if case in CANNED:
        args = [case, *(f"-p{name}={value}" for name, value in CANNED[case].items())]
    else:
        rq = tmp_path / f"{case}.rq"
        rq.write_text(BLANK_NODES if case == "blank-nodes" else ASK, encoding="utf-8")
        args = ["--file", str(rq)]
    result = CliRunner().invoke(main, ["query", *args, "--store", str(store_location), "-f", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def expected(case: str, engine) -> query.Result:
    if case in CANNED:
        return query.run_canned(engine, CATALOG[case], CANNED[case])
    return query.run(engine, BLANK_NODES if case == "blank-nodes" else ASK)


def rdflib_term(term):
    """An rdflib term in pyoxigraph's terms (rdflib writes no datatype for a plain string)."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return BlankNode(str(term))
    if isinstance(term, URIRef):
        return NamedNode(str(term))
    if term.language:
        return Literal(str(term), language=term.language)
    return Literal(str(term), datatype=NamedNode(str(term.datatype))) if term.datatype else Literal(str(term))


@pytest.mark.parametrize(("fmt", "case"), READ_BACK)
def test_pyoxigraph_reads_back_the_embedded_answer(fmt, case, store_location, engine, tmp_path):
    out = printed(case, fmt, store_location, tmp_path)
    answer = expected(case, engine)
    assert answer.rows or answer.boolean, "a case that cannot fail"
    assert query.read(parse_query_results(out, SERIALIZED[fmt])) == answer


@pytest.mark.parametrize(("fmt", "case"), READ_BACK)
def test_rdflib_reads_back_the_embedded_answer(fmt, case, store_location, engine, tmp_path):
    parsed = RdflibResult.parse(io.BytesIO(printed(case, fmt, store_location, tmp_path)), format=fmt)
    answer = expected(case, engine)
    if case == "ask":
        assert parsed.type == "ASK" and parsed.askAnswer is answer.boolean
        return
    assert [str(v) for v in parsed.vars] == answer.variables
    assert [[rdflib_term(row.get(v)) for v in parsed.vars] for row in parsed.bindings] == answer.rows


@pytest.mark.parametrize("case", [*CANNED, "blank-nodes"])
def test_csv_holds_the_plain_values_of_the_embedded_answer(case, store_location, engine, tmp_path):
    """SPARQL 1.1 CSV keeps values only (no datatypes, no language tags): every cell is the term's value,
    read back by Python's csv module and by rdflib."""
    out = printed(case, "csv", store_location, tmp_path)
    answer = expected(case, engine)
    cells = [[plain(term) for term in row] for row in answer.rows]
    assert list(csv.reader(io.StringIO(out.decode("utf-8"), newline=""))) == [answer.variables, *cells]
    parsed = RdflibResult.parse(io.BytesIO(out), format="csv")
    assert [["" if parsed_term is None else str(parsed_term) for parsed_term in (row.get(v) for v in parsed.vars)]
            for row in parsed.bindings] == cells


def test_xml_is_sparql_xml_results(store_location, tmp_path):
    """`--format xml` is the W3C SPARQL Query Results XML Format, ending with a line break."""
    out = printed("action-lines-for-goal", "xml", store_location, tmp_path)
    assert b'<sparql xmlns="http://www.w3.org/2005/sparql-results#">' in out
    assert out.endswith(b"</sparql>\n")
