"""Render query results: a rich table for people, CSV/TSV/JSON (SPARQL 1.1 results formats) for tools,
Markdown for reports. One renderer serves every engine, so embedded and remote answers print alike.
"""

import csv
import io
import json

from pyoxigraph import BlankNode, Literal, NamedNode
from rich.console import Console
from rich.table import Table
from rich.text import Text

from wsisgraph.languages import matches
from wsisgraph.namespaces import compact
from wsisgraph.query import Result

FORMATS = ("table", "csv", "tsv", "json", "markdown")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_json(term: object) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON Format."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def to_json(result: Result) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
    bindings = [{var: term_json(term) for var, term in zip(result.variables, row, strict=True) if term is not None}
                for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False)


def plain(term: object, iris: bool = True, lang: str | None = None) -> str:
    """A term as a cell: lexical form of literals, IRIs whole or compacted. With the asked language,
    a text in another language (the English fallback of a missing label) is marked `[en]`."""
    if isinstance(term, Literal) and lang and term.language and not matches(term.language, lang):
        return f"{term.value} [{term.language}]"
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return term.value if iris else compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


def to_csv(result: Result, delimiter: str = ",") -> str:
    """SPARQL 1.1 CSV (plain values) or, with a tab, TSV (terms in N-Triples syntax)."""
    buffer = io.StringIO()
    if result.boolean is not None:
        return ("true" if result.boolean else "false") + "\n"
    if delimiter == "\t":
        buffer.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            buffer.write("\t".join("" if term is None else str(term) for term in row) + "\n")
        return buffer.getvalue()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([plain(term) for term in row])
    return buffer.getvalue()


def to_markdown(result: Result, iris: bool = False, lang: str | None = None) -> str:
    if result.boolean is not None:
        return f"**{'true' if result.boolean else 'false'}**\n"

    def cell(term: object) -> str:
        return plain(term, iris, lang).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    lines += ["| " + " | ".join(cell(term) for term in row) + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def only_iris(result: Result, column: int) -> bool:
    """True when a column holds IRIs and nothing else: tables hide it unless --iris is given."""
    values = [row[column] for row in result.rows if row[column] is not None]
    return bool(values) and all(isinstance(v, NamedNode) for v in values)


def print_table(result: Result, console: Console, iris: bool = False, title: str | None = None,
                lang: str | None = None) -> None:
    if result.boolean is not None:
        console.print("true" if result.boolean else "false")
        return
    shown = [i for i in range(len(result.variables)) if iris or not only_iris(result, i)]
    table = Table(title=title, show_lines=False, header_style="bold")
    for i in shown:
        table.add_column(result.variables[i], overflow="fold")
    for row in result.rows:
        table.add_row(*(Text(plain(row[i], iris, lang)) for i in shown))  # Text: a `[en]` is no markup
    console.print(table)
    console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", style="dim")


def render(result: Result, fmt: str, iris: bool = False, lang: str | None = None) -> str:
    """Text for every non-table format. The asked language marks fallbacks in Markdown; JSON keeps
    each literal's xml:lang and TSV its @tag, while CSV holds plain values, as SPARQL 1.1 CSV does."""
    if fmt == "json":
        return to_json(result) + "\n"
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_csv(result, "\t")
    if fmt == "markdown":
        return to_markdown(result, iris, lang)
    raise ValueError(f"unknown format {fmt!r}")
