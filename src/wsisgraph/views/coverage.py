"""The coverage grid: WSIS action lines against SDG goals (or targets), counted from the graph.

A cell counts the links from an action line to a goal, either to the goal itself or to one of its
targets (level `goal`), or the links to one target (level `target`, where goal-level links have
no target to sit in and are left out). A link is a direct `wsis:supportsGoal` / `wsis:supportsTarget`
triple; with a basis filter, only links qualified by a `wsis:Alignment` node of that basis count.
C7's row sums its eight sub-lines, whose own rows follow it indented, as the coverage-matrix
canned query does, so the picture and `wsisgraph query coverage-matrix` always agree.

The picture of the grid is drawn by views/heatmap.py.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from wsisgraph.core import messages
from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.languages import FALLBACK, matches
from wsisgraph.core.namespaces import W, prologue
from wsisgraph.core.rdf import integer
from wsisgraph.sparql import stats
from wsisgraph.sparql.query import BASIS_SYNONYMS, Engine, Result, run

BASES: dict[str, NamedNode] = {
    "matrix": W.WSISSDGMatrix,
    "report": W.ReportStatement,
    "curator": W.CuratorJudgement,
    "extracted": W.ExtractedFromText,
    "list": W.ActivityList,
}
BASIS_TITLES = {"matrix": "WSIS-SDG Matrix", "report": "report statements", "curator": "curator's judgements",
                "extracted": "facts extracted from ingested text", "list": "ingested activity lists"}
LEVELS = ("goal", "target")
NEUTRAL = "#555555"  # the colour of a goal the graph gives none, and of the legend's swatches

PREAMBLE = prologue("wsis", "skos", "xsd", "dcat")
# A label in the asked language (?lang, bound as a literal), else in English.
LABEL = """
  OPTIONAL {{ {subject} {predicate} ?asked FILTER(LANGMATCHES(LANG(?asked), ?lang)) }}
  OPTIONAL {{ {subject} {predicate} ?english FILTER(LANGMATCHES(LANG(?english), ?fallback)) }}
  BIND(COALESCE(?asked, ?english) AS ?label)
"""
LINES_QUERY = PREAMBLE + """
SELECT ?line ?code ?label ?parent WHERE {
  ?line a wsis:ActionLine ; skos:notation ?code .""" + LABEL.format(subject="?line", predicate="skos:prefLabel") + """
  OPTIONAL { ?line skos:broader ?parent . ?parent a wsis:ActionLine }
}
ORDER BY xsd:integer(REPLACE(?code, "^C([0-9]+).*$", "$1")) ?code
"""
GOALS_QUERY = PREAMBLE + """
SELECT ?goal ?code ?label ?colour WHERE {
  ?goal a wsis:SDGGoal ; skos:notation ?code .""" + LABEL.format(subject="?goal", predicate="wsis:shortTitle") + """
  OPTIONAL { ?goal wsis:colour ?colour }
}
ORDER BY xsd:integer(?code)
"""
TARGETS_QUERY = PREAMBLE + """
SELECT ?target ?code ?label ?goal WHERE {
  ?target a wsis:SDGTarget ; skos:notation ?code ; wsis:goal ?goal .""" + LABEL.format(
    subject="?target", predicate="skos:prefLabel") + """
}
"""
LINKS_QUERY = PREAMBLE + """
SELECT DISTINCT ?member ?object ?goal WHERE {
  ?member a wsis:ActionLine .
  { ?member wsis:supportsGoal ?object . BIND(?object AS ?goal) }
  UNION
  { ?member wsis:supportsTarget ?object . ?object wsis:goal ?goal }
  ?goal a wsis:SDGGoal .
  %s
}
"""
BASIS_FILTER = """FILTER EXISTS {
    ?alignment wsis:alignmentSubject ?member ; wsis:alignmentObject ?object ; wsis:basis ?basis
  }"""


@dataclass(frozen=True)
class Line:
    """A row: an action line, with its parent's code for C7's sub-lines."""

    iri: str
    code: str
    label: str
    parent: str | None = None

    @property
    def short_label(self) -> str:
        """A sub-line's own name (`E-health`), without its parent's title in front."""
        return self.label.rsplit(": ", 1)[-1] if self.parent else self.label


@dataclass(frozen=True)
class Column:
    """A column: an SDG goal, or a target with the goal it belongs to."""

    iri: str
    code: str
    label: str
    colour: str
    goal: str


@dataclass
class Coverage:
    """The counted grid and what it was counted from."""

    level: str
    basis: str | None
    lines: list[Line]
    columns: list[Column]
    goals: list[Column]
    counts: Counter = field(default_factory=Counter)
    version: str = ""
    lang: str = FALLBACK
    fallbacks: int = 0  # labels shown in English because the graph has none in `lang`

    def count(self, line: str, column: str) -> int:
        return self.counts[(line, column)]

    def total(self, line: str) -> int:
        return sum(self.count(line, column.code) for column in self.columns)

    @property
    def basis_title(self) -> str:
        return BASIS_TITLES[self.basis] if self.basis else messages.text(self.lang, "all bases")

    @property
    def title(self) -> str:
        return messages.text(self.lang, f"title_{self.level}", basis=self.basis_title)

    def column_key(self, column: Column) -> str:
        """CSV header of a column: g9 like the coverage-matrix query, t9.c for a target."""
        return ("g" if self.level == "goal" else "t") + column.code

    def as_result(self) -> Result:
        """The grid as a query result, so it prints like `wsisgraph query coverage-matrix`."""
        variables = ["lineCode", *(self.column_key(c) for c in self.columns), "total"]
        rows = [[Literal(line.code), *(integer(self.count(line.code, c.code)) for c in self.columns),
                 integer(self.total(line.code))] for line in self.lines]
        return Result(variables, rows)



def target_sort_key(code: str) -> tuple:
    """1.2 before 1.10 before 1.a."""
    goal, _, rest = code.partition(".")
    return (int(goal), (0, int(rest), "") if rest.isdigit() else (1, 0, rest))


def read_labelled(engine: Engine, text: str, lang: str) -> tuple[list[list], int]:
    """Rows of a label query in the language, and how many of their labels fell back to English."""
    rows = run(engine, text, {"lang": Literal(lang), "fallback": Literal(FALLBACK)}).rows
    column = 2
    fallbacks = sum(1 for row in rows if isinstance(row[column], Literal) and not matches(row[column].language, lang))
    return rows, fallbacks


def read_lines(engine: Engine, lang: str = FALLBACK) -> tuple[list[Line], int]:
    rows, fallbacks = read_labelled(engine, LINES_QUERY, lang)
    codes = {row[0].value: row[1].value for row in rows}
    lines: dict[str, Line] = {}
    for iri, code, label, parent in rows:
        parent_code = codes.get(parent.value) if parent else None
        lines.setdefault(iri.value, Line(iri.value, code.value, label.value, parent_code))
    return group_sub_lines(list(lines.values())), fallbacks


def group_sub_lines(lines: list[Line]) -> list[Line]:
    """Each top-level line followed by its sub-lines, keeping the query's order otherwise."""
    ordered: list[Line] = []
    for line in lines:
        if line.parent is None:
            ordered.append(line)
            ordered.extend(sub for sub in lines if sub.parent == line.code)
    return ordered


def read_goals(engine: Engine, lang: str = FALLBACK) -> tuple[list[Column], int]:
    """The goals in code order, each in its wsis:colour (grey when it has none that reads #RRGGBB)."""
    goals: dict[str, Column] = {}
    rows, fallbacks = read_labelled(engine, GOALS_QUERY, lang)
    for iri, code, label, colour in rows:
        hex_colour = colour.value.lower() if colour and re.fullmatch(r"#[0-9A-Fa-f]{6}", colour.value) else NEUTRAL
        goals.setdefault(iri.value, Column(iri.value, code.value, label.value, hex_colour, code.value))
    return list(goals.values()), fallbacks


def read_targets(engine: Engine, goals: list[Column], lang: str = FALLBACK) -> tuple[dict[str, Column], int]:
    by_iri = {goal.iri: goal for goal in goals}
    targets = {}
    rows, fallbacks = read_labelled(engine, TARGETS_QUERY, lang)
    for iri, code, label, goal in rows:
        parent = by_iri.get(goal.value)
        if parent and iri.value not in targets:
            targets[iri.value] = Column(iri.value, code.value, label.value, parent.colour, parent.code)
    return targets, fallbacks


def compute(engine: Engine, level: str = "goal", basis: str | None = None, lang: str = FALLBACK) -> Coverage:
    """Count links per (action line, goal or target) cell; a line's row includes its sub-lines'."""
    if level not in LEVELS:
        raise WsisgraphError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    basis = BASIS_SYNONYMS.get(basis, basis) if basis is not None else None
    if basis is not None and basis not in BASES:
        raise WsisgraphError(f"unknown basis {basis!r}; choose one of {', '.join(BASES)}")
    lines, line_fallbacks = read_lines(engine, lang)
    goals, goal_fallbacks = read_goals(engine, lang)
    targets, target_fallbacks = read_targets(engine, goals, lang)
    goal_codes = {goal.iri: goal.code for goal in goals}
    by_iri = {line.iri: line for line in lines}
    if basis is None:
        links = run(engine, LINKS_QUERY % "")
    else:
        links = run(engine, LINKS_QUERY % BASIS_FILTER, {"basis": BASES[basis]})
    counts: Counter = Counter()
    for member, obj, goal in links.rows:
        line = by_iri.get(member.value)
        if level == "goal":
            column = goal_codes.get(goal.value)
        else:
            column = targets[obj.value].code if obj.value in targets else None
        while line is not None and column is not None:
            counts[(line.code, column)] += 1
            line = next((up for up in lines if up.code == line.parent), None)
    if level == "goal":
        columns = goals
    else:
        used = {column for _, column in counts}
        columns = sorted((t for t in targets.values() if t.code in used), key=lambda t: target_sort_key(t.code))
    fallbacks = line_fallbacks + (goal_fallbacks if level == "goal" else target_fallbacks)
    return Coverage(level, basis, lines, columns, goals, counts, stats.read_version(engine), lang, fallbacks)


def render_csv(coverage: Coverage) -> bytes:
    """The grid as a sheet, in the shape of SPARQL 1.1 CSV (plain values, CRLF), as `wsisgraph query
    coverage-matrix -f csv` prints it. Written with the csv module, not pyoxigraph: the target
    level's column names (t9.c) are no SPARQL variable names."""
    grid = coverage.as_result()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(grid.variables)
    writer.writerows([term.value for term in row] for row in grid.rows)
    return buffer.getvalue().encode("utf-8")


OUTPUTS = (".svg", ".png", ".csv")  # the pictures come from views/heatmap.py, which needs matplotlib


def check_output(path: Path) -> str:
    """The output type by the file's suffix; an unknown suffix is an error before any work is done."""
    suffix = path.suffix.lower()
    if suffix not in OUTPUTS:
        raise WsisgraphError(f"{path}: unknown output type; use one of {', '.join(OUTPUTS)}")
    return suffix
