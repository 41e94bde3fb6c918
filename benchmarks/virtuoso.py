"""A Virtuoso server on loopback in a temporary directory, for benchmarks: start, bulk-load, query, stop.

Debian's virtuoso-opensource-7 (`apt-get install -y virtuoso-opensource-7-bin`). Both the SQL port
and the HTTP port bind 127.0.0.1; the database lives in a temporary directory that is removed on
stop. Data is bulk-loaded with ld_dir / rdf_loader_run / checkpoint, the loader Virtuoso documents
for large files. Buffers are sized for about 1 GB so a million triples stay in memory, as a
production install would be tuned. Only the execution time is limited, not the optimiser's
estimate of it (MaxQueryCostEstimationTime, as tests/servers.py): Virtuoso 7.2 estimated
`resolutions` with a subject at 37 hours and refused it (HTTP 500); it answers in milliseconds.
"""

import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

SERVER = "virtuoso-t"
ISQL = "isql-vt"
READY_SECONDS = 60

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}, {data_dir}
NumberOfBuffers = 120000
MaxDirtyBuffers = 90000
CheckpointInterval = 0
ServerThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 3600
"""


def available() -> bool:
    return shutil.which(SERVER) is not None and shutil.which(ISQL) is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Virtuoso:
    """One server process; use as a context manager so it is always stopped and its files removed."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir.resolve()
        self.dir = Path(tempfile.mkdtemp(prefix="wsisgraph-virtuoso-"))
        self.sql_port, self.http_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def __enter__(self) -> "Virtuoso":
        ini = self.dir / "virtuoso.ini"
        ini.write_text(INI.format(dir=self.dir, data_dir=self.data_dir, sql_port=self.sql_port,
                                  http_port=self.http_port))
        self.process = subprocess.Popen([SERVER, "-f", "-c", str(ini)], cwd=self.dir,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_ready()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso exited with {self.process.returncode}: {self.log_tail()}")
            try:
                self.sql("select 1;")
                urllib.request.urlopen(self.endpoint + "?query=ASK%7B%7D", timeout=5).read()
                return
            except (RuntimeError, OSError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"virtuoso did not become ready in {READY_SECONDS} s")

    def log_tail(self) -> str:
        log = self.dir / "virtuoso.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def sql(self, statements: str, timeout: float = 3600) -> str:
        """Run SQL through isql on the loopback port; an error in the output raises RuntimeError."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
                              capture_output=True, text=True, timeout=timeout, check=False)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed: {output.strip()[-1000:]}")
        return output

    def bulk_load(self, path: Path, graph: str) -> None:
        """Load one file into one graph with the bulk loader; a file the loader rejected raises."""
        path = path.resolve()
        self.sql(f"ld_dir('{path.parent}', '{path.name}', '{graph}'); rdf_loader_run(); checkpoint;")
        errors = self.sql("select ll_file, ll_error from DB.DBA.load_list where ll_error is not null;")
        if path.name in errors:
            raise RuntimeError(f"virtuoso could not load {path}: {errors.strip()[-1000:]}")

    def select(self, text: str, timeout: float, graph: str | None = None) -> dict:
        """SPARQL 1.1 JSON results of a query over the HTTP endpoint."""
        return json.loads(self.request(text, "application/sparql-results+json", timeout, graph))

    def request(self, text: str, accept: str, timeout: float, graph: str | None = None) -> bytes:
        """POST a query; `graph` becomes the protocol's default-graph-uri, which keeps Virtuoso's own
        system graphs out of the default graph without changing the query text."""
        fields = {"query": text, **({"default-graph-uri": graph} if graph else {})}
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.endpoint, data=body, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def peak_rss_kib(self) -> int | None:
        """The server's peak resident memory (VmHWM), read before it stops."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return None

    def version(self) -> str:
        done = subprocess.run([SERVER, "-?"], capture_output=True, text=True, check=False)
        for line in (done.stdout + done.stderr).splitlines():
            if "Version" in line:
                return line.strip()
        return "unknown"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
