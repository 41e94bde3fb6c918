"""The files a build reads and the named graph each becomes: the ontology, every file under data/
(Turtle, N-Triples, or a CSV table that sources/tables.py converts), and the documents `wsisgraph
ingest` keeps in a store location. Graph names come from paths: ontology/wsis.ttl is `ontology`,
data/sdg/goals.csv is `sdg/goals`, LOCATION/ingested/KEY.ttl is `ingested/KEY`.
"""

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

from wsisgraph.core import resources
from wsisgraph.core.errors import InputError
from wsisgraph.core.rdf import stable_blank_nodes
from wsisgraph.sources import tables

ONTOLOGY_FILE = "wsis.ttl"
RDF_SUFFIXES = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES}
IGNORED_SUFFIXES = {".md", ".txt"}
INGESTED_DIR = "ingested"


@dataclass(frozen=True)
class Input:
    """One input file and the named graph it becomes."""

    graph: str
    path: Path
    relative: str


def discover_inputs(root: Path | None = None, location: Path | None = None) -> list[Input]:
    """The ontology and every data file, in a stable order; with a store location, also the
    documents `wsisgraph ingest` put in LOCATION/ingested/ (graph `ingested/<key>`)."""
    root = root or resources.resource_root()
    inputs = [Input("ontology", root / "ontology" / ONTOLOGY_FILE, f"ontology/{ONTOLOGY_FILE}")]
    data = root / "data"
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        relative = path.relative_to(data).as_posix()
        if path.suffix in IGNORED_SUFFIXES:
            continue
        if path.suffix not in RDF_SUFFIXES and path.suffix != ".csv":
            raise InputError(str(path), None, "unknown kind of data file (expected .ttl, .nt or .csv)")
        name = relative.rsplit(".", 1)[0].replace("_", "-")
        inputs.append(Input(name, path, relative))
    if location is not None and (location / INGESTED_DIR).is_dir():
        inputs += [Input(f"{INGESTED_DIR}/{path.stem}", path, f"{INGESTED_DIR}/{path.name}")
                   for path in sorted((location / INGESTED_DIR).glob("*.ttl"))]
    return inputs


def parse_input(item: Input) -> list[Triple]:
    """Triples of one input file; a syntax error becomes `path:line:col: message`."""
    if item.path.suffix == ".csv":
        return tables.convert(item.path, item.relative)
    try:
        return stable_blank_nodes(parse(path=str(item.path), format=RDF_SUFFIXES[item.path.suffix]), item.graph)
    except SyntaxError as exc:
        raise InputError.from_syntax(str(item.path), exc) from exc
    except OSError as exc:
        raise InputError(str(item.path), None, f"cannot read: {exc.strerror or exc}") from exc


def input_label(item: Input) -> str:
    """How reports name an input file: ontology/wsis.ttl, data/sdg/goals.csv."""
    if item.graph == "ontology":
        return item.relative
    return str(item.path) if item.graph.startswith(INGESTED_DIR + "/") else f"data/{item.relative}"
