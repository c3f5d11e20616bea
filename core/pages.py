"""The HTML pages: an index of stored documents and one page per document.

A document page shows the article with entity mentions and quotes highlighted, each quote
followed by its speaker, the quote's cue and speaker spans marked, the headings in place,
and the summary above. Everything from a document is escaped (Jinja2 autoescape; the
highlighted text is built from ``html.escape``d pieces).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup

from presspipe.document import Document
from presspipe.store import StoredSummary

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
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

BASE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}presspipe{% endblock %}</title>
<style>
  body { font: 16px/1.55 Georgia, "DejaVu Serif", serif; margin: 0; color: #1d1d1f; background: #fafaf7; }
  header.site { background: #20232a; color: #fff; padding: .6rem 1.5rem; font-family: sans-serif; }
  header.site a { color: #fff; text-decoration: none; font-weight: bold; }
  main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
  .layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(14rem, 1.3fr); gap: 2rem; }
  h1 { font-size: 1.7rem; line-height: 1.25; margin: .6rem 0 .3rem; }
  .byline { color: #555; font: 14px sans-serif; margin-bottom: 1rem; }
  .summary { background: #fff; border-left: 4px solid #20232a; padding: .6rem 1rem; margin-bottom: 1.2rem; }
  .summary h2, aside h2 { font: bold 13px sans-serif; text-transform: uppercase; letter-spacing: .05em; margin: .2rem 0 .4rem; }
  article p { margin: 0 0 1rem; white-space: pre-line; }
  article h3 { font: bold 1.15rem sans-serif; margin: 1.4rem 0 .6rem; }
  .ent { border-radius: 3px; padding: 0 1px; }
  .quote { background: #fff3c4; box-shadow: inset 0 -2px 0 #e0a800; }
  .quote-indirect, .quote-partial { background: #e4efff; box-shadow: inset 0 -2px 0 #3b6fd8; }
  .quoted { background: #fff3c4; box-shadow: inset 0 -2px 0 #e0a800; }
  .who.who-indirect, .who.who-partial { background: #3b6fd8; }
  .quote .ent { background: transparent; border-bottom: 2px solid #7a7a7a; }
  .speaker { border-bottom: 3px solid #c2410c; }
  .cue { text-decoration: underline wavy #c2410c; }
  .who { font: bold 12px sans-serif; color: #fff; background: #c2410c; border-radius: 9px; padding: 1px 7px; margin-left: 3px; white-space: nowrap; }
  .who.unknown { background: #888; }
  aside { font: 14px/1.45 sans-serif; }
  aside ol, aside ul { padding-left: 1.2rem; margin-top: 0; }
  aside li { margin-bottom: .45rem; }
  .legend span { display: inline-block; margin: 0 .4rem .3rem 0; padding: 0 .3rem; border-radius: 3px; }
  .muted { color: #666; }
  table.docs { border-collapse: collapse; width: 100%; font: 14px sans-serif; }
  table.docs td, table.docs th { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  form.filters { font: 14px sans-serif; margin: .5rem 0 1rem; display: flex; gap: .5rem; flex-wrap: wrap; }
  form.filters input { padding: .25rem .4rem; }
  {% for label, colour in colours.items() %}.ent-{{ label }} { background: {{ colour }}; }
  {% endfor %}
</style>
</head>
<body>
<header class="site"><a href="/">presspipe</a></header>
<main>{% block main %}{% endblock %}</main>
</body>
</html>
"""

DOCUMENT = """{% extends "base.html" %}
{% block title %}{{ title }} · presspipe{% endblock %}
{% block main %}
<h1 id="title">{{ title }}</h1>
<div class="byline">
  {% if published %}<time id="published">{{ published }}</time> · {% endif %}
  pipeline <code>{{ pipeline }}</code> · id <code>{{ id }}</code>
  {% if uri %} · <span class="muted">{{ uri }}</span>{% endif %}
  · <a href="/v1/documents/{{ id | urlencode }}?pipeline={{ pipeline | urlencode }}">JSON</a>
</div>
<div class="layout">
<div>
  {% if summary %}<section class="summary" id="summary"><h2>Summary</h2>{{ summary }}</section>{% endif %}
  <article id="article">{{ article }}</article>
</div>
<aside>
  <h2>Quotes ({{ quotes | length }})</h2>
  <ol id="quotes">
  {% for q in quotes %}
    <li data-quote="{{ q.id }}"><b class="speaker-name">{{ q.speaker or "unattributed" }}</b>{% if q.cue %} <span class="muted">({{ q.cue }})</span>{% endif %}:
      <span class="quote-text">{{ q.text }}</span> <span class="muted">{{ q.kind }}</span></li>
  {% endfor %}
  </ol>
  <h2>Entities ({{ entities | length }})</h2>
  <ul id="entities">
  {% for e in entities %}
    <li data-entity="{{ e.id }}"><span class="ent ent-{{ e.label }}">{{ e.name }}</span> <span class="muted">{{ e.label }} · {{ e.count }} mention{{ "s" if e.count != 1 }}</span></li>
  {% endfor %}
  </ul>
  <h2>Legend</h2>
  <div class="legend">
    {% for label in labels %}<span class="ent-{{ label }}">{{ label }}</span>{% endfor %}
    <span class="quote">quote</span> <span class="quote-indirect">reported</span> <span class="speaker">speaker</span> <span class="cue">cue</span>
  </div>
</aside>
</div>
{% endblock %}
"""

INDEX = """{% extends "base.html" %}
{% block title %}Documents · presspipe{% endblock %}
{% block main %}
<h1>Documents</h1>
<form class="filters" method="get" action="/">
  <input name="q" placeholder="words" value="{{ filters.q or '' }}">
  <input name="entity" placeholder="entity" value="{{ filters.entity or '' }}">
  <input name="speaker" placeholder="speaker" value="{{ filters.speaker or '' }}">
  <input name="pipeline" placeholder="pipeline" value="{{ filters.pipeline or '' }}">
  <button type="submit">Filter</button>
</form>
{% if problem %}<p class="muted" id="problem">{{ problem }}</p>{% endif %}
{% if items %}
<table class="docs" id="documents">
<tr><th>Title</th><th>Published</th><th>Entities</th><th>Quotes</th><th>Pipeline</th></tr>
{% for d in items %}
<tr>
  <td><a href="/documents/{{ d.id | urlencode }}?pipeline={{ d.pipeline | urlencode }}">{{ d.title or d.id }}</a>
      {% if d.summary %}<div class="muted">{{ d.summary | truncate(220) }}</div>{% endif %}</td>
  <td>{{ d.published or "" }}</td><td>{{ d.entity_count }}</td><td>{{ d.quote_count }}</td><td>{{ d.pipeline }}</td>
</tr>
{% endfor %}
</table>
{% else %}
<p id="empty">No documents{% if any_filter %} match these filters{% endif %}. Submit some with
<code>POST /v1/documents</code> or start the server with <code>presspipe serve --ingest FILE.jsonl</code>.</p>
{% endif %}
{% if next_url %}<p><a id="next" href="{{ next_url }}">Next page →</a></p>{% endif %}
{% endblock %}
"""

ERROR = """{% extends "base.html" %}
{% block title %}{{ status }} · presspipe{% endblock %}
{% block main %}<h1>{{ status }}</h1><p>{{ message }}</p><p><a href="/">All documents</a></p>{% endblock %}
"""

environment = Environment(
    loader=DictLoader(
        {"base.html": BASE, "document.html": DOCUMENT, "index.html": INDEX, "error.html": ERROR}
    ),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...]


def render_document(document: Document) -> str:
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
                "cue": (quote.get("cue") or {}).get("text"),
            }
        )
    summary = document.get("summary")
    return environment.get_template("document.html").render(
        title=meta.get("title") or document.get("id"),
        published=meta.get("published"),
        pipeline=((document.get("provenance") or {}).get("pipeline") or {}).get("name", ""),
        id=document.get("id"),
        uri=(document.get("source") or {}).get("uri"),
        summary=summary.get("text") if isinstance(summary, dict) else None,
        article=highlight(document),
        quotes=quotes,
        entities=[
            {"id": e["id"], "name": e["name"], "label": e["label"], "count": len(e.get("mentions") or [])}
            for e in entities
        ],
        labels=sorted({e["label"] for e in entities}),
        colours=_colours(entities),
    )


def render_index(
    items: Sequence[StoredSummary],
    filters: Mapping[str, str | None],
    next_cursor: str | None,
    problem: str | None = None,
) -> str:
    next_url = None
    if next_cursor:
        query = {k: v for k, v in filters.items() if v}
        next_url = "/?" + urlencode({**query, "cursor": next_cursor})
    return environment.get_template("index.html").render(
        items=items,
        filters=filters,
        any_filter=any(filters.values()),
        next_url=next_url,
        problem=problem,
        colours={},
    )


def render_error(status: int, message: str) -> str:
    return environment.get_template("error.html").render(status=status, message=message, colours={})


def _speaker_name(quote: Mapping[str, Any], names: Mapping[Any, Any]) -> Any:
    """Who said ``quote``: its speaker's entity name (``names``: entity id -> name), else the
    speaker's text; None when it is unattributed."""
    speaker = quote.get("speaker") or {}
    return names.get(speaker.get("entity")) or speaker.get("text")


def _colours(entities: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {
        label: LABEL_COLOURS.get(label, OTHER_COLOUR)
        for label in sorted({str(e["label"]) for e in entities})
        if CSS_LABEL.fullmatch(label)
    }


def highlight(document: Document) -> Markup:
    """The document's text as HTML paragraphs, with its spans marked; every text piece escaped."""
    text: str = document.get("text") or ""
    marks = list(_marks(document, len(text)))
    quote_ends: dict[int, list[str]] = {}
    names = {e.get("id"): e.get("name") for e in document.get("entities") or [] if isinstance(e, dict)}
    for quote in document.get("quotes") or []:
        who = _speaker_name(quote, names)
        kind = _kind(quote)
        badge = (
            f'<span class="who who-{kind}" data-quote="{html.escape(str(quote.get("id")))}">{html.escape(who)}</span>'
            if who
            else f'<span class="who who-{kind} unknown" data-quote="{html.escape(str(quote.get("id")))}">?</span>'
        )
        quote_ends.setdefault(int(quote["end"]), []).append(badge)
    headings: dict[int, list[str]] = {}
    for heading in (document.get("meta") or {}).get("headings") or []:
        if isinstance(heading, dict) and isinstance(heading.get("before"), int):
            headings.setdefault(heading["before"], []).append(str(heading.get("text", "")))

    out: list[str] = []
    for number, (start, end) in enumerate(_paragraphs(text)):
        for heading_text in headings.pop(number, []):
            out.append(f"<h3>{html.escape(heading_text)}</h3>")
        inside = [m for m in marks if m.start < end and m.end > start]
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


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if position < len(text):
        spans.append((position, len(text)))
    return spans


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
    for quote in document.get("quotes") or []:
        qid = str(quote.get("id"))
        add(quote, ("quote", f"quote-{_kind(quote)}"), (("data-quote", qid),))
        for fragment in quote.get("quoted") or []:  # the quoted words of a mixed statement
            add(fragment, ("quoted",), ())
        speaker = quote.get("speaker")
        add(speaker, ("speaker",), (("data-speaker-of", qid),))
        add(quote.get("cue"), ("cue",), (("data-cue-of", qid),))
    return marks
