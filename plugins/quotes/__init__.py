# ruff: noqa: RUF001 -- typographic quotation marks are what this code is about
"""quotes.extract: quotations, their cue and their speaker, from the shared spaCy parse.

See ``docs/steps/quotes.md`` for what the step outputs and ``extract.py`` for the rules.
"""

from __future__ import annotations

from typing import Any

from presspipe import DEFAULT_MODEL, Document, RunContext, StepSpec, hookimpl
from presspipe.plugins.quotes.extract import KINDS, Extractor
from presspipe.plugins.quotes.lexicon import load_lexicon
from presspipe.plugins.quotes.reported import load_reported_lexicon
from presspipe.plugins.quotes.state import Settings

VERSION = "0.2.0"

CONFIG_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "model": {"type": "string", "default": DEFAULT_MODEL, "description": "spaCy package name or path"},
        "min_cue_count": {
            "type": "integer",
            "minimum": 1,
            "default": 2,
            "description": "a lemma is a cue when it cued a quotation at least this often in PolNeAR train",
        },
        "min_cue_ratio": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0.03,
            "description": "... in at least this share of its occurrences there",
        },
        "single_marks": {
            "enum": ["auto", "always", "never"],
            "default": "auto",
            "description": "when single marks (‘…’, '…') quote: auto = only in texts without double marks",
        },
        "kinds": {
            "type": "array",
            "items": {"enum": list(KINDS)},
            "uniqueItems": True,
            "default": list(KINDS),
            "description": "which attributions to produce: direct quotes, partial quotes and mixed statements "
            "(partial), reported speech (indirect)",
        },
        "min_reported_ratio": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0.35,
            "description": "reported speech: keep a (cue lemma, construction) that PolNeAR train annotated "
            "in at least this share of its occurrences",
        },
        "scope": {
            "enum": ["attitudes", "speech"],
            "default": "attitudes",
            "description": "reported speech: attitudes = what PolNeAR annotates (statements, beliefs, "
            "intentions, ...); speech = only cue verbs that also introduce quotations in PolNeAR train",
        },
        "min_confidence": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0,
            "description": "drop attributions whose confidence (the learned models' calibrated probability "
            "that the speaker is right) is below this",
        },
        "carry_speaker": {
            "type": "boolean",
            "default": True,
            "description": "a quote with no cue right after an attributed one in its paragraph keeps that speaker",
        },
    },
}


class QuoteExtractor:
    """The ``quotes.extract`` step."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.model: str = config["model"]
        lexicon = load_lexicon(config["min_cue_count"], config["min_cue_ratio"])
        self.extractor = Extractor(
            Settings(lexicon, carry=config["carry_speaker"], single=config["single_marks"]),
            load_reported_lexicon(config["min_reported_ratio"], config["scope"], frozenset(lexicon.weights)),
            tuple(config["kinds"]),
            config["min_confidence"],
        )

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document, doc in zip(documents, context.parse(documents, self.model), strict=True):
            document["quotes"] = self.extractor.extract(doc, document.get("entities") or [])
        return documents


@hookimpl
def presspipe_steps() -> list[StepSpec]:
    return [
        StepSpec(
            name="quotes.extract",
            factory=QuoteExtractor,
            version=VERSION,
            description="Quotations with their speaker (resolved to a canonical entity) and cue.",
            config_schema=CONFIG_SCHEMA,
            requires=("text", "entities"),
            provides=("quotes",),
        )
    ]
