"""Split a cleaned document into its cover metadata and its passages.

A passage is a numbered paragraph as printed (`1`, `2.10.1`), a lettered item inside one (`1 a)`),
or a named cover section (Purpose, Summary, Action required, References...). Its text is always a
slice of the cleaned text, so `start`/`end` are exact offsets. A numbered line that reads as a
heading ("1. Introduction") gives the passage its title, and the lines under it its text. A
document with no numbered paragraph has its paragraphs numbered by order.
"""

import re
from dataclasses import dataclass, field

from wsisgraph.ingest import patterns

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,3})*)(\.?)\s+(?=\S)")
_LETTERED = re.compile(r"^\(?([a-z])\)\s+(?=\S)")
_SHAPE_PARAGRAPH = re.compile(r"^[0-9]+(\.[0-9]+)*( ?\(?[a-z]\)?)?$")
_HEADING_MAX = 90


@dataclass
class Passage:
    key: str                 # IRI-safe and unique in the document: "2.10.1", "1.a", "purpose"
    number: str              # as printed: "2.10.1", "1 a)", or the section's name
    text: str
    start: int
    end: int
    title: str | None = None
    parent: str | None = None
    section: bool = False    # a named cover section rather than a numbered paragraph

    @property
    def paragraph(self) -> str | None:
        """The number in the form the shapes accept for wsis:paragraph, if it is one."""
        return self.number if not self.section and _SHAPE_PARAGRAPH.match(self.number) else None


@dataclass
class Cover:
    symbol: str | None = None
    date: str | None = None          # as printed
    meeting: str | None = None       # the meeting line as printed
    body: str | None = None          # the body holding the meeting
    title: str | None = None


@dataclass
class Segmented:
    text: str
    cover: Cover
    passages: list[Passage] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of every line of the text."""
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _is_heading(rest: str) -> bool:
    return len(rest) <= _HEADING_MAX and not rest.endswith((".", ";", ":", ",")) and not rest[:1].islower()


def segment(text: str) -> Segmented:
    """Cover and passages of a cleaned text."""
    lines = _lines(text)
    sections = patterns.cover_sections()
    has_numbers = any(_numbered(line) for _, line in lines)
    passages: list[Passage] = []
    cover_lines: list[str] = []
    current: Passage | None = None
    numbered_parent: Passage | None = None
    pending_title: Passage | None = None  # a heading whose text starts on the next line

    def extend(passage: Passage, offset: int, line: str) -> None:
        if passage.end <= passage.start or passage is pending_title:
            passage.start = offset
        passage.end = offset + len(line)

    for index, (offset, line) in enumerate(lines):
        if not line:
            if not has_numbers and current is not None and not current.section:
                current = None  # a blank line ends an unnumbered paragraph
            continue
        name = sections.get(line.rstrip(":").strip().lower())
        if name is not None:
            current = Passage(name, line.rstrip(":").strip(), "", offset, offset, title=line.rstrip(":").strip(),
                              section=True)
            passages.append(current)
            pending_title = current
            numbered_parent = None
            continue
        match = _numbered(line)
        if match:
            number, rest_at = match.group(1), match.end()
            rest = line[rest_at:]
            following = next((nxt for _, nxt in lines[index + 1:] if nxt), "")
            heading = _is_heading(rest) and following and not _numbered(following) and not _LETTERED.match(following)
            current = Passage(number, number, "", offset + rest_at, offset + len(line),
                              parent=_parent(number, passages))
            if heading:
                current.title = rest
                pending_title = current
            else:
                pending_title = None
                if _is_heading(rest):
                    current.title = rest
            passages.append(current)
            numbered_parent = current
            continue
        lettered = _LETTERED.match(line)
        if lettered and numbered_parent is not None:
            letter = lettered.group(1)
            extend(numbered_parent, offset, line)
            pending_title = None
            passages.append(Passage(f"{numbered_parent.key}.{letter}", f"{numbered_parent.number} {letter})", "",
                                    offset + lettered.end(), offset + len(line), parent=numbered_parent.key))
            continue
        if current is None and not passages and has_numbers:
            cover_lines.append(line)
            continue
        if current is None:
            if not has_numbers and _is_cover_line(line, passages):
                cover_lines.append(line)
                continue
            ordinal = str(sum(1 for p in passages if not p.section) + 1)
            current = Passage(ordinal, ordinal, "", offset, offset + len(line))
            passages.append(current)
            continue
        extend(current, offset, line)
        pending_title = None if current is pending_title else pending_title

    for passage in passages:
        if passage.end <= passage.start and passage.title:  # a heading with no text of its own
            passage.text = passage.title
            if passage.section:
                passage.text = ""
        else:
            passage.text = text[passage.start:passage.end]
    passages = _unique_keys([p for p in passages if p.text])
    if cover_lines:  # the cover is a passage too: its symbol, meeting and title are cited from it
        first = text.index(cover_lines[0])
        last = text.index(cover_lines[-1], first) + len(cover_lines[-1])
        passages.insert(0, Passage("cover", "Cover", text[first:last], first, last, title="Cover", section=True))
    return Segmented(text, read_cover(cover_lines), passages)


def _unique_keys(passages: list[Passage]) -> list[Passage]:
    """A number printed twice (an annex that starts again at 1) gets -2, -3... on its key, so every
    passage has its own IRI; the number as printed is kept, and children point at the latest
    passage of their parent's number."""
    seen: dict[str, int] = {}
    latest: dict[str, str] = {}
    for passage in passages:
        if passage.parent is not None:
            passage.parent = latest.get(passage.parent, passage.parent)
        original = passage.key
        seen[original] = seen.get(original, 0) + 1
        if seen[original] > 1:
            passage.key = f"{original}-{seen[original]}"
        latest[original] = passage.key
    return passages


def _numbered(line: str) -> re.Match | None:
    """A printed paragraph number: `2.1.`, `2.10.1.`, `3.` (a bare `3 ` counts only with a dot inside,
    so a year or a count starting a line is not taken for one)."""
    match = _NUMBERED.match(line)
    if match and (match.group(2) or "." in match.group(1)):
        return match
    return None


def _parent(number: str, passages: list[Passage]) -> str | None:
    if "." not in number:
        return None
    parent = number.rsplit(".", 1)[0]
    return parent if any(p.key == parent for p in passages) else None


def _is_cover_line(line: str, passages: list[Passage]) -> bool:
    """Before any passage, short lines are the cover (body, meeting, symbol, date, title)."""
    return not passages and len(line) < 100 and not line.endswith(".")


def read_cover(lines: list[str]) -> Cover:
    """Symbol, date, meeting, body and title from the cover lines, where printed."""
    cover = Cover()
    rest: list[str] = []
    for line in lines:
        symbol = patterns.cover_symbol(line)
        if symbol and cover.symbol is None:
            cover.symbol = symbol
            continue
        if cover.date is None and patterns.cover_date(line):
            cover.date = patterns.cover_date(line)
            continue
        if cover.meeting is None and patterns.MEETING_LINE.search(line):
            cover.meeting = line
            continue
        if patterns.LANGUAGE_LINE.match(line):
            continue
        if patterns.BODY_LINE.search(line) and cover.body is None:
            cover.body = line
            continue
        rest.append(line)
    if rest:
        cover.title = " ".join(rest[-1:]) if len(rest[-1]) >= 10 else None
    return cover
