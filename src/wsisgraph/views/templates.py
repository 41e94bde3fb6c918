"""The Jinja2 environment of every HTML page the package writes (report, documentation, Linked Data
pages): templates shipped in the package, autoescaped, strict about undefined names."""

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from wsisgraph.core.namespaces import compact


def environment() -> Environment:
    env = Environment(loader=PackageLoader("wsisgraph", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["compact"] = compact
    return env
