"""Finding places in SPARQL query text: the one home of the scan that skips comments, strings and
IRIs, so a `WHERE {` inside a string or a comment is never taken for the query's own. The query
catalogue binds parameters there and SHACL-SPARQL constraints pre-bind `$this` there."""

import re

_SKIPPED = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')


def mask(text: str) -> str:
    """Same length as text, with comments, string literals and IRIs blanked, for locating keywords."""
    return _SKIPPED.sub(lambda m: " " * len(m.group(0)), text)


def where_group(text: str) -> int | None:
    """The index just after the `{` that opens the query's top-level WHERE group (`WHERE` is
    optional in SPARQL), or None when there is none."""
    masked = mask(text)
    match = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE) or re.search(r"\{", masked)
    return match.end() if match else None
