"""An entity's timeline: documents and quotes per day, ISO week, month or year.

Empty periods between two with documents are listed, so that a lull shows as a gap; a run of
more than ``BREAK_AFTER`` empty periods (a month of days, a year of months) is left out and the next period says how many it skips
(``gap_before``), so that two clusters years apart are drawn with a break, not as a strip of
hundreds of empty bars. ``period="auto"`` picks the finest period that draws at most
``AUTO_BARS`` bars and ``AUTO_BREAKS`` breaks with ``AUTO_DENSITY`` bars between breaks.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

Period = Literal["day", "week", "month", "year"]
PeriodChoice = Literal["day", "week", "month", "year", "auto"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")

MAX_FILLED = 400
"""A timeline lists at most this many periods, empty ones included; past it, only the periods
with documents (a day timeline over years of daily news would be thousands of bars)."""

BREAK_AFTER: dict[Period, int] = {"day": 31, "week": 12, "month": 12, "year": 12}
"""More empty periods than this in a row (a month of days, a quarter of weeks, a year of months)
are a break (``gap_before``), not empty bars."""

AUTO_BARS = 60
"""``period="auto"``: the finest period whose timeline has at most this many bars ..."""

AUTO_BREAKS = 3
"""... and at most this many breaks (six days a fortnight apart are a week timeline, not six
lone day bars between five breaks)."""

AUTO_DENSITY = 4
"""... and, where one does, at least this many bars per stretch between breaks (two documents
two months apart are ten weeks, not two day bars and a break)."""


@dataclass(frozen=True)
class PeriodCount:
    period: str
    start: str
    documents: int
    quotes: int
    gap_before: int = 0
    """How many empty periods come between the previous entry and this one, left out."""


def timeline(days: Sequence[Any], period: PeriodChoice) -> tuple[Period, list[PeriodCount]]:
    """Per-day ``(YYYY-MM-DD, documents, quotes)`` rows as one count per period, and the period
    (``auto`` resolved)."""
    if period != "auto":
        return period, _timeline(days, period)
    fitting: list[tuple[Period, list[PeriodCount]]] = []
    for chosen in PERIODS:
        found = _timeline(days, chosen)
        breaks = sum(1 for p in found if p.gap_before)
        if len(found) <= AUTO_BARS and breaks <= AUTO_BREAKS:
            if len(found) >= AUTO_DENSITY * (breaks + 1):
                return chosen, found
            fitting.append((chosen, found))
    # Too few bars in every period that fits (a handful of dates): the one that draws the most
    # (the finest of equals: one date is a day).
    return max(fitting, key=lambda f: len(f[1])) if fitting else ("year", found)


def _timeline(days: Sequence[Any], period: Period) -> list[PeriodCount]:
    totals: dict[date, list[int]] = {}
    for day, documents, quotes in days:
        try:
            start = period_start(date.fromisoformat(str(day)), period)
        except ValueError:
            continue
        counts = totals.setdefault(start, [0, 0])
        counts[0] += int(documents)
        counts[1] += int(quotes or 0)
    if not totals:
        return []
    starts = sorted(totals)

    def entry(start: date, gap: int) -> PeriodCount:
        documents, quotes = totals.get(start, (0, 0))
        return PeriodCount(_period_name(start, period), start.isoformat(), documents, quotes, gap)

    # Empty runs of BREAK_AFTER or fewer are drawn; longer ones are breaks.
    out: list[PeriodCount] = [entry(starts[0], 0)]
    for previous, start in itertools.pairwise(starts):
        between = _period_count(previous, start, period) - 2
        if between <= BREAK_AFTER[period]:
            current = _next_period(previous, period)
            while current < start:
                out.append(entry(current, 0))
                current = _next_period(current, period)
            between = 0
        out.append(entry(start, between))
    if len(out) > MAX_FILLED:
        # Too many to draw every period: the periods with documents, each saying what it skips.
        return [entry(starts[0], 0)] + [
            entry(start, _period_count(previous, start, period) - 2)
            for previous, start in itertools.pairwise(starts)
        ]
    return out


def _period_count(first: date, last: date, period: Period) -> int:
    """How many periods from the one starting ``first`` to the one starting ``last``, both counted."""
    if period == "year":
        return last.year - first.year + 1
    if period == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return (last - first).days // (7 if period == "week" else 1) + 1


def period_start(day: date, period: Period) -> date:
    """The first day of the period holding ``day`` (a week starts on Monday)."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


def _next_period(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return (start + timedelta(days=32)).replace(day=1)
    if period == "year":
        return start.replace(year=start.year + 1)
    return start + timedelta(days=1)


def _period_name(start: date, period: Period) -> str:
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "year":
        return str(start.year)
    return start.strftime("%Y-%m") if period == "month" else start.isoformat()
