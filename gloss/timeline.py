"""An entity's mentions per month as a static SVG bar chart, made at build time (no JavaScript needed).

The bars stretch to the width of the page (the SVG keeps no aspect ratio); the words a chart needs (its
first and last month, its busiest) are the theme's HTML around it, so they stay readable at any width.
Colours come from the page's CSS (classes `timeline-chart`, `bar`, `year-start`), for light and dark mode.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .svggraph import escape
from .words import counted

BAR = 10  # width of a month, in SVG units
HEIGHT = 60
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # as the site's dates are written (datetime's %B in the C locale)


@dataclass(frozen=True)
class Timeline:
    months: list[tuple[int, int, int]]  # (year, month, mentions), every month from the first to the last
    first: str  # the first month's name, "September 2021"
    last: str
    busiest: tuple[str, int]  # the month with the most mentions (the earliest of those tied), and their count
    svg: str


def month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def mentions_per_month(dates: Iterable[dt.date | None]) -> list[tuple[int, int, int]]:
    """(year, month, mentions) for every month from the first mention's to the last's, quiet ones with 0;
    one mention a date, undated ones left out."""
    counts: Counter = Counter()
    for date, mentions in Counter(dates).items():  # far fewer dates than mentions
        if date:
            counts[date.year, date.month] += mentions
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    months = []
    while (year, month) <= last:
        months.append((year, month, counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def timeline(dates: Iterable[dt.date | None], name: str) -> Timeline | None:
    """The chart of the mentions on these dates, or None when they fall in fewer than two months
    (one bar says no more than the entity's first-seen date)."""
    months = mentions_per_month(dates)
    if len(months) < 2:
        return None
    year, month, most = max(months, key=lambda m: (m[2], -m[0], -m[1]))
    first, last, busiest = month_name(*months[0][:2]), month_name(*months[-1][:2]), (month_name(year, month), most)
    total = sum(count for _, _, count in months)
    description = (f"{counted(total, 'mention')} from {first} to {last}, one bar a month; "
                   f"the most in {busiest[0]} ({most}).")
    return Timeline(months, first, last, busiest, _svg(months, escape(f"Mentions of {name} per month"), description))


def _svg(months: list[tuple[int, int, int]], title: str, description: str) -> str:
    most = max(count for _, _, count in months)
    width = BAR * len(months)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 {width} {HEIGHT}" '
           f'preserveAspectRatio="none" role="img" aria-labelledby="timeline-chart-title timeline-chart-desc">',
           f'<title id="timeline-chart-title">{title}</title>', f'<desc id="timeline-chart-desc">{description}</desc>']
    for i, (year, month, count) in enumerate(months):
        if month == 1 and i:
            out.append(f'<line class="year-start" x1="{i * BAR}" y1="0" x2="{i * BAR}" y2="{HEIGHT}"/>')
        if count:
            height = max(2.0, (HEIGHT - 2) * count / most)
            out.append(f'<rect class="bar" x="{i * BAR + 1}" y="{HEIGHT - height:.1f}" width="{BAR - 2}" '
                       f'height="{height:.1f}"><title>{MONTHS[month - 1]} {year}: {counted(count, "mention")}'
                       '</title></rect>')
    out.append(f'<line class="baseline" x1="0" y1="{HEIGHT}" x2="{width}" y2="{HEIGHT}"/></svg>')
    return "\n".join(out)
