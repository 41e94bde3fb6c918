"""Parameter safety: whatever a user passes is one RDF term and can never change the query.

Values with quotes, braces, `} UNION {`, newlines or `#` are tried against every parameter type:
free text comes back from the engine exactly as given (read by two independent SPARQL parsers,
pyoxigraph's and rdflib's), typed values are refused with a clear message, and codes that name no
thing are an "unknown" error. Nothing reaches the engine as query text.
"""

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode

from wsisgraph.cli import main
from wsisgraph.core import languages
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import XSD
from wsisgraph.sparql import query

HOSTILE = {
    "double-quote": 'say "hello"',
    "single-quote": "it's",
    "braces": "{ ?s ?p ?o }",
    "close-brace-union": '"} UNION { ?s ?p ?o } #',
    "single-quote-union": "'} UNION { ?s ?p ?o } #",
    "newline": 'first line\n} UNION { ?s ?p ?o }\n',
    "hash-comment": '9" # } UNION { ?s ?p ?o',
    "backslash": '\\" } UNION { ?s ?p ?o } #',
    "triple-quote": '""" } UNION { ?s ?p ?o } """',
    "angle-brackets": '> } UNION { ?s ?p ?o } <',
    "iri-like": 'https://w3id.org/x> } UNION { ?s ?p ?o } #',
}
TEXT_TYPES = sorted(query.LITERAL_TYPES - {"date", "integer", "language", "search"})
CHECKED_TYPES = ["date", "integer", "iri", "language"]
ENTITY_TYPES = sorted(query.ENTITY_CLASSES)
PROBE = "SELECT ?value WHERE { }"


def test_every_parameter_type_is_covered():
    assert set(TEXT_TYPES) | set(CHECKED_TYPES) | set(ENTITY_TYPES) | {"search"} == query.PARAM_TYPES


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_search_text_comes_back_folded(engine, case):
    """Search words are one literal too, in the folded form the search query compares with."""
    term = query.to_term(engine, query.Param("value", "search"), HOSTILE[case])
    assert term == Literal(languages.fold(HOSTILE[case]))
    assert query.run(engine, PROBE, {"value": term}).rows == [[term]]


@pytest.mark.parametrize("kind", TEXT_TYPES)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_text_comes_back_unchanged(engine, kind, case):
    """A free-text value is one literal: the probe returns one row holding exactly that value."""
    value = HOSTILE[case]
    term = query.to_term(engine, query.Param("value", kind), value)
    assert term == Literal(value)
    result = query.run(engine, PROBE, {"value": term})
    assert result.rows == [[Literal(value)]]
    rows = list(rdflib.Graph().query(query.inject_values(PROBE, {"value": term})))
    assert [str(row[0]) for row in rows] == [value]


@pytest.mark.parametrize("kind", CHECKED_TYPES)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_typed_values_are_refused(engine, kind, case):
    with pytest.raises(WsisgraphError,
                       match=r"parameter when: .* is not an? (date|integer|http\(s\) IRI|BCP 47 language tag)"):
        query.to_term(engine, query.Param("when", kind), HOSTILE[case])


@pytest.mark.parametrize("kind", ENTITY_TYPES)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_codes_that_name_nothing_are_unknown(engine, kind, case):
    with pytest.raises(WsisgraphError, match=rf"^(unknown {kind} |no {kind} with IRI )"):
        query.to_term(engine, query.Param("thing", kind), HOSTILE[case])


@pytest.mark.parametrize(("kind", "value", "term"), [
    ("date", "2024-05-27", Literal("2024-05-27", datatype=XSD.date)),
    ("integer", "-40", Literal("-40", datatype=XSD.integer)),
    ("iri", "https://w3id.org/wsisgraph/ontology#Alignment", NamedNode("https://w3id.org/wsisgraph/ontology#Alignment")),
])
def test_well_formed_typed_values_are_bound(engine, kind, value, term):
    assert query.to_term(engine, query.Param("x", kind), value) == term


@pytest.mark.parametrize("value", ["2024-02-30", "2024-5-27", "٢٠٢٤-٠٥-٢٧", "27/05/2024"])
def test_dates_must_be_calendar_days(engine, value):
    with pytest.raises(WsisgraphError, match="is not a date"):
        query.to_term(engine, query.Param("from", "date"), value)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_search_treats_text_as_plain(engine, case):
    """The search query with a hostile text finds only labels that contain that very text: none."""
    result = query.run_canned(engine, query.find("search"), {"text": HOSTILE[case]})
    found = [row[result.variables.index("match")].value for row in result.rows]
    assert all(HOSTILE[case].lower() in text.lower() for text in found)
    if case != "single-quote":
        assert found == []


def test_search_with_a_quote_still_matches(engine):
    result = query.run_canned(engine, query.find("search"), {"text": "ITU's WSIS Action Line Roadmap"})
    labels = {row[result.variables.index("label")].value for row in result.rows}
    assert "ITU's WSIS Action Line Roadmap for C2" in labels


def test_cli_hostile_code_is_a_clean_error(store_location):
    result = CliRunner().invoke(main, ["query", "action-lines-for-goal", "--store", str(store_location),
                                       "-p", 'goal=9" } UNION { ?s ?p ?o } #'])
    assert result.exit_code == 2
    assert "is not a goal code or label (stray '#')" in result.stderr  # refused before the store is read
    assert "Traceback" not in result.output


def test_cli_hostile_text_is_searched_for(store_location):
    result = CliRunner().invoke(main, ["query", "search", "--store", str(store_location), "-f", "csv",
                                       "-p", 'text="} UNION { ?s ?p ?o } #'])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["kind,code,label,language,match,entity"]


def test_hostile_parameter_name_is_refused(store_location):
    result = CliRunner().invoke(main, ["query", "search", "--store", str(store_location),
                                       "-p", "text} UNION {?s ?p ?o}=x"])
    assert result.exit_code == 2
    assert "has no parameter" in result.stderr


def test_user_query_parameter_name_must_be_a_variable(engine):
    with pytest.raises(WsisgraphError, match="is not a SPARQL variable name"):
        query.run(engine, PROBE, {"value } UNION { ?s ?p ?o": Literal("x")})


def test_values_go_into_the_real_where_group(engine):
    """`WHERE {` inside a comment or a string does not fool the binder."""
    text = '# WHERE { in a comment\nSELECT ?value ?note WHERE { BIND("WHERE { in a string" AS ?note) }'
    result = query.run(engine, text, {"value": Literal("bound")})
    assert result.rows == [[Literal("bound"), Literal("WHERE { in a string")]]
