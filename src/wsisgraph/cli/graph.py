"""Commands on the graph itself: build the store, validate data against the shapes, reason with HermiT."""

import re
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from wsisgraph.cli.common import err, resolve_location, run_build, say, store_option
from wsisgraph.core.extras import require
from wsisgraph.core.namespaces import display
from wsisgraph.graph import build, reason, validate
from wsisgraph.sources import inputs


@click.command("build")
@store_option
def build_command(location: Path | None) -> None:
    """Parse the ontology and data, validate them, and load them into a new store, one named graph
    per file, plus the `inferred` graph of materialised triples and the `dataset` description.

    The new store replaces the old one only when everything parsed and the data has no SHACL
    violation (exit 1 with the report otherwise), so a failed build leaves the previous store as
    it was.
    """
    location = resolve_location(location)
    report = run_build(location)
    if report.reused:
        click.echo(f"another process has just built {location} from the same inputs; using that build", err=True)
    table = Table(title=f"built {location}", header_style="bold")
    table.add_column("graph")
    table.add_column("triples", justify="right")
    for name, count in report.graphs.items():
        table.add_row(name, str(count))
    table.add_row("[bold]total[/]", f"[bold]{report.total}[/]")
    Console().print(table)
    if report.validation is not None:
        click.echo(f"validation: {report.validation.summary()}", err=True)
        if report.validation.results:
            click.echo(report.validation.text(summary=False), err=True, nl=False)


TEXT_MAX_RESULTS = 1000


class PhaseNotes:
    """Progress of a long validation on stderr: each phase at a terminal, and elsewhere only once
    the run has taken a while (a quick run in a script prints nothing)."""

    LONG = 5.0

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, phase: str) -> None:
        elapsed = time.monotonic() - self.started
        if err.is_terminal or elapsed > self.LONG:
            say(f"validate: {phase} ({elapsed:.0f} s)")

    def done(self) -> None:
        self("checked; writing the report")


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(validate.REPORT_FORMATS), default="text", show_default=True,
              help="text: grouped by node, for people; json: stable, for tools; turtle: the standard "
                   "sh:ValidationReport.")
@click.option("--input-format", type=click.Choice(list(validate.INPUT_FORMATS)), default=None,
              help="Syntax of FILES when their extension does not tell (.ttl .trig .nt .nq .jsonld .rdf/.xml/.owl).")
@click.option("--max-results", type=click.IntRange(min=0), default=None, metavar="N",
              help=f"Print at most N results (0: all; default {TEXT_MAX_RESULTS} for text, all for json and "
                   "turtle). The counts in the summary are always exact.")
@click.pass_context
def validate_command(ctx: click.Context, files: tuple[Path, ...], fmt: str, input_format: str | None,
                     max_results: int | None) -> None:
    """Check data against the SHACL shapes (ontology/shapes.ttl), the contract every data file meets.

    With no FILE, checks the shipped dataset: the ontology and data a build loads. With FILEs
    (Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML), checks them together with the ontology
    and the shipped data they refer to, and reports on the nodes they describe.

    Exit 0 when the data conforms (warnings allowed), 1 when there are violations, 2 when an input
    cannot be read (reported as path:line:col: message).
    """
    phases = PhaseNotes()
    report = (validate.validate_files(list(files), build.shipped_graphs(), input_format, on_phase=phases) if files
              else build.validate_shipped())
    phases.done()
    if max_results is None and fmt == "text":
        max_results = TEXT_MAX_RESULTS
    report.write(fmt, sys.stdout, max_results or None)
    ctx.exit(0 if report.conforms else 1)



@click.command("reason")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--input-format", type=click.Choice(list(validate.INPUT_FORMATS)), default=None,
              help="Syntax of FILES when their extension does not tell.")
@click.option("--only-files", is_flag=True,
              help="Reason over FILES alone (an ontology and data of your own), not the shipped ontology and data.")
@click.pass_context
def reason_command(ctx: click.Context, files: tuple[Path, ...], input_format: str | None, only_files: bool) -> None:
    """Check that the ontology and data are consistent under the HermiT OWL reasoner (needs Java).

    With no FILE, checks the shipped ontology and data; with FILEs, adds them (or, with
    --only-files, checks them alone). On inconsistency, names the individuals that are in two
    disjoint classes and the triples that put them there. Also lists what a build materialises
    into the `inferred` graph, rule by rule.

    Exit 0 when consistent, 1 when inconsistent or a class is unsatisfiable, 2 when Java is
    missing or an input cannot be read.
    """
    require("owlready2", "reason")
    java = reason.find_java()
    user = [t for path in files for t in validate.read_file(path, input_format)]
    if only_files:
        if not files:
            raise click.UsageError("--only-files needs FILE arguments")
        ontology, data = [], user
    else:
        shipped = build.shipped_graphs()
        ontology = shipped.pop(f"ontology/{inputs.ONTOLOGY_FILE}")
        data = [t for triples in shipped.values() for t in triples] + user
    result = reason.check_consistency(ontology, data, java)
    out = Console(highlight=False, soft_wrap=True)
    what = "the files given" if only_files else "the ontology and data" + (" with the files given" if files else "")
    if result.ok:
        out.print(f"[bold green]consistent[/]: HermiT finds no contradiction in {what} "
                  f"({result.triples} triples, {result.individuals} individuals; {result.seconds:.1f} s)")
    elif result.consistent:
        out.print(f"[bold red]incoherent[/]: {what} are consistent, but these classes can have no member:")
        for iri in result.unsatisfiable:
            out.print(f"  {display(iri)}")
    else:
        out.print(f"[bold red]inconsistent[/]: HermiT finds a contradiction in {what} ({result.triples} triples)")
        for clash in result.clashes:
            a, b = clash.classes
            out.print(f"  {display(clash.individual)} is both a {display(a)} and a "
                      f"{display(b)}, which are disjoint:")
            for cls in (a, b):
                for why in clash.reasons[cls]:
                    out.print(f"    {display(cls)}: {_explain(why)}")
        if not result.clashes:
            if result.ontology_alone_inconsistent:
                out.print("  the ontology alone is inconsistent: look at its class and property axioms")
            else:
                out.print("  no individual is in two disjoint classes; the contradiction comes from other axioms "
                          "(functional or inverse properties, cardinalities, datatypes)")
    if result.ignored_datatypes:
        kinds = ", ".join(f"{display(k)} ({n})" for k, n in result.ignored_datatypes.items())
        out.print(f"note: HermiT does not support these datatypes and ignored their literals: {kinds}")
    if not only_files and result.consistent:
        inferred = reason.materialise([ontology, data])
        rules = ", ".join(f"{name} {count}" for name, count in inferred.by_rule.items())
        out.print(f"inferred graph: {len(inferred.triples)} triples ({rules})")
    ctx.exit(0 if result.ok else 1)


def _explain(why: str) -> str:
    """'subject of IRI' / 'object of IRI from IRI' with the IRIs shortened."""
    return re.sub(r"https?://\S+", lambda m: display(m.group(0)), why)
