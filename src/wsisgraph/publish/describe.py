"""The VoID + DCAT description of a release (`void.ttl`): what the release is, how big, what is in it.

The release is `https://w3id.org/wsisgraph/releases/{version}/`, a dcat:Dataset and void:Dataset
with `void:triples` (distinct triples of the union the default graph serves), one `void:subset`
per named graph (its triples, as `wsisgraph stats` counts them), `void:classPartition`s (instances
per class, as `stats` counts them) and `void:propertyPartition`s (triples per property). Each file
of the release is a `dcat:Distribution` with its size, SHA-256 (`spdx:checksum`), media type and
download URL. The ontology's `owl:versionIRI` is repeated so a reader can check it against
`ontology.ttl`. Nothing here depends on the clock except `dcterms:issued`, which comes from
SOURCE_DATE_EPOCH when set (settings.build_time), so a release can be rebuilt byte for byte.
"""

from dataclasses import dataclass
from datetime import datetime

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, serialize

from wsisgraph.core.namespaces import (
    BASE,
    DATASET_IRI,
    DCAT,
    DCTERMS,
    EXPORT_PREFIXES,
    OWL,
    RDF,
    RDFS,
    SD,
    VOID,
    WSIS,
    XSD,
    Namespace,
    compact,
    graph_iri,
)
from wsisgraph.core.rdf import integer
from wsisgraph.sparql import stats

RELEASES = BASE + "releases/"
ONTOLOGY_IRI = NamedNode(BASE + "ontology")
LICENSE = NamedNode("https://creativecommons.org/licenses/by/4.0/")
SPDX_NS = "http://spdx.org/rdf/terms#"
SPDX = Namespace(SPDX_NS)
IANA = "https://www.iana.org/assignments/media-types/"
PREFIXES = {**EXPORT_PREFIXES, "spdx": SPDX_NS}

PROPERTY_COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
TRIPLE_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass(frozen=True)
class FileEntry:
    """One file of a release, as its distribution describes it."""

    name: str
    size: int
    sha256: str
    media_type: str
    title: str
    compressed: bool = False  # a .gz beside the file of the same name without .gz


def release_iri(version: str) -> str:
    return f"{RELEASES}{version}/"



def describe(store: Store, version: str, issued: datetime, files: list[FileEntry], graphs: list[str],
             ontology_version: str | None, endpoint: str | None = None) -> list[Triple]:
    """The release's description: counts read from `store` (the union of the published graphs is its
    default graph), one distribution per file, the ontology's version IRI."""
    release = NamedNode(release_iri(version))
    when = issued.date().isoformat()
    found = stats.counts(store)
    graph_counts = {count.name: count.count for count in found if count.kind == "graph"}
    total = int(next(iter(store.query(TRIPLE_COUNT)))["n"].value)
    out = [
        Triple(release, RDF.type, DCAT.Dataset),
        Triple(release, RDF.type, VOID.Dataset),
        Triple(release, DCTERMS.title, Literal(f"wsisgraph {version}", language="en")),
        Triple(release, RDFS.label, Literal(f"wsisgraph release {version}", language="en")),
        Triple(release, DCTERMS.description, Literal(
            "A release of wsisgraph: how the WSIS action lines line up with the SDGs, with the WSIS-SDG Matrix, "
            "the CWG-WSIS&SDG report and their provenance, in every standard RDF serialisation.", language="en")),
        Triple(release, DCAT.version, Literal(version)),
        Triple(release, DCTERMS.issued, Literal(when, datatype=XSD.date)),
        Triple(release, DCTERMS.license, LICENSE),
        Triple(release, DCTERMS.isVersionOf, NamedNode(DATASET_IRI)),
        Triple(release, DCTERMS.conformsTo, ONTOLOGY_IRI),
        Triple(release, VOID.vocabulary, NamedNode(WSIS)),
        Triple(release, VOID.triples, integer(total)),
        Triple(release, VOID.uriSpace, Literal(BASE + "id/")),
    ]
    if ontology_version:
        out += [Triple(release, OWL.versionIRI, NamedNode(ontology_version)),
                Triple(ONTOLOGY_IRI, OWL.versionIRI, NamedNode(ontology_version))]
    if endpoint:
        out.append(Triple(release, VOID.sparqlEndpoint, NamedNode(endpoint)))
    for name in graphs:
        subset = NamedNode(f"{release.value}graph/{name}")
        out += [Triple(release, VOID.subset, subset), Triple(subset, RDF.type, VOID.Dataset),
                Triple(subset, SD.name, graph_iri(name)), Triple(subset, VOID.triples, integer(graph_counts[name]))]
    for count in (c for c in found if c.kind == "class"):
        partition = NamedNode(f"{release.value}class/{count.name}")
        out += [Triple(release, VOID.classPartition, partition), Triple(partition, VOID["class"], NamedNode(count.iri)),
                Triple(partition, VOID.entities, integer(count.count))]
    for row in store.query(PROPERTY_COUNTS):
        partition = NamedNode(f"{release.value}property/{compact(row['p'].value)}")
        out += [Triple(release, VOID.propertyPartition, partition), Triple(partition, VOID.property, row["p"]),
                Triple(partition, VOID.triples, integer(int(row["n"].value)))]
    for entry in files:
        out += distribution(release, entry, when)
    return out


def distribution(release: NamedNode, entry: FileEntry, issued: str) -> list[Triple]:
    """One file: a dcat:Distribution with size, checksum, media type (and gzip as its compression)."""
    node = NamedNode(release.value + entry.name)
    checksum = BlankNode("sha256-" + entry.name.replace(".", "-"))
    out = [
        Triple(release, DCAT.distribution, node),
        Triple(node, RDF.type, DCAT.Distribution),
        Triple(node, DCTERMS.title, Literal(entry.title, language="en")),
        Triple(node, DCAT.downloadURL, node),
        Triple(node, DCAT.mediaType, NamedNode(IANA + entry.media_type)),
        Triple(node, DCAT.byteSize, integer(entry.size)),
        Triple(node, DCTERMS.license, LICENSE),
        Triple(node, DCTERMS.issued, Literal(issued, datatype=XSD.date)),
        Triple(node, SPDX.checksum, checksum),
        Triple(checksum, RDF.type, SPDX.Checksum),
        Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        Triple(checksum, SPDX.checksumValue, Literal(entry.sha256, datatype=XSD.hexBinary)),
    ]
    if entry.compressed:
        out.append(Triple(node, DCAT.compressFormat, NamedNode(IANA + "application/gzip")))
    return out


def to_turtle(triples: list[Triple]) -> bytes:
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return serialize(ordered, format=RdfFormat.TURTLE, prefixes=PREFIXES)
