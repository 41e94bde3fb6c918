"""Commands that draw the graph: the coverage heatmap, the HTML report and the ontology documentation.

They import matplotlib, Jinja2 and pyLODE only when they run, so the other commands start without paying
for them.
"""

from pathlib import Path

import click
from rich.console import Console

from wsisgraph.cli.common import lang_option, open_store, store_option
from wsisgraph.core.extras import require
from wsisgraph.core.output import write_atomic
from wsisgraph.sparql import query, results


def basis_word(value: str | None) -> str | None:
    """A basis as `query -p basis=...` takes it (the graph's own word; "curated" means "curator")."""
    if value is None:
        return None
    word = query.BASIS_SYNONYMS.get(value.strip().casefold(), value.strip().casefold())
    if word not in query.BASIS_WORDS:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(query.BASIS_WORDS)}")
    return word


@click.command("coverage")
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

    suffix = output and coverage.check_output(output)
    if suffix in (".svg", ".png"):
        require("matplotlib", "coverage")
    grid = coverage.compute(query.EmbeddedEngine(open_store(location)), level, basis, lang)
    if output is None:
        results.print_table(grid.as_result(), Console(), title=grid.title)
        return
    if suffix == ".csv":
        payload = coverage.render_csv(grid)
    else:
        from wsisgraph.views import heatmap

        payload = heatmap.render(grid, suffix)
    write_atomic(output, payload)
    click.echo(f"wrote {output} ({len(payload)} bytes)", err=True)


@click.command("report")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("wsisgraph-report"),
              show_default=True, help="Folder to write the site into; replaced whole on the next run.")
@lang_option
@store_option
def report_command(output: Path, lang: str, location: Path | None) -> None:
    """A static HTML site of the graph: overview, action lines, goals, meetings, heatmap. Open index.html.

    The site is written in the six UN languages: --lang at the top, the others in ar/, zh-Hans/, fr/,
    ru/, es/ (or en/), each page with a switcher to the same page in the other languages."""
    require("matplotlib", "report")
    from wsisgraph.views import site

    pages = site.write_site(query.EmbeddedEngine(open_store(location)), output, lang)
    click.echo(f"wrote {pages} pages per language to {output}; open {output / 'index.html'}", err=True)


@click.command("docs")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the documentation into; replaced whole on the next run.")
@lang_option
def docs_command(output: Path, lang: str) -> None:
    """HTML documentation of the ontology (pyLODE) and a per-class summary of the SHACL shapes.

    --lang writes it in that language where the ontology labels its terms in it, else in English."""
    require("pylode", "docs")
    from wsisgraph.views import docs

    written = docs.write_docs(output, warn=lambda line: click.echo(f"warning: {line}", err=True), lang=lang)
    click.echo(f"wrote {', '.join(written)} to {output}; open {output / 'index.html'}", err=True)
