"""The timeline figure: every dated claim of the briefing in date order, as an SVG.

The entries and their order come from the reading model
(:func:`generator.reading.timeline_entries`); the page and the PDF part around the
figure are spelt by their renderers.

Figure. An SVG drawn here, at build time: one row per claim, numbered as in the
list below it. A claim dated to a day is a dot; one dated to a month, a year or a
range is a bar spanning that period, drawn dashed when the date is approximate. The
axis is broken where more than two years pass with no dated claim, and each stretch
between breaks is drawn to its own scale, so that claims decades apart and claims a
month apart are all legible. No script, no external asset; text is real text, and
the figure has a <title> and <desc> for screen readers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from html import escape as html_escape

from generator.dates import FuzzyDate
from generator.reading import Entry, plural

# --- the figure ----------------------------------------------------------------------

WIDTH = 640
NUMBER_X = 26  # right edge of the row numbers
PLOT_LEFT = 40
PLOT_RIGHT = WIDTH - 12
ROW = 34
TOP = 6
BREAK = 26  # room for a break in the axis
GAP_DAYS = 2 * 365  # a longer stretch with no dated claim breaks the axis
FONT = 12
CHAR = 6.8  # a generous average glyph width at FONT px, to keep labels inside the figure
COLOURS = {"reported": "#3f51b5", "disputed": "#b6461f", "unconfirmed": "#8a6a00"}
TEXT = "#222"
MUTED = "#666"
GRID = "#d8d8d8"


def _days(when: FuzzyDate) -> tuple[int, int]:
    """The period a date covers, as ordinals: first day, and the day after the last."""
    return when.start.first.toordinal(), (when.end or when.start).last.toordinal() + 1


def _month_start(ordinal: int, shift: int = 0) -> int:
    day = date.fromordinal(ordinal)
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1).toordinal()


def _year_start(ordinal: int, shift: int = 0) -> int:
    return date(date.fromordinal(ordinal).year + shift, 1, 1).toordinal()


@dataclass
class _Stretch:
    """One unbroken stretch of the axis, drawn to its own scale."""

    first: int
    end: int
    x0: float = 0.0
    x1: float = 0.0
    by_month: bool = True

    def domain(self) -> tuple[int, int]:
        """The stretch rounded out to whole months (or years), with one spare each side."""
        if self.by_month:
            return _month_start(self.first, -1), _month_start(self.end - 1, 2)
        return _year_start(self.first, -1), _year_start(self.end - 1, 2)

    def x(self, ordinal: int) -> float:
        d0, d1 = self.domain()
        return self.x0 + (ordinal - d0) * (self.x1 - self.x0) / (d1 - d0)


def _stretches(entries: list[Entry]) -> list[_Stretch]:
    spans = sorted(_days(e.date) for e in entries)
    stretches: list[_Stretch] = []
    for first, end in spans:
        if stretches and first - stretches[-1].end <= GAP_DAYS:
            stretches[-1].end = max(stretches[-1].end, end)
        else:
            stretches.append(_Stretch(first, end))
    room = (PLOT_RIGHT - PLOT_LEFT - BREAK * (len(stretches) - 1)) / len(stretches)
    for i, stretch in enumerate(stretches):
        stretch.by_month = stretch.end - stretch.first <= 3 * 366
        stretch.x0 = PLOT_LEFT + i * (room + BREAK)
        stretch.x1 = stretch.x0 + room
    return stretches


def _text(x: float, y: float, text: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{html_escape(text)}</text>'


def _width(text: str, size: float = FONT) -> float:
    return len(text) * CHAR * size / FONT


def _axis(stretches: list[_Stretch], y: float) -> tuple[list[str], list[float], float]:
    """The axis below the rows: returns its parts, the x of every tick, and its height."""
    parts: list[str] = []
    ticks: list[float] = []
    height = 18.0
    for stretch in stretches:
        d0, d1 = stretch.domain()
        parts.append(
            f'<line x1="{stretch.x0:.1f}" y1="{y:.1f}" x2="{stretch.x1:.1f}" y2="{y:.1f}" '
            f'stroke="{MUTED}" stroke-width="1"/>'
        )
        labels: list[tuple[float, float, str]] = []  # (x, y, text)
        if stretch.by_month:
            months = []
            at = d0
            while at < d1:
                months.append(at)
                at = _month_start(at, 1)
            months.append(d1)
            per_month = (stretch.x1 - stretch.x0) / (len(months) - 1)
            for start, end in zip(months, months[1:], strict=False):
                ticks.append(stretch.x(start))
                if per_month >= 26:
                    name = calendar.month_abbr[date.fromordinal(start).month]
                    labels.append(((stretch.x(start) + stretch.x(end)) / 2, y + 14, name))
            ticks.append(stretch.x(d1))
            year_y = y + (28 if per_month >= 26 else 14)
            height = max(height, year_y - y + 4)
            # Each year's name centred on its part of the stretch, where it fits.
            for year in range(date.fromordinal(d0).year, date.fromordinal(d1 - 1).year + 1):
                a = max(d0, date(year, 1, 1).toordinal())
                b = min(d1, date(year + 1, 1, 1).toordinal())
                xa, xb = stretch.x(a), stretch.x(b)
                if xb - xa >= _width(str(year), 11) + 4:
                    labels.append(((xa + xb) / 2, year_y, str(year)))
        else:
            first_year = date.fromordinal(d0).year
            last_year = date.fromordinal(d1).year
            per_year = (stretch.x1 - stretch.x0) / max(1, last_year - first_year)
            step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if s * per_year >= 36)
            for year in range(first_year, last_year + 1):
                x = stretch.x(date(year, 1, 1).toordinal())
                ticks.append(x)
                if year % step == 0:
                    labels.append((x, y + 14, str(year)))
        for x, label_y, text in labels:
            parts.append(_text(x, label_y, text, text_anchor="middle", font_size="11", fill=MUTED))
    for left, right in zip(stretches, stretches[1:], strict=False):
        # A break: two short slanted strokes between the stretches.
        mid = (left.x1 + right.x0) / 2
        for dx in (-3, 3):
            parts.append(
                f'<line x1="{mid + dx - 3:.1f}" y1="{y + 5:.1f}" x2="{mid + dx + 3:.1f}" '
                f'y2="{y - 5:.1f}" stroke="{MUTED}" stroke-width="1.2"/>'
            )
    for x in ticks:
        parts.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y + 4:.1f}" stroke="{MUTED}"/>'
        )
    return parts, ticks, height


def _row_label(entry: Entry) -> str:
    words = entry.date.words()
    if entry.claim.status != "reported":
        words += f" · {entry.claim.status}"
    return words


def _mark(entry: Entry, stretch: _Stretch, y: float) -> str:
    """A dot for a known day, a bar for a period (dashed when approximate)."""
    colour = COLOURS[entry.claim.status]
    when = entry.date
    first, end = _days(when)
    if when.is_day:
        return f'<circle cx="{stretch.x(first):.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'
    x0, x1 = stretch.x(first), stretch.x(end)
    if x1 - x0 < 8:
        middle = (x0 + x1) / 2
        x0, x1 = middle - 4, middle + 4
    about = when.start.about or (when.end is not None and when.end.about)
    return _band(x0, y, x1 - x0, colour, about)


def _band(x: float, y: float, width: float, colour: str, about: bool) -> str:
    """A bar for a period: lighter and dashed when the date is approximate."""
    dash = ' stroke-dasharray="4 2"' if about else ""
    return (
        f'<rect x="{x:.1f}" y="{y - 5:.1f}" width="{width:.1f}" height="10" rx="3" '
        f'fill="{colour}" fill-opacity="{0.25 if about else 0.45}" stroke="{colour}" '
        f'stroke-width="1.5"{dash}/>'
    )


def _legend(y: float) -> list[str]:
    """What the shapes and colours mean, on one line below the axis."""
    reported = COLOURS["reported"]
    parts: list[str] = []
    x = float(PLOT_LEFT)
    for shape, width, words in (
        (f'<circle cx="{x + 5:.1f}" cy="{y - 4:.1f}" r="5" fill="{reported}"/>', 10, "a day"),
        (None, 22, "a month, year or range"),
        (None, 22, "approximate"),
        ("disputed", 10, "disputed"),
        ("unconfirmed", 10, "unconfirmed"),
    ):
        if shape is None:
            shape = _band(x, y - 4, width, reported, about=words == "approximate")
        elif shape in COLOURS:
            shape = f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{COLOURS[shape]}"/>'
        parts.append(shape)
        parts.append(_text(x + width + 4, y, words, font_size="11", fill=MUTED))
        x += width + 4 + _width(words, 11) + 16
    return parts


def timeline_svg(entries: list[Entry], element_id: str = "timeline-figure") -> str:
    """The figure as one line of SVG markup (a Markdown raw-HTML block must have no blank line)."""
    stretches = _stretches(entries)

    def stretch_of(entry: Entry) -> _Stretch:
        first, _ = _days(entry.date)
        return next(s for s in reversed(stretches) if s.first <= first)

    rows: list[str] = []
    for i, entry in enumerate(entries):
        top = TOP + i * ROW
        stretch = stretch_of(entry)
        band_y = top + 23
        label = _row_label(entry)
        first, _ = _days(entry.date)
        label_x = min(max(stretch.x(first) - 4, PLOT_LEFT), PLOT_RIGHT - _width(label))
        rows.append(
            _text(NUMBER_X, band_y + 4, str(entry.number), text_anchor="end", font_weight="bold")
        )
        rows.append(_text(max(label_x, PLOT_LEFT), top + 12, label, fill=TEXT))
        rows.append(_mark(entry, stretch, band_y))
    axis_y = TOP + len(entries) * ROW + 6
    axis, ticks, axis_height = _axis(stretches, axis_y)
    grid = [
        f'<line x1="{x:.1f}" y1="{TOP:.1f}" x2="{x:.1f}" y2="{axis_y:.1f}" stroke="{GRID}" '
        f'stroke-width="0.6"/>'
        for x in ticks
    ]
    legend = _legend(axis_y + axis_height + 18)
    height = axis_y + axis_height + 26
    title = f"Timeline of {plural(len(entries), 'dated claim')}"
    desc = " ".join(
        f"{e.number}: {e.date.words()}"
        f"{', ' + e.claim.status if e.claim.status != 'reported' else ''}"
        f" ({e.topic.title})."
        for e in entries
    )
    desc = (
        "Dated claims on a time axis, one row each, numbered as in the list that follows. " + desc
    )
    return (
        # data-search-exclude: the site search indexes the list below, not the figure's labels.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg" id="{element_id}" '
        'data-search-exclude="" '
        f'role="img" aria-labelledby="{element_id}-title {element_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'font-family="sans-serif" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="{element_id}-title">{html_escape(title)}</title>'
        f'<desc id="{element_id}-desc">{html_escape(desc)}</desc>'
        + "".join(grid + axis + rows + legend)
        + "</svg>"
    )
