"""Alignment tallies: how many qualified alignments each basis contributes per kind of link, with
their distinct subjects and objects, counted once per build and published in the `dataset` graph.

Why materialised: counting them means four lookups per alignment (basis, property, subject,
object). At a million triples (65,000 alignments) that took 0.7-1.2 s of CPU on the on-disk store
against Virtuoso's 0.15-0.24 s, whatever the query's shape; read from the dataset description, the
`alignment-summary` query takes milliseconds on every engine. A full build counts everything; an
incremental update (graph/update.py) counts again only the bases the change touches, and keeps the
other bases' tallies, so the dataset graph it writes is the one a full build writes.

Each tally is a VoID dataset (the links of one property qualified on one basis), a `void:subset`
of the wsisgraph dataset:

    <.../dataset/wsisgraph/alignments/WSISSDGMatrix/supportsTarget> a void:Dataset, wsis:AlignmentTally ;
        wsis:tallyBasis wsis:WSISSDGMatrix ; void:property wsis:supportsTarget ;
        wsis:alignmentCount 182 ; void:distinctSubjects 19 ; void:distinctObjects 91 .
"""

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple, Variable

from wsisgraph.core.namespaces import DATASET_IRI, RDF, VOID, W, prologue
from wsisgraph.core.rdf import integer

# The four statements of a qualified alignment the tallies count.
COUNTED = (W.basis, W.alignmentProperty, W.alignmentSubject, W.alignmentObject)

# One hash join per statement: at a million triples this is 2x faster on disk than looking each
# alignment's statements up in turn, which is how Oxigraph evaluates the plain basic graph pattern.
QUERY = prologue("wsis") + """
SELECT ?basis ?property (COUNT(DISTINCT ?alignment) AS ?alignments) (COUNT(DISTINCT ?subject) AS ?subjects)
       (COUNT(DISTINCT ?object) AS ?objects)
WHERE {
  { SELECT ?alignment ?basis WHERE { ?alignment wsis:basis ?basis } }
  { SELECT ?alignment ?property WHERE { ?alignment wsis:alignmentProperty ?property } }
  { SELECT ?alignment ?subject WHERE { ?alignment wsis:alignmentSubject ?subject } }
  { SELECT ?alignment ?object WHERE { ?alignment wsis:alignmentObject ?object } }
}
GROUP BY ?basis ?property
"""

# The same for the alignments on one basis (bound as ?basis): an update's recount, which starts from
# the basis and looks its alignments up.
ON_BASIS = prologue("wsis") + """
SELECT ?basis ?property (COUNT(DISTINCT ?alignment) AS ?alignments) (COUNT(DISTINCT ?subject) AS ?subjects)
       (COUNT(DISTINCT ?object) AS ?objects)
WHERE {
  ?alignment wsis:basis ?basis ;
             wsis:alignmentProperty ?property ;
             wsis:alignmentSubject ?subject ;
             wsis:alignmentObject ?object .
}
GROUP BY ?basis ?property
"""


@dataclass(frozen=True, order=True)
class Tally:
    """The alignments on one basis that qualify one kind of link, and their distinct ends."""

    basis: str
    property: str
    alignments: int
    subjects: int
    objects: int

    @property
    def iri(self) -> NamedNode:
        return NamedNode(f"{DATASET_IRI}/alignments/{local_name(self.basis)}/{local_name(self.property)}")


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def count(store: Store, bases: Iterable[NamedNode] | None = None) -> list[Tally]:
    """The tallies of every alignment in the store's default graph, or of those on `bases`."""
    if bases is None:
        rows = list(store.query(QUERY, default_graph=DefaultGraph()))
    else:
        rows = [row for basis in sorted(set(bases), key=lambda node: node.value)
                for row in store.query(ON_BASIS, default_graph=DefaultGraph(),
                                       substitutions={Variable("basis"): basis})]
    return sorted(Tally(row[Variable("basis")].value, row[Variable("property")].value,
                        int(row[Variable("alignments")].value), int(row[Variable("subjects")].value),
                        int(row[Variable("objects")].value))
                  for row in rows)


def count_triples(graphs: Iterable[Iterable[Triple]]) -> list[Tally]:
    """The tallies of the alignments in parsed graphs (a full build, before anything is stored):
    their statements are counted by the same query, in a store of their own."""
    scratch = Store()
    scratch.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph())
                        for triples in graphs for t in triples if t.predicate in COUNTED)
    return count(scratch)


def describe(tallies: Iterable[Tally], dataset: NamedNode) -> list[Triple]:
    """The tallies as the dataset description states them."""
    out: list[Triple] = []
    for tally in sorted(tallies):
        node = tally.iri
        out += [
            Triple(dataset, VOID.subset, node),
            Triple(node, RDF.type, VOID.Dataset),
            Triple(node, RDF.type, W.AlignmentTally),
            Triple(node, W.tallyBasis, NamedNode(tally.basis)),
            Triple(node, VOID.property, NamedNode(tally.property)),
            Triple(node, W.alignmentCount, integer(tally.alignments)),
            Triple(node, VOID.distinctSubjects, integer(tally.subjects)),
            Triple(node, VOID.distinctObjects, integer(tally.objects)),
        ]
    return out


def read(triples: Iterable[Triple]) -> list[Tally]:
    """The tallies a dataset description states (what an update keeps of the bases it does not
    touch)."""
    fields: dict[NamedNode, dict[NamedNode, str]] = {}
    for t in triples:
        fields.setdefault(t.subject, {})[t.predicate] = t.object.value
    wanted = (W.tallyBasis, VOID.property, W.alignmentCount, VOID.distinctSubjects, VOID.distinctObjects)
    return sorted(Tally(f[W.tallyBasis], f[VOID.property], int(f[W.alignmentCount]), int(f[VOID.distinctSubjects]),
                        int(f[VOID.distinctObjects]))
                  for f in fields.values() if all(p in f for p in wanted))

