"""Real servers for the integration tests, each on free loopback ports, always stopped afterwards.

- `oxigraph`: a writable `oxigraph serve` on a fresh directory, for push tests (module-scoped helpers
  `start_oxigraph` for tests that need an empty store of their own).
- `served`: `wsisgraph serve` itself, read-only on the session's store.
- `virtuoso`: Debian's virtuoso-opensource-7 in a temporary directory, both ports on 127.0.0.1.
  Its Graph Store endpoint /sparql-graph-crud-auth and /sparql-auth take user dba, password dba.

In CI (CI=true) a server that cannot start fails the test; elsewhere a missing Virtuoso binary
skips the tests that need it, with the reason.
"""

import configparser
import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from wsisgraph.publish.serve import terminate

READY_WITHIN = 60.0
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def tool(name: str, why: str) -> str:
    """The path of a program; missing, it fails the test in CI and skips it elsewhere."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed ({why})"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else tool("oxigraph", "pip install oxigraph")


class Process:
    """A server process whose merged output is collected line by line while it runs."""

    def __init__(self, args: list[str], cwd: Path | None = None, own_group: bool = False):
        """`own_group`: a process group of its own, so a test can signal it as a terminal does."""
        self.popen = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, start_new_session=own_group)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._collect, daemon=True)
        self.reader.start()

    def _collect(self) -> None:
        for line in self.popen.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, within: float = READY_WITHIN) -> None:
        """Wait until `text` appears in the output; fail with the output if it does not."""
        deadline = time.monotonic() + within
        while text not in self.output:
            if self.popen.poll() is not None or time.monotonic() > deadline:
                time.sleep(0.1)  # let the reader take the last lines
                pytest.fail(f"{text!r} never appeared (exit status {self.popen.poll()}):\n{self.output}")
            time.sleep(0.05)

    def interrupt(self, within: float = 15.0, group: bool = False) -> int:
        """SIGINT to the process, or (`group`) to its whole process group as Ctrl-C at a terminal; the exit status."""
        if group:
            os.killpg(self.popen.pid, signal.SIGINT)
        else:
            self.popen.send_signal(signal.SIGINT)
        return self.popen.wait(within)

    def stop(self, within: float = 30.0) -> None:
        terminate(self.popen, within)
        self.reader.join(5)


def wait_http(url: str, process: Process, within: float = READY_WITHIN, **kwargs) -> None:
    """Poll url until it answers 2xx; fail with the server's output if it dies or never answers."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            pytest.fail(f"server exited with status {process.popen.returncode}:\n{process.output}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2.0, **kwargs).is_success:
                return
        time.sleep(0.1)
    process.stop()
    pytest.fail(f"no answer from {url} within {within:g} s:\n{process.output}")


@dataclass
class Oxigraph:
    """A writable oxigraph server: its query, update and Graph Store endpoints."""

    base: str
    query: str
    update: str
    store: str
    process: Process


@contextlib.contextmanager
def start_oxigraph(directory: Path, *options: str) -> Iterator[Oxigraph]:
    """`oxigraph serve --location DIRECTORY [OPTIONS]` on a free loopback port."""
    port = free_port()
    process = Process([oxigraph_binary(), "serve", "--location", str(directory), "--bind", f"127.0.0.1:{port}",
                       *options])
    base = f"http://127.0.0.1:{port}/"
    server = Oxigraph(base, base + "query", base + "update", base + "store", process)
    try:
        wait_http(server.query, process, params={"query": "ASK {}"})
        yield server
    finally:
        process.stop()


@dataclass
class Served:
    """`wsisgraph serve` on a store: its base URL and process."""

    base: str
    port: int
    store: Path
    process: Process


def serve_args(location: Path, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "wsisgraph", "serve", "--store", str(location), "--port", str(port), *extra]


@contextlib.contextmanager
def start_served(location: Path) -> Iterator[Served]:
    """`wsisgraph serve` on a free port, ready when it says so."""
    port = free_port()
    process = Process(serve_args(location, port))
    try:
        process.wait_for("Ctrl-C stops it")
        yield Served(f"http://127.0.0.1:{port}/", port, location, process)
    finally:
        process.stop()


@dataclass
class Virtuoso:
    """A Virtuoso server: the anonymous SPARQL endpoint and the authenticated update and Graph Store ones."""

    sparql: str
    sparql_auth: str
    graph_store: str
    process: Process


def virtuoso_ini(directory: Path, sql_port: int, http_port: int) -> str:
    """A small configuration: everything under `directory`, both ports on loopback, test-sized buffers."""
    ini = configparser.ConfigParser()
    ini.optionxform = str  # Virtuoso's keys are CamelCase
    ini["Database"] = {name: str(directory / file) for name, file in (
        ("DatabaseFile", "virtuoso.db"), ("ErrorLogFile", "virtuoso.log"), ("LockFile", "virtuoso.lck"),
        ("TransactionFile", "virtuoso.trx"), ("xa_persistent_file", "virtuoso.pxa"))}
    ini["Database"]["TempStorage"] = "TempDatabase"
    ini["TempDatabase"] = {"DatabaseFile": str(directory / "virtuoso-temp.db"),
                           "TransactionFile": str(directory / "virtuoso-temp.trx")}
    ini["Parameters"] = {"ServerPort": f"127.0.0.1:{sql_port}", "DirsAllowed": f"., {directory}",
                         "NumberOfBuffers": "10000", "MaxDirtyBuffers": "6000", "CheckpointInterval": "0"}
    ini["HTTPServer"] = {"ServerPort": f"127.0.0.1:{http_port}", "ServerRoot": str(directory),
                         "MaxClientConnections": "8", "ServerThreads": "8"}
    ini["SPARQL"] = {"ResultSetMaxRows": "1000000", "MaxQueryExecutionTime": "120"}
    text = io.StringIO()
    ini.write(text)
    return text.getvalue()


def wait_isql(isql: str, sql_port: int, process: Process) -> None:
    """Poll the SQL port with isql until it answers (the HTTP side is ready soon after)."""
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            pytest.fail(f"virtuoso exited with status {process.popen.returncode}:\n{process.output}")
        done = subprocess.run([isql, f"127.0.0.1:{sql_port}", VIRTUOSO_USER, VIRTUOSO_PASSWORD, "exec=select 1;"],
                              capture_output=True, text=True, timeout=30, check=False)
        if done.returncode == 0:
            return
        time.sleep(0.3)
    process.stop()
    pytest.fail(f"virtuoso's SQL port never answered within {READY_WITHIN:g} s:\n{process.output}")


@contextlib.contextmanager
def start_virtuoso(directory: Path) -> Iterator[Virtuoso]:
    """`virtuoso-t -f -c INI` in `directory`; stopped by its PID at the end."""
    server = tool("virtuoso-t", "apt-get install -y virtuoso-opensource-7-bin")
    isql = tool("isql-vt", "apt-get install -y virtuoso-opensource-7-bin")
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(virtuoso_ini(directory, sql_port, http_port))
    process = Process([server, "-f", "-c", str(ini)], cwd=directory)
    base = f"http://127.0.0.1:{http_port}/"
    virtuoso = Virtuoso(base + "sparql", base + "sparql-auth", base + "sparql-graph-crud-auth", process)
    try:
        wait_isql(isql, sql_port, process)
        wait_http(virtuoso.sparql, process, params={"query": "ASK {}"})
        yield virtuoso
    finally:
        process.stop()


@contextlib.contextmanager
def credentials(user: str, password: str) -> Iterator[None]:
    """$WSISGRAPH_USER and $WSISGRAPH_PASSWORD set for the duration (session fixtures have no monkeypatch)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WSISGRAPH_USER", user)
        patch.setenv("WSISGRAPH_PASSWORD", password)
        yield


@pytest.fixture(scope="session")
def served(store_location: Path) -> Iterator[Served]:
    with start_served(store_location) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with start_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


# --- Apache httpd over a folder (Debian's apache2), for the Linked Data site's content negotiation ---

APACHE_MODULES = ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir")  # log_config is built in


def apache_conf(directory: Path, root: Path, port: int) -> str:
    """A configuration of its own: loopback port, the folder as document root with its .htaccess obeyed,
    logs and pid in `directory`. Run as root (CI), Apache serves as www-data, never as root."""
    modules = Path("/usr/lib/apache2/modules")
    lines = [f"ServerRoot {directory}", f"PidFile {directory}/httpd.pid", f"Listen 127.0.0.1:{port}",
             "ServerName 127.0.0.1", f"ErrorLog {directory}/error.log", "LogLevel warn",
             *(f"LoadModule {name}_module {modules}/mod_{name}.so" for name in APACHE_MODULES),
             'LogFormat "%h %r %>s %{Content-Type}o" brief', f"CustomLog {directory}/access.log brief",
             "TypesConfig /etc/mime.types", f"DocumentRoot {root}",
             "<Directory />", "  AllowOverride None", "  Require all denied", "</Directory>",
             f"<Directory {root}>", "  AllowOverride All", "  Require all granted", "</Directory>"]
    if os.geteuid() == 0:
        lines += ["User www-data", "Group www-data"]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def start_apache(root: Path, directory: Path) -> Iterator[str]:
    """`apache2 -DFOREGROUND -f CONF` serving `root` on a free loopback port; yields its base URL."""
    server = tool("apache2", "apt-get install -y apache2")
    port = free_port()
    conf = directory / "httpd.conf"
    conf.write_text(apache_conf(directory, root, port))
    process = Process([server, "-DFOREGROUND", "-f", str(conf)], cwd=directory)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_http(base + "index.html", process)
        yield base
    finally:
        process.stop()
