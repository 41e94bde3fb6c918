"""What is validated, with which engine, and how results are attributed to files.

What is validated is always the data together with the ontology graph, so that sh:targetClass and
sh:class see the ontology's rdfs:subClassOf (a wsis:Meeting is a wsis:Event) without any RDFS
inference: the data carries its own rdf:type triples and the ontology supplies the hierarchy.

The store engine (fast.py) runs every constraint it translates, on an in-memory pyoxigraph store;
the SHACL Core constraints of any shape it does not translate run in pySHACL (reference.py), so no
shape is ever skipped. `engine="pyshacl"` runs all Core constraints in pySHACL instead: the reference
the tests and benchmarks hold the store engine to.
"""

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store, Triple

from wsisgraph.core.languages import FALLBACK, best_label
from wsisgraph.core.namespaces import PREFIXES, WSIS
from wsisgraph.graph.validate.fast import compile_shapes
from wsisgraph.graph.validate.fast import run as run_checks
from wsisgraph.graph.validate.files import read_file
from wsisgraph.graph.validate.reference import core_results
from wsisgraph.graph.validate.report import Term, ValidationReport, ValidationResult, plural
from wsisgraph.graph.validate.shapes import Shapes, load, shapes_path

ENGINES = ("store", "pyshacl")
LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "notation",
          WSIS + "paragraph")


def validate_graphs(graphs: dict[str, list[Triple]], report_files: Sequence[str] | None = None,
                    shapes: Path | None = None, on_phase: Callable[[str], None] = lambda phase: None,
                    engine: str = "store") -> ValidationReport:
    """Validate the union of `graphs` (file label -> triples; include the ontology).

    With `report_files`, only results whose focus node is described (is a subject) in one of those
    files are kept, and each result names the first of them that describes it.
    """
    loaded = load(shapes or shapes_path())
    store = Store()
    # Quad(s, p, o) is the default graph; naming DefaultGraph() for each triple doubles the load's cost.
    store.bulk_extend(Quad(t.subject, t.predicate, t.object) for ts in graphs.values() for t in ts)
    total = sum(len(triples) for triples in graphs.values())
    on_phase(f"validating {total} triples")
    results = store_results(store, loaded, engine, on_phase)
    on_phase(f"sorting and labelling {len(results)} results")

    order = list(report_files or []) + [name for name in graphs if name not in (report_files or [])]
    origin = _origin({r.focus for r in results}, [(name, graphs.get(name, [])) for name in order])
    if report_files is not None:
        wanted = set(report_files)
        results = [r for r in results if origin.get(r.focus) in wanted]
    labels = _labels(store, {r.focus for r in results})
    results = sorted({ValidationResult(r.severity, r.focus, r.path, r.value, r.message, r.shape, r.constraint,
                                       r.component, origin.get(r.focus), labels.get(r.focus)) for r in results},
                     key=ValidationResult.sort_key)
    return ValidationReport(results, total, sorted(graphs))


def store_results(store: Store, loaded: Shapes, engine: str = "store",
                  on_phase: Callable[[str], None] = lambda phase: None) -> list[ValidationResult]:
    """Every result of the shapes on the data in the store's default graph: the store engine for what
    it translates (everything, with `engine="store"`; only SHACL-SPARQL with "pyshacl"), pySHACL
    for the SHACL Core constraints of the other shapes."""
    compiled = compile_shapes(loaded, store, core=engine == "store")
    on_phase(f"{len(compiled.checks)} constraints as SPARQL")
    results = list(run_checks(store, compiled.checks))
    if compiled.fallback:
        on_phase(f"SHACL Core constraints of {plural(len(compiled.fallback), 'shape')} in pySHACL")
        everything = (Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None))
        results += core_results(everything, loaded, compiled.fallback)
    return results


def _origin(nodes: set[Term], graphs: list[tuple[str, list[Triple]]]) -> dict[Term, str]:
    """The first of the graphs (in the order given) that describes each node, i.e. has it as a
    subject: only the results' focus nodes are looked up, so a clean million triples costs one pass."""
    out: dict[Term, str] = {}
    for name, triples in graphs:
        if len(out) == len(nodes):
            break
        for t in triples:
            if t.subject in nodes and t.subject not in out:
                out[t.subject] = name
    return out


def _labels(store: Store, nodes: Iterable[Term]) -> dict[Term, str]:
    """A readable name per node, chosen as everywhere (languages.best_label): an English or untagged
    label, code or paragraph, in that order of properties, else a label in another language."""
    out: dict[Term, str] = {}
    for node in nodes:
        if isinstance(node, Literal):
            continue
        candidates = [(predicate, quad.object) for predicate in LABELS
                      for quad in store.quads_for_pattern(node, NamedNode(predicate), None)
                      if isinstance(quad.object, Literal)]
        best = best_label(candidates, FALLBACK, LABELS)
        if best is not None:
            label = best.value
            out[node] = label if len(label) <= 80 else label[:77] + "..."
    return out


def validate_inputs(parsed: dict[str, list[Triple]], files: dict[str, str],
                    root: Path | None = None) -> ValidationReport:
    """Validate every graph a build stores (graph name -> triples), naming each graph by its file; the
    graphs the build makes itself (`inferred`, `dataset`) by their names."""
    graphs = {files.get(name, name): triples for name, triples in parsed.items()}
    return validate_graphs(graphs, shapes=shapes_path(root))


def validate_files(paths: Sequence[Path], shipped: dict[str, list[Triple]], fmt_name: str | None = None,
                   root: Path | None = None, on_phase: Callable[[str], None] = lambda phase: None) -> ValidationReport:
    """Validate a user's files with the ontology and the shipped data (`build.shipped_graphs()`, by file);
    report on the files' nodes only."""
    on_phase(f"reading {plural(len(paths), 'file')}")
    user = {str(path): read_file(path, fmt_name) for path in paths}
    graphs = {**shipped, **user}
    return validate_graphs(graphs, report_files=list(user), shapes=shapes_path(root), on_phase=on_phase)
