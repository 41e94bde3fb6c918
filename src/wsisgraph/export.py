"""Export the dataset, whole or by named graph, in the standard RDF serialisations.

Output is deterministic: quads are sorted before serialising and blank nodes were given stable
labels at build time, so the same store always gives the same bytes. Files are written to a
temporary path beside the target and renamed into place, so a failed export leaves nothing behind.
`jsonld` is compacted with the published context (jsonld.py); `jsonld-expanded` is pyoxigraph's
expanded form.
"""

import os
import stat
import sys
import tempfile
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, Quad, RdfFormat, Store, Triple, serialize

from wsisgraph.core import jsonld
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.languages import matches
from wsisgraph.core.namespaces import EXPORT_PREFIXES, graph_iri, graph_name

FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "jsonld-expanded": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}
INFERRED_GRAPH = "inferred"


def graph_names(store: Store) -> list[str]:
    return sorted(graph_name(g.value) for g in store.named_graphs())


def select_graphs(store: Store, wanted: list[str] | None, inferred: bool) -> list[str]:
    """The graphs to export: those asked for, else all but `inferred` unless it is asked for."""
    available = graph_names(store)
    if wanted:
        names = [graph_name(graph_iri(name).value) for name in wanted]
        missing = [name for name in names if name not in available]
        if missing:
            raise WsisgraphError(f"no graph named {', '.join(missing)}; graphs: {', '.join(available)}")
        return names
    return [name for name in available if inferred or name != INFERRED_GRAPH]


def _key(quad: Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def keeps(quad: Quad, languages: list[str] | None) -> bool:
    """True unless languages are chosen and the quad's object is a text in none of them (fr keeps
    fr-CA too, as langMatches does); untagged literals and other terms are always kept."""
    tag = quad.object.language if isinstance(quad.object, Literal) else None
    return not languages or not tag or any(matches(tag, wanted) for wanted in languages)


def serialise(store: Store, fmt: str, graphs: list[str], languages: list[str] | None = None) -> bytes:
    """Bytes of the chosen graphs; triple formats get their union, dataset formats keep the graphs."""
    rdf_format = FORMATS[fmt]
    quads = sorted((q for name in graphs for q in store.quads_for_pattern(None, None, None, graph_iri(name))
                    if keeps(q, languages)), key=_key)
    prefixes = EXPORT_PREFIXES
    if rdf_format.supports_datasets:
        payload = serialize(quads, format=rdf_format, prefixes=prefixes)
        return jsonld.compact(payload) if fmt == "jsonld" else payload
    triples = sorted({Triple(q.subject, q.predicate, q.object) for q in quads}, key=lambda t: _key(
        Quad(t.subject, t.predicate, t.object, DefaultGraph())))
    return serialize(triples, format=rdf_format, prefixes=prefixes)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, payload: bytes) -> None:
    """Write `payload` to `path` so that a failure leaves the old file as it was.

    A regular file (new or existing) is written to a temporary file in the same folder and renamed
    over it. A symlink is followed: its target is replaced that way and the link stays. `-` is
    standard output; a device or FIFO (/dev/null, a named pipe) is written as a stream, never
    replaced by a file; a directory or socket is refused.
    """
    if str(path) == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WsisgraphError(f"{path}: {exc.strerror or exc}") from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise WsisgraphError(f"{path}: is a directory; give a file name")
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISBLK(mode)):
        try:
            with open(target, "wb") as out:
                out.write(payload)
        except OSError as exc:
            raise WsisgraphError(f"{path}: {exc.strerror or exc}") from exc
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise WsisgraphError(f"{path}: not a regular file, device or FIFO; refusing to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        kept = stat.S_IMODE(mode) if mode is not None else 0o666 & ~current_umask()
        os.chmod(temporary, kept)  # mkstemp makes 0600: keep the old file's mode, else follow the umask
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
