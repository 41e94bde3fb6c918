"""Export the dataset, whole or by named graph, in the standard RDF serialisations.

Output is deterministic: quads are sorted before serialising and blank nodes were given stable
labels at build time, so the same store always gives the same bytes. Files are written to a
temporary path beside the target and renamed into place, so a failed export leaves nothing behind.
`jsonld` is compacted with the published context (jsonld.py); `jsonld-expanded` is pyoxigraph's
expanded form.
"""

import os
import tempfile
from pathlib import Path

from pyoxigraph import DefaultGraph, Quad, RdfFormat, Store, Triple, serialize

from wsisgraph import jsonld
from wsisgraph.errors import WsisgraphError
from wsisgraph.namespaces import EXPORT_PREFIXES, graph_iri, graph_name

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


def serialise(store: Store, fmt: str, graphs: list[str]) -> bytes:
    """Bytes of the chosen graphs; triple formats get their union, dataset formats keep the graphs."""
    rdf_format = FORMATS[fmt]
    quads = sorted((q for name in graphs for q in store.quads_for_pattern(None, None, None, graph_iri(name))),
                   key=_key)
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
    """Write to a temporary file in the same folder, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes 0600; a user's file follows the umask
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
