"""The validation report: its results (the standard sh:ValidationResult fields plus the file and a
readable name of the focus node) and its three renderings, text for people, JSON for tools and the
standard sh:ValidationReport in Turtle. Whichever engine found a result, it is reported alike."""

import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import PREFIXES, SHAPES, Namespace, display, display_term
from wsisgraph.graph.validate.paths import PropertyPath

SH = PREFIXES["sh"]
RDF_TYPE = PREFIXES["rdf"] + "type"
SEVERITIES = {SH + "Violation": "Violation", SH + "Warning": "Warning", SH + "Info": "Info"}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
REPORT_FORMATS = ("text", "json", "turtle")

Term = NamedNode | BlankNode | Literal


class ValidationFailed(WsisgraphError):
    """The data breaks the shapes; a build refuses to swap its store in. Exit code 1."""

    exit_code = 1

    def __init__(self, report: "ValidationReport", what: str = "validation failed"):
        super().__init__(f"{what}: {report.summary()}\n{report.text()}")
        self.report = report


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult."""

    severity: str
    focus: Term
    path: PropertyPath | None
    value: Term | None
    message: str
    shape: Term | None
    constraint: Term | None
    component: str
    file: str | None = None
    focus_label: str | None = None

    @property
    def rule(self) -> str | None:
        """The IRI of the rule broken: the SPARQL constraint if one, else the shape."""
        node = self.constraint if isinstance(self.constraint, NamedNode) else self.shape
        return node.value if isinstance(node, NamedNode) else None

    def sort_key(self) -> tuple:
        return (self.file or "", focus_key(self.focus), SEVERITY_ORDER[self.severity], str(self.path or ""),
                self.rule or "", str(self.value) if self.value is not None else "", self.message)


def focus_key(term: Term) -> str:
    """A node as a string that sorts and groups: its IRI, or _:id for a blank node."""
    return term.value if isinstance(term, NamedNode) else f"_:{term.value}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class ValidationReport:
    """The results of one validation, with what was validated."""

    results: list[ValidationResult] = field(default_factory=list)
    triples: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        return {name: sum(1 for r in self.results if r.severity == name) for name in SEVERITY_ORDER}

    def summary(self) -> str:
        counts = self.counts()
        nodes = len({focus_key(r.focus) for r in self.results})
        parts = [plural(counts["Violation"], "violation"), plural(counts["Warning"], "warning"),
                 plural(counts["Info"], "info")]
        verdict = "conforms" if self.conforms else "does not conform"
        return (f"{verdict}: {', '.join(parts)} on {plural(nodes, 'node')} "
                f"({self.triples} triples from {plural(len(self.files), 'file')} checked)")

    def render(self, fmt: str) -> str:
        out = io.StringIO()
        self.write(fmt, out)
        return out.getvalue()

    def write(self, fmt: str, out: IO[str], max_results: int | None = None) -> None:
        """Write the report to `out` piece by piece (a large report is never one string in memory).

        With `max_results`, only the first N results are written; the counts stay exact and the
        report says how many were left out.
        """
        shown = self.results if max_results is None else self.results[:max_results]
        if fmt == "json":
            self._write_json(out, shown)
        elif fmt == "turtle":
            out.write(self.turtle(shown))
        else:
            out.writelines(self._text_lines(shown, summary=True))

    def text(self, summary: bool = True) -> str:
        """Results grouped by focus node (label and IRI, and the file it came from), then a summary."""
        return "".join(self._text_lines(self.results, summary))

    def _text_lines(self, shown: list[ValidationResult], summary: bool) -> Iterator[str]:
        current = None
        for result in shown:
            key = (result.file, focus_key(result.focus))
            if key != current:
                if current is not None:
                    yield "\n"
                current = key
                name = f"{result.focus_label} " if result.focus_label else ""
                yield (f"{name}<{focus_key(result.focus)}>\n" if isinstance(result.focus, NamedNode)
                       else f"{name}{focus_key(result.focus)}\n")
                yield f"  in {result.file or 'unknown file'}\n"
            where = result.path and display(str(result.path))
            shown_value = result.value is not None and result.value != result.focus
            value = f" = {display_term(result.value)}" if shown_value else ""
            rule = f" [{display(result.rule)}]" if result.rule else ""
            yield f"  {result.severity}: {where or '(node)'}{value}: {result.message}{rule}\n"
        left_out = len(self.results) - len(shown)
        if left_out:
            yield f"\n... and {plural(left_out, 'more result')} not shown (--max-results N shows more, 0 all)\n"
        if summary:
            if shown or left_out:
                yield "\n"
            yield self.summary() + "\n"

    def json(self) -> str:
        """A stable machine-readable report: sorted results, sorted keys, full IRIs."""
        return self.render("json")

    def _write_json(self, out: IO[str], shown: list[ValidationResult]) -> None:
        counts = self.counts()
        summary = {"violations": counts["Violation"], "warnings": counts["Warning"], "infos": counts["Info"],
                   "focusNodes": len({focus_key(r.focus) for r in self.results}),
                   "triples": self.triples, "files": self.files}
        if len(shown) < len(self.results):
            summary["shown"] = len(shown)
        out.write('{\n  "conforms": ' + json.dumps(self.conforms) + ',\n  "results": [')
        for number, r in enumerate(shown):
            item = {
                "severity": r.severity,
                "focusNode": focus_key(r.focus),
                "focusLabel": r.focus_label,
                "path": str(r.path) if r.path else None,
                "value": str(r.value) if r.value is not None else None,
                "message": r.message,
                "shape": focus_key(r.shape) if r.shape is not None else None,
                "constraint": focus_key(r.constraint) if r.constraint is not None else None,
                "rule": r.rule,
                "component": r.component,
                "file": r.file,
            }
            text = json.dumps(item, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")
            out.write(("," if number else "") + "\n    " + text)
        summary_text = json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
        out.write(("\n  " if shown else "") + '],\n  "summary": ' + summary_text + "\n}\n")

    def turtle(self, shown: list[ValidationResult] | None = None) -> str:
        """The standard sh:ValidationReport in Turtle, results in a stable order (`shown`: only
        those; sh:conforms is always about all of them). A complex sh:resultPath is written as the
        SHACL path node it is (`[ sh:inversePath p ]`, `[ sh:alternativePath ( a b ) ]`)."""
        sh = Namespace(SH)
        report = BlankNode("report")
        triples = [Triple(report, NamedNode(RDF_TYPE), sh.ValidationReport),
                   Triple(report, sh.conforms, Literal("true" if self.conforms else "false",
                                                      datatype=NamedNode(PREFIXES["xsd"] + "boolean")))]
        for number, r in enumerate(self.results if shown is None else shown, start=1):
            node = BlankNode(f"result{number}")
            triples += [
                Triple(report, sh.result, node),
                Triple(node, NamedNode(RDF_TYPE), sh.ValidationResult),
                Triple(node, sh.focusNode, r.focus),
                Triple(node, sh.resultSeverity, sh[r.severity]),
                Triple(node, sh.resultMessage, Literal(r.message)),
                Triple(node, sh.sourceConstraintComponent, NamedNode(r.component)),
            ]
            if r.path:
                cells = itertools.count()
                head, path_triples = r.path.node(lambda number=number, cells=cells:
                                                 BlankNode(f"path{number}-{next(cells)}"))
                triples += [Triple(node, sh.resultPath, head), *path_triples]
            if r.value is not None:
                triples.append(Triple(node, sh.value, r.value))
            if r.shape is not None:
                triples.append(Triple(node, sh.sourceShape, r.shape))
            if r.constraint is not None:
                triples.append(Triple(node, sh.sourceConstraint, r.constraint))
        prefixes = {"sh": SH, "wsish": SHAPES, **{k: v for k, v in PREFIXES.items() if k != "sh"}}
        return serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes).decode()
