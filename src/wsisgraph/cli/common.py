"""What every command shares: the --store/--wait/--lang options, messages on stderr, and the store
opened (and built first when missing or stale) for the length of one command."""

from collections.abc import Callable
from pathlib import Path

import click
from pyoxigraph import Store
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from wsisgraph.core import languages, settings
from wsisgraph.core.errors import InputError, WsisgraphError
from wsisgraph.graph import build, store, validate
from wsisgraph.sources.inputs import discover_inputs

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
    "--lang", default=languages.FALLBACK, envvar=settings.LANG, show_default=True, metavar="TAG",
    callback=lambda ctx, param, value: languages.check_tag(value),
    help="Language of labels and titles, a BCP 47 tag: ar, zh-Hans, en, fr, ru or es (default: $WSISGRAPH_LANG, "
         "else en). Where a label is missing in it, the English one is shown and marked [en].")


def resolve_location(location: Path | None) -> Path:
    return location if location is not None else settings.store_location()


def keep_linking_index(built: Store, folder: Path) -> None:
    """A new build keeps the index `wsisgraph ingest` links against (ingest/link.py), so the first
    ingest into it does not read the whole graph; imported here only when a build is made."""
    from wsisgraph.ingest.link import keep_index

    keep_index(built, folder)


def run_build(location: Path, quiet: bool = False) -> build.BuildReport:
    """Build with a progress display on a terminal and one line per graph otherwise."""
    inputs = discover_inputs(location=location)
    wait = wait_seconds()
    if quiet:
        return build.build(location, wait=wait, on_wait=say, on_built=keep_linking_index)
    if err.is_terminal:
        with Progress(TextColumn("[bold]building[/]"), BarColumn(), TextColumn("{task.description}"),
                      console=err, transient=True) as progress:
            task = progress.add_task("", total=len(inputs) + 2)  # + inferred and dataset

            def advance(name: str, count: int) -> None:
                progress.update(task, advance=1, description=f"{name} ({count} triples)")

            return build.build(location, advance, wait=wait, on_wait=progress.console.print,
                               on_built=keep_linking_index)
    return build.build(location, lambda name, count: say(f"loaded {name}: {count} triples"), wait=wait, on_wait=say,
                       on_built=keep_linking_index)


def ensure_store(location: Path | None) -> Path:
    """The store location, its current build made first when missing or stale.

    Concurrent first uses build once: the others wait for the build lock and then find the
    store current. When the inputs changed but no longer build (a violation, a syntax error),
    reads go on answering from the previous store, with a one-line warning each time.
    """
    location = resolve_location(location)
    digest = build.input_digest(discover_inputs(location=location), location)
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
