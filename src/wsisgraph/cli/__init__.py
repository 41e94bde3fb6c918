"""The `wsisgraph` command: verbs over one built store.

Every command that reads the graph opens the store at --store, else $WSISGRAPH_STORE, else the
per-user data directory, and builds it first when it is missing or was built from other inputs.
User errors print one line on stderr and exit non-zero; they never show a traceback.
"""

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
from pyoxigraph import Store
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from wsisgraph import __version__, export, validate
from wsisgraph.core import languages
from wsisgraph.core.errors import InputError, WsisgraphError
from wsisgraph.graph import build, reason, store
from wsisgraph.publish import push, serve
from wsisgraph.sparql import http, query, remote, results, stats

err = Console(stderr=True)


class Group(click.Group):
    """A click group that turns WsisgraphError into `error: message` and its exit code, and an
    unwritable path (OSError) into `error: path: reason` with exit 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WsisgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (OSError, RuntimeError) as exc:
            opened = ctx.meta.get(OPENED)
            if opened is not None and store_failure(exc):  # a store file unreadable in mid-read
                click.echo(f"error: {store.StoreDamaged(opened, str(exc))}", err=True)
                ctx.exit(2)
            if not isinstance(exc, OSError):
                raise  # an output path that cannot be written, a folder that cannot be made
            where = exc.filename if exc.filename is not None else "input/output"
            click.echo(f"error: {where}: {exc.strerror or exc}", err=True)
            ctx.exit(2)


OPENED = "wsisgraph.opened"  # ctx.meta: the store location a command has open
WAIT = "wsisgraph.wait"  # ctx.meta: seconds to wait for another build (absent: as long as it takes)


def store_failure(exc: Exception) -> bool:
    """True for pyoxigraph's errors about the files of an open store (RocksDB corruption, a
    missing table file), as opposed to an output path that cannot be written."""
    text = str(exc)
    return getattr(exc, "filename", None) is None and ("Corruption" in text or "IO error" in text)


def _remember_wait(ctx: click.Context, param: click.Parameter, value: float | bool | None) -> None:
    if param.name == "no_wait" and value:
        ctx.meta[WAIT] = 0.0
    elif param.name == "wait" and value is not None:
        ctx.meta[WAIT] = value


def store_option(command: Callable) -> Callable:
    """--store, with --wait/--no-wait for when another process is building that store."""
    command = click.option("--no-wait", is_flag=True, expose_value=False, callback=_remember_wait,
                           help="Fail at once when another process is building the store.")(command)
    command = click.option("--wait", type=click.FloatRange(min=0), metavar="SECONDS", expose_value=False,
                           callback=_remember_wait,
                           help="Wait at most this long for another process building the store "
                                "(default: until it is done).")(command)
    return click.option(
        "--store", "location", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Store directory (default: $WSISGRAPH_STORE, else ~/.local/share/wsisgraph/store).")(command)


def wait_seconds() -> float | None:
    return click.get_current_context().meta.get(WAIT)


def say(line: str) -> None:
    click.echo(line, err=True)


lang_option = click.option(
    "--lang", default=languages.FALLBACK, envvar=languages.ENV_VAR, show_default=True, metavar="TAG",
    callback=lambda ctx, param, value: languages.check_tag(value),
    help="Language of labels and titles, a BCP 47 tag: ar, zh-Hans, en, fr, ru or es (default: $WSISGRAPH_LANG, "
         "else en). Where a label is missing in it, the English one is shown and marked [en].")


def resolve_location(location: Path | None) -> Path:
    return location if location is not None else store.default_location()


def run_build(location: Path, quiet: bool = False) -> build.BuildReport:
    """Build with a progress display on a terminal and one line per graph otherwise."""
    inputs = build.discover_inputs(location=location)
    wait = wait_seconds()
    if quiet:
        return build.build(location, wait=wait, on_wait=say)
    if err.is_terminal:
        with Progress(TextColumn("[bold]building[/]"), BarColumn(), TextColumn("{task.description}"),
                      console=err, transient=True) as progress:
            task = progress.add_task("", total=len(inputs) + 2)  # + inferred and dataset

            def advance(name: str, count: int) -> None:
                progress.update(task, advance=1, description=f"{name} ({count} triples)")

            return build.build(location, advance, wait=wait, on_wait=progress.console.print)
    return build.build(location, lambda name, count: say(f"loaded {name}: {count} triples"), wait=wait, on_wait=say)


def ensure_store(location: Path | None) -> Path:
    """The store location, its current build made first when missing or stale.

    Concurrent first uses build once: the others wait for the build lock and then find the
    store current. When the inputs changed but no longer build (a violation, a syntax error),
    reads go on answering from the previous store, with a one-line warning each time.
    """
    location = resolve_location(location)
    digest = build.input_digest(build.discover_inputs(location=location))
    if build.stored_digest(location) == digest:
        return location
    with store.build_lock(location, wait_seconds(), say):
        have = build.stored_digest(location)
        if have == digest:
            return location
        failed = store.last_failure(location, digest)
        if have is None:
            say(f"no store at {location} yet; building it first")
        elif failed is None:
            say(f"store at {location} was built from other inputs; rebuilding")
        if have is None or failed is None:
            try:
                run_build(location, quiet=True)
                return location
            except (validate.ValidationFailed, InputError) as exc:
                if have is None:
                    raise
                failed = store.last_failure(location, digest) or str(exc).splitlines()[0]
        say(f"warning: the inputs changed but do not build: {failed}; answering from the previous "
            f"store (`wsisgraph build` shows the report)")
    return location


def open_store(location: Path | None) -> Store:
    """The current store, built first when missing or stale, held open until the command ends."""
    location = ensure_store(location)
    ctx = click.get_current_context()
    reading = store.open_current(location)
    ctx.meta[OPENED] = location
    ctx.call_on_close(reading.close)
    return reading.store


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wsisgraph")
def main() -> None:
    """wsisgraph: a knowledge graph of how the WSIS action lines line up with the SDGs.

    Build the graph into a local store, ask canned alignment questions (or your own SPARQL),
    and export it in the standard RDF formats. Start with:

      wsisgraph query action-lines-for-goal --param goal=9
    """


@main.command("build")
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


@main.command("queries")
def queries_command() -> None:
    """List the canned queries with their descriptions and parameters."""
    console = Console()
    for canned in query.catalog().values():
        console.print(f"[bold]{canned.name}[/]  {canned.title}")
        console.print(f"  {canned.description}", style="dim", highlight=False)
        for param in canned.params.values():
            need = "required" if param.required else "optional"
            if param.default is not None:
                need += f", default {param.default}"
            example = f", e.g. {param.example}" if param.example else ""
            console.print(f"  --param {param.name}=<{param.type}>  ({need}{example}) {param.help}", highlight=False)
        console.print(f"  example: {canned.example}", highlight=False)


@main.command("query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the query, e.g. goal=9 or line=\"C7 e-health\". Repeatable.")
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run your own SPARQL SELECT or ASK query from this file instead of a canned one. Its "
                   "parameters are typed by its own `#+ params:` header, else by their syntax: <IRI>, "
                   "5^^xsd:integer, \"text\"@en, or a plain string.")
@click.option("--format", "-f", "fmt", type=click.Choice(results.FORMATS), default="table", show_default=True,
              help="Output format; json, csv and tsv are the SPARQL 1.1 results formats, xml SPARQL XML results.")
@click.option("--iris", is_flag=True, help="Show full IRIs in table and markdown output.")
@click.option("--endpoint", metavar="URL",
              help="Ask this SPARQL 1.1 endpoint (e.g. `wsisgraph serve`, or a store `push` loaded) instead of "
                   "the local store. Credentials, if needed: $WSISGRAPH_USER and $WSISGRAPH_PASSWORD.")
@click.option("--inferred", is_flag=True,
              help="Also read the `inferred` graph of materialised triples (inverse links, super-properties and "
                   "classes, target to goal, sub-line to line); by default answers are what the sources state.")
@lang_option
@store_option
def query_command(name: str | None, params: tuple[str, ...], query_file: Path | None, fmt: str, iris: bool,
                  endpoint: str | None, inferred: bool, lang: str, location: Path | None) -> None:
    """Run the canned query NAME (see `wsisgraph queries`) or your own with --file.

    --lang sets the `lang` parameter of the queries that have one (labels and titles).
    """
    if bool(name) == bool(query_file):
        raise click.UsageError("give a query NAME or --file FILE (not both)")
    values = query.parse_assignments(params)
    canned = query.find(name) if name else None
    typed: dict[str, query.Term] = {}
    if query_file is not None:  # typed by its own `#+ params:` header, else by each value's syntax
        text, header = query.user_query(query_file)
        if header is not None:
            canned = query.CannedQuery(query_file.name, query_file, "", "", header, "", text)
        else:
            typed = {key: query.typed_term(key, value) for key, value in values.items()}
    if canned and "lang" in canned.params:
        values.setdefault("lang", lang)
    if canned:
        query.check_values(canned, values)  # before the store is opened (or built)
    engine = (remote.connect(endpoint, inferred=inferred) if endpoint
              else query.EmbeddedEngine(open_store(location), inferred=inferred))
    text, bindings = (canned.text, query.bind_params(engine, canned, values)) if canned else (text, typed)
    if fmt in results.SERIALIZED:
        sys.stdout.buffer.write(results.serialize(query.answer(engine, text, bindings), fmt))
        sys.stdout.buffer.flush()
    elif fmt == "markdown":
        sys.stdout.write(results.to_markdown(query.run(engine, text, bindings), iris, lang))
    else:
        results.print_table(query.run(engine, text, bindings), Console(), iris=iris,
                            title=canned.title if canned and name else None, lang=lang)


@main.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(export.FORMATS)), default="turtle",
              show_default=True, help="RDF serialisation.")
@click.option("--graph", "-g", "graphs", multiple=True, metavar="NAME",
              help="Export only this named graph (e.g. sdg/goals); repeatable. Default: all.")
@click.option("--inferred", is_flag=True, help="Include the `inferred` graph of materialised triples.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here (a file atomically; a symlink's target; a device or FIFO as a stream; "
                   "- for standard output); default: standard output.")
@click.option("--lang", "langs", metavar="TAGS", default=None, callback=lambda ctx, param, value: value and [
                  languages.check_tag(tag.strip()) for tag in value.split(",")],
              help="Keep only texts in these languages, e.g. fr,en (untagged literals stay). Default: every language.")
@store_option
def export_command(fmt: str, graphs: tuple[str, ...], inferred: bool, output: Path | None, langs: list[str] | None,
                   location: Path | None) -> None:
    """Export the dataset or chosen named graphs; the same store always gives the same bytes."""
    reader = open_store(location)
    payload = export.serialise(reader, fmt, export.select_graphs(reader, list(graphs), inferred), langs)
    export.write_atomic(output or Path("-"), payload)
    if output is not None and str(output) != "-":
        click.echo(f"wrote {output} ({len(payload)} bytes)", err=True)


STATS_FORMATS = ("table", "csv", "tsv", "json", "markdown")


@main.command("stats")
@click.option("--format", "-f", "fmt", type=click.Choice(STATS_FORMATS), default="table", show_default=True,
              help="table and markdown: two tables; json: one document with `classes` and `graphs`; "
                   "csv/tsv: one table with a `kind` column (class or graph).")
@click.option("--iris", is_flag=True, help="Show full IRIs in table and markdown output.")
@store_option
def stats_command(fmt: str, iris: bool, location: Path | None) -> None:
    """Instances per class and triples per named graph (the `inferred` and `dataset` graphs included)."""
    found = stats.counts(open_store(location))
    if fmt == "json":
        sys.stdout.write(stats.to_json(found))
    elif fmt in ("csv", "tsv"):
        sys.stdout.write(stats.to_delimited(found, "," if fmt == "csv" else "\t"))
    else:
        for title, kind in (("instances per class", "class"), ("triples per named graph", "graph")):
            if fmt == "table":
                results.print_table(stats.table(found, kind), Console(), iris=iris, title=title)
            else:
                sys.stdout.write(f"### {title}\n\n" + results.to_markdown(stats.table(found, kind), iris) + "\n")


@main.command("serve")
@click.option("--host", default=serve.DEFAULT_HOST, show_default=True,
              help="Address to listen on; anything but loopback lets other machines query the graph.")
@click.option("--port", type=click.IntRange(1, 65535), default=serve.DEFAULT_PORT, show_default=True)
@click.option("--timeout", type=click.IntRange(0), default=serve.DEFAULT_TIMEOUT, show_default=True,
              help="Seconds a query may run (0: no limit).")
@store_option
def serve_command(host: str, port: int, timeout: int, location: Path | None) -> None:
    """Serve the store read-only as a SPARQL 1.1 endpoint (the oxigraph server) until Ctrl-C.

    Query protocol at /query with results by content negotiation, Graph Store reads at /store,
    CORS, and a query page at /. Updates are refused. A rebuild is served as soon as it is swapped in.
    """
    serve.serve(ensure_store(location), host, port, timeout, echo=lambda line: click.echo(line, err=True))


@main.command("push")
@click.option("--endpoint", required=True, metavar="URL", help="The store's SPARQL query endpoint.")
@click.option("--update-endpoint", metavar="URL", help="Its SPARQL Update endpoint, when not --endpoint.")
@click.option("--graph-store", metavar="URL", help="Its Graph Store protocol endpoint; without it, SPARQL Update.")
@click.option("--graph", "-g", "graphs", multiple=True, metavar="NAME",
              help="Push only this named graph (e.g. sdg/goals); repeatable. Default: all.")
@click.option("--inferred", is_flag=True, help="Include the `inferred` graph of materialised triples.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent and send nothing.")
@click.option("--timeout", type=click.FloatRange(min=1), default=http.DEFAULT_TIMEOUT, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--retries", type=click.IntRange(0, 10), default=http.DEFAULT_ATTEMPTS - 1, show_default=True,
              help="Retries, with backoff, after a connection failure, timeout or HTTP 429/502/503/504.")
@click.option("--batch", type=click.IntRange(1), default=push.BATCH, show_default=True,
              help="Triples per request (triples that share a blank node always travel together).")
@store_option
def push_command(endpoint: str, update_endpoint: str | None, graph_store: str | None, graphs: tuple[str, ...],
                 inferred: bool, dry_run: bool, timeout: float, retries: int, batch: int,
                 location: Path | None) -> None:
    """Load the dataset into a SPARQL 1.1 store, named graph by named graph, replacing each one whole.

    Credentials, if the store needs them, come from $WSISGRAPH_USER and $WSISGRAPH_PASSWORD only.
    """
    target = push.Target(http.check_url(endpoint, "--endpoint"),
                         http.check_url(update_endpoint or endpoint, "--update-endpoint"),
                         graph_store and http.check_url(graph_store, "--graph-store"))
    push.push(open_store(location), target, list(graphs), inferred, dry_run, push.Settings(timeout, retries + 1, batch),
              echo=click.echo, note=lambda line: click.echo(line, err=True))


# The picture, site and documentation commands import matplotlib, Jinja2 and pyLODE only when they
# run, so the other commands start without paying for them.

def basis_word(value: str | None) -> str | None:
    """A basis as `query -p basis=...` takes it (the graph's own word; "curated" means "curator")."""
    if value is None:
        return None
    word = query.BASIS_SYNONYMS.get(value.strip().casefold(), value.strip().casefold())
    if word not in query.BASIS_WORDS:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(query.BASIS_WORDS)}")
    return word


@main.command("coverage")
@click.option("--level", type=click.Choice(["goal", "target"]), default="goal", show_default=True,
              help="Columns: the 17 goals (links to a goal or its targets), or the targets linked at target level.")
@click.option("--basis", callback=lambda ctx, param, value: basis_word(value), metavar="|".join(query.BASIS_WORDS),
              help="Count only the links an alignment on this basis states (default: every link).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write FILE.svg, FILE.png or FILE.csv (atomically); default: a table on standard output.")
@lang_option
@store_option
def coverage_command(level: str, basis: str | None, output: Path | None, lang: str, location: Path | None) -> None:
    """The action line x SDG grid, counted from the graph: a heatmap (SVG, PNG) or its numbers (CSV)."""
    from wsisgraph.views import coverage

    if output is not None:
        coverage.check_output(output)
    grid = coverage.compute(query.EmbeddedEngine(open_store(location)), level, basis, lang)
    if output is None:
        results.print_table(grid.as_result(), Console(), title=grid.title)
        return
    size = coverage.write(grid, output)
    click.echo(f"wrote {output} ({size} bytes)", err=True)


@main.command("report")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("wsisgraph-report"),
              show_default=True, help="Folder to write the site into; replaced whole on the next run.")
@lang_option
@store_option
def report_command(output: Path, lang: str, location: Path | None) -> None:
    """A static HTML site of the graph: overview, action lines, goals, meetings, heatmap. Open index.html.

    The site is written in the six UN languages: --lang at the top, the others in ar/, zh-Hans/, fr/,
    ru/, es/ (or en/), each page with a switcher to the same page in the other languages."""
    from wsisgraph.views import site

    pages = site.write_site(query.EmbeddedEngine(open_store(location)), output, lang)
    click.echo(f"wrote {pages} pages per language to {output}; open {output / 'index.html'}", err=True)


@main.command("docs")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the documentation into; replaced whole on the next run.")
@lang_option
def docs_command(output: Path, lang: str) -> None:
    """HTML documentation of the ontology (pyLODE) and a per-class summary of the SHACL shapes.

    --lang writes it in that language where the ontology labels its terms in it, else in English."""
    from wsisgraph.views import docs

    written = docs.write_docs(output, warn=lambda line: click.echo(f"warning: {line}", err=True), lang=lang)
    click.echo(f"wrote {', '.join(written)} to {output}; open {output / 'index.html'}", err=True)


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


@main.command("validate")
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



@main.command("reason")
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
    java = reason.find_java()
    user = [t for path in files for t in validate.read_file(path, input_format)]
    if only_files:
        if not files:
            raise click.UsageError("--only-files needs FILE arguments")
        ontology, data = [], user
    else:
        shipped = build.shipped_graphs()
        ontology = shipped.pop(f"ontology/{build.ONTOLOGY_FILE}")
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
            out.print(f"  {validate.display(iri)}")
    else:
        out.print(f"[bold red]inconsistent[/]: HermiT finds a contradiction in {what} ({result.triples} triples)")
        for clash in result.clashes:
            a, b = clash.classes
            out.print(f"  {validate.display(clash.individual)} is both a {validate.display(a)} and a "
                      f"{validate.display(b)}, which are disjoint:")
            for cls in (a, b):
                for why in clash.reasons[cls]:
                    out.print(f"    {validate.display(cls)}: {_explain(why)}")
        if not result.clashes:
            if result.ontology_alone_inconsistent:
                out.print("  the ontology alone is inconsistent: look at its class and property axioms")
            else:
                out.print("  no individual is in two disjoint classes; the contradiction comes from other axioms "
                          "(functional or inverse properties, cardinalities, datatypes)")
    if result.ignored_datatypes:
        kinds = ", ".join(f"{validate.display(k)} ({n})" for k, n in result.ignored_datatypes.items())
        out.print(f"note: HermiT does not support these datatypes and ignored their literals: {kinds}")
    if not only_files and result.consistent:
        inferred = reason.materialise([ontology, data])
        rules = ", ".join(f"{name} {count}" for name, count in inferred.by_rule.items())
        out.print(f"inferred graph: {len(inferred.triples)} triples ({rules})")
    ctx.exit(0 if result.ok else 1)


def _explain(why: str) -> str:
    """'subject of IRI' / 'object of IRI from IRI' with the IRIs shortened."""
    return re.sub(r"https?://\S+", lambda m: validate.display(m.group(0)), why)


@main.command("ingest")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--symbol", help="The document's symbol, when the cover does not print it (or to override it).")
@click.option("--title", help="The document's title, when the cover does not print it.")
@click.option("--date", "when", metavar="YYYY-MM-DD", help="The document's date.")
@click.option("--key", help="The key of its graph `ingested/KEY` (default: from the symbol, else the file name).")
@click.option("--encoding", help="The encoding of a .txt/.md/.html file that is not UTF-8 (e.g. cp1252).")
@click.option("--dry-run", is_flag=True, help="Write nothing; show each passage's mentions and the nodes they link to.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "turtle"]), default="table",
              show_default=True, help="How to show the review (json: one document for tools).")
@click.option("--column", "columns", multiple=True, metavar="NAME=HEADER",
              help="Activity lists: read field NAME (title, description, action-lines, sdgs, organisation, date, "
                   "url) from the column HEADER. Repeatable.")
@click.option("--skip-invalid", is_flag=True, help="Activity lists: leave out bad rows (listed) instead of refusing.")
@click.option("--list", "list_", is_flag=True, help="Show what was ingested here: key, when, file, SHA-256.")
@click.option("--remove", metavar="KEY", help="Drop the ingested graph KEY and rebuild.")
@store_option
def ingest_command(files: tuple[Path, ...], symbol: str | None, title: str | None, when: str | None,
                   key: str | None, encoding: str | None, dry_run: bool, fmt: str, columns: tuple[str, ...],
                   skip_invalid: bool, list_: bool, remove: str | None, location: Path | None) -> None:
    """Bring reports (.txt .md .docx .pdf .html) into the graph: passages, the resolutions,
    documents, meetings, action lines, SDG codes, processes and organisations they mention, each
    linked to the graph's node (or a new one), validated, in a named graph `ingested/KEY` of the
    store location. Activity lists (.csv .xlsx) become ITU activities with the alignments each row
    states. Queries see them at once; `--remove KEY` takes them out again.
    """
    from wsisgraph.ingest import activities, command, record

    if sum(bool(x) for x in (files, list_, remove)) != 1:
        raise click.UsageError("give FILE..., or --list, or --remove KEY")
    location = resolve_location(location)
    if list_:
        command.show_list(location)
    elif remove:
        ensure_store(location)
        command.storage.remove(location, remove)
        click.echo(f"removed ingested/{remove} from {location}", err=True)
    else:
        options = record.Options(symbol=symbol, title=title, date=when, key=key, encoding=encoding)
        command.run(ensure_store(location), list(files), options, dry_run, fmt, activities.parse_mapping(columns),
                    skip_invalid)


# Releases, diffs and the Linked Data site: thin wrappers over wsisgraph.publish.

@main.command("release")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the release; replaced whole when it holds an earlier release, else new or empty.")
@click.option("--version", "version", metavar="V",
              help="The release's version (default: the one the ontology's owl:versionIRI names).")
@click.option("--previous", type=click.Path(exists=True, path_type=Path),
              help="The previous release (folder, store or dump): CHANGES.md says what changed since.")
@click.option("--sparql-endpoint", metavar="URL",
              help="A public SPARQL endpoint serving this release (void:sparqlEndpoint).")
@store_option
def release_command(output: Path, version: str | None, previous: Path | None, sparql_endpoint: str | None,
                    location: Path | None) -> None:
    """Write a citable release: the dataset in every serialisation (gzip beside each), the ontology and
    shapes, a VoID + DCAT description, CHANGES.md (with --previous) and SHA256SUMS.

    Set SOURCE_DATE_EPOCH to make a rebuild of the same inputs byte-identical.
    """
    from wsisgraph.publish import release

    made = release.make(open_store(location), output, version, previous,
                        sparql_endpoint and http.check_url(sparql_endpoint, "--sparql-endpoint"))
    click.echo(f"wrote release {made.version} to {output} ({len(made.files)} files; see SHA256SUMS)", err=True)


@main.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="text: for people; json: for tools; turtle: a Changeset per graph.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are differences (as `git diff --exit-code`).")
@click.pass_context
def diff_command(ctx: click.Context, old: Path, new: Path, fmt: str, exit_code: bool) -> None:
    """What changed from OLD to NEW (release folders, store locations or dump files): alignments,
    labels, new documents, resolutions and meetings, changed sources, then the triples per named graph."""
    from wsisgraph.publish import diff

    found = diff.compare(diff.load(old), diff.load(new))
    sys.stdout.write(diff.render(found, fmt))
    ctx.exit(1 if exit_code and not found.empty else 0)


@main.command("publish")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the site; replaced whole on the next run (a folder it did not write is refused).")
@click.option("--site-url", default="https://HOST/wsisgraph", show_default=True, metavar="URL",
              help="Where the folder will be hosted: the target of the rules proposed to w3id.org in its README.")
@click.option("--base-path", default="/", show_default=True, metavar="PATH",
              help="The URL path the folder is served at on that host (the .htaccess RewriteBase).")
@store_option
def publish_command(output: Path, site_url: str, base_path: str, location: Path | None) -> None:
    """Write the Linked Data site: for every https://w3id.org/wsisgraph/id/… IRI its description as
    Turtle, JSON-LD and RDF/XML and an HTML page, the ontology likewise, an Apache .htaccess doing
    content negotiation, and a README with the redirect rules to propose to w3id.org."""
    from wsisgraph.publish import linkeddata
    from wsisgraph.views import coverage

    reader = open_store(location)
    count = linkeddata.write_site(reader, output, coverage.read_version(query.EmbeddedEngine(reader)), site_url,
                                  base_path)
    click.echo(f"wrote {count} nodes (4 files each) and the ontology to {output}; see {output / 'README.md'}",
               err=True)
