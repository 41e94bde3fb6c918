"""SHACL validation: the shapes, `wsisgraph validate`, and `build` refusing data with violations.

tests/data/invalid holds one file per rule, named for it; its second line says exactly what the
file must trigger: `# expect: <severity> <rule> <path or -> <focus IRI>`. tests/data/valid holds
files in every input syntax that must conform without even a warning.
"""

import json
import re
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from wsisgraph.cli import main
from wsisgraph.core import resources
from wsisgraph.core.namespaces import display
from wsisgraph.graph import build as build_module
from wsisgraph.graph import validate
from wsisgraph.sources import inputs

DATA = Path(__file__).parent / "data"
VALID = sorted((DATA / "valid").iterdir())
INVALID = sorted((DATA / "invalid").glob("*.ttl"))
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
WSIS = "https://w3id.org/wsisgraph/ontology#"
EXPECT = re.compile(r"^# expect: (Violation|Warning|Info) (\S+) (\S+) <([^>]+)>$", re.MULTILINE)


def expectation(path: Path) -> tuple[str, str, str | None, str]:
    match = EXPECT.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no `# expect:` line"
    severity, rule, result_path, focus = match.groups()
    return severity, rule, None if result_path == "-" else result_path, focus


@pytest.fixture(scope="module")
def shipped() -> validate.ValidationReport:
    return build_module.validate_shipped()


@pytest.fixture(scope="module")
def invalid_report() -> validate.ValidationReport:
    """All invalid files validated in one run (each file uses its own namespace)."""
    return validate.validate_files(INVALID, build_module.shipped_graphs())


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


# The shipped data and the shapes ------------------------------------------------------------------

def test_shipped_dataset_has_no_violation(shipped):
    assert shipped.conforms, shipped.text()
    assert {r.severity for r in shipped.results} <= {"Warning", "Info"}
    assert shipped.triples > 10_000
    assert "ontology/wsis.ttl" in shipped.files and "data/sdg/targets.csv" in shipped.files


def test_every_ontology_class_is_the_target_of_a_shape():
    ontology = rdflib.Graph().parse(resources.ontology_dir() / "wsis.ttl")
    shapes = rdflib.Graph().parse(validate.shapes_path())
    classes = {c for c in ontology.subjects(rdflib.RDF.type, rdflib.OWL.Class) if str(c).startswith(WSIS)}
    targeted = set(shapes.objects(None, SH.targetClass))
    assert len(classes) >= 20
    missing = sorted(str(c) for c in classes if c not in targeted)
    assert not missing, f"classes no shape targets: {missing}"


def test_every_shape_and_rule_has_an_iri_and_a_message():
    """Results name the rule they break, so every shape with a constraint is named and explains itself."""
    shapes = rdflib.Graph().parse(validate.shapes_path())
    constrained = {s for s, p, _ in shapes if p in {SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.pattern,
                                                    SH.nodeKind, SH.select, SH.uniqueLang, SH.minInclusive}}
    in_lists = set(shapes.objects(None, rdflib.RDF.first))  # members of sh:or lists
    unnamed = [s for s in constrained if not isinstance(s, rdflib.URIRef) and s not in in_lists]
    assert not unnamed
    silent = sorted(str(s) for s in constrained - in_lists if (s, SH.message, None) not in shapes
                    and not any((parent, SH.message, None) in shapes for parent in shapes.subjects(SH.sparql, s)))
    assert not silent, f"rules without sh:message: {silent}"


def test_shapes_use_warning_deliberately():
    shapes = rdflib.Graph().parse(validate.shapes_path())
    warnings = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(SH.severity, SH.Warning)}
    assert {"SDGGoal-exactMatch", "SDGTarget-exactMatch", "SDGIndicator-exactMatch", "Resolution-issuedBy"} <= warnings


# Example files --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_file_triggers_exactly_its_rule(path, invalid_report):
    severity, rule, result_path, focus = expectation(path)
    assert path.stem == rule.split(":", 1)[1], "an invalid file is named for the rule it breaks"
    got = [r for r in invalid_report.results if r.file == str(path)]
    assert [(r.severity, display(r.rule), display(str(r.path)) if r.path else None,
             validate.focus_key(r.focus)) for r in got] == [(severity, rule, result_path, focus)]


def test_invalid_files_cover_the_kinds_of_rule(invalid_report):
    rules = {display(r.rule) for r in invalid_report.results}
    for rule in ("wsish:SDGTarget-codeBeginsWithGoal", "wsish:SDGIndicator-codeMatchesATarget",
                 "wsish:StartBeforeEnd-order", "wsish:Alignment-basis", "wsish:Sourced-source",
                 "wsish:Recommendation-actor", "wsish:Recommendation-action", "wsish:Document-documentSymbol",
                 "wsish:SDGIndicator-unsdCode", "wsish:ActionLine-notation", "wsish:SDGGoal-exactMatch"):
        assert rule in rules


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_file_conforms_without_warnings(path):
    report = validate.validate_files([path], build_module.shipped_graphs())
    assert report.results == [], report.text()
    assert report.conforms
    assert str(path) in report.files


def test_document_symbol_pattern_accepts_the_report_symbols():
    shapes = rdflib.Graph().parse(validate.shapes_path())
    pattern = str(shapes.value(rdflib.URIRef(validate.SHAPES_NS + "Document-documentSymbol"), SH.pattern))
    for symbol in ("A/RES/70/125", "A/71/212", "E/RES/2023/3", "CWG-WSIS&SDG-40/INF/4", "CWG-WSIS&SDG-39/14",
                   "E/CN.3/2023/2", "A/RES/71/313"):
        assert re.search(pattern, symbol), symbol
    for symbol in ("CWG WSIS 40", "A/RES/70/125 ", "res 140", "A"):
        assert not re.search(pattern, symbol), symbol


# The command -------------------------------------------------------------------------------------------

def test_validate_without_files_checks_the_shipped_data(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    summary = r"^conforms: 0 violations, \d+ warnings?, 0 infos on \d+ nodes? \(\d+ triples from \d+ files checked\)$"
    assert re.search(summary, result.stdout, re.MULTILINE)


def test_text_report_is_grouped_by_node_with_label_iri_file_and_summary(runner):
    path = DATA / "invalid" / "SDGTarget-codeBeginsWithGoal.ttl"
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "A target <https://example.org/wsisgraph-test/SDGTarget-codeBeginsWithGoal/target>"
    assert lines[1] == f"  in {path}"
    assert lines[2] == ('  Violation: skos:notation = "8.2": Target code 8.2 does not begin with the code of its goal'
                        " (9). [wsish:SDGTarget-codeBeginsWithGoal]")
    assert lines[-1].startswith("does not conform: 1 violation, 0 warnings, 0 infos on 1 node (")


def test_several_results_on_one_node_are_one_group(runner, tmp_path):
    path = tmp_path / "two.ttl"
    path.write_text("""@prefix ex: <https://example.org/two/> . @prefix wsis: <https://w3id.org/wsisgraph/ontology#> .
        ex:meeting a wsis:Meeting ; wsis:participantCount "many" .""")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.count("<https://example.org/two/meeting>") == 1
    rules = re.findall(r"\[(wsish:[\w-]+)\]", result.stdout)
    assert {"wsish:Labelled-label", "wsish:Sourced-source", "wsish:Meeting-ordinal", "wsish:Meeting-heldBy",
            "wsish:count-participantCount"} <= set(rules)


def test_warnings_alone_conform(runner):
    result = runner.invoke(main, ["validate", str(DATA / "invalid" / "SDGGoal-exactMatch.ttl")])
    assert result.exit_code == 0, result.output
    assert "Warning: skos:exactMatch" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("conforms: 0 violations, 1 warning, 0 infos on 1 node (")


def test_json_report_is_stable_and_complete(runner):
    args = ["validate", "--format", "json", *map(str, INVALID[:6])]
    first, second = runner.invoke(main, args), runner.invoke(main, args)
    assert first.exit_code == 1
    assert first.stdout == second.stdout
    payload = json.loads(first.stdout)
    assert payload["conforms"] is False
    assert payload["summary"]["violations"] == sum(r["severity"] == "Violation" for r in payload["results"])
    assert set(payload["results"][0]) == {"severity", "focusNode", "focusLabel", "path", "value", "message", "shape",
                                          "constraint", "rule", "component", "file"}
    keys = [(r["file"], r["focusNode"]) for r in payload["results"]]
    assert keys == sorted(keys)


def test_turtle_report_is_a_standard_validation_report(runner):
    paths = [DATA / "invalid" / "SDGTarget-codeBeginsWithGoal.ttl", DATA / "invalid" / "Labelled-label.ttl"]
    result = runner.invoke(main, ["validate", "--format", "turtle", *map(str, paths)])
    assert result.exit_code == 1
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    report = graph.value(predicate=rdflib.RDF.type, object=SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert len(results) == 2
    sparql = next(r for r in results if graph.value(r, SH.sourceConstraint) is not None)
    assert graph.value(sparql, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    assert graph.value(sparql, SH.resultPath) == rdflib.URIRef("http://www.w3.org/2004/02/skos/core#notation")
    assert graph.value(sparql, SH.value) == rdflib.Literal("8.2")
    core = next(r for r in results if r != sparql)
    assert graph.value(core, SH.sourceShape) == rdflib.URIRef(validate.SHAPES_NS + "Labelled-label")
    alternatives = graph.value(graph.value(core, SH.resultPath), SH.alternativePath)
    assert [str(x) for x in rdflib.collection.Collection(graph, alternatives)] == [
        "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"]
    assert graph.value(core, SH.resultSeverity) == SH.Violation


INVERSE_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix wsis: <https://w3id.org/wsisgraph/ontology#> .
<urn:shape:in-a-whole> a sh:PropertyShape ; sh:targetNode <urn:part> ;
    sh:path [ sh:inversePath wsis:partOf ] ; sh:minCount 1 ; sh:message "Something is part of it." .
"""


@pytest.mark.parametrize("engine", validate.ENGINES)
def test_an_inverse_path_is_reported_as_an_inverse_path(tmp_path, engine):
    """A result on `[ sh:inversePath p ]` says `^p` (text, JSON) and `[ sh:inversePath p ]` (Turtle),
    never an sh:alternativePath."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(INVERSE_SHAPES)
    report = validate.validate_graphs({"data.ttl": []}, shapes=shapes, engine=engine)
    assert [str(r.path) for r in report.results] == ["^<https://w3id.org/wsisgraph/ontology#partOf>"]
    assert "Violation: ^wsis:partOf: Something is part of it." in report.text()
    assert json.loads(report.json())["results"][0]["path"] == "^<https://w3id.org/wsisgraph/ontology#partOf>"
    graph = rdflib.Graph().parse(data=report.turtle(), format="turtle")
    path = graph.value(next(graph.objects(None, SH.result)), SH.resultPath)
    assert graph.value(path, SH.inversePath) == rdflib.URIRef(WSIS + "partOf")
    assert (path, SH.alternativePath, None) not in graph


WHERE_IN_COMMENT_AND_STRING = r'''@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:shape> a sh:NodeShape ; sh:targetNode <urn:a> ; sh:sparql [ sh:message "bad value" ; sh:select """
    # the WHERE { of a comment
    SELECT $this ?value (" WHERE { " AS ?note) WHERE { $this <urn:p> ?value . FILTER (?value != " WHERE {") }
""" ] .
'''


def test_a_sparql_constraint_binds_this_in_its_where_group_not_in_a_comment_or_string(tmp_path):
    """$this is pre-bound at the query's own WHERE group: a `WHERE {` in a comment or a string before
    it is skipped, so only the shape's targets are focus nodes."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(WHERE_IN_COMMENT_AND_STRING)
    data = [Triple(NamedNode(f"urn:{node}"), NamedNode("urn:p"), Literal("x")) for node in "ab"]
    report = validate.validate_graphs({"data.ttl": data}, shapes=shapes)
    assert [r.focus.value for r in report.results] == ["urn:a"]

MALFORMED = {
    "bad.ttl": "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n",
    "bad.nt": "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
              "<http://example.org/a> <http://example.org/b> .\n",
    "bad.nq": "<http://example.org/a> <http://example.org/b> <http://example.org/c> <http://example.org/g> .\n"
              "<http://example.org/a> \n",
    "bad.trig": "@prefix ex: <http://example.org/> .\nex:g {\n  ex:a ex:b ex:c\n",
    "bad.jsonld": '{"@id": "http://example.org/a",\n "http://example.org/b": [1,\n',
    "bad.rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
               '<rdf:Description rdf:about="http://example.org/a">\n</rdf:RDF>\n',
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_gives_path_line_col_and_exit_2(runner, tmp_path, name):
    path = tmp_path / name
    path.write_text(MALFORMED[name])
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert re.match(rf"error: {re.escape(str(path))}:\d+:\d+: \S", result.stderr), result.stderr
    assert "Traceback" not in result.output


def test_input_format_names_the_syntax(runner, tmp_path):
    path = tmp_path / "valid.txt"
    shutil.copy(DATA / "valid" / "report-extract.ttl", path)
    unknown = runner.invoke(main, ["validate", str(path)])
    assert unknown.exit_code == 2
    assert "--input-format" in unknown.stderr
    given = runner.invoke(main, ["validate", "--input-format", "turtle", str(path)])
    assert given.exit_code == 0, given.output


def test_blank_nodes_of_a_user_file_are_validated(runner, tmp_path):
    path = tmp_path / "blank.ttl"
    path.write_text("""@prefix wsis: <https://w3id.org/wsisgraph/ontology#> .
        [] a wsis:Process ; wsis:partOf "not a node" .""")
    result = runner.invoke(main, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 1
    rules = {r["rule"].rsplit("#", 1)[-1] for r in json.loads(result.stdout)["results"]}
    assert {"Labelled-label", "Sourced-source", "node-partOf"} <= rules


# Build -------------------------------------------------------------------------------------------------

def copy_inputs(root: Path) -> None:
    shipped = resources.resource_root()
    shutil.copytree(shipped / "ontology", root / "ontology")
    shutil.copytree(shipped / "data", root / "data")


def test_build_refuses_a_store_with_violations(tmp_path, runner, monkeypatch):
    root = tmp_path / "root"
    copy_inputs(root)
    location = tmp_path / "store"
    build_module.build(location, root=root)
    before = (location / "current").resolve()
    shutil.copy(DATA / "invalid" / "SDGTarget-codeBeginsWithGoal.ttl", root / "data" / "extra.ttl")
    with pytest.raises(validate.ValidationFailed) as failed:
        build_module.build(location, root=root)
    assert failed.value.exit_code == 1
    assert "wsish:SDGTarget-codeBeginsWithGoal" in str(failed.value)
    assert "data/extra.ttl" in str(failed.value)
    assert (location / "current").resolve() == before
    assert len(list((location / "builds").iterdir())) == 1

    monkeypatch.setattr(resources, "resource_root", lambda: root)
    result = runner.invoke(main, ["build", "--store", str(location)])
    assert result.exit_code == 1
    assert "error: SHACL validation failed; the store was not replaced: does not conform" in result.stderr
    assert "Target code 8.2 does not begin with the code of its goal (9)." in result.stderr
    assert (location / "current").resolve() == before


def test_build_reports_warnings_but_swaps(tmp_path):
    root = tmp_path / "root"
    copy_inputs(root)
    shutil.copy(DATA / "invalid" / "SDGGoal-exactMatch.ttl", root / "data" / "extra.ttl")
    report = build_module.build(tmp_path / "store", root=root)
    assert report.validation is not None and report.validation.conforms
    assert any(display(r.rule) == "wsish:SDGGoal-exactMatch" for r in report.validation.results)


def test_changing_the_shapes_makes_the_store_stale(tmp_path):
    root = tmp_path / "root"
    copy_inputs(root)
    before = build_module.input_digest(inputs.discover_inputs(root))
    shapes = root / "ontology" / validate.SHAPES_FILE
    shapes.write_text(shapes.read_text() + "\n# changed\n")
    assert build_module.input_digest(inputs.discover_inputs(root)) != before


def test_shapes_file_parses_as_turtle():
    assert len(list(parse(path=str(validate.shapes_path()), format=RdfFormat.TURTLE))) > 500
