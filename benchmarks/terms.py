"""Engine-neutral strings for RDF terms, so answers and reports from different engines compare.

pyoxigraph terms, rdflib terms and SPARQL 1.1 JSON result bindings all map to one string: numbers
by value (Virtuoso and rdflib type aggregates differently), simple literals without xsd:string,
language tags in lower case, and every blank node alike (their labels are local to each engine).
"""

from decimal import Decimal, InvalidOperation

from pyoxigraph import BlankNode, Literal, NamedNode

from wsisgraph.core.namespaces import XSD

NUMERIC = {XSD[t].value for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                                  "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong")}
SIMPLE = {None, XSD.string.value}


def _literal(value: str, datatype: str | None, language: str | None) -> str:
    if language:
        return f'"{value}"@{language.lower()}'
    if datatype in NUMERIC:
        try:
            return format(Decimal(value).normalize(), "f")
        except InvalidOperation:
            pass
    return f'"{value}"' if datatype in SIMPLE else f'"{value}"^^<{datatype}>'


def normalise(term: object) -> str:
    """One engine-neutral string per term: numbers by value, simple literals without xsd:string,
    blank nodes all alike (their labels are local to each engine)."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return "_:"
    if isinstance(term, Literal):
        return _literal(term.value, term.datatype.value if term.datatype else None, term.language)
    if isinstance(term, dict):  # SPARQL 1.1 JSON results
        kind = term["type"]
        if kind == "uri":
            return f"<{term['value']}>"
        if kind == "bnode":
            return "_:"
        return _literal(term["value"], term.get("datatype"), term.get("xml:lang"))
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdflibLiteral
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, RdflibLiteral):
        return _literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    raise TypeError(f"unknown term {term!r}")
