"""Remove what PDF and Word exports add to a document's text, so passages read as printed and the
recogniser sees whole words: Word bookmarks, non-breaking and zero-width spaces, soft hyphens,
ordinals glued to the next word ("the31st", "24thand 25thJanuary"), hyphenation at line ends, page
furniture ("- 1/9 -", "Page 2 of 9", a running header repeated on every page), en dashes in number
ranges, and (for PDF) lines wrapped inside a paragraph.

Offsets in the graph are into the cleaned text, which is the text each passage stores.
"""

import re
from collections import Counter

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_GLUED_BEFORE_ORDINAL = re.compile(r"(?<=[a-z])(?=\d{1,3}(?:st|nd|rd|th)\b)")
_GLUED_AFTER_ORDINAL = re.compile(rf"(?<=\d)(st|nd|rd|th)(?=(?:and|of|to|or|meeting|session|{MONTHS})\b)")
_DIGIT_MONTH = re.compile(rf"(\d)({MONTHS})\b")
_MONTH_DIGIT = re.compile(rf"\b({MONTHS})(\d)")
_DASH_RANGE = re.compile(r"(?<=\d)\s*[\u2013\u2014]\s*(?=\d)")
_HYPHENATED = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_PAGE_FURNITURE = re.compile(r"^(?:[-\u2013]\s*\d+\s*(?:/\s*\d+\s*)?[-\u2013]|\d+\s*/\s*\d+|Page \d+(?: of \d+)?)$",
                             re.IGNORECASE)
_SEPARATOR = re.compile(r"^[_\-=*\u2013\u2014]{3,}$")
_STARTS_PARAGRAPH = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s|[a-z]\)\s|\([a-z]\)\s|[•\u2022\-]\s)")


def clean(text: str, wrapped: bool = False) -> str:
    """The cleaned text: one line per paragraph (or per printed line when the source has no
    paragraphs), each stripped; blank lines kept as separators."""
    text = _BOOKMARK.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    text = _HYPHENATED.sub("", text)
    text = _GLUED_AFTER_ORDINAL.sub(r"\1 ", text)
    text = _GLUED_BEFORE_ORDINAL.sub(" ", text)
    text = _MONTH_DIGIT.sub(r"\1 \2", _DIGIT_MONTH.sub(r"\1 \2", text))
    text = _DASH_RANGE.sub("-", text)
    lines = [line.strip() for line in text.split("\n")]
    lines = drop_page_furniture(lines)
    if wrapped:
        lines = unwrap(lines)
    return "\n".join(lines).strip("\n")


def drop_page_furniture(lines: list[str]) -> list[str]:
    """Without page numbers, separator rules, and running headers: a short line printed on three
    or more pages is kept where it first appears (a cover's symbol) and dropped after."""
    counts = Counter(line for line in lines if line and len(line) <= 80)
    seen: set[str] = set()
    kept = []
    for line in lines:
        if _PAGE_FURNITURE.match(line) or _SEPARATOR.match(line):
            continue
        if counts[line] >= 3 and not _STARTS_PARAGRAPH.match(line):
            if line in seen:
                continue
            seen.add(line)
        kept.append(line)
    return kept


def unwrap(lines: list[str]) -> list[str]:
    """Join the printed lines of one paragraph (PDF text comes line by line): a line continues the
    one before unless that one ended a sentence or heading, or this one starts a numbered
    paragraph or list item."""
    out: list[str] = []
    for line in lines:
        if not line:
            out.append(line)
            continue
        previous = out[-1] if out else ""
        continues = (previous and not previous.endswith((".", ":", ";", "?", "!"))
                     and not _STARTS_PARAGRAPH.match(line) and len(previous) > 40)
        if continues:
            out[-1] = previous + " " + line
        else:
            out.append(line)
    return out
