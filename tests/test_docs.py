"""Ontology documentation: pyLODE's page of ontology/wsis.ttl and the per-class summary of the shapes."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, parse

from wsisgraph.cli import main
from wsisgraph.core import resources
from wsisgraph.core.errors import InputError
from wsisgraph.views import docs

OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SHAPES = resources.ontology_dir() / "shapes.ttl"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "docs"
    docs.write_docs(out)
    return out


def ontology_terms(kind: str) -> set[str]:
    triples = parse(path=str(resources.ontology_dir() / "wsis.ttl"), format=RdfFormat.TURTLE)
    return {t.subject.value for t in triples  # named terms: a class expression (owl:unionOf) is a blank node
            if t.predicate.value == RDF_TYPE and t.object.value == OWL + kind and isinstance(t.subject, NamedNode)}


def test_pylode_documents_every_class_and_property(written):
    html = (written / "ontology.html").read_text(encoding="utf-8")
    anchors = docs.class_anchors(html)
    terms = ontology_terms("Class") | ontology_terms("ObjectProperty") | ontology_terms("DatatypeProperty")
    assert len(terms) > 60
    assert terms <= set(anchors), sorted(terms - set(anchors))
    assert "One of the 17 Sustainable Development Goals" in html  # definitions come through


def test_the_index_links_both_pages(written):
    index = (written / "index.html").read_text(encoding="utf-8")
    assert 'href="ontology.html"' in index and 'href="shapes.html"' in index


@pytest.mark.skipif(not SHAPES.exists(), reason="ontology/shapes.ttl is not in this checkout yet")
def test_shapes_are_summarised_per_class(written):
    targets = docs.summarise_shapes(SHAPES, docs.property_domains(docs.read_turtle(
        resources.ontology_dir() / "wsis.ttl", "ontology")))
    by_term = {(t.kind, t.term): t for t in targets}
    action_line = by_term[("instances of", "wsis:ActionLine")]
    notation = [r for r in action_line.rules if r.path == "skos:notation"]
    assert notation and any(c.startswith("matches /") for r in notation for c in r.checks)
    assert all(r.severity in {"violation", "warning", "info"} for t in targets for r in t.rules)
    page = (written / "shapes.html").read_text(encoding="utf-8")
    assert "wsis:ActionLine" in page and 'href="ontology.html#' in page


def test_missing_shapes_file_is_said_plainly(tmp_path, monkeypatch):
    root = tmp_path / "resources"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "wsis.ttl").write_bytes((resources.ontology_dir() / "wsis.ttl").read_bytes())
    monkeypatch.setattr(resources, "resource_root", lambda: root)
    warnings: list[str] = []
    docs.write_docs(tmp_path / "out", warn=warnings.append)
    assert warnings and "shapes.ttl does not exist" in warnings[0]
    assert "is not part of this build yet" in (tmp_path / "out" / "shapes.html").read_text(encoding="utf-8")


def test_a_broken_shapes_file_names_file_and_line(tmp_path):
    bad = tmp_path / "shapes.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> sh:path <b> ;; .\n")
    with pytest.raises(InputError, match=r"shapes\.ttl:3"):
        docs.summarise_shapes(bad)


def test_cli_docs(tmp_path):
    result = CliRunner().invoke(main, ["docs", "-o", str(tmp_path / "docs")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "docs" / "ontology.html").is_file()
