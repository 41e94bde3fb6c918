"""Shared fixtures: one store built per test session, and the reference data when it is present."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, NamedNode, Store

from ingest_fixtures import ANNEX_PAGES, CHAIRMAN_BODY, CHAIRMAN_COVER, write_docx, write_pdf
from wsisgraph.cli import main
from wsisgraph.graph.build import build
from wsisgraph.sparql.query import EmbeddedEngine

pytest_plugins = ["servers"]  # fixtures that start real servers: tests/servers.py

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"


@pytest.fixture(scope="session")
def store_location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the shipped ontology and data."""
    location = tmp_path_factory.mktemp("store")
    build(location)
    return location


@pytest.fixture(scope="session")
def store(store_location: Path) -> Store:
    return Store.read_only(str(store_location / "current"))


@pytest.fixture(scope="session")
def engine(store: Store) -> EmbeddedEngine:
    return EmbeddedEngine(store)


@pytest.fixture(scope="session")
def cited_location(store_location: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped store with the DOCX chairman's report and the PDF Council annex ingested:
    the citation graph across two reports (tests only read it)."""
    folder = tmp_path_factory.mktemp("cited")
    location = folder / "store"
    shutil.copytree(store_location, location, symlinks=True)
    for path in (write_docx(folder / "chairman.docx", CHAIRMAN_COVER + CHAIRMAN_BODY),
                 write_pdf(folder / "annex.pdf", ANNEX_PAGES)):
        result = CliRunner().invoke(main, ["ingest", "--store", str(location), str(path)])
        assert result.exit_code == 0, result.output
    return location


@pytest.fixture(scope="session")
def report_site(store_location: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML report of the session store, written once by `wsisgraph report` (test_site, test_browser)."""
    from click.testing import CliRunner

    from wsisgraph.cli import main

    folder = tmp_path_factory.mktemp("site") / "report"
    result = CliRunner().invoke(main, ["report", "--store", str(store_location), "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="session")
def reference() -> Path:
    """../shared/reference, which CI provides; outside CI a checkout without it skips these tests."""
    if not REFERENCE.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{REFERENCE} is missing: CI must provide ../shared beside the checkout")
        pytest.skip("../shared/reference is not beside this checkout")
    return REFERENCE


def select(store: Store, text: str, inferred: bool = False) -> list[dict[str, str]]:
    """Rows of a SELECT as plain strings, for compact assertions. The default graph holds every
    asserted triple once; with `inferred` the materialised graph is read with it."""
    graphs = [DefaultGraph(), NamedNode("https://w3id.org/wsisgraph/graph/inferred")] if inferred else None
    solutions = store.query(text, default_graph=graphs)
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]
