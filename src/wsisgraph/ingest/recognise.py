"""Find the mentions in a passage: citation patterns (regular expressions from patterns.yaml) and
the names the graph already knows (its labels, altLabels and notations, plus the known bodies and
processes of patterns.yaml) through an Aho-Corasick automaton (pyahocorasick), so one pass over
the text finds every name whatever the size of the vocabulary.

Overlaps: a citation wins over a name inside it (the "CWG-WSIS&SDG" of "CWG-WSIS&SDG-39/2"), a
longer name over a shorter one; a name in a citation's wording around its numbers (the
"Plenipotentiary Conference" of "Resolution 140 ... of the Plenipotentiary Conference") is kept.
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
class DateRange:
    start: int
    end: int
    first: date
    last: date


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
        found = _longest_first(citations) + _longest_first(kept)
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


def dates(text: str) -> list[DateRange]:
    """Dated ranges printed in a passage ("24-25 January 2018", "19 September and 20 September
    2017"); a day or month without a year in the same phrase is not guessed."""
    out = []
    for match in patterns.date_range().finditer(text):
        g = match.groupdict()
        year2, month2 = int(g["y2"]), patterns.MONTH_NUMBERS[g["m2"]]
        try:
            last = date(year2, month2, int(g["d2"] or g["d1"]))
            first = date(int(g["y1"] or year2), patterns.MONTH_NUMBERS[g["m1"] or g["m2"]], int(g["d1"]))
        except ValueError:
            continue  # an impossible day such as 31 September
        if first <= last:
            out.append(DateRange(match.start(), match.end(), first, last))
    return out
