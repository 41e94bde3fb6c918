"""What `wsisgraph ingest` does, behind the thin click wrapper in cli.py: analyse the files
against the store, show the review (--dry-run) or validate and write them, list or remove what
was ingested."""

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from wsisgraph import store
from wsisgraph.errors import WsisgraphError
from wsisgraph.ingest import record, storage
from wsisgraph.ingest.link import GraphIndex

ACTIVITY_SUFFIXES = {".csv", ".xlsx"}


def analyse_all(location: Path, files: list[Path], options: record.Options) -> list[record.Analysis]:
    reader = store.open_read_only(location)
    indexes: dict[str, GraphIndex] = {}

    def index_for(key: str) -> GraphIndex:
        if key not in indexes:
            indexes[key] = GraphIndex(reader, storage.index_graphs(reader, key))
        return indexes[key]

    analyses = [record.analyse(path, options, index_for) for path in files]
    keys = [a.key for a in analyses]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise WsisgraphError(f"two files would be ingested under the same key {twice[0]!r}; give them different names")
    return analyses


def run(location: Path, files: list[Path], options: record.Options, dry_run: bool, fmt: str) -> None:
    if len(files) > 1 and (options.key or options.symbol or options.title or options.date):
        raise click.UsageError("--key, --symbol, --title and --date apply to one file; ingest the files one by one")
    analyses = analyse_all(location, files, options)
    graphs = {a.graph: record.triples(a) for a in analyses}
    if fmt == "json":
        click.echo(record.review_json(analyses), nl=False)
    elif fmt == "turtle":
        for name, triples in graphs.items():
            click.echo(f"# graph {name}")
            click.echo(storage.turtle(triples).decode("utf-8"), nl=False)
    else:
        for analysis in analyses:
            print_review(analysis, Console())
    if dry_run:
        click.echo("dry run: nothing written", err=True)
        return
    report = storage.write(location, graphs)
    for analysis in analyses:
        mentions = sum(len(r.linked) for r in analysis.passages)
        click.echo(f"ingested {analysis.path} as {analysis.graph}: {len(analysis.passages)} passages, "
                   f"{mentions} mentions, {len(graphs[analysis.graph])} triples", err=True)
    click.echo(f"validation: {report.summary()}", err=True)


def print_review(analysis: record.Analysis, console: Console) -> None:
    """Passage by passage: each mention, its kind, the node it links to, whether that node is new."""
    doc = "new" if analysis.document_new else "existing"
    table = Table(title=f"{analysis.title} ({record.compact(analysis.document)}, {doc}) -> graph {analysis.graph}",
                  header_style="bold")
    for column in ("passage", "mention", "kind", "node", "new"):
        table.add_column(column, overflow="fold")
    for result in analysis.passages:
        for index, linked in enumerate(result.linked):
            table.add_row(result.passage.number if index == 0 else "", linked.mention.text, linked.link.kind,
                          record.compact(linked.link.iri), "new" if linked.link.new else "")
    console.print(table)


def show_list(location: Path) -> None:
    entries = storage.listing(location)
    if not entries:
        click.echo(f"nothing ingested in {location}", err=True)
        return
    table = Table(title=f"ingested in {location}", header_style="bold")
    for column in ("key", "when", "file", "sha256", "triples"):
        table.add_column(column)
    for entry in entries:
        table.add_row(entry.key, entry.when, entry.file, entry.sha256, str(entry.triples))
    Console(width=200).print(table)
