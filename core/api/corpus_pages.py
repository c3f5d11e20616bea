"""The corpus in HTML: the rankings (``/speakers``, ``/entities``), the entity page
(``/entities/{key}``) and its timeline chart.

The chart is an inline SVG drawn here, on the server: one bar (``rect.mark``) per period,
documents as its height, so the page needs no script and no asset from another host.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from presspipe.api.pages import LABEL_COLOURS, OTHER_COLOUR, chip_colours, environment, pager
from presspipe.store.corpus_queries import Profile, Ranking
from presspipe.store.timeline import PeriodCount

CHART_HEIGHT = 120
BAR_WIDTH = 14


def timeline_svg(timeline: Sequence[PeriodCount]) -> Markup:
    """Documents per period as bars, scaled to the busiest period; each bar titled with its counts."""
    if not timeline:
        return Markup('<p class="muted" id="no-timeline">No dated documents.</p>')
    top = max(p.documents for p in timeline) or 1
    width = max(len(timeline) * BAR_WIDTH, 200)
    step = width / len(timeline)
    bars = []
    for n, period in enumerate(timeline):
        height = round(period.documents / top * (CHART_HEIGHT - 4), 1)
        title = html.escape(f"{period.period}: {period.documents} documents, {period.quotes} quotes")
        bars.append(
            f'<rect class="mark" data-period="{html.escape(period.period)}" x="{n * step + 1:.1f}" '
            f'y="{CHART_HEIGHT - height}" width="{max(step - 2, 1):.1f}" height="{height}">'
            f"<title>{title}</title></rect>"
        )
    first, last = html.escape(timeline[0].period), html.escape(timeline[-1].period)
    return Markup(
        f'<svg id="timeline" viewBox="0 0 {width:.0f} {CHART_HEIGHT}" preserveAspectRatio="none" '
        f'role="img" aria-label="documents per period from {first} to {last}">{"".join(bars)}</svg>'
        f'<div class="axis"><span>{first}</span><span>most: {top} documents</span><span>{last}</span></div>'
    )


def render_entity(profile: Profile, period: str) -> str:
    entity = profile.entity
    label = entity.label
    return environment.get_template("entity.html").render(
        entity=entity,
        names=profile.names,
        period=period,
        periods=("day", "week", "month"),
        chart=timeline_svg(profile.timeline),
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
