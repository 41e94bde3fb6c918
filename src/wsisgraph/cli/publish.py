"""Commands that put the graph out: export, serve, push to another store, releases, diffs, the Linked Data site."""

import sys
from pathlib import Path

import click

from wsisgraph.cli.common import ensure_store, open_store, store_option
from wsisgraph.core import languages
from wsisgraph.core.output import atomic_output
from wsisgraph.graph import export
from wsisgraph.publish import push, serve
from wsisgraph.sparql import http, query
from wsisgraph.sparql.stats import read_version


@click.command("export")
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
    chosen = export.select_graphs(reader, list(graphs), inferred)
    with atomic_output(output or Path("-")) as out:
        written = export.write(reader, fmt, chosen, out, langs)
    if output is not None and str(output) != "-":
        click.echo(f"wrote {output} ({written} bytes)", err=True)


@click.command("serve")
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


@click.command("push")
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


@click.command("release")
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


@click.command("diff")
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


@click.command("publish")
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

    reader = open_store(location)
    count = linkeddata.write_site(reader, output, read_version(query.EmbeddedEngine(reader)), site_url,
                                  base_path)
    click.echo(f"wrote {count} nodes (4 files each) and the ontology to {output}; see {output / 'README.md'}",
               err=True)
