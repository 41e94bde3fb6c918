"""The alignment tallies of the dataset description (graph/tallies.py) against a direct count."""

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store

from wsisgraph.core.namespaces import DATASET_GRAPH, DATASET_IRI, INFERRED_GRAPH, VOID, W, graph_iri, prologue
from wsisgraph.graph import tallies

# The plain count, as alignment-summary asked before the build counted: the reference.
DIRECT = prologue("wsis") + """
SELECT ?basis ?property (COUNT(DISTINCT ?alignment) AS ?alignments) (COUNT(DISTINCT ?subject) AS ?subjects)
       (COUNT(DISTINCT ?object) AS ?objects)
WHERE {
  ?alignment wsis:basis ?basis ; wsis:alignmentProperty ?property ;
             wsis:alignmentSubject ?subject ; wsis:alignmentObject ?object .
}
GROUP BY ?basis ?property
"""


def direct(store: Store) -> list[tallies.Tally]:
    return sorted(tallies.Tally(row["basis"].value, row["property"].value, int(row["alignments"].value),
                                int(row["subjects"].value), int(row["objects"].value))
                  for row in store.query(DIRECT, default_graph=DefaultGraph()))


def test_the_dataset_description_states_the_direct_count(store):
    described = tallies.read(q.triple for q in store.quads_for_pattern(None, None, None, graph_iri(DATASET_GRAPH)))
    assert described == direct(store)
    matrix = [t for t in described if t.basis == W.WSISSDGMatrix.value]
    assert sum(t.alignments for t in matrix) == 287  # the links of the WSIS-SDG Matrix
    subsets = {q.object for q in store.quads_for_pattern(NamedNode(DATASET_IRI), VOID.subset, None,
                                                          graph_iri(DATASET_GRAPH))}
    assert {t.iri for t in described} <= subsets


def test_inferred_links_are_not_counted(store):
    """The tallies count what the default graph publishes: `inferred` holds no alignment."""
    assert not list(store.quads_for_pattern(None, W.basis, None, graph_iri(INFERRED_GRAPH)))


def test_a_recount_on_some_bases_counts_only_them():
    scratch = Store()
    a, b = NamedNode("https://example.org/a"), NamedNode("https://example.org/b")
    for node, basis, subject in ((a, W.WSISSDGMatrix, "s1"), (b, W.CuratorJudgement, "s2")):
        for predicate, value in ((W.basis, basis), (W.alignmentProperty, W.supportsGoal),
                                 (W.alignmentSubject, NamedNode(f"https://example.org/{subject}")),
                                 (W.alignmentObject, NamedNode("https://example.org/goal"))):
            scratch.add(Quad(node, predicate, value, DefaultGraph()))
    assert tallies.count(scratch, [W.CuratorJudgement]) == [
        tallies.Tally(W.CuratorJudgement.value, W.supportsGoal.value, 1, 1, 1)]
    assert tallies.count(scratch, []) == []
    assert len(tallies.count(scratch)) == 2
