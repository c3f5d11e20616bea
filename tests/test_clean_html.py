"""clean.html: small pages written by the tests; the extraction eval's metric and its skip."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from presspipe import RunContext, Step
from presspipe.document import new_document
from presspipe.pipeline import parse_pipeline
from presspipe.registry import Registry, load_registry
from presspipe.runner import Runner
from presspipe.testing import build_step
from presspipe.validate import DocumentChecker

ROOT = Path(__file__).resolve().parent.parent

PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new budget that raises spending on schools and "
    "public transport by almost a tenth, after months of argument between the two largest parties.",
    "“This is a budget for the people who use the buses every morning,” the mayor, Jane Doe, told "
    "reporters outside the town hall. Opposition members said the plan would force tax rises next year.",
    "The budget still needs the approval of the regional government, which has until the end of "
    "March to raise objections. Officials said they expected no serious problems with the plan.",
    "Transport unions welcomed the vote but warned that the new money would not cover the cost of "
    "the drivers the network needs, and said they would press for more in the spring talks.",
]


def clean_html_step(config: dict[str, Any] | None = None) -> Step:
    """The step as the loader builds it: its config checked, its defaults filled in."""
    return build_step("clean.html", config)


def page(paragraphs: list[str] = PARAGRAPHS, lang: str = "en", extra: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs[:2])
    body += "\n<h2>What happens next</h2>\n"
    body += "\n".join(f"<p>{p}</p>" for p in paragraphs[2:])
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <title>Council approves budget | Example News</title>
  <meta property="og:title" content="Council approves budget">
  <meta name="author" content="Jane Roe">
  <meta property="article:published_time" content="2026-01-06T07:03:00+00:00">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>Council approves budget</h1>
    <p class="byline">By Jane Roe</p>
    {body}
    <figure><img src="bus.jpg"><figcaption>A bus in the city centre. Photo: John Smith/Reuters</figcaption></figure>
    {extra}
    <p>Read more: Why the budget matters</p>
    <p>Follow us on Twitter and Facebook</p>
  </article>
  <aside><h3>Most popular</h3><ul><li><a href="/a">Story one</a></li><li><a href="/b">Story two</a></li></ul></aside>
  <footer><p>© 2026 Example News Ltd. All rights reserved.</p></footer>
</body>
</html>"""


def clean(html: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    document = new_document(html=html, uri="https://example.com/news/budget")
    clean_html_step(config or {})([document], RunContext())
    return document


def test_article_body_and_meta() -> None:
    document = clean(page())
    assert "html" not in document
    assert document["errors"] == []
    text = document["text"]
    assert text.split("\n\n") == PARAGRAPHS
    meta = document["meta"]
    assert meta["title"] == "Council approves budget"
    assert meta["authors"] == ["Jane Roe"]
    assert meta["published"].startswith("2026-01-06")
    assert meta["language"] == "en"
    assert meta["headings"] == [{"text": "What happens next", "before": 2}]
    for junk in ("Read more", "Follow us", "Most popular", "©", "Home", "Photo:"):
        assert junk not in text
    gone = {r["text"] for r in document["removed"]}
    assert {"Read more: Why the budget matters", "Follow us on Twitter and Facebook"} <= gone
    assert "“This is a budget" in text  # curly quotes stay curly
    assert DocumentChecker().problems(document) == []


def test_caption_and_credit_lines_in_the_body() -> None:
    extra = (
        "<p>Passengers wait at a stop. | Jane Doe/AFP via Getty Images</p>"
        "<p>(Reporting by Jane Roe; Editing by John Smith)</p>"
    )
    document = clean(page(extra=extra))
    assert document["text"].split("\n\n") == PARAGRAPHS
    kinds = {(r["kind"], r["text"]) for r in document["removed"]}
    assert ("caption", "Passengers wait at a stop.") in kinds
    assert ("credit", "Jane Doe/AFP via Getty Images") in kinds


def test_headings_rule_off_keeps_them_in_the_text() -> None:
    document = clean(page(), {"rules": {"headings": False}})
    assert "What happens next" in document["text"].split("\n\n")
    assert document["meta"]["headings"] == []


def test_not_english_sets_language() -> None:
    german = [
        "Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen, der die Ausgaben für Schulen und "
        "den öffentlichen Verkehr um fast ein Zehntel erhöht, nach Monaten des Streits.",
        "„Das ist ein Haushalt für die Menschen, die jeden Morgen den Bus nehmen“, sagte die "
        "Bürgermeisterin vor dem Rathaus. Die Opposition sagte, der Plan werde im nächsten Jahr zu "
        "Steuererhöhungen führen.",
        "Der Haushalt muss noch von der Landesregierung genehmigt werden, die bis Ende März Einwände "
        "erheben kann. Die Beamten sagten, sie erwarteten keine ernsten Probleme mit dem Plan.",
        "Die Gewerkschaften begrüßten die Abstimmung, warnten aber, dass das neue Geld nicht für die "
        "Fahrer reiche, die das Netz brauche, und kündigten weitere Forderungen im Frühjahr an.",
    ]
    document = clean(page(german, lang="de"))
    assert document["errors"] == []
    assert document["meta"]["language"] == "de"
    assert "Stadtrat" in document["text"]


@pytest.mark.parametrize(
    ("html", "config", "code"),
    [
        ("", {}, "clean.empty"),
        ("   \n ", {}, "clean.empty"),
        ("just some words, no markup at all", {}, "clean.not_html"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", {}, "clean.empty"),
        (page(), {"max_bytes": 1000}, "clean.too_large"),
    ],
)
def test_per_document_errors(html: str, config: dict[str, Any], code: str) -> None:
    bad = new_document(html=html)
    good = new_document(html=page())
    clean_html_step(config)([bad, good], RunContext())
    assert [e["code"] for e in bad["errors"]] == [code]
    assert bad["errors"][0]["step"] == "clean.html"
    if code != "clean.too_large":
        assert good["errors"] == [] and good["text"]


def test_plain_text_documents_are_left_alone() -> None:
    document = new_document(text="Some plain text.")
    before = copy.deepcopy(document)
    clean_html_step({})([document], RunContext())
    assert document == before


def test_idempotent() -> None:
    raw = new_document(html=page())
    once, twice = copy.deepcopy(raw), copy.deepcopy(raw)
    clean_html_step({})([once], RunContext())
    clean_html_step({})([twice], RunContext())
    assert once == twice
    again = copy.deepcopy(once)
    clean_html_step({})([again], RunContext())
    assert again == once


def test_through_the_runner_with_clean_text_after(registry: Registry) -> None:
    """A news pipeline can list both steps: clean.text leaves HTML documents to clean.html."""
    yaml = "name: t\nsteps:\n  - use: clean.html\n  - use: clean.text\n"
    registry = load_registry()
    pipeline = parse_pipeline(yaml, "t.yaml", registry)
    documents = [new_document(html=page()), new_document(text="Title line\n\n" + PARAGRAPHS[0])]
    html_doc, text_doc = Runner(pipeline, registry).run(documents)
    assert html_doc["errors"] == [] and html_doc["text"].split("\n\n") == PARAGRAPHS
    assert text_doc["errors"] == [] and text_doc["text"] == PARAGRAPHS[0]


def test_config_schema(registry: Registry) -> None:
    spec = registry.steps["clean.html"]
    assert spec.requires == ("html",) and set(spec.provides) == {"text", "meta", "removed"}
    properties = spec.config_schema["properties"]
    assert {"rules", "patterns", "max_bytes", "favor_precision", "include_comments"} <= set(properties)
    assert all(p.get("description") for p in properties.values())


# --------------------------------------------------------------------------- the eval script


def _extraction_module() -> Any:
    spec = importlib.util.spec_from_file_location("extraction_eval", ROOT / "eval" / "extraction.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_eval_metric() -> None:
    extraction = _extraction_module()
    gold = "one two three four five six"
    assert extraction.page_counts(gold, gold) == (1.0, 0.0, 0.0)
    tp, fp, fn = extraction.page_counts(gold, "one two three four five")  # 2 of 3 shingles
    assert (tp, fp, fn) == pytest.approx((2 / 3, 0.0, 1 / 3))
    assert extraction.score([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)]) == pytest.approx((0.75, 1.0, 6 / 7))


def test_eval_skips_without_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _extraction_module().main([str(tmp_path / "absent")]) == 0
    assert "skipped: corpus not found" in capsys.readouterr().out


def test_eval_on_a_tiny_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import gzip
    import json

    (tmp_path / "html").mkdir()
    (tmp_path / "baselines").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(page().encode()))
    gold = {"p1": {"articleBody": "\n\n".join(PARAGRAPHS), "url": "https://example.com/a"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(gold))
    shipped = {"version": "1", "output": {"p1": {"articleBody": PARAGRAPHS[0]}}}
    (tmp_path / "baselines" / "half.json").write_text(json.dumps(shipped))
    assert _extraction_module().main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "presspipe (clean.html)" in out and "half 1" in out
