"""summarize.extractive on the real spaCy model, through the shared RunContext."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from presspipe import Document, PresspipeError, RunContext
from presspipe.document import new_document
from presspipe.pipeline import parse_pipeline
from presspipe.plugins.summarize import CONFIG_SCHEMA, ExtractiveSummarizer, presspipe_steps
from presspipe.registry import load_registry
from presspipe.validate import DocumentChecker

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_88ecee838c30f0fd.txt"

ARTICLE = (
    "The city council approved a new budget on Tuesday that raises spending on schools by ten percent. "
    "The vote was seven to two after a long debate about the cost of the plan.\n\n"
    "Budget fight\n\n"
    "Opponents said the budget would force higher property taxes within two years. "
    "Supporters answered that the schools had been underfunded for a decade. "
    "“We cannot wait any longer for better schools.”\n\n"
    "The mayor is expected to sign the budget into law next week, her office said. "
    "It starts in July."
)


@pytest.fixture(scope="module")
def context() -> RunContext:
    return RunContext()


def config(**overrides: Any) -> dict[str, Any]:
    values = {key: prop["default"] for key, prop in CONFIG_SCHEMA["properties"].items()}
    values.update(overrides)
    jsonschema.Draft202012Validator(CONFIG_SCHEMA).validate(values)
    return values


def summarize(text: str, context: RunContext, **overrides: Any) -> Document:
    document = new_document(text=text)
    (result,) = ExtractiveSummarizer(config(**overrides))([document], context)
    return result


def chosen(document: Document) -> list[str]:
    return [document["text"][s["start"] : s["end"]] for s in document["summary"]["sentences"]]


def test_step_is_registered_with_its_contract() -> None:
    (spec,) = presspipe_steps()
    assert spec.name == "summarize.extractive"
    assert spec.requires == ("text",)
    assert spec.provides == ("summary",)


@pytest.mark.parametrize("method", ["blend", "lead", "textrank"])
def test_offsets_joined_give_summary_text_in_reading_order(method: str, context: RunContext) -> None:
    document = summarize(ARTICLE, context, method=method)
    summary = document["summary"]
    assert summary["method"] == method
    starts = [s["start"] for s in summary["sentences"]]
    assert starts == sorted(starts)
    assert len(summary["sentences"]) == 3
    assert summary["text"] == " ".join(chosen(document))
    assert all(isinstance(s["score"], float) for s in summary["sentences"])
    assert DocumentChecker().problems(document) == []


def test_sentences_option_sets_the_count(context: RunContext) -> None:
    assert len(summarize(ARTICLE, context, sentences=1)["summary"]["sentences"]) == 1
    assert len(summarize(ARTICLE, context, sentences=2)["summary"]["sentences"]) == 2


def test_word_budget_replaces_the_sentence_count(context: RunContext) -> None:
    document = summarize(ARTICLE, context, words=30, sentences=1)
    words = len(document["summary"]["text"].split())
    assert len(document["summary"]["sentences"]) > 1
    assert words <= 32  # punctuation-only tokens are not words
    tiny = summarize(ARTICLE, context, words=1)
    assert len(tiny["summary"]["sentences"]) == 1  # at least one sentence, even over budget


def test_lead_takes_the_first_fit_sentences(context: RunContext) -> None:
    document = summarize(ARTICLE, context, method="lead")
    assert chosen(document)[0].startswith("The city council approved")
    assert chosen(document)[1].startswith("The vote was seven to two")
    assert chosen(document)[2].startswith("Opponents said")


def test_headings_short_and_quote_only_sentences_are_not_picked(context: RunContext) -> None:
    for method in ("blend", "lead", "textrank"):
        picked = chosen(summarize(ARTICLE, context, method=method, sentences=5))
        assert "Budget fight" not in picked
        assert "It starts in July." not in picked
        assert not any(s.startswith("“We cannot wait") for s in picked)


def test_heading_named_in_meta_is_not_picked(context: RunContext) -> None:
    text = "Schools win big in the new city budget for next year\n\n" + ARTICLE
    document = new_document(text=text, meta={"headings": [{"text": "Budget fight", "before": 1}]})
    (result,) = ExtractiveSummarizer(config(method="lead"))([document], context)
    assert not any(s.startswith("Schools win big") for s in chosen(result))


def test_quotes_from_an_earlier_step_are_not_picked(context: RunContext) -> None:
    document = new_document(text=ARTICLE)
    first = ARTICLE.index("The vote")
    end = ARTICLE.index("plan.") + len("plan.")
    document["quotes"] = [{"id": "Q1", "text": ARTICLE[first:end], "start": first, "end": end}]
    (result,) = ExtractiveSummarizer(config(method="lead"))([document], context)
    assert not any(s.startswith("The vote") for s in chosen(result))


def test_captions_and_credits_are_not_picked(context: RunContext) -> None:
    text = ARTICLE.replace(
        "Opponents said",
        "Council members voted in the chamber on Tuesday. | Jane Doe/Getty Images\n\nOpponents said",
    )
    picked = chosen(summarize(text, context, method="lead", sentences=5))
    assert not any("Getty Images" in s for s in picked)


def test_redundant_sentence_is_dropped_by_the_blend(context: RunContext) -> None:
    text = (
        "The city council approved a new budget on Tuesday that raises school spending. "
        "On Tuesday the city council approved the new budget that raises school spending. "
        "Opponents said the plan would force higher property taxes within two years. "
        "The mayor is expected to sign the budget into law next week."
    )
    lead = chosen(summarize(text, context, method="lead", sentences=2))
    blend = chosen(summarize(text, context, method="blend", sentences=2))
    assert lead[1].startswith("On Tuesday")
    assert not any(s.startswith("On Tuesday") for s in blend)


def test_empty_document_gets_an_empty_summary(context: RunContext) -> None:
    for text in ("", "   \n\n  "):
        summary = summarize(text, context)["summary"]
        assert summary == {"method": "lead", "sentences": [], "text": ""}


def test_one_sentence_document_is_its_own_summary(context: RunContext) -> None:
    document = summarize("Rain is expected tomorrow.", context)
    assert document["summary"]["text"] == "Rain is expected tomorrow."
    assert len(document["summary"]["sentences"]) == 1


def test_document_of_only_skipped_sentences_still_gets_a_summary(context: RunContext) -> None:
    document = summarize("“Never again.”\n\nBudget fight", context)
    assert document["summary"]["text"] == "“Never again.”"


def test_step_is_idempotent(context: RunContext) -> None:
    document = new_document(text=ARTICLE)
    step = ExtractiveSummarizer(config())
    first = step([document], context)[0]["summary"]
    assert step([document], context)[0]["summary"] == first


def test_seed_article_gets_a_three_sentence_gist(context: RunContext) -> None:
    document = summarize(SEED.read_text(encoding="utf-8"), context)
    picked = chosen(document)
    print(document["summary"]["text"])
    assert len(picked) == 3
    assert picked[0].startswith("With his lightning raid to snatch Venezuelan strongman Nicolás Maduro")
    assert "superpower flex in Venezuela delivers" not in document["summary"]["text"]  # the title line
    assert DocumentChecker().problems(document) == []


def test_summary_reads_the_shared_parse(context: RunContext) -> None:
    fresh = RunContext()
    document = new_document(text=ARTICLE)
    fresh.parse([document])
    ExtractiveSummarizer(config())([document], fresh)
    assert fresh.documents_parsed == 1


def test_pipeline_yaml_options_reach_the_step(context: RunContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPIPE_PLUGINS", "summarize")
    registry = load_registry()
    yaml_text = "name: s\nsteps:\n  - use: summarize.extractive\n    with: {method: lead, sentences: 2}\n"
    (step,) = parse_pipeline(yaml_text, "s.yaml", registry).steps
    assert step.config["words"] is None and step.config["position_weight"] == 0.9
    document = new_document(text=ARTICLE)
    (result,) = step.build()([document], context)
    assert result["summary"]["method"] == "lead"
    assert len(result["summary"]["sentences"]) == 2


def test_pipeline_rejects_an_unknown_method(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSPIPE_PLUGINS", "summarize")
    yaml_text = "name: s\nsteps:\n  - use: summarize.extractive\n    with: {method: lexrank}\n"
    with pytest.raises(PresspipeError, match="method"):
        parse_pipeline(yaml_text, "s.yaml", load_registry())


def test_tfidf_matches_scikit_learn():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from presspipe.plugins.summarize import tfidf

    documents = [
        ["putin", "trump", "trump", "raid"],
        ["raid", "moscow"],
        [],
        ["trump", "moscow", "moscow", "moscow"],
    ]
    expected = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True).fit_transform(documents)
    ours = tfidf(documents)
    assert np.allclose(ours @ ours.T, (expected @ expected.T).toarray())
