"""The HTML pages: an index of stored documents and one page per document.

A document page shows the article with entity mentions and quotes highlighted, each quote
followed by its speaker, the quote's cue and speaker spans marked, the headings in place,
and the summary's sentences marked in the text (and, unless they are simply its opening, in a
box above it); one ``<p>`` per paragraph (``presspipe.paragraphs``). The templates
are package data in ``templates/``. Everything from a document is escaped (Jinja2 autoescape; the
highlighted text is built from ``html.escape``d pieces).
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as quote_url
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from presspipe.api.login import signed_in
from presspipe.document import Document
from presspipe.store import Copies, Page
from presspipe.text import paragraphs

CSS_LABEL = re.compile(r"[A-Za-z0-9_-]+")
"""An entity label that can go into a CSS class name (``ent-PERSON``) as it is."""

LABEL_COLOURS = {
    "PERSON": "#ffe08a",
    "ORG": "#b9e3ff",
    "GPE": "#c8f0c0",
    "NORP": "#f3c8f0",
    "LOC": "#c8f0c0",
}
OTHER_COLOUR = "#e4e4e4"
LABEL_NAMES = {
    "PERSON": "people",
    "ORG": "organisations",
    "GPE": "countries, cities, states",
    "NORP": "nationalities, religious and political groups",
    "LOC": "other places",
}
"""What an entity chip's label means, for the legends (spaCy's labels; others are named as they are)."""

environment = Environment(
    loader=PackageLoader("presspipe.api", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
"""The templates are package data: ``templates/*.html`` and the ``style.css`` that
``base.html`` includes."""
environment.filters["entity_url"] = lambda key: f"/entities/{quote_url(str(key), safe=':')}"
"""``{{ key | entity_url }}``: the entity page of a corpus key."""
environment.globals["signed_in"] = signed_in.get
environment.globals["label_names"] = LABEL_NAMES
"""``{% if signed_in() %}``: the page was asked for with a session (the sign-out button shows)."""


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...]


class _MarkIndex:
    """The marks that overlap a paragraph, by bisection over their starts (a scan of every mark
    for every paragraph made a long document's page quadratic in its length)."""

    def __init__(self, marks: Sequence[_Mark]) -> None:
        self.marks = marks
        self.order = sorted(range(len(marks)), key=lambda i: marks[i].start)
        self.starts = [marks[i].start for i in self.order]
        self.longest = max((m.end - m.start for m in marks), default=0)

    def overlapping(self, start: int, end: int) -> list[_Mark]:
        """``[m for m in marks if m.start < end and m.end > start]``, in the marks' order."""
        # a mark that starts ``longest`` or more before ``start`` ends by ``start``
        first = bisect.bisect_right(self.starts, start - self.longest)
        last = bisect.bisect_left(self.starts, end)
        found = sorted(i for i in self.order[first:last] if self.marks[i].end > start)
        return [self.marks[i] for i in found]


def _copies_line(document: Document, copies: Copies | None) -> dict[str, Any]:
    """The document page's near-copy line: the other members of its group (``also``), the group's
    original when this is a copy, and how many outlets other than its own published the story
    (a member without an outlet counts as one of its own)."""
    members = copies.members if copies else []
    own = next((m.outlet for m in members if m.id == document.get("id")), None)
    also = [m for m in members if m.id != document.get("id")]
    outlets = {m.outlet or f"\x00{m.id}" for m in also} - {own}
    original = members[0] if copies and copies.copy_of and members else None
    return {"also": also, "outlets": len(outlets), "original": original}


def render_document(
    document: Document, keys: Mapping[Any, str] | None = None, copies: Copies | None = None
) -> str:
    """The document page; ``keys`` (entity id -> corpus key) makes names and speakers link to their
    pages; ``copies`` (its near-copy group) names the other outlets that published it."""
    keys = keys or {}
    meta = document.get("meta") or {}
    entities = [e for e in document.get("entities") or [] if isinstance(e, dict)]
    names = {e.get("id"): e.get("name") for e in entities}
    quotes = []
    for quote in document.get("quotes") or []:
        quotes.append(
            {
                "id": quote.get("id"),
                "text": quote.get("text"),
                "kind": quote.get("kind"),
                "speaker": _speaker_name(quote, names),
                "key": keys.get((quote.get("speaker") or {}).get("entity")),
                "cue": (quote.get("cue") or {}).get("text"),
            }
        )
    summary = document.get("summary") if isinstance(document.get("summary"), dict) else None
    sentences = _summary_sentences(document)
    return environment.get_template("document.html").render(
        title=meta.get("title") or document.get("id"),
        copies=copies,
        **_copies_line(document, copies),
        published=meta.get("published"),
        pipeline=((document.get("provenance") or {}).get("pipeline") or {}).get("name", ""),
        id=document.get("id"),
        uri=(document.get("source") or {}).get("uri"),
        summary=summary.get("text") if isinstance(summary, dict) else None,
        summary_sentences=len(sentences),
        summary_is_opening=bool(sentences) and _is_opening(document.get("text") or "", sentences),
        article=highlight(document, keys),
        quotes=quotes,
        entities=[
            {
                "id": e["id"],
                "name": e["name"],
                "label": e["label"],
                "count": len(e.get("mentions") or []),
                "key": keys.get(e["id"]),
            }
            for e in entities
        ],
        removed=[r for r in document.get("removed") or [] if isinstance(r, dict) and r.get("text")],
        labels=sorted({e["label"] for e in entities}),
        colours=_colours(entities),
    )


@dataclass(frozen=True)
class Overview:
    """What the home page shows above the list: counts, dates, facets, the order."""

    total: int = 0
    matching: int = 0
    first: str | None = None
    last: str | None = None
    speakers: Sequence[Any] = ()
    entities: Sequence[Any] = ()
    sort: str = "stored"
    gender: Any = None
    """Quotes and speakers by gender (``corpus_queries.GenderSplit``), or None."""
    undated: int = 0
    """How many stored documents have no publication date."""


@dataclass(frozen=True)
class Pager:
    """A listing page's place: items ``first`` to ``last`` of ``total``, and the links around it."""

    first: int
    last: int
    total: int
    previous_url: str | None
    next_url: str | None


def pager(
    path: str,
    query: Mapping[str, str],
    shown: int,
    total: int,
    offset: int,
    previous_cursor: str | None,
    next_cursor: str | None,
) -> Pager:
    """The previous and next links of a page of ``shown`` items after ``offset`` (a previous
    cursor of None with an offset means the first page)."""

    def url(cursor: str | None) -> str:
        found = {**query, **({"cursor": cursor} if cursor else {})}
        return f"{path}?{urlencode(found)}" if found else path

    return Pager(
        offset + 1 if shown else 0,
        offset + shown,
        total,
        url(previous_cursor) if offset > 0 else None,
        url(next_cursor) if next_cursor else None,
    )


def chip_colours(labels: Iterable[str]) -> dict[str, str]:
    """The chip colour of each label that can be a CSS class (the ``ent-LABEL`` rules, the legend)."""
    return {label: LABEL_COLOURS.get(label, OTHER_COLOUR) for label in labels if CSS_LABEL.fullmatch(label)}


def render_index(
    page: Page | None,
    filters: Mapping[str, str | None],
    problem: str | None = None,
    overview: Overview | None = None,
) -> str:
    overview = overview or Overview()
    query = {k: v for k, v in filters.items() if v}
    if overview.sort != "stored":
        query["sort"] = overview.sort
    items = page.items if page else []
    return environment.get_template("index.html").render(
        items=items,
        filters=filters,
        any_filter=any(filters.values()),
        active=sum(1 for v in filters.values() if v),
        pager=pager(
            "/",
            query,
            len(items),
            overview.matching,
            page.offset if page else 0,
            page.previous_cursor if page else None,
            page.next_cursor if page else None,
        ),
        problem=problem,
        overview=overview,
        sorts={"stored": "newest stored", "published": "newest published", "oldest": "oldest published"},
        colours=chip_colours({str(e.label) for e in overview.entities}),
    )


def render_error(status: int, message: str) -> str:
    return environment.get_template("error.html").render(status=status, message=message, colours={})


def _speaker_name(quote: Mapping[str, Any], names: Mapping[Any, Any]) -> Any:
    """Who said ``quote``: its speaker's entity name (``names``: entity id -> name), else the
    speaker's text; None when it is unattributed."""
    speaker = quote.get("speaker") or {}
    return names.get(speaker.get("entity")) or speaker.get("text")


def _colours(entities: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return chip_colours(sorted({str(e["label"]) for e in entities}))


def highlight(document: Document, keys: Mapping[Any, str] | None = None) -> Markup:
    """The document's text as HTML paragraphs, with its spans marked; every text piece escaped.

    A speaker badge links to the speaker's entity page when ``keys`` gives its corpus key."""
    keys = keys or {}
    text: str = document.get("text") or ""
    marks = list(_marks(document, len(text)))
    marks_at = _MarkIndex(marks)
    quote_ends: dict[int, list[str]] = {}
    names = {e.get("id"): e.get("name") for e in document.get("entities") or [] if isinstance(e, dict)}
    for quote in document.get("quotes") or []:
        who = _speaker_name(quote, names)
        qid = html.escape(str(quote.get("id")))
        kind = _kind(quote)
        key = keys.get((quote.get("speaker") or {}).get("entity"))
        if who and key:
            href = environment.filters["entity_url"](key)
            badge = f'<a class="who who-{kind}" href="{href}" data-quote="{qid}">{html.escape(who)}</a>'
        elif who:
            badge = f'<span class="who who-{kind}" data-quote="{qid}">{html.escape(who)}</span>'
        else:
            badge = f'<span class="who who-{kind} unknown" data-quote="{qid}">?</span>'
        quote_ends.setdefault(int(quote["end"]), []).append(badge)
    headings: dict[int, list[str]] = {}
    for heading in (document.get("meta") or {}).get("headings") or []:
        if isinstance(heading, dict) and isinstance(heading.get("before"), int):
            headings.setdefault(heading["before"], []).append(str(heading.get("text", "")))

    out: list[str] = []
    for number, (start, end) in enumerate(paragraphs(text)):
        for heading_text in headings.pop(number, []):
            out.append(f"<h3>{html.escape(heading_text)}</h3>")
        inside = marks_at.overlapping(start, end)
        cuts = sorted({start, end, *(p for m in inside for p in (m.start, m.end) if start < p < end)})
        pieces: list[str] = []
        for a, b in itertools.pairwise(cuts):
            active = [m for m in inside if m.start <= a and m.end >= b]
            piece = html.escape(text[a:b], quote=False)
            if active:
                classes = " ".join(dict.fromkeys(c for m in active for c in m.classes))
                attrs = "".join(
                    f' {name}="{html.escape(value)}"'
                    for name, value in dict(kv for m in reversed(active) for kv in m.attrs).items()
                )
                piece = f'<span class="{classes}"{attrs}>{piece}</span>'
            pieces.append(piece)
            pieces.extend(quote_ends.pop(b, []))
        out.append(f"<p>{''.join(pieces)}</p>")
    for remaining in headings.values():  # headings after the last paragraph
        out.extend(f"<h3>{html.escape(t)}</h3>" for t in remaining)
    return Markup("\n".join(out))


def _kind(quote: Mapping[str, Any]) -> str:
    """The quote's kind as a CSS class suffix (``direct``, ``partial``, ``indirect``; else ``other``)."""
    kind = quote.get("kind")
    return kind if kind in ("direct", "partial", "indirect") else "other"


def _marks(document: Document, length: int) -> list[_Mark]:
    marks: list[_Mark] = []

    def add(span: Any, classes: tuple[str, ...], attrs: tuple[tuple[str, str], ...]) -> None:
        if isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
            start, end = max(0, span["start"]), min(length, span["end"])
            if start < end:
                marks.append(_Mark(start, end, classes, attrs))

    for entity in document.get("entities") or []:
        label = str(entity.get("label", ""))
        safe_label = label if CSS_LABEL.fullmatch(label) else "OTHER"
        for mention in entity.get("mentions") or []:
            add(
                mention,
                ("ent", f"ent-{safe_label}"),
                (("data-entity", str(entity.get("id"))), ("title", f"{entity.get('name')} ({label})")),
            )
    for sentence in _summary_sentences(document):
        add(sentence, ("in-summary",), ())
    for quote in document.get("quotes") or []:
        qid = str(quote.get("id"))
        add(quote, ("quote", f"quote-{_kind(quote)}"), (("data-quote", qid),))
        for fragment in quote.get("quoted") or []:  # the quoted words of a mixed statement
            add(fragment, ("quoted",), ())
        speaker = quote.get("speaker")
        add(speaker, ("speaker",), (("data-speaker-of", qid),))
        add(quote.get("cue"), ("cue",), (("data-cue-of", qid),))
    return marks


def _summary_sentences(document: Document) -> list[dict[str, Any]]:
    summary = document.get("summary")
    found = summary.get("sentences") if isinstance(summary, dict) else None
    spans = [s for s in found or [] if isinstance(s, dict) and isinstance(s.get("start"), int)]
    return sorted(spans, key=lambda s: int(s["start"]))


def _is_opening(text: str, sentences: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the summary is the text's first sentences, one after another: the page then marks
    them in the text rather than repeat them word for word in a box above it."""
    position = 0
    for sentence in sentences:
        if text[position : sentence["start"]].strip():
            return False
        position = int(sentence["end"])
    return True


def render_login(next_path: str, problem: str | None = None) -> str:
    return environment.get_template("login.html").render(next=next_path, problem=problem, colours={})
