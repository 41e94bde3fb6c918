"""Print query results: pyoxigraph's own writers for tools (SPARQL 1.1 JSON, CSV, TSV and SPARQL XML
results), and ours for people: a rich table and Markdown, with labels and codes. Every engine gives
pyoxigraph's answer objects, so embedded and remote answers print alike.
"""

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from wsisgraph.core.languages import matches
from wsisgraph.core.namespaces import compact
from wsisgraph.sparql.query import Answer, Result

# the machine formats, each written by pyoxigraph: the SPARQL 1.1 results formats and SPARQL XML results
SERIALIZED = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV, "json": QueryResultsFormat.JSON,
              "xml": QueryResultsFormat.XML}
FORMATS = ("table", *SERIALIZED, "markdown")


def serialize(answer: Answer, fmt: str) -> bytes:
    """The answer in a machine format, ending with a line break as a command's output does (CSV and
    TSV rows end with one already; pyoxigraph writes JSON, XML and an ASK's `true` without it)."""
    out = answer.serialize(format=SERIALIZED[fmt])
    return out if out.endswith(b"\n") else out + b"\n"


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
    """A table that fits the console (80 columns when piped): see `layout`. Cells are plain text,
    never rich markup (a `[en]` fallback marker stays text)."""
    if result.boolean is not None:
        console.print("true" if result.boolean else "false")
        return
    shown = [i for i in range(len(result.variables)) if iris or not only_iris(result, i)]
    headers = [result.variables[i] for i in shown]
    cells = [[" ".join(plain(row[i], iris, lang).split("\n")) for i in shown] for row in result.rows]
    groups = layout(headers, cells, console.width)
    for number, (group, widths) in enumerate(groups, start=1):
        if number > 1:
            console.print()
        caption = title if number == 1 else None  # the later parts continue the first
        table = Table(title=caption, header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 0))
        for i in group:
            numeric = all(cell.lstrip("-").isdigit() for row in cells if (cell := row[i]))
            table.add_column(Text(headers[i]), width=widths[i], no_wrap=True, overflow="ellipsis",
                             justify="right" if numeric else "left")
        for row in cells:
            table.add_row(*(Text(row[i]) for i in group))
        console.print(table)
    console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", style="dim")


CODE_WIDTH = 24  # a cell without spaces up to this wide is a code: never cut
TEXT_MIN = 12  # the narrowest a text column is cut to before the table is split


def is_code_column(header: str, cells: list[str]) -> bool:
    """Numbers and codes (no spaces, short) are shown whole; other text may be cut."""
    return all(" " not in cell and len(cell) <= CODE_WIDTH for cell in cells)


def column_widths(headers: list[str], rows: list[list[str]]) -> list[int]:
    return [max([len(headers[i])] + [len(row[i]) for row in rows]) for i in range(len(headers))]


def layout(headers: list[str], rows: list[list[str]], width: int) -> list[tuple[list[int], dict[int, int]]]:
    """Column groups that fit `width`, each as (column indexes, width of every column).

    Codes keep their natural width; text columns share what is left, down to TEXT_MIN (cut with
    an ellipsis). A table that still does not fit is split into several, each repeating the first
    column, so every code stays whole and readable.
    """
    natural = column_widths(headers, rows)
    code = [is_code_column(headers[i], [row[i] for row in rows]) for i in range(len(headers))]

    def least(i: int) -> int:
        return natural[i] if code[i] else min(natural[i], TEXT_MIN)

    groups: list[list[int]] = []
    current: list[int] = []
    for i in range(len(headers)):
        trial = [*current, i]
        if current and sum(least(j) for j in trial) + len(trial) - 1 > width:
            groups.append(current)
            current = [0, i] if i != 0 else [i]
        else:
            current = trial
    groups.append(current)
    out = []
    for group in groups:
        widths = {i: least(i) for i in group}
        spare = width - (sum(widths.values()) + len(group) - 1)
        texts = [i for i in group if not code[i] and natural[i] > widths[i]]
        while spare > 0 and texts:  # share what is left among the cut text columns
            share = max(1, spare // len(texts))
            for i in list(texts):
                grow = min(share, natural[i] - widths[i], spare)
                widths[i] += grow
                spare -= grow
                if widths[i] == natural[i]:
                    texts.remove(i)
        out.append((group, widths))
    return out
