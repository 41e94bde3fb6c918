"""Other people's RDF tools, run by the tests on what wsisgraph publishes.

- Apache Jena 4.5 (Debian `libapache-jena-java`): `shacl` (SHACL Core and SHACL-SPARQL) and `riot`.
  Debian ships the jars without the `shacl`/`riot` scripts, so they run as `java -cp JARS MAIN`.
  Its jena-core has Xerces relocated to the package `xerces`, but its message files stay under
  `org/apache/jena/ext/xerces/impl/`; without them on the class path at `xerces/impl/` every
  command stops with "internal error" while Jena sets up its datatypes. They are copied out of
  jena-core.jar into a folder on the class path.
- The OWL API 5.1 (Debian `libowlapi-java`): tests/java/OwlProfile.java, launched as a
  single-file program.
- Node packages in tests/js (`npm ci` there): rdf-validate-shacl and jsonld.js.
- rapper (Debian `raptor2-utils`).

Missing, each fails the test in CI and skips it elsewhere (`servers.tool`); `.ci/run` installs them.
"""

import json
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest

from servers import IN_CI, tool

JARS = Path("/usr/share/java")
TESTS = Path(__file__).resolve().parent
JS = TESTS / "js"
JENA_JARS = [
    "jena-base", "jena-core", "jena-arq", "jena-iri", "jena-shacl", "jena-cmds", "jena-dboe-base",
    "jena-dboe-index", "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-tdb",
    "jena-tdb2", "jena-rdfconnection", "commons-lang3", "commons-io", "commons-codec", "commons-compress",
    "commons-csv", "commons-cli", "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java",
    "caffeine", "slf4j-api", "slf4j-nop", "guava", "thrift", "protobuf", "httpclient", "httpclient-cache",
    "httpcore", "dexx.collection", "gson", "titanium-json-ld", "jakarta.json-api",
]
OWLAPI_JARS = [
    "owlapi-distribution", "guava", "caffeine", "slf4j-api", "slf4j-nop", "commons-io", "commons-lang3",
    "commons-codec", "commons-rdf-api", "atinject-jsr330-api", "guice", "aopalliance", "jsonld-java",
    "jackson-core", "jackson-databind", "jackson-annotations", "httpclient", "httpcore", "hppcrt",
    "rdf4j-model", "rdf4j-model-api", "rdf4j-model-vocabulary", "rdf4j-rio-api", "rdf4j-rio-turtle",
    "rdf4j-rio-ntriples", "rdf4j-rio-nquads", "rdf4j-rio-trig", "rdf4j-rio-rdfxml", "rdf4j-rio-datatypes",
    "rdf4j-rio-languages", "rdf4j-util", "xz", "trove", "commons-rdf-simple",
]


def missing(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def classpath(jars: list[str], why: str) -> list[Path]:
    """The jars that exist of those listed; the first (the tool itself) must."""
    paths = [JARS / f"{name}.jar" for name in jars]
    if not paths[0].is_file():
        missing(f"{paths[0]} is not installed ({why})")
    return [path for path in paths if path.is_file()]


@cache
def xerces_messages(folder: Path) -> Path:
    """jena-core's Xerces message files, at the place its relocated classes look for them."""
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        prefix = "org/apache/jena/ext/xerces/impl/"
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = folder / "xerces" / "impl" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return folder


def java() -> str:
    return tool("java", "Debian default-jdk-headless: Jena and the OWL API run on it")


def jena(main: str, *args: str, scratch: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a Jena command (shacl.shacl, riotcmd.riot) and return what it did."""
    jars = classpath(JENA_JARS, "Debian libapache-jena-java")
    path = [str(xerces_messages(scratch)), *map(str, jars)]
    return subprocess.run([java(), "-cp", ":".join(path), main, *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


def owl_profile(*files: Path, timeout: float = 600) -> dict:
    """The OWL 2 DL profile report of the OWL API for the union of `files` (tests/java/OwlProfile.java)."""
    jars = classpath(OWLAPI_JARS, "Debian libowlapi-java")
    done = subprocess.run([java(), "-cp", ":".join(map(str, jars)), str(TESTS / "java" / "OwlProfile.java"),
                           *map(str, files)], capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def node_script(script: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run one of the tests/js scripts with the packages `npm ci` installed there."""
    node = tool("node", "Node.js runs rdf-validate-shacl and jsonld.js")
    if not (JS / "node_modules").is_dir():
        missing(f"{JS / 'node_modules'} is missing: run `npm ci` in {JS}")
    return subprocess.run([node, str(JS / script), *args], capture_output=True, text=True, timeout=timeout,
                          check=False, cwd=JS)
