"""Serve the built store as a SPARQL 1.1 endpoint: the real oxigraph server, read-only, on loopback.

We run `oxigraph serve-read-only` (the server from the `oxigraph` package, the same version as
pyoxigraph, which wrote the store) rather than an HTTP server of our own: it brings the query
protocol (GET and POST), content negotiation (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples,
JSON-LD... for graphs), Graph Store reads at /store, CORS, and the query page at /. Updates
are refused by the read-only mode.

What it serves is what the project publishes (README, "For tool builders"): the asserted named
graphs and `dataset`, each quad once, and as default graph their union (`--union-default-graph`),
the same default graph the embedded `query` reads and a store filled by `push` shows. The built
store keeps, for the embedded engine's speed, a second copy of every asserted triple in its own
default graph, and the `inferred` graph; neither is published. So the server runs on a snapshot of
the published graphs, written next to the build when it starts (milliseconds on the shipped
graph, about ten seconds at a million triples) and removed when it stops.

The server is given the build that DIR/current points at, not the symlink itself: a rebuild
swaps the symlink and deletes the old build, so the server is restarted on the new build
as soon as the swap is seen, and never reads files from two builds.
"""

import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from wsisgraph import store
from wsisgraph.errors import WsisgraphError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 60
READY_WITHIN = 30.0
STOP_WITHIN = 10.0
WATCH_EVERY = 1.0


@dataclass
class Server:
    """A running oxigraph server process, the build it serves and the snapshot it reads."""

    process: subprocess.Popen
    build: Path
    url: str
    log: IO[bytes]
    snapshot: Path | None = None


PUBLISHED_EXCLUDES = {"inferred"}  # graphs the build keeps for itself


def write_snapshot(build: Path) -> Path:
    """The published graphs of a build in a fresh store of their own: named graphs only, each quad once."""
    from pyoxigraph import Store

    from wsisgraph.namespaces import graph_iri

    # beside builds/, not in it: a rebuild removes every other folder there while this one is served
    folder = Path(tempfile.mkdtemp(prefix=f".serve-{build.name}-", dir=build.parents[1]))
    try:
        source = Store.read_only(str(build))
        hidden = {graph_iri(name) for name in PUBLISHED_EXCLUDES}
        target = Store(str(folder))
        for graph in source.named_graphs():
            if graph not in hidden:
                target.bulk_extend(source.quads_for_pattern(None, None, None, graph))
        target.flush()
        del target, source  # closed, so the server can open the folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def server_binary() -> str:
    """The `oxigraph` command of this Python environment (same version as pyoxigraph), else on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise WsisgraphError("the oxigraph server is not installed; `pip install oxigraph` provides it")
    return found


def authority(host: str, port: int) -> str:
    """host:port, with IPv6 addresses in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Fail with a clear message when host:port cannot be bound (taken, or not an address of this machine)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise WsisgraphError(f"cannot serve on {host!r}: {exc.strerror}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as exc:
            raise port_error(host, port, exc.strerror or str(exc)) from exc


def port_error(host: str, port: int, reason: str) -> WsisgraphError:
    if "in use" in reason.lower():
        return WsisgraphError(f"port {port} on {host} is already in use (another server?); "
                              f"stop it or choose another with --port")
    return WsisgraphError(f"cannot listen on {authority(host, port)}: {reason}")


def probe_url(host: str, port: int) -> str:
    """Where to reach the server from here: a wildcard bind is reached through loopback."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://{authority(host, port)}/"


def log_tail(log: IO[bytes], lines: int = 5) -> str:
    log.seek(0)
    text = log.read().decode("utf-8", "replace").strip().splitlines()
    return " | ".join(line.strip() for line in text[-lines:])


def start(location: Path, host: str, port: int, timeout: int = DEFAULT_TIMEOUT) -> Server:
    """Start the server on the current build and wait until it answers a query."""
    build = store.current_path(location).resolve()
    check_port(host, port)
    snapshot = write_snapshot(build)
    log = tempfile.TemporaryFile()  # noqa: SIM115 -- the Server owns it; stop() closes it
    command = [server_binary(), "serve-read-only", "--location", str(snapshot), "--bind", authority(host, port),
               "--cors", "--union-default-graph"]
    if timeout:
        command += ["--timeout-s", str(timeout)]
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "RUST_BACKTRACE": "0"})
    except BaseException:
        shutil.rmtree(snapshot, ignore_errors=True)
        log.close()
        raise
    server = Server(process, build, probe_url(host, port), log, snapshot)
    try:
        wait_ready(server, host, port)
    except BaseException:
        stop(server)
        raise
    return server


def wait_ready(server: Server, host: str, port: int) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = log_tail(server.log)
            if "address already in use" in tail.lower():
                raise port_error(host, port, "address already in use")
            raise WsisgraphError(f"the oxigraph server exited with status {server.process.returncode}: {tail}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.url + "query", params={"query": "ASK {}"}, timeout=2.0).is_success:
                return
        time.sleep(0.05)
    raise WsisgraphError(f"the oxigraph server did not answer at {server.url} within {READY_WITHIN:g} s")


def terminate(process: subprocess.Popen, within: float = STOP_WITHIN) -> None:
    """SIGTERM, then SIGKILL if the process lingers; returns when it is gone."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(within)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stop(server: Server) -> None:
    """Stop the server, release its log and remove its snapshot."""
    terminate(server.process)
    server.log.close()
    if server.snapshot is not None:
        shutil.rmtree(server.snapshot, ignore_errors=True)


@contextlib.contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so `kill` also stops the server cleanly."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def announce(server: Server, location: Path, echo: Callable[[str], None]) -> None:
    url = server.url
    echo(f"serving {location} (build {server.build.name}) read-only at {url}\n"
         f"  query page   {url}\n"
         f"  SPARQL       {url}query  (GET or POST; JSON, XML, CSV or TSV results by Accept header)\n"
         f"  Graph Store  {url}store?graph=IRI  (reads only; Turtle, N-Triples, JSON-LD... by Accept header)\n"
         "Ctrl-C stops it.")


def serve(location: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: int = DEFAULT_TIMEOUT,
          echo: Callable[[str], None] = print) -> None:
    """Run the server until Ctrl-C or SIGTERM; restart it on the new build after a rebuild."""
    if not is_loopback(host):
        echo(f"warning: listening on {host}, not loopback: anyone who can reach it can query the graph")
    server = start(location, host, port, timeout)
    announce(server, location, echo)
    try:
        with interrupt_on_sigterm():
            while True:
                try:
                    status = server.process.wait(WATCH_EVERY)
                except subprocess.TimeoutExpired:
                    if store.current_path(location).resolve() != server.build:
                        stop(server)
                        server = start(location, host, port, timeout)
                        echo(f"store rebuilt: now serving build {server.build.name}")
                    continue
                if status == -signal.SIGINT:  # Ctrl-C at a terminal reaches the server too
                    raise KeyboardInterrupt
                raise WsisgraphError(f"the oxigraph server stopped (status {status}): {log_tail(server.log)}")
    except KeyboardInterrupt:
        echo("stopping the server")
    finally:
        stop(server)
    echo("stopped")
