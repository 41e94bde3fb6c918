"""Commands that ask the graph: the canned-query catalogue, a query (local or remote), the statistics."""

import sys
from pathlib import Path

import click
from rich.console import Console

from wsisgraph.cli.common import lang_option, open_store, store_option
from wsisgraph.sparql import query, remote, results, stats


@click.command("queries")
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


@click.command("query")
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


STATS_FORMATS = ("table", "csv", "tsv", "json", "markdown")


@click.command("stats")
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
