"""The recogniser's patterns, read once from patterns.yaml (data, not code): cover headings, cover
metadata, citation regular expressions with their link recipes, date ranges, known bodies and
processes, and which classes of the graph feed the phrase matcher."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")


@cache
def data() -> dict:
    return yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))


def _ordinal_words() -> dict[str, int]:
    words = data()["ordinal_words"]
    out = {**words["units"], **words["teens"], **words["tens_exact"]}
    for tens, value in words["tens"].items():
        for unit, n in words["units"].items():
            out[f"{tens}-{unit}"] = value + n
    return out


ORDINAL_WORDS = _ordinal_words()
MONTH_NUMBERS = {name: i + 1 for i, name in enumerate(data()["months"])}
_ORDINAL_RE = "(?i:" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + ")"
_MONTH_RE = "(?:" + "|".join(data()["months"]) + ")"


@dataclass(frozen=True)
class EventSeries:
    key: str
    label: str
    part_of: str      # id/<part_of>
    names: tuple[str, ...]


@cache
def event_series() -> tuple[EventSeries, ...]:
    return tuple(EventSeries(e["key"], e["label"], e["part_of"], tuple(e["names"])) for e in data()["event_series"])


def series_named(name: str) -> EventSeries:
    return next(s for s in event_series() if name in s.names)


_SERIES_RE = "(?:" + "|".join(re.escape(n) for n in sorted((n for s in event_series() for n in s.names),
                                                           key=len, reverse=True)) + ")"


def compile_pattern(text: str, flags: int = 0) -> re.Pattern:
    """A pattern of patterns.yaml with MONTH, ORDINAL and SERIES (the event series' names) expanded."""
    return re.compile(text.replace("MONTH", _MONTH_RE).replace("ORDINAL", _ORDINAL_RE).replace("SERIES", _SERIES_RE),
                      flags)


def ordinal_value(text: str) -> int:
    """41 from "41st" or "Forty-first"."""
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else ORDINAL_WORDS[text.lower()]


@dataclass(frozen=True)
class Citation:
    name: str
    kind: str
    link: str
    confidence: float
    regex: re.Pattern
    item: re.Pattern | None
    nested: bool = False


@cache
def citations() -> tuple[Citation, ...]:
    return tuple(Citation(c["name"], c["kind"], c["link"], float(c["confidence"]), compile_pattern(c["regex"]),
                          compile_pattern(c["item"]) if c.get("item") else None, bool(c.get("nested")))
                 for c in data()["citations"])


@cache
def date_range() -> re.Pattern:
    return compile_pattern(data()["date_range"])


@dataclass(frozen=True)
class InnerNames:
    outer: frozenset[str]    # kinds of mention whose names may hold another name (events, meetings)
    inner: frozenset[str]    # kinds of name kept inside them (bodies, processes)
    acronyms_only: bool      # only names printed in capitals (ITU), not words (Council)


@cache
def inner_names() -> tuple[InnerNames, ...]:
    return tuple(InnerNames(frozenset(rule["outer"]), frozenset(rule["inner"]), bool(rule["acronyms_only"]))
                 for rule in data()["inner_names"])


@cache
def _sections() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(regex, re.IGNORECASE), key) for key, regex in data()["cover_sections"].items()]


class _Sections:
    """Looks a line up among the named cover sections: `.get(line)` gives the key or None."""

    def get(self, line: str) -> str | None:
        return next((key for regex, key in _sections() if regex.match(line)), None)


def cover_sections() -> _Sections:
    return _Sections()


_COVER = data()["cover"]
SYMBOL_LINE = compile_pattern(_COVER["symbol"])
DATE_LINE = compile_pattern(_COVER["date"])
MEETING_LINE = compile_pattern(_COVER["meeting"])
LANGUAGE_LINE = compile_pattern(_COVER["language"])
BODY_LINE = compile_pattern(_COVER["body"])


def cover_symbol(line: str) -> str | None:
    match = SYMBOL_LINE.match(line)
    return " ".join(match.group("symbol").split()) if match else None


def cover_date(line: str) -> str | None:
    match = DATE_LINE.match(line)
    return match.group("date") if match else None


@dataclass(frozen=True)
class Group:
    key: str
    meetings: str
    label: str
    names: tuple[str, ...]


@cache
def groups() -> tuple[Group, ...]:
    return tuple(Group(g["key"], g["meetings"], g["label"], tuple(g["names"])) for g in data()["groups"])


@dataclass(frozen=True)
class KnownEntity:
    iri: str          # id/<iri>
    kind: str
    cls: str
    label: str
    names: tuple[str, ...]


@cache
def entities() -> tuple[KnownEntity, ...]:
    return tuple(KnownEntity(e["iri"], e["kind"], e["class"], e["label"], tuple(e["names"]))
                 for e in data()["entities"])


def phrase_classes() -> list[tuple[str, str]]:
    return [(c["class"], c["kind"]) for c in data()["phrase_classes"]]
