"""The cue lexicon of ``quotes.extract``: lemma counts from PolNeAR train (``cues.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class Lexicon:
    """Cue lemmas with their reliability (share of occurrences in train that were cues)."""

    weights: dict[str, float]

    def weight(self, token: Token) -> float:
        if token.pos_ not in ("VERB", "AUX") and token.lower_ != "according":
            return 0.0
        return self.weights.get(token.lemma_.lower(), 0.0)


@cache
def load_lexicon(min_count: int, min_ratio: float) -> Lexicon:
    """The shipped cue lexicon: lemmas that cued a quotation (Content with a quotation mark) at
    least ``min_count`` times in train, in at least ``min_ratio`` of their occurrences."""
    data = json.loads(resources.files("presspipe.plugins.quotes").joinpath("cues.json").read_text("utf-8"))
    weights = {}
    for key, counts in data["cues"].items():
        if " " in key or not key.isalpha():
            continue
        ratio = counts["quote"] / max(counts["total"], 1)
        if counts["quote"] >= min_count and ratio >= min_ratio:
            weights[key] = ratio
    return Lexicon(weights)
