"""The corpus in HTML: the rankings (``/speakers``, ``/entities``), the entity page
(``/entities/{key}``) and its timeline chart.

The chart is drawn here, on the server: an inline SVG with one bar (``rect.mark``) per period,
documents as its height, and a grey band (``rect.break``) for each long run of empty periods
the timeline left out; the count scale and the dates along the axis are HTML beside and under
it, so they stay legible however the SVG is stretched. No script, no asset from another host.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from presspipe.api.pages import LABEL_COLOURS, OTHER_COLOUR, chip_colours, environment, pager
from presspipe.store.corpus_queries import Profile, Ranking
from presspipe.store.timeline import PERIODS, PeriodCount

CHART_HEIGHT = 120
SLOT = 10
"""Width of one bar's slot in the chart's own units (the SVG is stretched to the page's width)."""
BREAK_SLOTS = 3
"""A break (a long run of empty periods left out) takes the room of this many bars."""
MIN_SLOTS = 24
"""The chart has room for at least this many bars (one bar is not a page-wide block)."""
TICKS = 6
"""At most about this many date labels along the axis (every other one is hidden on a phone)."""
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIOD_WORDS = {
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "year": ("year", "years"),
}


def nice_top(most: int) -> int:
    """The top of the count scale: ``most`` rounded up to 1, 2 or 5 times a power of ten."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if most <= step * scale:
                return step * scale
        scale *= 10


def _date_label(start: str, period: str, with_year: bool) -> str:
    """A date a reader can use: "5 Jan 2026" (a day, a week's Monday), "Jan 2026", "2026"."""
    year, month, day = start[:4], int(start[5:7]), int(start[8:10])
    if period == "year":
        return year
    text = MONTHS[month - 1] if period == "month" else f"{day} {MONTHS[month - 1]}"
    return f"{text} {year}" if with_year else text


def timeline_svg(timeline: Sequence[PeriodCount], period: str = "month") -> Markup:
    """Documents per period as bars on a count scale, dates along the axis, long empty runs
    drawn as breaks; each bar titled with its counts. Bars are an inline SVG stretched to the
    width; the labels are HTML placed by percentage, so they stay legible at any width."""
    if not timeline:
        return Markup('<p class="muted" id="no-timeline">No dated documents.</p>')
    top = nice_top(max(p.documents for p in timeline) or 1)
    one, many = PERIOD_WORDS.get(period, (period, period + "s"))
    units = sum(1 + (BREAK_SLOTS if p.gap_before else 0) for p in timeline)
    # A few bars are drawn at a bar's width in the middle, not stretched across the page.
    width = max(units, MIN_SLOTS) * SLOT
    bars, gaps, ticks = [], [], []
    every = max(1, -(-len(timeline) // TICKS))
    x = (width - units * SLOT) // 2
    last_year = ""
    for n, p in enumerate(timeline):
        if p.gap_before:
            skipped = f"{p.gap_before} {one if p.gap_before == 1 else many} with no documents"
            gaps.append(
                f'<rect class="break" x="{x + 2}" y="0" width="{BREAK_SLOTS * SLOT - 4}" height="{CHART_HEIGHT}">'
                f"<title>{html.escape(skipped)}</title></rect>"
            )
            centre = (x + BREAK_SLOTS * SLOT / 2) / width * 100
            ticks.append(
                f'<span class="gap" style="left: {centre:.2f}%" title="{html.escape(skipped)}">⋯'
                f'<span class="gap-length"> {p.gap_before} {one if p.gap_before == 1 else many} ⋯</span></span>'
            )
            x += BREAK_SLOTS * SLOT
        height = round(p.documents / top * (CHART_HEIGHT - 2), 1)
        title = html.escape(f"{p.period}: {p.documents} documents, {p.quotes} quotes")
        bars.append(
            f'<rect class="mark" data-period="{html.escape(p.period)}" x="{x + 1}" y="{CHART_HEIGHT - height}" '
            f'width="{SLOT - 2}" height="{height}"><title>{title}</title></rect>'
        )
        if n % every == 0 or p.gap_before:
            year = p.start[:4]
            label = html.escape(_date_label(p.start, period, year != last_year))
            last_year = year
            left = (x + SLOT / 2) / width * 100
            # Every other label hides on a phone; labels near an end, or just after a break, are
            # aligned to stay inside the chart and clear of the break's mark.
            kind = "tick" + (" minor" if (n // every) % 2 and not p.gap_before else "")
            kind += " start" if left < 12 or p.gap_before else " end" if left > 88 else ""
            ticks.append(
                f'<span class="{kind}" data-period="{html.escape(p.period)}" style="left: {left:.2f}%">{label}</span>'
            )
        x += SLOT
    grid = "".join(
        f'<line class="grid" x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>' for y in (1, CHART_HEIGHT / 2)
    )
    half = f"{top // 2}" if top % 2 == 0 else ""
    first, last = html.escape(timeline[0].period), html.escape(timeline[-1].period)
    return Markup(
        '<div class="plot">'
        f'<div class="yaxis" aria-hidden="true"><span id="scale-top">{top}</span><span>{half}</span><span>0</span></div>'
        f'<svg id="timeline" viewBox="0 0 {width} {CHART_HEIGHT}" preserveAspectRatio="none" role="img" '
        f'aria-label="documents per {one} from {first} to {last}, at most {top}">{grid}{"".join(gaps)}{"".join(bars)}</svg>'
        "</div>"
        f'<div class="xaxis" id="axis">{"".join(ticks)}</div>'
        f'<p class="muted legend-note">Documents per {one} (scale 0 to {top})'
        + (" · <b>⋯</b> a break: a long run of empty " + many + " left out" if gaps else "")
        + ".</p>"
    )


def render_entity(profile: Profile, period: str) -> str:
    """The entity page; ``period`` as asked (``auto``, or the period named)."""
    entity = profile.entity
    label = entity.label
    return environment.get_template("entity.html").render(
        entity=entity,
        names=profile.names,
        period=period,
        shown=profile.period,
        undated=profile.undated,
        dated=sum(p.documents for p in profile.timeline),
        periods=("auto", *PERIODS),
        chart=timeline_svg(profile.timeline, profile.period),
        timeline=profile.timeline,
        cooccurring=profile.cooccurring,
        quotes=profile.quotes,
        colours={
            lab: LABEL_COLOURS.get(lab, OTHER_COLOUR)
            for lab in sorted({label, *(c.label for c in profile.cooccurring)})
            if lab.isidentifier()
        },
    )


@dataclass(frozen=True)
class Field:
    """One input of a ranking's filter form: a query parameter of its JSON route."""

    name: str
    label: str
    hint: str = ""
    type: str = "text"
    choices: tuple[str, ...] = ()
    list: str = ""


DATES = (Field("published_from", "published from", type="date"), Field("published_to", "to", type="date"))
RANKINGS = {
    "speakers": (
        Field("speaker", "speaker", "name or key"),
        Field("q", "words of the quote", "words"),
        Field("kind", "kind", choices=("direct", "partial", "indirect")),
        Field("outlet", "outlet", "bbc.co.uk"),
        Field("pipeline", "pipeline", "news"),
        *DATES,
    ),
    "entities": (
        Field("entity", "entity", "name or key"),
        Field("label", "label", "PERSON", list="labels"),
        Field("q", "words of the document", "words"),
        Field("outlet", "outlet", "bbc.co.uk"),
        Field("pipeline", "pipeline", "news"),
        *DATES,
    ),
}
"""The form of each ranking page, as the filters of ``/v1/speakers`` and ``/v1/entities``."""


def render_ranking(
    kind: str, values: Mapping[str, str], page: Ranking | None, total: int, problem: str | None = None
) -> str:
    """``/speakers`` or ``/entities``: the form, the total, one page of the ranking, its pager."""
    path = f"/{kind}"
    items = page.items if page else []
    query = urlencode(values)
    return environment.get_template("ranking.html").render(
        kind=kind,
        path=path,
        heading="Speakers" if kind == "speakers" else "Entities",
        noun=kind[:-1] if kind == "speakers" else "entity",
        nouns=kind,
        ordered="most quoted first" if kind == "speakers" else "in the most documents first",
        filter_name=kind[:-1] if kind == "speakers" else "entity",
        fields=RANKINGS[kind],
        values=values,
        any_filter=bool(values),
        problem=problem,
        items=items,
        total=total,
        json_url=f"/v1{path}" + (f"?{query}" if query else ""),
        pager=pager(
            path,
            values,
            len(items),
            total,
            page.offset if page else 0,
            page.previous_cursor if page else None,
            page.next_cursor if page else None,
        ),
        colours=chip_colours(sorted({str(r.label) for r in items})),
    )
