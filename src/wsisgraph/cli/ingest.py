"""The `ingest` command: reports and activity lists into the graph (wsisgraph.ingest does the work)."""

from pathlib import Path

import click

from wsisgraph.cli.common import ensure_store, resolve_location, store_option


@click.command("ingest")
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
