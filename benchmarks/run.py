"""Benchmark the embedded store against plain rdflib (and Virtuoso) on generated graphs.

    python benchmarks/run.py --sizes 10k,100k,1m [--virtuoso]

For the shipped graph and each size, generate.py makes one Turtle file (the real graph plus that
many synthetic activity triples), and every engine loads that same file: pyoxigraph in memory and
on disk (the embedded default), a plain rdflib Graph (what a Python user would otherwise use), and
with --virtuoso a Virtuoso server on loopback. Each engine runs in its own subprocess so its peak
resident memory is its own. Per engine: load time, every canned query in queries/ with its example
parameters (median of repeats after a warm-up; a query slower than --budget is measured once, and
one slower than --cap is stopped and reported as capped, never guessed), the Turtle export, SHACL
validation against ontology/shapes.ttl and peak memory. Answers are compared across engines and
differences reported. The tables and the quality bars go into benchmarks/RESULTS.md between this
script's markers; the rest of that file is left as it is.
"""

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import RdfFormat, Store

import generate
import report
import shacl
import virtuoso
from report import EMBEDDED, seconds
from terms import normalise
from wsisgraph.core import resources
from wsisgraph.core.namespaces import graph_iri
from wsisgraph.core.output import atomic_output, write_atomic
from wsisgraph.graph import build, export
from wsisgraph.sparql import query

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
BEGIN = "<!-- benchmarks/run.py: begin (generated; edit the script, not this section) -->"
END = "<!-- benchmarks/run.py: end -->"
BENCH_GRAPH = graph_iri("benchmark")
ENGINES = (*EMBEDDED, "rdflib", "virtuoso")
SAMPLE_ROWS = 2000  # answers up to this many rows travel whole, so a difference can be shown
SHIPPED = "shipped"
# Formats the embedded engines also export (Turtle is timed on every engine); compact `jsonld` streams
# too, node by node.
EMBEDDED_EXPORTS = tuple(f for f in export.FORMATS if f != "turtle")
NOT_VALIDATED = {"dataset", "inferred"}  # graphs a build makes itself; SHACL is timed on the input graphs


# --------------------------------------------------------------------------------------------
# Worker side: one engine, one phase, in its own process; prints one JSON line on stdout.
# --------------------------------------------------------------------------------------------

class Capped(BaseException):
    """The time limit of one measured step ran out. A BaseException, so that library code catching
    Exception (rdflib's serialiser does) cannot swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the step after `seconds` (SIGALRM; rdflib is pure Python, so it stops at once)."""
    def expire(signum, frame):
        raise Capped()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


Rows = list[list[str]]


def load_as_built(target: Store, path: Path) -> None:
    """Lay the data out as `wsisgraph build` does: in a named graph, and again in the default graph
    that EmbeddedEngine reads."""
    target.bulk_load(path=str(path), format=RdfFormat.TURTLE, to_graph=BENCH_GRAPH)
    target.bulk_load(path=str(path), format=RdfFormat.TURTLE)


class OxigraphMemory:
    """pyoxigraph in memory, queried through the project's EmbeddedEngine."""

    name = "oxigraph-memory"

    def __init__(self, workdir: Path, data: Path):
        self.workdir = workdir
        self.store = Store()

    def load(self, path: Path) -> None:
        load_as_built(self.store, path)

    def select(self, text: str) -> Rows:
        result = query.EmbeddedEngine(self.store).select(text)
        return [[normalise(term) for term in row] for row in result.rows]

    def export(self, fmt: str) -> int:
        """`wsisgraph export` of everything loaded: streamed to a file, which is then removed."""
        target = self.workdir / f"export.{fmt}"
        with atomic_output(target) as out:
            written = export.write(self.store, fmt, export.graph_names(self.store), out)
        target.unlink()
        return written

    def export_turtle(self) -> int:
        return self.export("turtle")

    def close(self) -> None:
        del self.store


class OxigraphDisk(OxigraphMemory):
    """pyoxigraph on disk, written the way `wsisgraph build` writes (in a process of its own, as a build
    runs) and opened read-only as readers do: this process is a reader, and its peak memory a reader's.
    The writer's peak is recorded apart."""

    name = "oxigraph-disk"

    def load(self, path: Path) -> None:
        location = self.workdir / "oxigraph-disk"
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--phase", "write-disk", "--data",
                               str(path), "--location", str(location)], stdout=subprocess.PIPE, text=True, check=True)
        written = json.loads(done.stdout.strip().splitlines()[-1])
        self.writer_peak_rss_kib = written["peak_rss_kib"]
        self.store = Store.read_only(str(location))
        if len(self.store) != written["quads"]:  # a reader must see every quad the writer wrote
            raise RuntimeError(f"read-only store holds {len(self.store)} quads, the writer wrote {written['quads']}")


def write_disk(data: Path, location: Path) -> dict:
    """The on-disk store as the build writes it; its size and this writer's peak memory."""
    writer = Store(str(location))
    load_as_built(writer, data)
    writer.flush()
    writer.optimize()
    return {"quads": len(writer), "peak_rss_kib": own_peak_rss_kib()}


class Rdflib:
    """A plain in-memory rdflib Graph: the baseline."""

    name = "rdflib"

    def __init__(self, workdir: Path, data: Path):
        from rdflib import Graph
        self.graph = Graph()

    def load(self, path: Path) -> None:
        self.graph.parse(str(path), format="turtle")

    def select(self, text: str) -> Rows:
        result = self.graph.query(text)
        variables = [str(v) for v in result.vars]
        return [[normalise(row.get(v) if hasattr(row, "get") else row[i]) for i, v in enumerate(variables)]
                for row in result]

    def export_turtle(self) -> int:
        return len(self.graph.serialize(format="turtle", encoding="utf-8"))

    def close(self) -> None:
        del self.graph


class VirtuosoEngine:
    """A Virtuoso server on loopback, bulk-loaded with the same file, queried over HTTP. The server
    starts before the clock does: load time is ld_dir + rdf_loader_run + checkpoint."""

    name = "virtuoso"

    def __init__(self, workdir: Path, data: Path):
        self.server = virtuoso.Virtuoso(data.parent).__enter__()
        self.timeout = 3600.0

    def load(self, path: Path) -> None:
        self.server.bulk_load(path, BENCH_GRAPH.value)

    def select(self, text: str) -> Rows:
        answer = self.server.select(text, self.timeout, BENCH_GRAPH.value)
        variables = answer["head"].get("vars", [])
        return [[normalise(binding.get(v)) for v in variables] for binding in answer["results"]["bindings"]]

    def export_turtle(self) -> int:
        construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        return len(self.server.request(construct, "text/turtle", self.timeout, BENCH_GRAPH.value))

    def peak_rss_kib(self) -> int | None:
        return self.server.peak_rss_kib()

    def close(self) -> None:
        self.server.stop()


WORKERS: dict[str, Callable[[Path, Path], object]] = {
    "oxigraph-memory": OxigraphMemory, "oxigraph-disk": OxigraphDisk, "rdflib": Rdflib, "virtuoso": VirtuosoEngine,
}


def answer_summary(rows: Rows) -> dict:
    """Row count, a digest of the sorted rows, and the rows themselves when there are few."""
    ordered = sorted(rows)
    text = json.dumps(ordered, ensure_ascii=False)
    summary = {"rows": len(rows), "digest": hashlib.sha256(text.encode()).hexdigest()[:16]}
    if len(rows) <= SAMPLE_ROWS:
        summary["answer"] = ordered
    return summary


def timed(step: Callable[[], object], cap: float) -> tuple[float, object]:
    start = time.perf_counter()
    with time_limit(cap):
        value = step()
    return time.perf_counter() - start, value


def measure_query(engine, text: str, repeats: int, budget: float, cap: float) -> dict:
    """Warm-up, then up to `repeats` timed runs within `budget` seconds; the median counts.

    A warm-up slower than the budget is itself the one measurement (engines without caches, like
    rdflib, gain nothing from a second run); one slower than the cap is stopped and reported as such.
    """
    if hasattr(engine, "timeout"):
        engine.timeout = cap
    try:
        first, rows = timed(lambda: engine.select(text), cap)
    except Capped:
        return {"capped": cap}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    times = [first] if first > budget else []
    spent = 0.0
    while len(times) < repeats and first <= budget and spent <= budget:
        elapsed, _ = timed(lambda: engine.select(text), cap)
        times.append(elapsed)
        spent += elapsed
    return {"median": statistics.median(times), "n": len(times), **answer_summary(rows)}


def own_peak_rss_kib() -> int:
    """This process's peak resident set (VmHWM). Not getrusage's ru_maxrss: Linux carries that over
    exec from the parent, so every worker would report at least the runner's own peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_rss_kib(engine) -> int:
    server = engine.peak_rss_kib() if hasattr(engine, "peak_rss_kib") else None
    return server if server is not None else own_peak_rss_kib()


def engine_phase(name: str, data: Path, queries: dict[str, str], args: argparse.Namespace, workdir: Path) -> dict:
    """Load, every query, the Turtle export and peak memory of one engine."""
    engine = WORKERS[name](workdir, data)
    out: dict = {"engine": name, "rss_before_load_kib": own_peak_rss_kib()}
    try:
        try:
            out["load"], _ = timed(lambda: engine.load(data), args.cap * 10)
        except Capped:
            out["load_capped"] = args.cap * 10
            return out
        log(f"  {name}: loaded in {out['load']:.2f} s")
        out["queries"] = {}
        for qname, text in queries.items():
            result = measure_query(engine, text, args.repeats, args.budget, args.cap)
            out["queries"][qname] = result
            log(f"  {name}: {qname}: {describe(result)}")
        try:
            elapsed, size = timed(engine.export_turtle, args.cap)
            out["export"] = {"seconds": elapsed, "bytes": size}
        except Capped:
            out["export"] = {"capped": args.cap}
        except Exception as exc:  # an engine that cannot export still has its other measurements
            out["export"] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        if hasattr(engine, "export"):
            out["exports"] = {}
            for fmt in EMBEDDED_EXPORTS:
                try:
                    elapsed, size = timed(lambda f=fmt: engine.export(f), args.cap)
                    out["exports"][fmt] = {"seconds": elapsed, "bytes": size}
                except Capped:
                    out["exports"][fmt] = {"capped": args.cap}
            log(f"  {name}: exports {out['exports']}")
        out["peak_rss_kib"] = peak_rss_kib(engine)
        if hasattr(engine, "writer_peak_rss_kib"):
            out["writer_peak_rss_kib"] = engine.writer_peak_rss_kib
    finally:
        engine.close()
    return out


SHACL_METHODS = {"oxigraph-memory": shacl.fast_report, "rdflib": shacl.reference_report,
                 "project": shacl.project_report}


def shacl_phase(name: str, data: Path, args: argparse.Namespace) -> dict:
    """SHACL validation: plain pySHACL over an rdflib Graph (the baseline, and the reference report),
    or the project's fast way over pyoxigraph."""
    shapes = resources.resource_root() / "ontology" / "shapes.ttl"
    if not shapes.exists():
        return {"engine": name, "skipped": "no ontology/shapes.ttl yet"}
    validate = SHACL_METHODS[name]
    try:
        elapsed, report = timed(lambda: validate(data, shapes), args.shacl_cap)
    except Capped:
        return {"engine": name, "capped": args.shacl_cap}
    return {"engine": name, "seconds": elapsed, "conforms": report.conforms, "results": len(report.results),
            "violations": sum(r.severity.endswith("Violation>") for r in report.results),
            "digest": report.digest(), "method": report.method,
            "peak_rss_kib": own_peak_rss_kib()}


def build_phase(args: argparse.Namespace, workdir: Path) -> dict:
    """Build of the shipped graph (parse, validate when the build does, store), median of repeats."""
    times = []
    for number in range(max(3, args.repeats)):
        location = workdir / f"build-{number}"
        elapsed, _ = timed(lambda loc=location: build.build(loc), args.cap)
        times.append(elapsed)
        shutil.rmtree(location, ignore_errors=True)
    return {"median": statistics.median(times), "n": len(times)}


def worker(args: argparse.Namespace) -> int:
    if args.phase == "write-disk":
        print(json.dumps(write_disk(args.data, args.location)))
        return 0
    with tempfile.TemporaryDirectory(prefix="wsisgraph-bench-") as scratch:
        if args.phase == "build":
            out = build_phase(args, Path(scratch))
        elif args.phase == "shacl":
            out = shacl_phase(args.worker, args.data, args)
        else:
            queries = json.loads(args.queries.read_text())
            out = engine_phase(args.worker, args.data, queries, args, Path(scratch))
    print(json.dumps(out))
    return 0


# --------------------------------------------------------------------------------------------
# Parent side: generate the data, run the workers, compare answers, write RESULTS.md.
# --------------------------------------------------------------------------------------------

def describe(result: dict) -> str:
    if "capped" in result:
        return f"capped at {result['capped']:g} s"
    if "error" in result:
        return f"error: {result['error']}"
    return f"{seconds(result['median'])} (n={result['n']}, {result['rows']} rows)"


def canned_queries() -> tuple[dict[str, str], dict[str, str]]:
    """Each canned query bound to its example parameters (resolved once, on the real graph), and
    the queries left out with the reason."""
    engine = query.EmbeddedEngine(generate.real_graph())
    texts, skipped = {}, {}
    for name, canned in query.catalog().items():
        values = {p.name: p.example for p in canned.params.values() if p.example is not None}
        try:
            texts[name] = query.inject_values(canned.text, query.bind_params(engine, canned, values))
        except Exception as exc:
            skipped[name] = str(exc)
    return texts, skipped


def spawn(args: argparse.Namespace, phase: str, engine: str, data: Path | None = None,
          queries: Path | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, "--phase", phase,
               "--repeats", str(args.repeats), "--budget", str(args.budget), "--cap", str(args.cap),
               "--shacl-cap", str(args.shacl_cap)]
    if data:
        command += ["--data", str(data)]
    if queries:
        command += ["--queries", str(queries)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"engine": engine, "failed": f"worker exited with {done.returncode}"}
    return json.loads(lines[-1])


def compare_answers(engines: dict[str, dict], names: list[str]) -> dict[str, dict]:
    """Per query: which engine's answer the others were compared with, and those that differ and how."""
    verdicts = {}
    for qname in names:
        answers = {e: r["queries"][qname] for e, r in engines.items()
                   if qname in r.get("queries", {}) and "digest" in r["queries"][qname]}
        reference = next((e for e in ENGINES if e in answers), None)
        differing = {engine: f"{answer['rows']} rows vs {answers[reference]['rows']} "
                             f"({first_difference(answers[reference].get('answer'), answer.get('answer'))})"
                     for engine, answer in answers.items() if answer["digest"] != answers[reference]["digest"]}
        verdicts[qname] = {"reference": reference, "answered": sorted(answers), "differing": differing}
    return verdicts


def first_difference(expected: Rows | None, got: Rows | None) -> str:
    if expected is None or got is None:
        return "too many rows to show"
    missing = [row for row in expected if row not in got]
    extra = [row for row in got if row not in expected]
    parts = []
    if missing:
        parts.append(f"lacks {' | '.join(missing[0])}")
    if extra:
        parts.append(f"adds {' | '.join(extra[0])}")
    return ", ".join(parts) or "same rows, different multiplicities"


def run_size(args: argparse.Namespace, label: str, triples: int, workdir: Path, queries_file: Path,
             names: list[str]) -> dict:
    load_before = os.getloadavg()[0]
    data = workdir / f"data-{label}.ttl"
    log(f"[{label}] generating {triples} activity triples (seed {args.seed})")
    store = generate.generate(triples, args.seed)
    published = export.select_graphs(store, None, inferred=False)
    total = sum(1 for name in published for _ in store.quads_for_pattern(None, None, None, graph_iri(name)))
    with atomic_output(data) as out:
        export.write(store, "turtle", published, out)
    del store
    engines = {}
    for engine in args.engines:
        log(f"[{label}] {engine}")
        engines[engine] = spawn(args, "engine", engine, data, queries_file)
    data.unlink()
    validation = {}
    if not args.no_shacl:
        faulty = workdir / f"data-{label}-faults.ttl"
        store = generate.generate(triples, args.seed, faults=2 * len(generate.FAULTS))
        checked = [g for g in export.graph_names(store) if g not in NOT_VALIDATED]
        with atomic_output(faulty) as out:
            export.write(store, "turtle", checked, out)
        del store
        for engine in SHACL_METHODS:
            if engine == "rdflib" and label not in args.reference_sizes.split(","):
                validation[engine] = {"engine": engine, "not_run": "not in --reference-sizes"}
                continue
            log(f"[{label}] SHACL: {engine}")
            validation[engine] = spawn(args, "shacl", engine, faulty)
            log(f"  {validation[engine]}")
        faulty.unlink()
    return {"label": label, "activity_triples": triples, "quads": total, "engines": engines,
            "shacl": validation, "faults": 0 if args.no_shacl or not triples else 2 * len(generate.FAULTS),
            "agreement": compare_answers(engines, names), "load_average": [load_before, os.getloadavg()[0]]}


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    memory = re.search(r"MemTotal:\s+(\d+)", meminfo)
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    versions = {name: importlib.metadata.version(name) for name in ("pyoxigraph", "rdflib", "pyshacl")}
    versions["python"] = platform.python_version()
    versions["wsisgraph"] = importlib.metadata.version("wsisgraph")
    if virtuoso.available():
        versions["virtuoso"] = virtuoso.Virtuoso.version(None).removeprefix("Version ")
    return {"cores": os.cpu_count(), "memory_gib": round(int(memory.group(1)) / 2**20, 1) if memory else None,
            "cpu": model.group(1).strip() if model else platform.processor(), "os": platform.platform(),
            "versions": versions, "date": datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m",
                        help="synthetic activity triples per run, comma-separated (the shipped graph is run first)")
    parser.add_argument("--virtuoso", action="store_true", help="also run a Virtuoso server on loopback")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query after the warm-up")
    parser.add_argument("--budget", type=float, default=10.0,
                        help="seconds of repeats per query; a warm-up slower than this is the one measurement")
    parser.add_argument("--cap", type=float, default=120.0,
                        help="time limit per query or export (loads get 10x); a capped step is reported as such")
    parser.add_argument("--shacl-cap", type=float, default=900.0, help="time limit of one SHACL validation")
    parser.add_argument("--no-shacl", action="store_true", help="skip SHACL validation")
    parser.add_argument("--no-build", action="store_true", help="skip timing the build of the shipped graph")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped graph (run only --sizes)")
    parser.add_argument("--engines", default=",".join(ENGINES[:3]),
                        help="engines to run, comma-separated (--virtuoso adds virtuoso)")
    parser.add_argument("--reference-sizes", default=f"{SHIPPED},10k",
                        help="sizes to run plain pySHACL on too, to compare reports (it takes minutes per 10k)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="markdown file to write the section into")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--worker", choices=(*ENGINES, "project"), help=argparse.SUPPRESS)
    parser.add_argument("--phase", choices=("engine", "shacl", "build", "write-disk"), default="engine",
                        help=argparse.SUPPRESS)
    parser.add_argument("--location", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker or args.phase == "write-disk":
        return worker(args)
    sizes = [] if args.no_shipped else [(SHIPPED, 0)]
    sizes += [(s.strip(), generate.parse_size(s)) for s in args.sizes.split(",") if s.strip()]
    args.engines = [e for e in args.engines.split(",") if e]
    unknown = sorted(set(args.engines) - set(ENGINES))
    if unknown:
        parser.error(f"--engines: unknown {', '.join(unknown)} (known: {', '.join(ENGINES)})")
    if args.virtuoso and "virtuoso" not in args.engines:
        args.engines.append("virtuoso")
    if "virtuoso" in args.engines and not virtuoso.available():
        parser.error("virtuoso-t and isql-vt are not installed (apt-get install -y virtuoso-opensource-7-bin)")
    texts, skipped = canned_queries()
    settings = {k: getattr(args, k) for k in ("seed", "repeats", "budget", "cap", "shacl_cap", "reference_sizes",
                                              "engines")}
    results = {"machine": machine(), "settings": settings, "skipped_queries": skipped, "sizes": []}
    with tempfile.TemporaryDirectory(prefix="wsisgraph-bench-") as scratch:
        workdir = Path(scratch)
        queries_file = workdir / "queries.json"
        queries_file.write_text(json.dumps(texts))
        if not args.no_build:
            log("[build] shipped graph")
            results["build"] = spawn(args, "build", "oxigraph-disk")
        for label, triples in sizes:
            results["sizes"].append(run_size(args, label, triples, workdir, queries_file, list(texts)))
            if args.json:
                write_atomic(args.json, json.dumps(results, indent=1).encode())
    report.write(args.results, report.render(results), BEGIN, END)
    log(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
