"""Load test of `wsisgraph serve`: concurrent clients asking the canned queries over HTTP.

    python benchmarks/loadtest.py [--clients 8] [--seconds 60] [--store DIR] [--record]

Starts `wsisgraph serve` on a free loopback port, then a Virtuoso server on loopback loaded with the
same published named graphs (benchmarks/virtuoso.py; Debian's virtuoso-opensource-7-bin), and runs
on each two passes of --clients threads for --seconds each, every thread on its own keep-alive
HTTP connection, asking every canned query in queries/ with its example parameters (bound by
query.py, as `wsisgraph query` binds them) in turn, each thread starting at a different query,
for a mix:

- `named graphs`: as `wsisgraph query --endpoint` asks, naming the graphs of asserted facts in
  default-graph-uri and named-graph-uri; the row count must equal the embedded store's.
- `union`: as a generic SPARQL tool asks, with no graph parameters, so the server's default graph
  (the union of the published graphs) answers; the row count must equal the embedded store's.

Any other status or row count is an error. Prints requests, throughput, p50/p99 latency and
errors, overall and per query, and serve's throughput as a ratio of Virtuoso's on the same mix;
--record writes them into benchmarks/RESULTS.md between this script's markers, leaving the other
sections as they are.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from pyoxigraph import RdfFormat, Store

import report
import virtuoso
from run import RESULTS, machine
from wsisgraph.core.namespaces import graph_iri
from wsisgraph.graph import build, store
from wsisgraph.graph.export import select_graphs
from wsisgraph.publish import serve
from wsisgraph.sparql import query

BEGIN = "<!-- benchmarks/loadtest.py: begin (generated; edit the script, not this section) -->"
END = "<!-- benchmarks/loadtest.py: end -->"
ACCEPT = {"Accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class Ask:
    """One canned query with its parameters bound, and how many rows the answer must have."""

    name: str
    text: str
    rows: int


@dataclass(frozen=True)
class Mode:
    """How the clients name the dataset: protocol graph parameters, and the engine that sets the bar."""

    title: str
    graphs: dict[str, list[str]]
    rows: Callable[[str], int]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.setdefault(name, []).append(seconds)
            if error:
                self.errors.setdefault(name, []).append(error)


def modes(reader: Store) -> list[Mode]:
    """Both mixes expect the embedded store's answer: its default graph holds every published triple
    once, the union of the published graphs (`serve` publishes neither `inferred` nor a second copy)."""
    graphs = [graph_iri(name).value for name in select_graphs(reader, [], inferred=False)]
    embedded = query.EmbeddedEngine(reader)

    def rows(text: str) -> int:
        return len(embedded.select(text).rows)

    return [Mode("named graphs, as `wsisgraph query --endpoint` asks",
                 {"default-graph-uri": graphs, "named-graph-uri": graphs}, rows),
            Mode("union default graph, as a generic SPARQL tool asks", {}, rows)]


def workload(reader: Store, mode: Mode) -> list[Ask]:
    """Every canned query with its example parameters bound, and the row count the mode expects."""
    engine = query.EmbeddedEngine(reader)
    asks: list[Ask] = []
    for canned in query.catalog().values():
        values = {name: p.example for name, p in canned.params.items() if p.example}
        text = query.inject_values(canned.text, query.bind_params(engine, canned, values))
        asks.append(Ask(canned.name, text, mode.rows(text)))
    return asks


def check(response: httpx.Response, ask: Ask) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {' '.join(response.text.split())[:300]}"
    rows = len(response.json()["results"]["bindings"])
    return None if rows == ask.rows else f"{rows} rows, expected {ask.rows}"


def client(endpoint: str, asks: list[Ask], graphs: dict[str, list[str]], start: int, deadline: float,
           tally: Tally) -> None:
    """Ask the queries in turn from `start` until the deadline, on one keep-alive connection."""
    with httpx.Client(timeout=120.0) as http:
        turn = start
        while time.monotonic() < deadline:
            ask = asks[turn % len(asks)]
            turn += 1
            began = time.perf_counter()
            try:
                error = check(http.post(endpoint, data={"query": ask.text, **graphs}, headers=ACCEPT), ask)
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            tally.add(ask.name, time.perf_counter() - began, error)


def run_pass(endpoint: str, asks: list[Ask], mode: Mode, clients: int, seconds: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(endpoint, asks, mode.graphs, i, deadline, tally))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def milliseconds(value: float) -> str:
    return f"{value * 1000:.1f}"


def pass_lines(title: str, tally: Tally, seconds: float) -> list[str]:
    """One pass: the overall line, then a row per query."""
    everything = [v for values in tally.latencies.values() for v in values]
    lines = [f"### {title}", "",
             f"**{len(everything)} requests, {len(everything) / seconds:.1f} per second, "
             f"p50 {milliseconds(percentile(everything, 50))} ms, p99 {milliseconds(percentile(everything, 99))} ms, "
             f"{errors(tally)} errors.**", "",
             "| query | requests | p50 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|"]
    for name, values in sorted(tally.latencies.items()):
        lines.append(f"| {name} | {len(values)} | {milliseconds(percentile(values, 50))} | "
                     f"{milliseconds(percentile(values, 99))} | {len(tally.errors.get(name, []))} |")
    lines += [f"\nFirst error of {name}: {found[0]}" for name, found in sorted(tally.errors.items())]
    return [*lines, ""]


def summary(passes: list[tuple[str, str, Tally, float]], clients: int, seconds: float, quads: int) -> str:
    """`passes`: (engine, mode title, tally, load average as the pass began)."""
    m = machine()
    loads = ", ".join(f"{load:.1f}" for _, _, _, load in passes)
    lines = [
        "## Load test: `wsisgraph serve` against Virtuoso",
        "",
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB memory ({m['os']}); "
        f"oxigraph {serve_version()}, Virtuoso {m['versions'].get('virtuoso', 'unknown')}, Python "
        f"{m['versions']['python']}. `python benchmarks/loadtest.py`: {clients} concurrent clients (threads of one "
        f"Python process on the same machine, each on its own keep-alive connection) for {seconds:g} s per pass, "
        f"asking the canned queries with their example parameters in turn by HTTP POST for SPARQL JSON, on the "
        f"shipped graph ({quads} published quads), first of `wsisgraph serve`, then of a Virtuoso server loaded "
        f"with the same published named graphs. An answer with another status or row count than the embedded "
        f"store's is an error. The machine's 1-minute load average as each pass began: {loads} (a later pass's "
        f"figure still carries the pass before it; other work shared the machine too). The server and the clients "
        f"share its cores.",
        "",
        "| mix | `serve` req/s | Virtuoso req/s | ratio (bar: ≥ 1) | `serve` errors | Virtuoso errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rates = {(engine, title): (requests(tally) / seconds, errors(tally)) for engine, title, tally, _ in passes}
    for title in dict.fromkeys(title for _, title, _, _ in passes):
        ours, theirs = rates.get(("serve", title)), rates.get(("Virtuoso", title))
        if ours and theirs:
            lines.append(f"| {title} | {ours[0]:.1f} | {theirs[0]:.1f} | {ours[0] / theirs[0]:.2f} | {ours[1]} | "
                         f"{theirs[1]} |")
    lines.append("")
    for engine, title, tally, _ in passes:
        lines += pass_lines(f"{engine}: {title}", tally, seconds)
    return "\n".join(lines)


def requests(tally: Tally) -> int:
    return sum(len(values) for values in tally.latencies.values())


def errors(tally: Tally) -> int:
    return sum(len(found) for found in tally.errors.values())


def serve_version() -> str:
    done = subprocess.run([serve.server_binary(), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().removeprefix("oxigraph ") or "unknown"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(location: Path, port: int) -> subprocess.Popen:
    """`wsisgraph serve` on the store; returns once it answers."""
    process = subprocess.Popen([sys.executable, "-m", "wsisgraph", "serve", "--store", str(location),
                                "--port", str(port)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"wsisgraph serve exited with status {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/query", params={"query": "ASK {}"}, timeout=2).is_success:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("wsisgraph serve did not answer within 60 s")


def run_passes(engine: str, endpoint: str, reader: Store, clients: int, seconds: float
               ) -> list[tuple[str, str, Tally, float]]:
    passes = []
    for mode in modes(reader):
        asks = workload(reader, mode)
        load = os.getloadavg()[0]
        passes.append((engine, mode.title, run_pass(endpoint, asks, mode, clients, seconds), load))
    return passes


def run_virtuoso(reader: Store, clients: int, seconds: float, scratch: Path) -> list[tuple[str, str, Tally, float]]:
    """The same passes on Virtuoso, loaded with each published graph under its own name."""
    folder = scratch / "virtuoso-data"
    folder.mkdir()
    with virtuoso.Virtuoso(folder) as server:
        for name in select_graphs(reader, [], inferred=False):
            path = folder / f"{name.replace('/', '--')}.nt"
            reader.dump(str(path), RdfFormat.N_TRIPLES, from_graph=graph_iri(name))
            server.bulk_load(path, graph_iri(name).value)
        return run_passes("Virtuoso", server.endpoint, reader, clients, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each pass")
    parser.add_argument("--store", type=Path, help="a built store (default: build one in a temporary directory)")
    parser.add_argument("--record", action="store_true", help=f"write the results into {RESULTS}")
    args = parser.parse_args(argv)
    if not virtuoso.available():
        parser.error("virtuoso-t and isql-vt are not installed (apt-get install -y virtuoso-opensource-7-bin)")
    with tempfile.TemporaryDirectory(prefix="wsisgraph-loadtest-") as scratch:
        location = args.store or Path(scratch) / "store"
        if not store.exists(location):
            build.build(location)
        reader = store.open_read_only(location)
        port = free_port()
        server = start_server(location, port)
        try:
            passes = run_passes("serve", f"http://127.0.0.1:{port}/query", reader, args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(30)
        passes += run_virtuoso(reader, args.clients, args.seconds, Path(scratch))
        published = sum(1 for name in select_graphs(reader, [], inferred=False)
                        for _ in reader.quads_for_pattern(None, None, None, graph_iri(name)))
        section = summary(passes, args.clients, args.seconds, published)
    print(section)
    if args.record:
        report.write(RESULTS, section, BEGIN, END)
    return 1 if any(tally.errors for _, _, tally, _ in passes) else 0


if __name__ == "__main__":
    sys.exit(main())
