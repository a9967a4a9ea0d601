"""Dates as editors know them: a day, a month, a year, "about", or "between".

Forms: `2024-12-17`, `2024-12`, `2025`, `2025~` (about), `2024-12/2025-02` (between).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?$")
FORMS = "`2024-12-17`, `2024-12`, `2025`, `2025~` (about) or `2024-12/2025-02` (between)"


class DateError(ValueError):
    """The text is not one of the date forms; the message says why."""


@dataclass(frozen=True)
class Point:
    """One date at day, month or year precision, possibly approximate."""

    year: int
    month: int | None = None
    day: int | None = None
    about: bool = False

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def words(self) -> str:
        if self.day is not None and self.month is not None:
            text = f"{self.day} {calendar.month_name[self.month]} {self.year}"
        elif self.month is not None:
            text = f"{calendar.month_name[self.month]} {self.year}"
        else:
            text = str(self.year)
        return f"about {text}" if self.about else text


@dataclass(frozen=True)
class FuzzyDate:
    """A date or a range of dates as written by an editor; `text` is the original."""

    text: str
    start: Point
    end: Point | None = None

    @property
    def sort_key(self) -> tuple[date, date]:
        last = (self.end or self.start).last
        return (self.start.first, last)

    @property
    def is_day(self) -> bool:
        return self.end is None and self.start.day is not None and not self.start.about

    def words(self) -> str:
        if self.end is None:
            return self.start.words()
        return f"between {self.start.words()} and {self.end.words()}"


def _point(text: str) -> Point:
    match = _PART.match(text)
    if not match:
        raise DateError(f"{text!r} is not a date")
    year, month, day = (int(g) if g else None for g in match.groups()[:3])
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month:02d} is not between 01 and 12")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"day {day:02d} does not exist in {calendar.month_name[month]} {year}")
    return Point(year, month, day, about=match.group(4) is not None)


def parse_date(text: str) -> FuzzyDate:
    """Parse one of the date forms, or raise :class:`DateError` saying what is wrong."""
    text = text.strip()
    if "/" in text:
        first, _, second = text.partition("/")
        start, end = _point(first), _point(second)
        if end.last < start.first:
            raise DateError(f"the range ends ({second}) before it starts ({first})")
        return FuzzyDate(text, start, end)
    return FuzzyDate(text, _point(text))
