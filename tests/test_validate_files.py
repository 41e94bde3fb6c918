"""`wsisgraph validate FILE` parses the files in the store (validate.files.load_file, each file in a
graph of its own, the engine reading their union): the report is the one the slower way gives, with
every file as Python triples in one graph (`validate_graphs`, what `validate FILE` did before),
result for result, with the same files, counts and stable blank node labels."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, serialize

from wsisgraph.cli import main
from wsisgraph.core.errors import InputError
from wsisgraph.graph import build, validate
from wsisgraph.graph.validate import check
from wsisgraph.graph.validate.files import read_file

DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
VALID = sorted((DATA / "valid").iterdir())
WSIS = "@prefix wsis: <https://w3id.org/wsisgraph/ontology#> .\n"


@pytest.fixture(scope="module")
def shipped() -> dict:
    return build.shipped_graphs()


def python_way(paths: list[Path], shipped: dict) -> validate.ValidationReport:
    """The report as `validate FILE` made it before: every file read as triples, one graph."""
    files = {str(path): read_file(path) for path in dict.fromkeys(paths)}
    return validate.validate_graphs({**shipped, **files}, report_files=list(files))


def assert_same(paths: list[Path], shipped: dict) -> validate.ValidationReport:
    report = validate.validate_files(paths, shipped)
    assert report.json() == python_way(paths, shipped).json()
    return report


def test_every_invalid_file_at_once_reports_alike(shipped):
    report = assert_same(INVALID, shipped)
    assert len({r.file for r in report.results}) > 20


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_files_in_every_syntax_report_alike(path, shipped):
    assert assert_same([path], shipped).results == []


def test_a_file_restating_shipped_nodes_reports_them_as_its_own(tmp_path, shipped):
    """A node both the file and the shipped data describe is the file's (files come first); triples
    stated twice (by the file and by the shipped data) count once per graph, as before."""
    restated = [t for t in shipped["data/sdg/goals.csv"] if "goal/5" in t.subject.value]
    path = tmp_path / "goal-5.ttl"
    path.write_bytes(serialize(restated, format=RdfFormat.TURTLE)
                     + b'\n<https://w3id.org/wsisgraph/id/sdg/goal/5> '
                       b'<https://w3id.org/wsisgraph/ontology#goal> "not a node" .\n')
    report = assert_same([path], shipped)
    assert report.results and {r.file for r in report.results} == {str(path)}
    assert any("goal/5" in str(r.focus) for r in report.results)


def test_blank_nodes_of_a_file_keep_their_stable_labels(tmp_path, shipped):
    """The store labels a file's blank nodes at random: a report about one is made the slower way,
    so it reads the same every time."""
    path = tmp_path / "blank.ttl"
    path.write_text(WSIS + '[] a wsis:Process ; wsis:partOf "not a node" .\n_:b a wsis:Process .\n')
    first = assert_same([path], shipped)
    assert first.json() == validate.validate_files([path], shipped).json()
    assert {r.focus.value for r in first.results} == {"user-blank-ttl-b0", "user-blank-ttl-b1"}


def test_rdf_xml_and_json_ld_files_report_alike(tmp_path, shipped):
    triples = [t for path in INVALID[:4] for t in read_file(path) if not t.subject.value.startswith("user-")]
    xml, jsonld = tmp_path / "four.rdf", tmp_path / "four.jsonld"
    xml.write_bytes(serialize(triples, format=RdfFormat.RDF_XML))
    jsonld.write_bytes(serialize(triples, format=RdfFormat.JSON_LD))
    assert assert_same([xml], shipped).results
    assert assert_same([jsonld, xml], shipped).results


def test_the_command_reads_files_through_the_store(tmp_path, monkeypatch):
    """`wsisgraph validate FILE` takes the store's way (the Python way is only for blank nodes)."""
    called = []
    monkeypatch.setattr(check, "validate_graphs", lambda *args, **kwargs: called.append(args))
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(DATA / "invalid" / "Alignment-basis.ttl")])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["results"] and called == []


def test_syntax_errors_are_worded_alike(tmp_path, shipped):
    path = tmp_path / "broken.ttl"
    path.write_text(WSIS + "<https://example.org/a> wsis:label \"x\" ;\n  wsis:label .\n")
    with pytest.raises(InputError) as loaded:
        validate.validate_files([path], shipped)
    with pytest.raises(InputError) as read:
        read_file(path)
    assert str(loaded.value) == str(read.value) and str(loaded.value).startswith(f"{path}:3:")
