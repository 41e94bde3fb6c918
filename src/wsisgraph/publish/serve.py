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

The oxigraph server listens on a loopback port of its own; `serve` listens on --host/--port and
forwards each request to it (`Front`). That front is what makes three things hold:

- a rebuild swaps without refusing a connection: a second oxigraph server starts on the new
  build, new requests go to it, and the old one stops once its requests are answered;
- a query that runs past --timeout gets `503 Service Unavailable` before any byte of a body
  (oxigraph itself streams results, so its own timeout cuts a 200 answer off mid-body); the
  answer is held until complete, which is fine for this graph's sizes;
- the oxigraph server dies with `serve`, even of SIGKILL (Linux `PR_SET_PDEATHSIG`), and is
  never left listening on its own.
"""

import contextlib
import ctypes
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

import httpx

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.graph import store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 60
READY_WITHIN = 30.0
STOP_WITHIN = 10.0
WATCH_EVERY = 1.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h
MAX_HELD = 256 * 2**20  # bytes of one answer the front holds; past it, the request is refused
# Headers about one connection, not the message: never forwarded (Content-Length is recomputed).
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "host", "content-length"}


@dataclass
class Server:
    """A running oxigraph server process, the build it serves and the snapshot it reads."""

    process: subprocess.Popen
    build: Path
    url: str
    log: IO[bytes]
    snapshot: Path | None = None
    active: int = 0  # requests the front is forwarding to it


PUBLISHED_EXCLUDES = {"inferred"}  # graphs the build keeps for itself


def write_snapshot(build: Path) -> Path:
    """The published graphs of a build in a fresh store of their own: named graphs only, each quad once."""
    from pyoxigraph import Store

    from wsisgraph.core.namespaces import graph_iri

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


def die_with_parent() -> None:
    """In the child before exec: the kernel kills it when `serve` dies, even of SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def start(location: Path, timeout: int = DEFAULT_TIMEOUT, attempts: int = 3) -> Server:
    """Start an oxigraph server on a snapshot of the current build, on a free loopback port, and
    wait until it answers a query."""
    reading = store.open_current(location)  # holds the build while the snapshot is taken
    try:
        build = reading.build
        snapshot = write_snapshot(build)
    finally:
        reading.close()
    for attempt in range(attempts):
        port = free_loopback_port()
        log = tempfile.TemporaryFile()  # noqa: SIM115 -- the Server owns it; stop() closes it
        command = [server_binary(), "serve-read-only", "--location", str(snapshot),
                   "--bind", authority(DEFAULT_HOST, port), "--cors", "--union-default-graph"]
        if timeout:  # a backstop: the front answers 503 at `timeout`, oxigraph stops working soon after
            command += ["--timeout-s", str(timeout + 1)]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       env={**os.environ, "RUST_BACKTRACE": "0"},
                                       preexec_fn=die_with_parent if sys.platform == "linux" else None)
        except BaseException:
            shutil.rmtree(snapshot, ignore_errors=True)
            log.close()
            raise
        server = Server(process, build, probe_url(DEFAULT_HOST, port), log, snapshot)
        try:
            wait_ready(server, DEFAULT_HOST, port)
            return server
        except WsisgraphError as exc:
            if "already in use" not in str(exc) or attempt + 1 == attempts:
                stop(server)
                raise
            terminate(server.process)  # the port was taken meanwhile: another one, same snapshot
            server.log.close()
        except BaseException:
            stop(server)
            raise
    raise AssertionError("unreachable")


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind((DEFAULT_HOST, 0))
        return probe.getsockname()[1]


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


class QueryTimedOut(Exception):
    """The oxigraph server did not finish its answer within --timeout."""


class AnswerTooLarge(Exception):
    """The answer grew past MAX_HELD before it was complete."""


class Front(ThreadingHTTPServer):
    """The listener users reach: forwards every request to the current oxigraph server."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, timeout: int, backend: Server | None = None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise WsisgraphError(f"cannot serve on {host!r}: {exc.strerror}") from exc
        self.address_family = infos[0][0]
        try:
            super().__init__(infos[0][4][:2], Forward)
        except OSError as exc:
            raise port_error(host, port, exc.strerror or str(exc)) from exc
        self.query_timeout = timeout
        self.backend = backend
        self.guard = threading.Lock()
        self.client = httpx.Client(timeout=None, limits=httpx.Limits(max_connections=64))

    def switch(self, backend: Server) -> Server | None:
        """Send new requests to `backend`; returns the previous one."""
        with self.guard:
            previous, self.backend = self.backend, backend
        return previous

    def take(self) -> Server:
        with self.guard:
            assert self.backend is not None
            self.backend.active += 1
            return self.backend

    def give_back(self, backend: Server) -> None:
        with self.guard:
            backend.active -= 1

    def drain(self, backend: Server, within: float) -> None:
        """Wait until no request is being forwarded to `backend` (at most `within` seconds)."""
        deadline = time.monotonic() + within
        while backend.active and time.monotonic() < deadline:
            time.sleep(0.05)

    def fetch(self, backend: Server, method: str, target: str, headers: list[tuple[str, str]],
              body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        """The whole answer of the oxigraph server, or QueryTimedOut past the deadline."""
        limit = self.query_timeout or None
        deadline = time.monotonic() + limit if limit else None
        try:
            with self.client.stream(method, backend.url.rstrip("/") + target, headers=headers, content=body,
                                    timeout=httpx.Timeout(limit, connect=10.0)) as answer:
                chunks, held = [], 0
                for chunk in answer.iter_raw():
                    chunks.append(chunk)
                    held += len(chunk)
                    if deadline is not None and time.monotonic() > deadline:
                        raise QueryTimedOut
                    if held > MAX_HELD:
                        raise AnswerTooLarge
                kept = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in HOP_BY_HOP]
                return answer.status_code, kept, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise QueryTimedOut from exc


class Forward(BaseHTTPRequestHandler):
    """One request: read it whole, get oxigraph's whole answer, then send status, headers, body."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle's algorithm on, the body waited for the
    # client's delayed ACK of the headers: about 40 ms added to every answer (ASK {} took 52 ms
    # through the front against 0.8 ms from oxigraph itself).
    disable_nagle_algorithm = True
    server: Front

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
        backend = self.server.take()
        try:
            status, kept, payload = self.server.fetch(backend, self.command, self.path, headers, body)
        except QueryTimedOut:
            limit = self.server.query_timeout
            return self.reply(503, f"the query ran longer than {limit} s (wsisgraph serve --timeout {limit}); "
                                   "it was cancelled\n", [("Retry-After", "0")])
        except AnswerTooLarge:
            return self.reply(507, f"the answer is larger than {MAX_HELD // 2**20} MB; ask for less (LIMIT, "
                                   "fewer variables) or use `wsisgraph export`\n")
        except httpx.HTTPError as exc:
            return self.reply(502, f"the oxigraph server did not answer: {exc}\n")
        finally:
            self.server.give_back(backend)
        self.reply(status, payload, kept)

    def reply(self, status: int, payload: bytes | str, headers: list[tuple[str, str]] | None = None) -> None:
        if isinstance(payload, str):
            payload = payload.encode()
            headers = [("Content-Type", "text/plain; charset=utf-8"), *(headers or [])]
        self.send_response(status)
        for key, value in headers or []:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = forward

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the oxigraph server is quiet too."""


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


def announce(url: str, server: Server, location: Path, echo: Callable[[str], None]) -> None:
    echo(f"serving {location} (build {server.build.name}) read-only at {url}\n"
         f"  query page   {url}\n"
         f"  SPARQL       {url}query  (GET or POST; JSON, XML, CSV or TSV results by Accept header)\n"
         f"  Graph Store  {url}store?graph=IRI  (reads only; Turtle, N-Triples, JSON-LD... by Accept header)\n"
         "Ctrl-C stops it.")


def serve(location: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: int = DEFAULT_TIMEOUT,
          echo: Callable[[str], None] = print) -> None:
    """Run until Ctrl-C or SIGTERM; after a rebuild, start a server on the new build and switch to it."""
    if not is_loopback(host):
        echo(f"warning: listening on {host}, not loopback: anyone who can reach it can query the graph")
    front = Front(host, port, timeout)
    try:
        server = start(location, timeout)
    except BaseException:
        front.server_close()
        raise
    front.switch(server)
    listener = threading.Thread(target=front.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    listener.start()
    announce(probe_url(host, port), server, location, echo)
    try:
        with interrupt_on_sigterm():
            while True:
                try:
                    status = server.process.wait(WATCH_EVERY)
                except subprocess.TimeoutExpired:
                    current = store.current_build(location)
                    if current is not None and current.name != server.build.name:
                        fresh = start(location, timeout)
                        old = front.switch(fresh)
                        server = fresh
                        if old is not None:
                            front.drain(old, (timeout or READY_WITHIN) + 5)
                            stop(old)
                        echo(f"store rebuilt: now serving build {server.build.name}")
                    continue
                if status == -signal.SIGINT:  # Ctrl-C at a terminal reaches the server too
                    raise KeyboardInterrupt
                raise WsisgraphError(f"the oxigraph server stopped (status {status}): {log_tail(server.log)}")
    except KeyboardInterrupt:
        echo("stopping the server")
    finally:
        front.shutdown()
        front.server_close()
        stop(server)
    echo("stopped")
