"""Find the mentions in a passage: citation patterns (regular expressions from patterns.yaml) and
the names the graph already knows (its labels, altLabels and notations, plus the known bodies and
processes of patterns.yaml) through an Aho-Corasick automaton (pyahocorasick), so one pass over
the text finds every name whatever the size of the vocabulary.

Overlaps: a citation wins over a name inside it (the "CWG-WSIS&SDG" of "CWG-WSIS&SDG-39/2"), a
longer name over a shorter one; a name in a citation's wording around its numbers (the
"Plenipotentiary Conference" of "Resolution 140 ... of the Plenipotentiary Conference") is kept, and
so is a body or process named inside an event's name (the "Commission for Social Development" of
"61st session of the Commission for Social Development (CSocD61)", the "HLPF" of "High-Level
Political Forum (HLPF) 2023"): the event is a session of that body or process, and the passage
prints its name.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import ahocorasick

from wsisgraph.ingest import patterns


@dataclass
class Mention:
    kind: str
    text: str
    start: int                      # offsets in the passage text
    end: int
    confidence: float
    recipe: str                     # how link.py resolves it: a citation's link recipe, or "phrase"
    fields: dict[str, str] = field(default_factory=dict)   # symbol, number, revision, ordinal, code...
    iri: str | None = None          # set for names the phrase matcher knows


@dataclass(frozen=True)
class PrintedDates:
    """A day or a range of days as a passage prints it ("24-25 January 2018", "19 September and 20
    September 2017", "10-19 July"): offsets in the passage, and the printed days, months and years
    (a year the passage leaves out is None)."""
    start: int
    end: int
    text: str
    days: tuple[int, int]
    months: tuple[int, int]
    years: tuple[int | None, int | None]
    two_days: bool = False          # "19 and 20 September": two days, so a range only if they follow each other

    @property
    def year_printed(self) -> bool:
        return self.years != (None, None)

    def resolve(self, year: int | None = None) -> tuple[date, date] | None:
        """The first and last day, with `year` standing in for a year the passage leaves out; None
        when no year is known, for an impossible day (31 September), a range that runs backwards, or
        two days that do not follow each other ("3 October 2023 and 24 January 2024" are two dates)."""
        last_year = self.years[1] or self.years[0] or year
        if last_year is None:
            return None
        try:
            first = date(self.years[0] or last_year, self.months[0], self.days[0])
            last = date(last_year, self.months[1], self.days[1])
        except ValueError:
            return None
        if first > last or (self.two_days and (last - first).days != 1):
            return None
        return first, last


@dataclass(frozen=True)
class Phrase:
    text: str
    iri: str
    kind: str


class Recogniser:
    """Citation patterns plus a phrase automaton built from `phrases` (name, IRI, kind)."""

    def __init__(self, phrases: Iterable[Phrase]):
        self.exact = ahocorasick.Automaton()     # acronyms and codes, matched as printed
        self.folded = ahocorasick.Automaton()    # names, matched in any case
        for phrase in phrases:
            name = " ".join(phrase.text.split())
            if len(name) < 2:
                continue
            acronym = not any(ch.islower() for ch in name)
            automaton, key = (self.exact, name) if acronym else (self.folded, name.casefold())
            if key not in automaton:  # the first class listed wins a name two classes share
                automaton.add_word(key, (len(key), phrase))
        for automaton in (self.exact, self.folded):
            if len(automaton):
                automaton.make_automaton()

    def mentions(self, text: str) -> list[Mention]:
        citations, protected = self._citations(text)
        names = self._phrases(text)
        spans = {(m.start, m.end) for m in citations}
        kept = [m for m in names if not any(s < m.end and m.start < e for s, e in protected)
                and (m.start, m.end) not in spans]
        longest = _longest_first(kept)
        # names inside a longer name, citations included ("HLPF" of "HLPF 2024"), may be mentions too
        found = citations + longest + _inner_names(longest + citations, names)
        return sorted(found, key=lambda m: (m.start, m.end))

    def _citations(self, text: str) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Mentions from citation patterns, and the spans no name may overlap (symbols, numbers)."""
        found: list[Mention] = []
        protected: list[tuple[int, int]] = []
        for citation in patterns.citations():
            for match in citation.regex.finditer(text):
                if citation.nested:
                    found += self._items(citation, match, text)
                    continue
                if any(s < match.end() and match.start() < e for s, e in protected):
                    continue
                found += self._items(citation, match, text)
                # symbols and numbers stay the citation's own; a body named around them is a mention too
                protected.append(match.span("items") if "items" in match.re.groupindex else match.span())
        return found, protected

    def _items(self, citation: patterns.Citation, match: re.Match, text: str) -> list[Mention]:
        base = {k: v for k, v in match.groupdict().items() if v is not None and k != "items"}
        if citation.item is None:
            return [Mention(citation.kind, match.group(), match.start(), match.end(), citation.confidence,
                            citation.link, {k: " ".join(v.split()) for k, v in base.items()})]
        offset = match.start("items")
        items = list(citation.item.finditer(match.group("items")))
        out = []
        for index, item in enumerate(items):
            start = match.start() if index == 0 else offset + item.start()
            end = offset + item.end()
            if index == len(items) - 1:  # the wording after the last item ("meetings", "of the Council")
                end = match.end()
            fields = {**base, **{k: " ".join(v.split()) for k, v in item.groupdict().items() if v is not None}}
            out.append(Mention(citation.kind, text[start:end], start, end, citation.confidence, citation.link, fields))
        return out

    def _phrases(self, text: str) -> list[Mention]:
        out = []
        for automaton, haystack in ((self.exact, text), (self.folded, text.casefold())):
            if not len(automaton):
                continue
            for last, (length, phrase) in automaton.iter(haystack):
                start, end = last - length + 1, last + 1
                if _bounded(text, start, end):
                    out.append(Mention(phrase.kind, text[start:end], start, end, 0.85 if len(text[start:end]) <= 4
                                       else 0.9, "phrase", iri=phrase.iri))
        return out


def _bounded(text: str, start: int, end: int) -> bool:
    """A whole word or name: no letter, digit or joining sign right before or after it."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    joined = "&/+-"
    return not (before.isalnum() or before in joined) and not (after.isalnum() or after in joined[:3] or
                                                                (after == "-" and text[end + 1:end + 2].isalnum()))


def _longest_first(mentions: list[Mention]) -> list[Mention]:
    """Drop a mention that overlaps a longer (or earlier, equally long) one of the same layer."""
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if mention.recipe != "phrase" or not any(k.start < mention.end and mention.start < k.end for k in kept):
            kept.append(mention)
    return kept


def _inner_names(outer: list[Mention], names: list[Mention]) -> list[Mention]:
    """The names inside a longer name that are mentions too (patterns.yaml `inner_names`: bodies and
    processes inside an event's name, a body's acronym inside its organ's): the longest of
    overlapping ones, each once per longer name and never the longer name's own node."""
    out: list[Mention] = []
    for rule in patterns.inner_names():
        for longer in (m for m in outer if m.kind in rule.outer):
            inside = [m for m in names if longer.start <= m.start and m.end <= longer.end
                      and (m.start, m.end) != (longer.start, longer.end)]
            seen = {longer.iri}
            for mention in sorted(_longest_first(inside), key=lambda m: m.start):
                if (mention.kind in rule.inner and mention.iri not in seen
                        and not (rule.acronyms_only and any(ch.islower() for ch in mention.text))):
                    seen.add(mention.iri)
                    out.append(mention)
    return out


def dates(text: str) -> list[PrintedDates]:
    """The days and ranges of days printed in a passage ("24-25 January 2018", "19 September and 20
    September 2017", "20 October \u2013 7 November 2014", "10-19 July"), as printed: a year the
    passage leaves out stays unknown here."""
    out = []
    for match in patterns.date_range().finditer(text):
        g = match.groupdict()
        month2 = patterns.MONTH_NUMBERS[g["m2"]]
        out.append(PrintedDates(match.start(), match.end(), match.group(),
                                (int(g["d1"]), int(g["d2"] or g["d1"])),
                                (patterns.MONTH_NUMBERS[g["m1"]] if g["m1"] else month2, month2),
                                (int(g["y1"]) if g["y1"] else None, int(g["y2"]) if g["y2"] else None),
                                g["joint"] == "and"))
    return out
