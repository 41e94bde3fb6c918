"""Every canned query file: valid SPARQL 1.1 for two parsers, a complete header, a top-level ORDER BY,
and an example command that runs and answers."""

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import QuerySolutions, Store
from rdflib.plugins.sparql import prepareQuery

from wsisgraph.cli import main
from wsisgraph.core import resources, sparqltext
from wsisgraph.sparql import query

FILES = sorted(resources.queries_dir().glob("*.rq"))
HEADER_KEYS = {"title", "description", "params", "example"}
PARAM_KEYS = {"type", "required", "default", "example", "help"}


def ids(path: Path) -> str:
    return path.stem


def header(path: Path) -> dict:
    return query.read_header(path, path.read_text(encoding="utf-8"))


def example_args(canned: query.CannedQuery) -> list[str]:
    """The example command's arguments after `wsisgraph`."""
    words = shlex.split(canned.example)
    assert words[:3] == ["wsisgraph", "query", canned.name], f"example must start `wsisgraph query {canned.name}`"
    return words[1:]


def example_values(canned: query.CannedQuery) -> dict[str, str]:
    """The --param/-p values the example command passes."""
    words = example_args(canned)
    pairs = [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("--param", "-p")]
    return query.parse_assignments(pairs)


def test_the_library_is_there():
    assert len(FILES) >= 15


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_name_is_kebab_case(path):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem)


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_parses_with_pyoxigraph(path):
    answer = Store().query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert isinstance(answer, QuerySolutions)


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_parses_with_rdflib(path):
    parsed = prepareQuery(path.read_text(encoding="utf-8"))
    assert parsed.algebra.name == "SelectQuery"


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_header_is_complete(path):
    fields = header(path)
    assert set(fields) <= HEADER_KEYS, f"unknown header keys: {set(fields) - HEADER_KEYS}"
    canned = query.load_query(path)
    assert canned.title and len(canned.description.split()) >= 12
    for name, spec in (fields.get("params") or {}).items():
        assert set(spec) <= PARAM_KEYS, f"{name}: unknown keys {set(spec) - PARAM_KEYS}"
        param = canned.params[name]
        assert param.type in query.PARAM_TYPES
        assert param.example, f"parameter {name} has no example"
        assert param.help, f"parameter {name} has no help"


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_ends_with_a_top_level_order_by(path):
    """Answers come in a stated order, not the engine's: ORDER BY after the last closing brace."""
    masked = sparqltext.mask(path.read_text(encoding="utf-8"))
    assert re.search(r"\}[^{}]*\bORDER\s+BY\b[^{}]*$", masked, re.IGNORECASE)


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_example_command_runs(path, store_location):
    canned = query.load_query(path)
    args = example_args(canned)
    result = CliRunner().invoke(main, [*args, "--store", str(store_location)])
    assert result.exit_code == 0, result.output
    as_json = CliRunner().invoke(main, [*args, "--store", str(store_location), "--format", "json"])
    assert json.loads(as_json.stdout)["results"]["bindings"], "the example finds nothing"


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_every_parameter_example_answers(path, engine):
    """Each parameter's example, with the example command's other values, finds something."""
    canned = query.load_query(path)
    base = example_values(canned)
    assert {name for name, p in canned.params.items() if p.required} <= set(base)
    for name, param in canned.params.items():
        result = query.run_canned(engine, canned, {**base, name: param.example})
        assert result.rows, f"{canned.name} with {name}={param.example!r} finds nothing"
