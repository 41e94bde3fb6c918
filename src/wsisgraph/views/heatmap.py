"""The coverage heatmap: the grid of views/coverage.py as an SVG or PNG picture.

The picture is drawn with matplotlib on a figure as wide as an A4 page. Output is byte-for-byte
deterministic: a fixed font (DejaVu Sans, shipped with matplotlib), glyphs embedded as paths, a
fixed `svg.hashsalt` for element ids, and no dates or software versions in the file metadata.
Shades come from fixed bins, not from the data's maximum, so pictures of different bases compare.
matplotlib is the `plot` extra: only `coverage -o FILE.svg|png` and `report` import this module.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from wsisgraph.core import messages
from wsisgraph.views.coverage import NEUTRAL, Coverage

# (lowest count in the bin, strength of the goal colour, legend label); 0 links is a pale grey cell.
SHADE_BINS = ((1, 0.4, "1"), (2, 0.55, "2"), (3, 0.7, "3–4"), (5, 0.85, "5–8"), (9, 1.0, "9+"))
EMPTY_CELL = "#f2f2f2"
PAGE_WIDTH = 8.27  # inches: A4 portrait
PNG_DPI = 200
FONT = "DejaVu Sans"
RC = {
    "font.family": FONT,
    "svg.fonttype": "path",
    "svg.hashsalt": "wsisgraph-coverage",
    "svg.id": "wsisgraph-coverage",
    "path.simplify": False,
}

# Fonts: DejaVu Sans (shipped with matplotlib) draws Latin, Cyrillic and Arabic (matplotlib shapes
# Arabic and lays it out right to left itself); Chinese comes from Noto Sans CJK (Debian
# fonts-noto-cjk), used only for a Chinese picture.
CJK_FONT = "Noto Sans CJK SC"
def rc(lang: str) -> dict:
    """matplotlib settings for a picture in the language."""
    return {**RC, "font.family": [FONT, CJK_FONT]} if lang.lower().startswith("zh") else RC


def shade(colour: str, count: int) -> str:
    """The cell colour: the goal's colour mixed with white by the count's bin."""
    strength = 0.0
    for lowest, value, _ in SHADE_BINS:
        if count >= lowest:
            strength = value
    if strength == 0.0:
        return EMPTY_CELL
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the background (WCAG relative luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(background[i:i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#ffffff" if luminance < 0.35 else "#1a1a1a"


def wrap(text: str, width: int) -> str:
    """Break a short title into lines of at most `width` characters at spaces."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


Linker = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Layout:
    """Sizes in inches of the parts of the page; the grid fills what the labels leave."""

    rows: int
    columns: int
    level: str
    label_width: float = 2.55
    right: float = 0.12
    title: float = 0.5
    legend: float = 0.85

    @property
    def row_height(self) -> float:
        return 0.24 if self.level == "goal" else 0.2

    @property
    def header(self) -> float:
        return 1.3 if self.level == "goal" else 0.75

    @property
    def grid_width(self) -> float:
        return PAGE_WIDTH - self.label_width - self.right

    @property
    def height(self) -> float:
        return self.title + self.header + self.rows * self.row_height + self.legend

    def grid_box(self) -> list[float]:
        """[left, bottom, width, height] of the grid axes as fractions of the figure."""
        return [self.label_width / PAGE_WIDTH, self.legend / self.height,
                self.grid_width / PAGE_WIDTH, self.rows * self.row_height / self.height]


def draw(coverage: Coverage, link: Linker | None = None) -> tuple[Figure, dict[str, str]]:
    """The figure, and a tooltip text for each element id that should carry one."""
    layout = Layout(max(len(coverage.lines), 1), max(len(coverage.columns), 1), coverage.level)
    figure = Figure(figsize=(PAGE_WIDTH, layout.height), dpi=PNG_DPI)  # measure text as the PNG draws it
    axes = figure.add_axes(layout.grid_box())
    axes.set_xlim(0, layout.columns)
    axes.set_ylim(layout.rows, 0)
    axes.axis("off")
    tooltips: dict[str, str] = {}
    draw_rows(axes, coverage, layout, tooltips, link)
    if coverage.level == "goal":
        draw_goal_header(axes, coverage, link)
    else:
        draw_target_header(axes, coverage, link)
    draw_cells(axes, coverage, tooltips)
    if not coverage.columns:
        axes.text(layout.columns / 2, layout.rows / 2,
                  messages.text(coverage.lang, "no links", basis=coverage.basis_title),
                  ha="center", va="center", fontsize=9, color=NEUTRAL)
    figure.text(0.5 / PAGE_WIDTH, 1 - 0.2 / layout.height, coverage.title, fontsize=10.5, weight="bold",
                va="top", gid="title")
    draw_legend(figure, coverage, layout)
    return figure, tooltips


def fit(artist, text: str, width: float, renderer) -> None:
    """Shorten the text with an ellipsis until the artist is at most `width` inches wide.

    The first cut is proportional to the overflow, so a long title takes two or three measurements.
    """
    limit = width * artist.get_figure(root=True).dpi
    measured = artist.get_window_extent(renderer).width
    while measured > limit and len(text) > 8:
        keep = min(len(text) - 2, int(len(text) * limit / measured))
        text = text[:keep].rstrip(" ,:;…") + "…"
        artist.set_text(text)
        measured = artist.get_window_extent(renderer).width


def draw_rows(axes, coverage: Coverage, layout: Layout, tooltips: dict[str, str], link: Linker | None) -> None:
    label_at = axes.get_yaxis_transform()  # x in axes fraction, y in rows
    renderer = FigureCanvasAgg(axes.get_figure(root=True)).get_renderer()
    for i, line in enumerate(coverage.lines):
        sub = line.parent is not None
        text = f"{line.short_label}" if sub else f"{line.code}  {line.label}"
        artist = axes.text(-0.012, i + 0.5, text, transform=label_at, ha="right", va="center",
                           fontsize=6.8 if sub else 7.2, weight="normal" if sub else "bold",
                           color="#333333" if sub else "#111111", gid=f"row-{line.code}")
        fit(artist, text, layout.label_width - (0.3 if sub else 0.15), renderer)
        if link and link("action-line", line.code):
            artist.set_url(link("action-line", line.code))
        tooltips[f"row-{line.code}"] = f"{line.code}: {line.label} ({coverage.total(line.code)} links)"
        members = sum(1 for other in coverage.lines if other.parent == line.code)
        if members:
            for edge in (i, i + 1 + members):
                axes.axhline(edge, color="#999999", linewidth=0.6)


def draw_goal_header(axes, coverage: Coverage, link: Linker | None) -> None:
    for j, goal in enumerate(coverage.columns):
        axes.add_patch(Rectangle((j + 0.04, -1.1), 0.92, 1.0, facecolor=goal.colour, edgecolor="none",
                                 clip_on=False, gid=f"col-{goal.code}"))
        axes.text(j + 0.5, -0.6, goal.code, ha="center", va="center", fontsize=8, weight="bold",
                  color=text_colour(goal.colour), gid=f"colcode-{goal.code}")
        title = axes.text(j + 0.5, -1.25, wrap(goal.label, 18), ha="center", va="bottom", rotation=90,
                          fontsize=6.4, linespacing=1.05, color="#222222", gid=f"coltitle-{goal.code}")
        if link and link("goal", goal.code):
            title.set_url(link("goal", goal.code))


def draw_target_header(axes, coverage: Coverage, link: Linker | None) -> None:
    spans: dict[str, list[int]] = {}
    for j, target in enumerate(coverage.columns):
        spans.setdefault(target.goal, []).append(j)
        label = axes.text(j + 0.5, -1.0, target.code, ha="center", va="bottom", rotation=90, fontsize=4.6,
                          color="#222222", gid=f"col-{target.code}")
        if link and link("goal", target.goal):
            label.set_url(link("goal", target.goal))
    colours = {goal.code: goal.colour for goal in coverage.goals}
    for goal, columns in spans.items():
        start, end = columns[0], columns[-1] + 1
        axes.add_patch(Rectangle((start + 0.05, -0.9), end - start - 0.1, 0.8, facecolor=colours[goal],
                                 edgecolor="none", clip_on=False, gid=f"goal-{goal}"))
        axes.text((start + end) / 2, -0.5, goal, ha="center", va="center", fontsize=5.5, weight="bold",
                  color=text_colour(colours[goal]), gid=f"goalcode-{goal}")


def draw_cells(axes, coverage: Coverage, tooltips: dict[str, str]) -> None:
    annotate = coverage.level == "goal"
    for i, line in enumerate(coverage.lines):
        for j, column in enumerate(coverage.columns):
            count = coverage.count(line.code, column.code)
            fill = shade(column.colour, count)
            gid = f"cell-{line.code}-{column.code}"
            # add_artist, not add_patch: the limits are fixed, and updating them per cell is slow.
            axes.add_artist(Rectangle((j + 0.04, i + 0.06), 0.92, 0.88, facecolor=fill, edgecolor="none", gid=gid))
            noun = "link" if count == 1 else "links"
            tooltips[gid] = f"{line.code} × {column.code} {column.label}: {count} {noun}"
            if annotate and count:
                axes.text(j + 0.5, i + 0.52, str(count), ha="center", va="center", fontsize=6.8,
                          color=text_colour(fill), gid=f"count-{line.code}-{column.code}")


def draw_legend(figure: Figure, coverage: Coverage, layout: Layout) -> None:
    """Swatches of the shade bins, and what is counted, in the space under the grid."""
    top = (layout.legend - 0.25) / layout.height
    box = 0.17 / PAGE_WIDTH
    x = layout.label_width / PAGE_WIDTH
    figure.text(x - 0.08 / PAGE_WIDTH, top, messages.text(coverage.lang, "links per cell"), ha="right",
                va="center", fontsize=7, gid="legend-title")
    swatches = [(0, EMPTY_CELL, "0")] + [(lowest, shade(NEUTRAL, lowest), label) for lowest, _, label in SHADE_BINS]
    for lowest, fill, label in swatches:
        height = box * PAGE_WIDTH / layout.height
        figure.add_artist(Rectangle((x, top - height / 2), box, height, facecolor=fill, edgecolor="#bbbbbb",
                                    linewidth=0.4, transform=figure.transFigure, gid=f"legend-{lowest}"))
        figure.text(x + box + 0.04 / PAGE_WIDTH, top, label, va="center", fontsize=7)
        x += box + 0.45 / PAGE_WIDTH
    lang = coverage.lang
    notes = [messages.text(lang, f"note_{coverage.level}"), messages.text(lang, "note_c7"),
             messages.text(lang, "note_basis", basis=coverage.basis_title, version=coverage.version).replace(" .", ".")]
    if coverage.fallbacks:
        notes.append(messages.text(lang, "note_fallback", count=coverage.fallbacks))
    figure.text(layout.label_width / PAGE_WIDTH, top - 0.2 / layout.height, "\n".join(notes), va="top",
                fontsize=6.4, color="#333333", linespacing=1.35, gid="legend-notes")


def add_tooltips(svg: str, tooltips: dict[str, str]) -> str:
    """Give each named element an SVG <title>, which browsers show on hover and scripts can read."""
    def insert(match: re.Match) -> str:
        gid = match.group(1)
        if gid not in tooltips:
            return match.group(0)
        return f"{match.group(0)}\n   <title>{escape(tooltips[gid], quote=False)}</title>"
    return re.sub(r'<g id="([^"]+)">', insert, svg)


def render_svg(coverage: Coverage, link: Linker | None = None) -> bytes:
    with matplotlib.rc_context(rc(coverage.lang)):
        figure, tooltips = draw(coverage, link)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "wsisgraph",
                                                       "Title": coverage.title})
    return add_tooltips(buffer.getvalue(), tooltips).encode("utf-8")


def render_png(coverage: Coverage) -> bytes:
    with matplotlib.rc_context(rc(coverage.lang)):
        figure, _ = draw(coverage)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None, "Title": coverage.title})
    return buffer.getvalue()


def render(coverage: Coverage, suffix: str) -> bytes:
    """The picture as the output suffix asks (.svg or .png)."""
    return render_svg(coverage) if suffix == ".svg" else render_png(coverage)
