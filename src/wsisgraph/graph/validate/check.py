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

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple, Variable

from wsisgraph.core.languages import FALLBACK, best_label
from wsisgraph.core.namespaces import PREFIXES, WSIS
from wsisgraph.graph.validate.fast import compile_shapes
from wsisgraph.graph.validate.fast import run as run_checks
from wsisgraph.graph.validate.files import load_file, read_file
from wsisgraph.graph.validate.reference import core_results
from wsisgraph.graph.validate.report import Term, ValidationReport, ValidationResult, plural
from wsisgraph.graph.validate.shapes import Shapes, load, shapes_path

ENGINES = ("store", "pyshacl")
# The graphs `validate_files` loads each user's file and each shipped file into (never published).
FILE_GRAPH = "urn:wsisgraph:validate:file:"
SHIPPED_GRAPH = "urn:wsisgraph:validate:shipped:"
LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "notation",
          WSIS + "paragraph")


def validate_graphs(graphs: dict[str, list[Triple]], report_files: Sequence[str] | None = None,
                    shapes: Path | None = None, on_phase: Callable[[str], None] = lambda phase: None,
                    engine: str = "store") -> ValidationReport:
    """Validate the union of `graphs` (file label -> triples; include the ontology).

    With `report_files`, only results whose focus node is described (is a subject) in one of those
    files are kept, and each result names the first of them that describes it.
    """
    store = Store()
    # Quad(s, p, o) is the default graph; naming DefaultGraph() for each triple doubles the load's cost.
    store.bulk_extend(Quad(t.subject, t.predicate, t.object) for ts in graphs.values() for t in ts)
    order = list(report_files or []) + [name for name in graphs if name not in (report_files or [])]

    def origin(nodes: set[Term]) -> dict[Term, str]:
        return _origin(nodes, [(name, graphs.get(name, [])) for name in order])

    total = sum(len(triples) for triples in graphs.values())
    return _report(store, False, total, sorted(graphs), origin, report_files, shapes, on_phase, engine)


def _report(store: Store, union: bool, total: int, files: list[str], origin_of: Callable[[set[Term]], dict[Term, str]],
            report_files: Sequence[str] | None, shapes: Path | None, on_phase: Callable[[str], None],
            engine: str) -> ValidationReport:
    """Validate what `store` holds (its default graph, or with `union` all its graphs), keep the
    results about the nodes of `report_files` (by `origin_of`: node -> file label), label and sort them."""
    loaded = load(shapes or shapes_path())
    on_phase(f"validating {total} triples")
    results = store_results(store, loaded, engine, on_phase, union)
    on_phase(f"sorting and labelling {len(results)} results")
    origin = origin_of({r.focus for r in results})
    if report_files is not None:
        wanted = set(report_files)
        results = [r for r in results if origin.get(r.focus) in wanted]
    labels = _labels(store, {r.focus for r in results})
    results = sorted({ValidationResult(r.severity, r.focus, r.path, r.value, r.message, r.shape, r.constraint,
                                       r.component, origin.get(r.focus), labels.get(r.focus)) for r in results},
                     key=ValidationResult.sort_key)
    return ValidationReport(results, total, files)


class _Union:
    """A store whose SPARQL default graph is the union of all its graphs: what the engine reads when
    each file is loaded into a graph of its own (`validate_files`)."""

    def __init__(self, store: Store):
        self.store = store

    def query(self, text: str):
        return self.store.query(text, use_default_graph_as_union=True)


def store_results(store: Store, loaded: Shapes, engine: str = "store",
                  on_phase: Callable[[str], None] = lambda phase: None, union: bool = False) -> list[ValidationResult]:
    """Every result of the shapes on the data in the store's default graph (with `union`, in all its
    graphs): the store engine for what it translates (everything, with `engine="store"`; only
    SHACL-SPARQL with "pyshacl"), pySHACL for the SHACL Core constraints of the other shapes."""
    data = _Union(store) if union else store
    compiled = compile_shapes(loaded, data, core=engine == "store")
    on_phase(f"{len(compiled.checks)} constraints as SPARQL")
    results = list(run_checks(data, compiled.checks))
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
    report on the files' nodes only.

    Each file is parsed by the store into a graph of its own (files.load_file: no Python term per
    triple), and the engine reads the union of the graphs; the graphs tell which file describes a
    node. The store labels the files' blank nodes at random, so a report about one of them is made
    again the slower way, with the stable labels `read_file` gives, and reads the same every time."""
    on_phase(f"reading {plural(len(paths), 'file')}")
    store = Store()
    user = {str(path): NamedNode(f"{FILE_GRAPH}{number}") for number, path in enumerate(dict.fromkeys(paths))}
    for path in dict.fromkeys(paths):
        load_file(store, path, user[str(path)], fmt_name)
    others = {name: triples for name, triples in shipped.items() if name not in user}
    named = {name: NamedNode(f"{SHIPPED_GRAPH}{number}") for number, name in enumerate(others)}
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, named[name]) for name, ts in others.items() for t in ts)
    graphs = {**user, **named}

    def origin(nodes: set[Term]) -> dict[Term, str]:
        """The first graph, the user's files first, that describes each node."""
        found: dict[Term, str] = {}
        for node in nodes:
            if not isinstance(node, Literal):
                found_in = (name for name, graph in graphs.items()
                            if next(iter(store.quads_for_pattern(node, None, None, graph)), None) is not None)
                name = next(found_in, None)
                if name is not None:
                    found[node] = name
        return found

    total = sum(_count(store, graph) for graph in user.values()) + sum(len(ts) for ts in others.values())
    report = _report(store, True, total, sorted({**shipped, **user}), origin, list(user), shapes_path(root),
                     on_phase, "store")
    shipped_blank = {term for ts in others.values() for t in ts for term in (t.subject, t.object)
                     if isinstance(term, BlankNode)}
    if any(isinstance(term, BlankNode) and term not in shipped_blank
           for r in report.results for term in (r.focus, r.value)):
        on_phase("labelling the files' blank nodes stably")
        files = {str(path): read_file(path, fmt_name) for path in dict.fromkeys(paths)}
        return validate_graphs({**shipped, **files}, report_files=list(files), shapes=shapes_path(root),
                               on_phase=on_phase)
    return report


def _count(store: Store, graph: NamedNode) -> int:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                       substitutions={Variable("g"): graph})
    return sum(int(row["n"].value) for row in rows)
