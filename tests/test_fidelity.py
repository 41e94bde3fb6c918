"""Fidelity of the report graph (issue 17) and its provenance model (issue 13).

What the report does not state, the graph does not assert as fact: every relation the report graph
takes from a paragraph has a wsis:SourcedStatement (or, for a direct alignment link, a
wsis:Alignment) saying in what modality the paragraph states it. The guard below checks the
strongest modality cheaply: a fact recorded as wsis:Stated must cite a passage that names the thing
it points to (its label, an altLabel, a notation or a symbol). It catches actors and links the
paragraph never names; the few facts whose object a paragraph names in other words are listed in
NAMED_OTHERWISE, each with its reason.
"""

import re
import unicodedata

from pyoxigraph import Literal, NamedNode, Quad, Store

from conftest import select

WSIS = "https://w3id.org/wsisgraph/ontology#"
ID = "https://w3id.org/wsisgraph/id/"
REPORT_GRAPH = "https://w3id.org/wsisgraph/graph/report/cwg-wsis-sdg-39-40"
PREFIXES = f"""
PREFIX wsis: <{WSIS}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# Facts recorded as stated whose object the cited paragraph names in words that are not one of its
# labels. Keyed by (property, object) as local IRIs under id/ (or the ontology); each has a reason.
NAMED_OTHERWISE: dict[tuple[str, str], str] = {
    ("wsis:recommendedBy", "organisation/cwg-wsis-sdg"):
        "paragraph 3 says \"The group ... made the following recommendations\": the report calls the "
        "CWG-WSIS&SDG \"the group\" throughout (1, 2.10, 3, 3.x); \"the group\" is too generic to be a label",
    ("*", "meeting/cwg-wsis-sdg-39-40"):
        "the report is the summary of the two meetings (paragraph 1); section 2 reports what was presented and "
        "discussed at them (\"was presented\", \"were discussed\") and paragraph 3 what \"this meeting\" "
        "recommended, without naming the meetings again",
    ("wsis:actor", "organisation/cwg-wsis-sdg"):
        "the group's own decisions (3.4's appreciation, 3.6, 3.12, 3.13) and the instructions of 3.15.1/3.15.2 "
        "to \"the CWG-WSIS&SDG\": the paragraph says \"The group\" or is part of 3.15, which names the CWG",
    ("dcterms:isPartOf", "recommendation/cwg-wsis-sdg-39-40/3.13"):
        "a structural link: 3.14 and 3.15 continue 3.13's \"CWG-WSIS&SDG agreed to:\"",
    ("dcterms:isPartOf", "recommendation/cwg-wsis-sdg-39-40/3.15"):
        "a structural link: 3.15.1 and 3.15.2 continue 3.15's \"to instruct the CWG-WSIS&SDG:\"",
    ("*", "scheme/sdg"):
        "the report says \"the SDGs\" (2.7, 3.6, 3.10, 3.14) for the SDGs as a whole, which is the SDG scheme "
        "node; the scheme's label names the framework (\"Sustainable Development Goals: goals, targets and "
        "indicators\") and is not the report's to change",
    ("wsis:concerns", "document/cwg-wsis-sdg-39-40-report"):
        "the cover section \"Action required by the Council\" speaks of the report itself as \"this report\"",
    ("wsis:recommendedBy", "document/cwg-wsis-sdg-39-40-report"):
        "the cover section \"Action required by the Council\" is the report's own request (\"this report\")",
    ("wsis:governs", "recommendation/cwg-wsis-sdg-39-40/3.13"):
        "the object is the decision paragraph 3.13 itself records (\"in accordance with the Resolution 1334 "
        "(mod.2023) CWG-WSIS&SDG agreed to:\")",
}

NAME_PROPERTIES = ("rdfs:label", "skos:prefLabel", "skos:altLabel", "skos:notation", "wsis:documentSymbol",
                   "wsis:number", "dcterms:title")


def normalise(text: str) -> str:
    """Case-folded text with typographic quotes, dashes and spacing made plain, for substring tests."""
    text = unicodedata.normalize("NFKC", text).casefold()
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", " ", text).strip()


def variants(name: str) -> set[str]:
    """A name, the name without its parenthesis, and what the parenthesis holds:
    "Global Digital Compact (GDC)" is named by either "Global Digital Compact" or "GDC"."""
    name = normalise(name)
    out = {name, re.sub(r"\s*\([^)]*\)", "", name).strip(), *re.findall(r"\(([^)]*)\)", name)}
    out |= {v.removeprefix("the ") for v in out}
    return {v for v in out if len(v) > 1}


def short(iri: str) -> str:
    for prefix, namespace in (("wsis:", WSIS), ("dcterms:", "http://purl.org/dc/terms/"),
                              ("org:", "http://www.w3.org/ns/org#"), ("schema:", "https://schema.org/"),
                              ("", ID)):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return iri


def unnamed_stated_facts(store: Store) -> list[tuple[str, str, str, list[str]]]:
    """(subject, property, object, paragraphs) of every fact of the report graph recorded as stated
    whose cited passages name the object nowhere, leaving out NAMED_OTHERWISE."""
    rows = select(store, PREFIXES + f"""
        SELECT ?fact ?s ?p ?o ?paragraph ?text WHERE {{
          GRAPH <{REPORT_GRAPH}> {{
            {{ ?fact a wsis:SourcedStatement ; wsis:statementSubject ?s ; wsis:statementProperty ?p ;
                     wsis:statementObject ?o ; wsis:modality wsis:Stated . }}
            UNION
            {{ ?fact a wsis:Alignment ; wsis:basis wsis:ReportStatement ; wsis:modality wsis:Stated ;
                     wsis:alignmentSubject ?s ; wsis:alignmentProperty ?p ; wsis:alignmentObject ?o . }}
            ?fact wsis:sourcePassage ?passage .
          }}
          ?passage wsis:text ?text .
          OPTIONAL {{ ?passage wsis:paragraph ?number }}
          OPTIONAL {{ ?passage dcterms:title ?title }}
          BIND(COALESCE(?number, ?title) AS ?paragraph)
        }}""")
    names = {}
    for row in select(store, PREFIXES + f"""SELECT ?x ?name WHERE {{
            ?x {" | ".join(NAME_PROPERTIES)} ?name }}"""):
        names.setdefault(row["x"], set()).update(variants(row["name"]))
    facts: dict[tuple[str, str, str, str], tuple[bool, list[str]]] = {}
    for row in rows:
        key = (row["fact"], row["s"], row["p"], row["o"])
        named = names.get(row["o"], set()) or variants(row["o"])  # a literal object names itself
        text = normalise(row["text"])
        found, paragraphs = facts.get(key, (False, []))
        facts[key] = (found or any(n in text for n in named), [*paragraphs, row["paragraph"]])
    return sorted((short(s), short(p), short(o), sorted(paragraphs))
                  for (_, s, p, o), (found, paragraphs) in facts.items()
                  if not found and (short(p), short(o)) not in NAMED_OTHERWISE
                  and ("*", short(o)) not in NAMED_OTHERWISE)


def test_every_stated_fact_cites_a_passage_that_names_its_object(store):
    unnamed = unnamed_stated_facts(store)
    assert not unnamed, "stated, but the cited paragraph never names the object:\n" + "\n".join(map(str, unnamed))


def test_the_guard_catches_an_actor_the_paragraph_never_names(store):
    """A broken copy of the data: paragraph 3.3 ("Further information about the WSIS Forum 2025 is to
    be presented in the 2024 session of the Council") names no actor, so a stated actor on it must
    fail the guard, as the group's did before issue 17."""
    broken = Store()
    broken.bulk_extend(store.quads_for_pattern(None, None, None, None))
    graph, rdf_type = NamedNode(REPORT_GRAPH), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    rec, actor = NamedNode(ID + "recommendation/cwg-wsis-sdg-39-40/3.3"), NamedNode(WSIS + "actor")
    secretariat, record = NamedNode(ID + "organisation/itu-secretariat"), NamedNode(ID + "test/broken-record")
    broken.extend(Quad(s, p, o, graph) for s, p, o in [
        (rec, actor, secretariat),
        (record, rdf_type, NamedNode(WSIS + "SourcedStatement")),
        (record, NamedNode(WSIS + "statementSubject"), rec),
        (record, NamedNode(WSIS + "statementProperty"), actor),
        (record, NamedNode(WSIS + "statementObject"), secretariat),
        (record, NamedNode(WSIS + "modality"), NamedNode(WSIS + "Stated")),
        (record, NamedNode(WSIS + "sourcePassage"), NamedNode(ID + "passage/cwg-wsis-sdg-39-40-report/3.3")),
    ])
    assert unnamed_stated_facts(broken) == [
        ("recommendation/cwg-wsis-sdg-39-40/3.3", "wsis:actor", "organisation/itu-secretariat", ["3.3"])]


def test_the_guard_reads_labels_parentheses_and_literals():
    assert variants("Global Digital Compact (GDC)") >= {"global digital compact", "gdc"}
    assert normalise("ITU’s  “roadmap”") == "itu's \"roadmap\""
    assert "2024-05-27" in variants(Literal("2024-05-27").value)


def test_every_paragraph_keeps_its_provenance_facts(store):
    """The (subject, property, object, passage) facts of the report's sourced statements.

    Moving them off rdf:Statement reification (issue 13) kept all 396 facts of the 348 records.
    Issue 17 then changed, on purpose: 3.3's unnamed actor dropped (-1); the three resolutions'
    wsis:mandates, the reverse of the report's wsis:inLineWith, dropped (-3); 2.10.1's recommender
    now also cites 2.10, where the context is (+1); the work of UNGIS organised by UNGIS (+1); the
    WSIS+20 Forum High-Level Event's inferred dates, each citing 3.2, 1 and 3.14 (+6). 400 facts in
    347 records, and every one of the 43 passages the records cited before is still cited."""
    rows = select(store, PREFIXES + f"""
        SELECT (COUNT(DISTINCT ?record) AS ?records) (COUNT(*) AS ?facts) (COUNT(DISTINCT ?passage) AS ?passages)
        WHERE {{ SELECT DISTINCT ?record ?s ?p ?o ?passage WHERE {{ GRAPH <{REPORT_GRAPH}> {{
          ?record a wsis:SourcedStatement ; wsis:statementSubject ?s ; wsis:statementProperty ?p ;
                  wsis:statementObject ?o ; wsis:sourcePassage ?passage }} }} }}""")
    assert rows == [{"records": "347", "facts": "400", "passages": "43"}]
    modalities = {r["m"]: r["n"] for r in select(store, PREFIXES + f"""
        SELECT ?m (COUNT(?record) AS ?n) WHERE {{ GRAPH <{REPORT_GRAPH}> {{
          ?record a wsis:SourcedStatement ; wsis:modality ?m }} }} GROUP BY ?m""")}
    assert modalities == {WSIS + "Stated": "327", WSIS + "InferredFromContext": "14", WSIS + "Destination": "5",
                          WSIS + "Invitation": "1"}


def test_no_rdf_reification_is_left():
    """OWL tools drop rdf:Statement reification (issue 13): no triple of the data or the ontology
    uses rdf:Statement, rdf:subject, rdf:predicate or rdf:object."""
    import rdflib

    from wsisgraph.core import resources

    reification = {rdflib.RDF.Statement, rdflib.RDF.subject, rdflib.RDF.predicate, rdflib.RDF.object}
    files = [*(resources.resource_root() / "data").rglob("*.ttl"), *resources.ontology_dir().glob("*.ttl")]
    assert len(files) >= 4
    for path in files:
        graph = rdflib.Graph().parse(path)
        assert not [t for t in graph if reification & set(t)], path
