"""Export the dataset, whole or by named graph, in the standard RDF serialisations.

Exports stream from the store: pyoxigraph's serialisers write each graph straight from the store's
index (`Store.dump`), graph after graph in the order of their names, so a million quads are written
in seconds and never held in Python. Output is deterministic: the same store always gives the same
bytes (its index order is fixed by its content; blank nodes were given stable labels at build time,
and the prefixes are fixed in advance, `EXPORT_PREFIXES`). Triple formats are the union of the chosen
graphs: the published graphs are the store's default graph (the build copies every asserted triple
there once, as queries read it; checked by counting), and any other choice is merged by a CONSTRUCT,
which drops a triple two graphs share. Files are written to a temporary path beside the target and
renamed into place, so a failed export leaves nothing behind. `jsonld` is compacted with the
published context as it streams, node by node (jsonld.py); `jsonld-expanded` is pyoxigraph's expanded
form, streamed like the others.
"""

import io
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from pyoxigraph import DefaultGraph, Literal, NamedNode, RdfFormat, Store, Triple, serialize

from wsisgraph.core import jsonld
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.languages import matches
from wsisgraph.core.namespaces import EXPORT_PREFIXES, INFERRED_GRAPH, graph_iri, graph_name

FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "jsonld-expanded": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}
CHUNK = 1 << 20


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


def keeps(term, languages: list[str] | None) -> bool:
    """True unless languages are chosen and the term (a statement's object) is a text in none of them
    (fr keeps fr-CA too, as langMatches does); untagged literals and other terms are always kept."""
    tag = term.language if isinstance(term, Literal) else None
    return not languages or not tag or any(matches(tag, wanted) for wanted in languages)


class Counting:
    """A binary output that counts the bytes written through it."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.written = 0

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.written += len(data)
        return len(data)

    def flush(self) -> None:
        self.out.flush()


def serialise(store: Store, fmt: str, graphs: list[str], languages: list[str] | None = None) -> bytes:
    """The bytes `write` writes, in memory (for small graphs: releases, tests)."""
    buffer = io.BytesIO()
    write(store, fmt, graphs, buffer, languages)
    return buffer.getvalue()


def write(store: Store, fmt: str, graphs: list[str], out: BinaryIO, languages: list[str] | None = None) -> int:
    """Write the chosen graphs to `out`; triple formats get their union, dataset formats keep the
    graphs. Returns the number of bytes written."""
    counted = Counting(out)
    rdf_format = FORMATS[fmt]
    names = sorted(graph_iri(name) for name in dict.fromkeys(graphs))
    if fmt == "jsonld":
        jsonld.write_dataset(counted, _graph_statements(store, names, languages))
    elif languages:
        _write_filtered(store, rdf_format, names, counted, languages)
    elif rdf_format.supports_datasets:
        _write_dataset(store, rdf_format, names, counted)
    else:
        _write_union(store, rdf_format, names, counted)
    return counted.written


def _write_filtered(store: Store, rdf_format: RdfFormat, names: list[NamedNode], out: Counting,
                    languages: list[str]) -> None:
    """With a language filter every statement passes through Python, so it is the slower path."""
    if rdf_format.supports_datasets:
        quads = (q for name in names for q in store.quads_for_pattern(None, None, None, name)
                 if keeps(q.object, languages))
        serialize(quads, out, rdf_format, prefixes=EXPORT_PREFIXES)
    else:
        triples = (t for t in _union(store, names) if keeps(t.object, languages))
        serialize(triples, out, rdf_format, prefixes=EXPORT_PREFIXES)


def _graph_statements(store: Store, names: list[NamedNode],
                      languages: list[str] | None) -> list[tuple[NamedNode, Iterator]]:
    """Each graph's (subject, predicate, object) in the store's index order, so grouped by subject, as
    `quads_for_pattern` and the expanded form give them (through a query over the one graph, which
    decodes three terms a statement where `quads_for_pattern` decodes four: 15% less time at 1M). Were
    a subject's statements ever split, it would be written as two node objects: the same RDF, other
    bytes. With languages chosen, only the graphs that keep a statement, as the expanded form has."""
    def statements(name: NamedNode) -> Iterator:
        rows = iter(store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", default_graph=name))
        return (row for row in rows if keeps(row[2], languages)) if languages else rows

    return [(name, statements(name)) for name in names if not languages or next(statements(name), None) is not None]


def _union(store: Store, names: list[NamedNode]) -> Iterator[Triple]:
    """The triples of several graphs, each once (CONSTRUCT drops the duplicates)."""
    return iter(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=list(names)))


def _write_union(store: Store, rdf_format: RdfFormat, names: list[NamedNode], out: Counting) -> None:
    """One graph, or the published graphs (the store's default graph holds each of their triples
    once, and `inferred` only what none of them holds), straight from the store; any other choice
    through a CONSTRUCT that merges them."""
    inferred = graph_iri(INFERRED_GRAPH)
    published = {g for g in store.named_graphs() if g != inferred}
    if len(names) == 1:
        parts: list[NamedNode | DefaultGraph] = names
    elif set(names) - {inferred} == published and _default_graph_is_union(store, published):
        parts = [DefaultGraph(), *([inferred] if inferred in names else [])]
    else:
        parts = []
    if not parts or (len(parts) > 1 and rdf_format == RdfFormat.RDF_XML):  # one XML document cannot be appended to
        serialize(_union(store, names), out, rdf_format, prefixes=EXPORT_PREFIXES)
        return
    for number, part in enumerate(parts):
        if number == 0:
            store.dump(out, rdf_format, from_graph=part, prefixes=_prefixes(rdf_format))
        else:
            _copy_body(lambda spool, part=part: store.dump(spool, rdf_format, from_graph=part,
                                                            prefixes=_prefixes(rdf_format)), out)


def _default_graph_is_union(store: Store, published: set[NamedNode]) -> bool:
    """Whether the default graph holds as many triples as the published graphs together: true of a
    store the build wrote (it copies each into the default graph, and no triple is in two of them),
    false of one it did not (no copy, or an old one), which is then merged by the slower path."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { %s }"
    copied = next(iter(store.query(count % "?s ?p ?o")))["n"].value
    held = next(iter(store.query(count % "GRAPH ?g { ?s ?p ?o }", named_graphs=list(published))))["n"].value
    return copied == held


def _prefixes(rdf_format: RdfFormat) -> dict[str, str] | None:
    return EXPORT_PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML) else None


def _write_dataset(store: Store, rdf_format: RdfFormat, names: list[NamedNode], out: Counting) -> None:
    """Graph by graph, each dumped as triples and framed as the dataset format frames a graph."""
    if rdf_format == RdfFormat.TRIG:
        out.write("".join(f"@prefix {p}: <{iri}> .\n" for p, iri in EXPORT_PREFIXES.items()).encode())
        for name in names:
            out.write(f"{name} {{\n".encode())
            _copy_body(lambda spool, name=name: store.dump(spool, RdfFormat.TURTLE, from_graph=name,
                                                           prefixes=EXPORT_PREFIXES), out)
            out.write(b"}\n")
    elif rdf_format == RdfFormat.N_QUADS:
        for name in names:
            suffix = f" {name} .\n".encode()
            _copy_body(lambda spool, name=name: store.dump(spool, RdfFormat.N_TRIPLES, from_graph=name), out,
                       lambda chunk, suffix=suffix: chunk.replace(b" .\n", suffix))
    elif rdf_format == RdfFormat.JSON_LD:
        out.write(b"[")
        for number, name in enumerate(names):
            out.write(f'{"," if number else ""}{{"@id":"{name.value}","@graph":'.encode())
            store.dump(out, RdfFormat.JSON_LD, from_graph=name)
            out.write(b"}")
        out.write(b"]")
    else:
        raise WsisgraphError(f"no streaming writer for {rdf_format}")


def _copy_body(dump, out: Counting, edit=lambda chunk: chunk) -> None:
    """Run `dump` into a temporary spool and copy it to `out` without its leading @prefix lines
    (written once already), line-aligned chunk by chunk through `edit`.

    N-Triples and Turtle as pyoxigraph writes them keep every statement's line breaks escaped, so
    `edit` may rewrite line ends (N-Quads adds the graph name before the final ` .`).
    """
    with tempfile.TemporaryFile() as spool:
        dump(spool)
        spool.seek(0)
        header = True
        rest = b""
        while chunk := spool.read(CHUNK):
            lines = rest + chunk
            cut = lines.rfind(b"\n") + 1
            lines, rest = lines[:cut], lines[cut:]
            if header:
                while lines.startswith(b"@prefix "):
                    lines = lines[lines.index(b"\n") + 1:]
                header = not lines and not rest
            out.write(edit(lines))
        if rest:
            out.write(edit(rest))
