"""Compact JSON-LD with the published context, `ontology/context.jsonld`, written node by node.

pyoxigraph writes JSON-LD in expanded form only (every key a full IRI, every value an object),
which is correct but unreadable. `export --format jsonld` writes the compact form against the context
shipped with the package: the prefixes of the Turtle exports (plus `id:` for every other thing), and a
term for each class and property of the wsis: ontology (`supportsTarget`, `Alignment`), with object
properties typed `@id` and datatype properties typed by their range, so values read as plain strings.
The context is written into each export inline, so any JSON-LD processor reads the file offline;
`--format jsonld-expanded` keeps the expanded form.

The context is fixed and known in advance, so compaction is not the general JSON-LD algorithm (which
pyld runs over the whole document in Python: 95 s of CPU and 1.4 GB at a million quads) but lookups
in tables made from the context once (`Compactor`): the key a property takes for a kind of value (the
term typed for it, else the plain term, else the shortest prefixed name), how the value is then
written, and the shortest prefixed name of an IRI. `write_dataset` takes each graph's statements
subject by subject, as the store's index gives them, and writes each node object as soon as its
subject's statements are read, so memory stays flat and the same store gives the same bytes. The
bytes are those of the JSON-LD 1.1 compaction algorithm (pyld) applied to pyoxigraph's expanded output
with `rdf:type` read as `@type`, printed by `json.dumps(indent=1, ensure_ascii=False)`; the tests check
that byte for byte, and that pyld and jsonld.js read the file back to the store's quads. The writer
refuses a context with anything but prefixes and terms with `@id` and `@type` (`@container`,
`@language`, `@vocab`...), since its tables would then be wrong.

The context file is made from the ontology by this module (`python -m wsisgraph.core.jsonld >
ontology/context.jsonld`) and a test checks that the shipped file is what the ontology gives.
"""

import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from json.encoder import encode_basestring as encode_string  # type: ignore[attr-defined]
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from wsisgraph.core import resources
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import EXPORT_PREFIXES, ID, OWL, RDF, RDFS, WSIS

CONTEXT_FILE = "context.jsonld"
KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
GEN_DELIMS = ":/?#[]@"  # an IRI ending in one of these may be a prefix (JSON-LD 1.1)
RDF_TYPE = RDF.type.value
XSD_STRING = EXPORT_PREFIXES["xsd"] + "string"
FLUSH_EVERY = 4096  # pieces of text gathered before they are written out
NAMES_KEPT = 1 << 16  # compacted IRIs (and IRI heads) remembered at most, so memory stays bounded


def make_context(ontology: list[Triple]) -> dict:
    """The context for the ontology's terms: prefixes first, then one term per wsis: class and
    property by its local name (a local name that is also a prefix, such as `goal`, stays `wsis:goal`)."""
    prefixes = {**EXPORT_PREFIXES, "id": ID}
    kinds: dict[str, set[NamedNode]] = {}
    ranges: dict[str, NamedNode] = {}
    for t in ontology:
        if not (isinstance(t.subject, NamedNode) and t.subject.value.startswith(WSIS)):
            continue
        local = t.subject.value[len(WSIS):]
        if t.predicate == RDF.type and t.object in KINDS:
            kinds.setdefault(local, set()).add(t.object)
        elif t.predicate == RDFS.range and isinstance(t.object, NamedNode):
            ranges[local] = t.object
    terms: dict[str, object] = {}
    for local in sorted(kinds):
        if local in prefixes:
            continue
        term: dict[str, str] = {"@id": f"wsis:{local}"}
        if OWL.ObjectProperty in kinds[local]:
            term["@type"] = "@id"
        elif OWL.DatatypeProperty in kinds[local] and local in ranges and ranges[local].value.startswith(
                EXPORT_PREFIXES["xsd"]):
            term["@type"] = "xsd:" + ranges[local].value[len(EXPORT_PREFIXES["xsd"]):]
        terms[local] = term if len(term) > 1 else term["@id"]
    return {"@context": {**dict(sorted(prefixes.items())), **terms}}


def context_path() -> Path:
    return resources.ontology_dir() / CONTEXT_FILE


@cache
def published_context() -> dict:
    """The shipped context document, {"@context": {...}}."""
    return json.loads(context_path().read_text(encoding="utf-8"))


Members = dict[str, object]  # one JSON object as compaction makes it: keys to strings, objects, lists
Statement = Sequence  # (subject, predicate, object): a Triple, or a query solution of the three


class Compactor:
    """The compaction of IRIs, keys and values against one fixed context, as lookups in tables built
    from its definitions in the order the JSON-LD 1.1 inverse context uses (shortest term first, then
    the lexicographically least)."""

    def __init__(self, context: dict):
        definitions = context["@context"]
        self.context = context
        self.plain: dict[str, str] = {}  # IRI -> term without a type: keys for any value, @type values
        self.typed: dict[tuple[str, str], str] = {}  # (IRI, '@id' or datatype IRI) -> term of that type
        self.coercion: dict[str, str] = {}  # term -> its type: '@id' or a datatype IRI
        self.prefixes: list[tuple[str, str]] = []  # (namespace, term) of the terms usable as prefixes
        for term in sorted(definitions, key=lambda t: (len(t), t)):
            definition = definitions[term]
            if ":" in term or term.startswith("@") or not isinstance(definition, str | dict) or (
                    isinstance(definition, dict) and not set(definition) <= {"@id", "@type"}):
                raise WsisgraphError(f"JSON-LD context: the compact writer cannot apply the definition of {term!r}")
            iri = self._expand(definitions, definition if isinstance(definition, str) else definition["@id"])
            kind = definition.get("@type") if isinstance(definition, dict) else None
            if kind is None:
                self.plain.setdefault(iri, term)
                if isinstance(definition, str) and iri[-1] in GEN_DELIMS:
                    self.prefixes.append((iri, term))
            else:
                coercion = kind if kind == "@id" else self._expand(definitions, kind)
                self.typed.setdefault((iri, coercion), term)
                self.coercion[term] = coercion
        self.scheme_terms = {term for _, term in self.prefixes}
        self.ends = "".join(sorted({namespace[-1] for namespace, _ in self.prefixes}))
        self.heads: dict[str, tuple[str, int] | None] = {}  # IRI up to its last namespace end -> best prefix
        self.keys: dict[tuple[str, str | None], tuple[str, str | None]] = {}  # (property, value kind) -> key, type
        self.names: dict[str, str] = {}  # IRIs compacted lately

    @staticmethod
    def _expand(definitions: dict, value: str) -> str:
        """A term definition's IRI: `prefix:local` through the prefix's definition, else as written."""
        prefix, _, local = value.partition(":")
        target = definitions.get(prefix)
        if local and not local.startswith("//") and isinstance(target, str):
            return target + local
        return value

    def iri(self, iri: str, vocab: bool = False) -> str:
        """The IRI compacted: as a term (for a type, `vocab`), else the shortest prefixed name (the least
        of equal length), else whole. A whole IRI that would read as a prefixed name is refused."""
        if vocab and iri in self.plain:
            return self.plain[iri]
        name = self.names.get(iri)
        if name is None:
            if len(self.names) >= NAMES_KEPT:  # IRIs of things recur (targets, classes); a bounded memory
                self.names.clear()
            name = self.names[iri] = self._prefixed(iri)
        return name

    def _prefixed(self, iri: str) -> str:
        cut = max(map(iri.rfind, self.ends)) + 1
        if cut < len(iri):  # the best prefix depends on the IRI's head only: found once per head
            head = iri[:cut]
            if head not in self.heads:
                if len(self.heads) >= NAMES_KEPT:
                    self.heads.clear()
                self.heads[head] = self._best_prefix(head, head)
            best = self.heads[head]
        else:
            best = self._best_prefix(iri, "")
        if best is not None:
            return best[0] + ":" + iri[best[1]:]
        if iri.partition(":")[0] in self.scheme_terms:
            raise WsisgraphError(f"JSON-LD: <{iri}> would read as a prefixed name; it cannot be written compact")
        return iri

    def _best_prefix(self, head: str, rest: str) -> tuple[str, int] | None:
        """The (term, namespace length) giving the shortest prefixed name for IRIs starting with `head`
        (`rest` is what follows it: a namespace equal to the whole IRI is no prefix of it)."""
        candidates = [(len(term) + 1 + len(head) - len(namespace), term + ":" + head[len(namespace):], term,
                       len(namespace))
                      for namespace, term in self.prefixes
                      if head.startswith(namespace) and (rest or len(head) > len(namespace))]
        if not candidates:
            return None
        _, _, term, length = min(candidates)
        return term, length

    def key(self, predicate: str, kind: str | None) -> tuple[str, str | None]:
        """The key a property's value takes, and the key's type: the term typed for the value's kind
        ('@id' for a node, the datatype of a typed literal), else the term without a type, else the
        property's prefixed name. `kind` is None for a string, with or without a language."""
        found = self.keys.get((predicate, kind))
        if found is None:
            term = (self.typed.get((predicate, kind)) if kind else None) or self.plain.get(predicate)
            key = term or self.iri(predicate, vocab=True)
            found = self.keys[(predicate, kind)] = (key, self.coercion.get(key))
        return found

    def nodes(self, statements: Iterable[Statement]) -> Iterator[Members]:
        """Node objects, one per run of statements (subject, predicate, object) about one subject, in
        the order they come."""
        subject = None
        values: dict[str, list] = {}
        for s, p, o in statements:
            if s != subject:
                if values:
                    yield self.node(subject, values)
                    values = {}
                subject = s
            predicate = p.value
            objects = values.get(predicate)
            if objects is None:
                values[predicate] = [o]
            else:
                objects.append(o)
        if values:
            yield self.node(subject, values)

    def node(self, subject, values: dict[str, list]) -> Members:
        """One subject's objects by property (each in store order) as its compacted node object: `@id`,
        `@type` (when every rdf:type is a node), then the properties in the order of their IRIs."""
        members: Members = {"@id": self.term(subject)}
        types = values.get(RDF_TYPE)
        if types and not any(type(t) is Literal for t in types):
            del values[RDF_TYPE]
            compacted = [self.term(t, vocab=True) for t in types]
            members["@type"] = compacted[0] if len(compacted) == 1 else compacted
        for predicate in sorted(values):
            for value in values[predicate]:
                key, item = self.value(predicate, value)
                present = members.get(key)
                if present is None:
                    members[key] = item
                elif type(present) is list:
                    present.append(item)
                else:
                    members[key] = [present, item]
        return members

    def value(self, predicate: str, value) -> tuple[str, object]:
        """The key a property's value takes, and the value as written under it."""
        if type(value) is not Literal:
            key, coercion = self.keys.get((predicate, "@id")) or self.key(predicate, "@id")
            name = self.term(value)
            return key, name if coercion == "@id" else {"@id": name}
        language = value.language
        if language:
            if value.direction is not None:  # an RDF 1.2 base direction
                return self.key(predicate, None)[0], {"@language": language, "@direction": str(value.direction),
                                                      "@value": value.value}
            return self.key(predicate, None)[0], {"@language": language, "@value": value.value}
        datatype = value.datatype.value
        if datatype == XSD_STRING:
            return self.key(predicate, None)[0], value.value
        key, coercion = self.key(predicate, datatype)
        return key, value.value if coercion == datatype else {"@type": self.iri(datatype, vocab=True),
                                                              "@value": value.value}

    def term(self, term, vocab: bool = False) -> str:
        if type(term) is NamedNode:
            return self.iri(term.value, vocab)
        if type(term) is BlankNode:
            return "_:" + term.value
        raise WsisgraphError(f"JSON-LD does not support RDF 1.2 triple terms ({term})")


@cache
def published() -> Compactor:
    return Compactor(published_context())


def write_dataset(out: BinaryIO, graphs: Sequence[tuple[NamedNode, Iterable[Statement]]]) -> None:
    """The named graphs as one compact document: a graph object per graph (`@graph` then `@id`), each
    holding its node objects in the order its statements come (grouped by subject)."""
    compactor = published()
    objects = ({"@graph": Streamed(compactor.nodes(statements)), "@id": compactor.iri(name.value)}
               for name, statements in graphs)
    _write_document(out, compactor, objects, len(graphs))


def compact_triples(triples: Iterable[Triple]) -> bytes:
    """Triples (grouped by subject) as one compact document of node objects (for small descriptions)."""
    compactor = published()
    nodes = list(compactor.nodes(triples))
    buffer = io.BytesIO()
    _write_document(buffer, compactor, iter(nodes), len(nodes))
    return buffer.getvalue()


class Streamed:
    """A JSON array written item by item as its iterator gives them, never held whole."""

    def __init__(self, items: Iterator[Members]):
        self.items = items


def _write_document(out: BinaryIO, compactor: Compactor, items: Iterator[Members], count: int) -> None:
    """`{"@context": ..., ...}`: one top-level item merged into the document, several under `@graph`,
    as JSON-LD compaction shapes a document; printed as `json.dumps(indent=1)` prints it."""
    document: Members = {"@context": compactor.context["@context"]}
    if count == 1:
        document.update(next(items))
    elif count > 1:
        document["@graph"] = Streamed(items)
    writer = _Writer(out)
    writer.value(document, 0)
    writer.write("\n")
    writer.flush()


class _Writer:
    """JSON as `json.dumps(value, ensure_ascii=False, indent=1)` writes it, with `Streamed` arrays
    written as they come, through a buffer flushed in large pieces."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += 1
        if self.size >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.parts).encode())
        self.parts, self.size = [], 0

    def value(self, value, level: int) -> None:
        """Write one JSON value at `level`: a `Streamed` array (only ever under `@graph`), and an object
        holding one, piece by piece; anything else at once."""
        if isinstance(value, Streamed):
            first = True
            for item in value.items:
                self.write(("[" if first else ",") + PADS[level + 1])
                self.value(item, level + 1)
                first = False
            self.write("[]" if first else PADS[level] + "]")
        elif type(value) is dict and isinstance(value.get("@graph"), Streamed):
            for number, (key, member) in enumerate(value.items()):
                self.write(("{" if number == 0 else ",") + PADS[level + 1] + encode_string(key) + ": ")
                self.value(member, level + 1)
            self.write(PADS[level] + "}")
        else:
            self.write(_json(value, level))


PADS = ["\n" + " " * level for level in range(64)]  # a line break and the indentation of each level


def _json(value, level: int) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)` of strings, lists and objects, at `level`."""
    if type(value) is str:
        return encode_string(value)
    pad = PADS[level + 1]
    if type(value) is dict:
        if not value:
            return "{}"
        return "{" + pad + ("," + pad).join([encode_string(k) + ": " + _json(v, level + 1) for k, v in value.items()]) \
            + PADS[level] + "}"
    if not value:
        return "[]"
    return "[" + pad + ("," + pad).join([_json(v, level + 1) for v in value]) + PADS[level] + "]"


def main() -> None:
    """Print the context made from the shipped ontology (to refresh ontology/context.jsonld)."""
    ontology = list(parse(path=str(resources.ontology_dir() / "wsis.ttl"), format=RdfFormat.TURTLE))
    sys.stdout.write(json.dumps(make_context(ontology), indent=1) + "\n")


if __name__ == "__main__":
    main()
