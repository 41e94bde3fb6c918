"""What `wsisgraph ingest` does, behind the thin click wrapper in cli.py: analyse the files
against the store, show the review (--dry-run) or validate and write them, list or remove what
was ingested."""

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from wsisgraph.core.errors import WsisgraphError
from wsisgraph.core.namespaces import compact, entity, normalise_key
from wsisgraph.graph import store
from wsisgraph.ingest import activities, record, storage
from wsisgraph.ingest.link import GraphIndex


class Indexes:
    """The linking index for each key being ingested: the current build's (kept with the build,
    GraphIndex.for_build), less, for a key ingested before, what its own earlier graph says."""

    def __init__(self, location: Path):
        self.reading = store.open_current(location)
        self.base = GraphIndex.for_build(self.reading.store, self.reading.build)
        self.cache: dict[str, GraphIndex] = {}

    def __call__(self, key: str) -> GraphIndex:
        if key not in self.cache:
            graphs = storage.index_graphs(self.reading.store, key)
            self.cache[key] = self.base if graphs is None else self.base.updated(
                self.reading.store, storage.own_subjects(self.reading.store, key), graphs)
        return self.cache[key]


def read_lists(files: list[Path], indexes: Indexes, options: record.Options, columns: dict[str, str],
               skip_invalid: bool) -> list[activities.ActivityList]:
    """The activity lists among the files; bad rows are printed one per line, then refused."""
    out = []
    for path in files:
        key = normalise_key(options.key or path.stem)
        try:
            listing = activities.read(path, indexes(key), key, options.title, columns, skip_invalid,
                                      options.encoding, record.sha256(path) if path.is_file() else "")
        except activities.RowErrors as exc:
            for line in exc.lines:
                click.echo(line, err=True)
            raise
        for line in listing.skipped:
            click.echo(f"skipped {line}", err=True)
        listing.triples += record.ingest_record(listing.key, path, listing.sha256,
                                                entity("document", listing.key).value)
        out.append(listing)
    return out


def run(location: Path, files: list[Path], options: record.Options, dry_run: bool, fmt: str,
        columns: dict[str, str] | None = None, skip_invalid: bool = False) -> None:
    if len(files) > 1 and (options.key or options.symbol or options.title or options.date):
        raise click.UsageError("--key, --symbol, --title and --date apply to one file; ingest the files one by one")
    indexes = Indexes(location)
    lists = read_lists([f for f in files if f.suffix.lower() in activities.SUFFIXES], indexes, options,
                       columns or {}, skip_invalid)
    analyses = [record.analyse(path, options, indexes) for path in files
                if path.suffix.lower() not in activities.SUFFIXES]
    graphs = {a.graph: record.triples(a) for a in analyses}
    graphs.update({listing.graph: listing.triples for listing in lists})
    if len(graphs) < len(files):
        raise WsisgraphError("two files would be ingested under the same key; give them different names (or --key)")
    for listing in lists:
        click.echo(f"{listing.path}: {len(listing.rows)} activities", err=True)
    if fmt == "json" and analyses:
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
    report = storage.write(location, graphs, index=indexes.base)
    for analysis in analyses:
        mentions = sum(len(r.linked) for r in analysis.passages)
        click.echo(f"ingested {analysis.path} as {analysis.graph}: {len(analysis.passages)} passages, "
                   f"{mentions} mentions, {len(graphs[analysis.graph])} triples", err=True)
    for listing in lists:
        click.echo(f"ingested {listing.path} as {listing.graph}: {len(listing.rows)} activities, "
                   f"{len(graphs[listing.graph])} triples", err=True)
    click.echo(f"validation: {report.summary()}", err=True)


def print_review(analysis: record.Analysis, console: Console) -> None:
    """Passage by passage: each mention, its kind, the node it links to, whether that node is new."""
    doc = "new" if analysis.document_new else "existing"
    table = Table(title=f"{analysis.title} ({compact(analysis.document)}, {doc}) -> graph {analysis.graph}",
                  header_style="bold")
    for column in ("passage", "mention", "kind", "node", "new"):
        table.add_column(column, overflow="fold")
    for result in analysis.passages:
        for index, linked in enumerate(result.linked):
            table.add_row(result.passage.number if index == 0 else "", linked.mention.text, linked.link.kind,
                          compact(linked.link.iri), "new" if linked.link.new else "")
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
