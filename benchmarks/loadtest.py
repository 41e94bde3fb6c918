"""Load test of `wsisgraph serve`: concurrent clients asking the canned queries over HTTP.

    python benchmarks/loadtest.py [--clients 8] [--seconds 60] [--store DIR] [--record]

Starts `wsisgraph serve` on a free loopback port (or uses --endpoint), then runs --clients
threads for --seconds, each with its own keep-alive HTTP connection, asking every canned query in
queries/ with its example parameters (bound by query.py as for the embedded store) in turn, each
client starting at a different query, for a mix. An answer counts as an error unless it is
HTTP 200 with SPARQL JSON holding as many rows as the embedded store gives. Prints requests,
throughput, p50/p99 latency and errors, overall and per query; --record writes them into
benchmarks/RESULTS.md between this script's markers, leaving the other sections as they are.
"""

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

import report
from run import RESULTS, machine
from wsisgraph import build, query, serve, store
from wsisgraph.export import select_graphs
from wsisgraph.namespaces import graph_iri

BEGIN = "<!-- benchmarks/loadtest.py: begin (generated; edit the script, not this section) -->"
END = "<!-- benchmarks/loadtest.py: end -->"
ACCEPT = {"Accept": "application/sparql-results+json"}


@dataclass(frozen=True)
class Ask:
    """One canned query with its parameters bound, and how many rows the embedded store answers."""

    name: str
    text: str
    rows: int


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


def workload(location: Path) -> list[Ask]:
    """Every canned query with its example parameters, bound as `wsisgraph query` binds them."""
    engine = query.EmbeddedEngine(store.open_read_only(location))
    asks: list[Ask] = []
    for canned in query.catalog().values():
        values = {name: p.example for name, p in canned.params.items() if p.example}
        text = query.inject_values(canned.text, query.bind_params(engine, canned, values))
        asks.append(Ask(canned.name, text, len(engine.select(text).rows)))
    return asks


def check(response: httpx.Response, ask: Ask) -> str | None:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    rows = len(response.json()["results"]["bindings"])
    return None if rows == ask.rows else f"{rows} rows, expected {ask.rows}"


def dataset(location: Path) -> dict[str, list[str]]:
    """The protocol's graph parameters `wsisgraph query --endpoint` sends: the graphs of asserted facts."""
    graphs = [graph_iri(name).value for name in select_graphs(store.open_read_only(location), [], inferred=False)]
    return {"default-graph-uri": graphs, "named-graph-uri": graphs}


def client(endpoint: str, asks: list[Ask], graphs: dict[str, list[str]], start: int, deadline: float,
           tally: Tally) -> None:
    """Ask the queries in turn from `start` until the deadline, on one keep-alive connection."""
    with httpx.Client(timeout=60.0) as http:
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


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def milliseconds(value: float) -> str:
    return f"{value * 1000:.1f}"


def summary(tally: Tally, clients: int, seconds: float, triples: int) -> str:
    """A Markdown section: overall and per-query requests, throughput, latency and errors."""
    everything = [v for values in tally.latencies.values() for v in values]
    errors = sum(len(e) for e in tally.errors.values())
    m = machine()
    lines = [
        "## Load test: `wsisgraph serve` (oxigraph server, read-only)",
        "",
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB memory ({m['os']}); "
        f"oxigraph {serve_version()}, Python {m['versions']['python']}. {clients} concurrent clients (threads "
        f"of one Python process on the same machine, each on its own keep-alive connection) for {seconds:g} s, "
        f"asking the {len(tally.latencies)} canned queries with their example parameters in turn over "
        f"HTTP POST, SPARQL JSON results, naming the graphs of asserted facts as `wsisgraph query --endpoint` "
        f"does, on the shipped graph ({triples} quads in the store). "
        "An answer with another status or row count than the embedded store's counts as an error.",
        "",
        f"**{len(everything)} requests, {len(everything) / seconds:.1f} per second, "
        f"p50 {milliseconds(percentile(everything, 50))} ms, p99 {milliseconds(percentile(everything, 99))} ms, "
        f"{errors} errors.**",
        "",
        "| query | requests | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in sorted(tally.latencies.items()):
        lines.append(f"| {name} | {len(values)} | {milliseconds(percentile(values, 50))} | "
                     f"{milliseconds(percentile(values, 99))} | {len(tally.errors.get(name, []))} |")
    for name, found in sorted(tally.errors.items()):
        lines.append(f"\nErrors of {name} (first): {found[0]}")
    return "\n".join(lines) + "\n"


def serve_version() -> str:
    done = subprocess.run([serve.server_binary(), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().removeprefix("oxigraph ") or "unknown"


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", type=Path, help="a built store (default: build one in a temporary directory)")
    parser.add_argument("--record", action="store_true", help=f"write the results into {RESULTS}")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wsisgraph-loadtest-") as scratch:
        location = args.store or Path(scratch) / "store"
        if not store.exists(location):
            build.build(location)
        asks, graphs = workload(location), dataset(location)
        triples = len(store.open_read_only(location))
        port = free_port()
        server = start_server(location, port)
        try:
            tally = Tally()
            deadline = time.monotonic() + args.seconds
            endpoint = f"http://127.0.0.1:{port}/query"
            threads = [threading.Thread(target=client, args=(endpoint, asks, graphs, i, deadline, tally))
                       for i in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(30)
    section = summary(tally, args.clients, args.seconds, triples)
    print(section)
    if args.record:
        report.write(RESULTS, section, BEGIN, END)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
