"""SHACL validation three ways, with reports in one comparable form: plain pySHACL (the reference),
the package's store engine alone (src/wsisgraph/graph/validate/fast.py: every constraint as one
set-oriented SPARQL query over all its focus nodes, on pyoxigraph), and `wsisgraph validate` as
shipped (the store engine plus file attribution and labels).

pySHACL evaluates every constraint focus node by focus node in Python, and its SHACL-SPARQL
constraints run once per focus node through rdflib's SPARQL engine: on our shapes that is about a
minute for the shipped graph alone. Reports are compared as sets of (focus node, path, value,
constraint component, source shape, severity); the runner checks they are the same on the sizes
where pySHACL finishes.
"""

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat, Store, parse

from terms import normalise

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True, order=True)
class Finding:
    """One validation result, engine-neutral."""

    focus: str
    path: str
    value: str
    component: str
    shape: str
    severity: str


@dataclass
class Report:
    method: str
    results: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def conforms(self) -> bool:
        return not any(r.severity == sh("Violation") for r in self.results)

    def digest(self) -> str:
        text = json.dumps([list(vars(r).values()) for r in sorted(self.results)])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# The reference: plain pySHACL over an rdflib Graph, as `wsisgraph validate` would run it.
# --------------------------------------------------------------------------------------------

def reference_report(data: Path, shapes: Path) -> Report:
    """pySHACL without inference (the data carries the ontology, so subclasses are seen)."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF
    from rdflib.namespace import SH as RSH
    start = time.perf_counter()
    graph = Graph()
    graph.parse(str(data), format="turtle")
    shapes_graph = Graph()
    shapes_graph.parse(str(shapes), format="turtle")
    _, results, _ = pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    report = Report("plain pySHACL over an rdflib Graph")
    for result in results.subjects(RDF.type, RSH.ValidationResult):
        def one(predicate, result=result):
            return normalise(results.value(result, predicate))
        report.results.append(Finding(one(RSH.focusNode), one(RSH.resultPath), one(RSH.value),
                                      one(RSH.sourceConstraintComponent), one(RSH.sourceShape),
                                      one(RSH.resultSeverity)))
    report.seconds = time.perf_counter() - start
    return report


def project_report(data: Path, shapes: Path, engine: str = "store") -> Report:
    """`wsisgraph validate` as the project ships it (`validate.validate_graphs`: the store engine, pySHACL
    for any shape it does not translate; `engine="pyshacl"`: SHACL Core in pySHACL, as before)."""
    from wsisgraph.graph import validate
    start = time.perf_counter()
    triples = list(parse(path=str(data), format=RdfFormat.TURTLE))
    checked = validate.validate_graphs({"data": triples}, shapes=shapes, engine=engine)
    report = Report(f"wsisgraph validate ({engine} engine)")
    report.results = [finding(r) for r in checked.results]
    report.seconds = time.perf_counter() - start
    return report


# --------------------------------------------------------------------------------------------
# The store engine alone (src/wsisgraph/graph/validate/fast.py): every constraint as one SPARQL
# query over all its focus nodes, on an in-memory pyoxigraph store.
# --------------------------------------------------------------------------------------------

def fast_report(data: Path, shapes: Path) -> Report:
    """Load the data into an in-memory pyoxigraph store and run the package's store engine on it
    (no file attribution or labels: the engine's own cost)."""
    from wsisgraph.graph.validate import check
    from wsisgraph.graph.validate import shapes as shapes_module
    start = time.perf_counter()
    store = Store()
    store.bulk_load(path=str(data), format=RdfFormat.TURTLE)
    results = check.store_results(store, shapes_module.load(shapes))
    report = Report("SHACL as SPARQL on a pyoxigraph store", [finding(r) for r in results])
    report.seconds = time.perf_counter() - start
    return report


def finding(result) -> Finding:
    """A package ValidationResult in the comparable form."""
    return Finding(normalise(result.focus), project_path(result.path), normalise(result.value), f"<{result.component}>",
                   normalise(result.shape), sh(result.severity))


def project_path(path) -> str:
    """A predicate as <iri>; a complex path as a blank node (pySHACL's sh:resultPath is one)."""
    if not path:
        return ""
    return "_:" if path.operator else f"<{path.iri}>"


def sh(local: str) -> str:
    """A SHACL term in normalised form."""
    return f"<{SH}{local}>"


METHODS = {"store-engine": fast_report, "validate": project_report,
           "validate-pyshacl": lambda data, shapes: project_report(data, shapes, engine="pyshacl"),
           "pyshacl": reference_report}


def main(argv: list[str] | None = None) -> int:
    """Time each way on one data file (wall and CPU seconds: the machine may be shared), each in its
    own process (so peak memory is its own), and say whether their reports agree.
    `validate-pyshacl` is `wsisgraph validate` as it was before the store engine (SHACL Core in
    pySHACL, SHACL-SPARQL on the store)."""
    import argparse
    import subprocess
    import sys
    parser = argparse.ArgumentParser(description=main.__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a Turtle file (benchmarks/generate.py --faults N)")
    parser.add_argument("--methods", default="store-engine,validate,validate-pyshacl",
                        help=f"comma-separated, of: {', '.join(METHODS)}")
    parser.add_argument("--shapes", type=Path, default=Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl")
    parser.add_argument("--worker", choices=list(METHODS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        cpu = time.process_time()
        report = METHODS[args.worker](args.data, args.shapes)
        cpu = time.process_time() - cpu
        status = Path("/proc/self/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        print(json.dumps({"method": args.worker, "seconds": round(report.seconds, 2), "cpu_seconds": round(cpu, 2),
                          "results": len(report.results), "digest": report.digest(), "peak_mib": peak // 1024,
                          "load": round(os.getloadavg()[0], 1)}))
        return 0
    digests = set()
    for method in args.methods.split(","):
        done = subprocess.run([sys.executable, __file__, str(args.data), "--shapes", str(args.shapes),
                               "--worker", method], capture_output=True, text=True, check=True)
        print(done.stdout.strip(), flush=True)
        digests.add(json.loads(done.stdout)["digest"])
    print("same report" if len(digests) == 1 else "REPORTS DIFFER")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
