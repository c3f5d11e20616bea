"""summarize.extractive: pick a document's gist sentences from the shared spaCy parse.

Three methods, all unsupervised and offline:

- ``lead`` (default): the first sentences that are fit to stand in a summary. On news it
  measures best (docs/steps/summarize.md), so it is the default.
- ``blend``: position first, with centrality as a tie-breaker and MMR to drop sentences that
  repeat one already chosen.
- ``textrank``: classic centrality (PageRank over a tf-idf cosine graph of the sentences).

Sentences that are headings, photo captions or credits, very short, or nothing but a quotation
are not picked unless nothing else is left. The summary's sentences are spans of ``text`` in
reading order; ``summary["text"]`` is their text joined with single spaces.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from presspipe import DEFAULT_MODEL, Document, RunContext, StepSpec, hookimpl

if TYPE_CHECKING:
    from spacy.tokens import Doc

VERSION = "0.1.0"

METHODS = ("lead", "blend", "textrank")
MAX_CANDIDATES = 400
"""Sentences a summary is chosen from: the first this many fit to be picked. The similarity
matrix is square in their number (a 1.5-million-character article has about 12,000 sentences,
2 GB of matrix), and position dominates the choice long before the 400th sentence."""

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "model": {"type": "string", "default": DEFAULT_MODEL, "description": "spaCy package name or path"},
        "method": {
            "enum": list(METHODS),
            "default": "lead",
            "description": "lead (first fit sentences), blend (position + centrality + MMR) or textrank",
        },
        "sentences": {
            "type": "integer",
            "minimum": 1,
            "default": 3,
            "description": "how many sentences to pick (ignored when 'words' is set)",
        },
        "words": {
            "type": ["integer", "null"],
            "minimum": 1,
            "default": None,
            "description": "word budget: pick sentences while their words fit (at least one sentence)",
        },
        "position_weight": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0.9,
            "description": "blend only: weight of position against centrality (lower it for non-news text)",
        },
        "diversity": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0.2,
            "description": "blend only: MMR penalty on similarity to sentences already picked (0 turns it off)",
        },
        "min_words": {
            "type": "integer",
            "minimum": 0,
            "default": 5,
            "description": "sentences with fewer words are not picked unless nothing else is left",
        },
    },
}

# Photo credits and caption tails as news sites print them ("... | Name/Agency via Getty Images").
_CREDIT = re.compile(
    r"(\|\s*\S[^|]*$)|\b(Getty Images|AFP|Reuters|AP Photo|Shutterstock|EPA|Photo:|Image:|Credit:)",
)
_TERMINAL = tuple(".!?…:;\"'”\u2019)]")
QUOTE_ONLY = 1.0
"""A sentence with this share of its letters inside quotation marks is quote-only: one with
an attribution outside the marks (``“...,” she said``) is not."""
_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"


@dataclass
class Sentence:
    """A candidate sentence: its span in ``text`` and what scoring needs."""

    start: int
    end: int
    terms: list[str]
    words: int
    skip: str | None = None
    """Why the sentence should not be picked (``heading``, ``caption``, ``short``, ``quote``)."""


@dataclass
class Summary:
    method: str
    chosen: list[tuple[Sentence, float]] = field(default_factory=list)


def _quoted_fraction(text: str) -> float:
    """The share of a sentence's letters that sit inside quotation marks."""
    inside = False
    quoted = letters = 0
    straight_open = seen_quote = False
    for char in text.replace("``", "“").replace("''", "”"):  # PTB-style marks too
        if char in _OPEN_QUOTES:
            inside = seen_quote = True
        elif char in _CLOSE_QUOTES:
            if not seen_quote:  # the sentence continues a quotation opened before it
                quoted = letters
            inside = False
            seen_quote = True
        elif char == '"':
            straight_open = not straight_open
            inside = straight_open
            seen_quote = True
        elif char.isalnum():
            letters += 1
            quoted += inside
    return quoted / letters if letters else 0.0


def _own_line(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has its line to itself (spaces and tabs aside); looks only at
    the characters beside it, so that it costs the same in a long text."""
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    while end < len(text) and text[end] in " \t":
        end += 1
    return (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")


class _QuoteCover:
    """Whether a span lies within one of the document's quotes: quotes sorted by start, with the
    furthest end of each prefix, so a lookup is a bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.reach = list(itertools.accumulate((end for _, end in spans), max))

    def covers(self, start: int, end: int) -> bool:
        """Whether some quote has ``quote_start <= start and end <= quote_end``."""
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and end <= self.reach[index]


def candidate_sentences(document: Document, doc: Doc, min_words: int = 5) -> list[Sentence]:
    """The document's sentences, each marked with why it should be skipped, if it should."""
    text: str = document["text"]
    meta = document.get("meta") or {}
    headings = {h.get("text", "").strip().casefold() for h in meta.get("headings") or []}
    quotes = _QuoteCover(
        [(q["start"], q["end"]) for q in document.get("quotes") or [] if q.get("end", 0) > 0]
    )
    sentences: list[Sentence] = []
    for sent in doc.sents:
        tokens = [t for t in sent if not t.is_space]
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        span = text[start:end]
        words = sum(1 for t in tokens if not t.is_punct)
        terms = [t.lemma_.lower() for t in tokens if (t.is_alpha or t.like_num) and not t.is_stop]
        sentence = Sentence(start, end, terms, words)
        if span.strip().casefold() in headings or (
            _own_line(text, start, end) and not span.endswith(_TERMINAL) and words <= 20
        ):
            sentence.skip = "heading"
        elif _CREDIT.search(span):
            sentence.skip = "caption"
        elif words < min_words:
            sentence.skip = "short"
        elif _quoted_fraction(span) >= QUOTE_ONLY or quotes.covers(start + 1, end - 1):
            sentence.skip = "quote"
        sentences.append(sentence)
    return sentences


def similarity(sentences: Sequence[Sentence]) -> np.ndarray:
    """Cosine similarity of the sentences' tf-idf vectors (idf from this document's sentences)."""
    n = len(sentences)
    if n == 0 or not any(s.terms for s in sentences):
        return np.zeros((n, n))
    matrix = tfidf([s.terms for s in sentences])
    sims = matrix @ matrix.T
    np.fill_diagonal(sims, 0.0)
    return sims


def tfidf(documents: Sequence[Sequence[str]]) -> np.ndarray:
    """L2-normalised tf-idf rows: sublinear tf (1 + ln tf), smoothed idf (ln((1+n)/(1+df)) + 1).

    The same numbers as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (a test checks),
    without its cost: importing scikit-learn takes over a second in every worker process, and
    its input validation costs more per document than this whole function.
    """
    counts = [Counter(terms) for terms in documents]
    frequency = Counter(term for row in counts for term in row)
    column = {term: i for i, term in enumerate(frequency)}
    idf = np.log((1 + len(documents)) / (1 + np.array(list(frequency.values()), dtype=float))) + 1
    matrix = np.zeros((len(documents), len(column)))
    for i, row in enumerate(counts):
        for term, count in row.items():
            matrix[i, column[term]] = 1 + math.log(count)
    matrix *= idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def pagerank(sims: np.ndarray, damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    """PageRank over a weighted undirected graph (TextRank / LexRank's continuous form)."""
    n = sims.shape[0]
    if n == 0:
        return np.zeros(0)
    totals = sims.sum(axis=1, keepdims=True)
    transition = np.divide(sims, totals, out=np.full_like(sims, 1.0 / n), where=totals > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated = (1 - damping) / n + damping * transition.T @ rank
        if np.abs(updated - rank).sum() < 1e-9:
            return updated
        rank = updated
    return rank


def directed_centrality(sims: np.ndarray, backward: float = -2.0, forward: float = 1.0) -> np.ndarray:
    """PacSum's position-aware centrality (Zheng & Lapata, ACL 2019), scaled to [0, 1].

    A sentence gains from its similarity to the sentences after it and loses (``backward``
    is negative) from its similarity to those before it: news states a point, then
    elaborates it.
    """
    n = sims.shape[0]
    if n == 0:
        return np.zeros(0)
    upper = np.triu(sims, 1)
    lower = np.tril(sims, -1)
    raw = forward * upper.sum(axis=1) + backward * lower.sum(axis=1)
    return _normalised(raw - raw.min())


def _normalised(values: np.ndarray) -> np.ndarray:
    top = values.max() if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def summarize(
    sentences: Sequence[Sentence],
    *,
    method: str = "lead",
    count: int = 3,
    words: int | None = None,
    position_weight: float = 0.9,
    diversity: float = 0.2,
) -> Summary:
    """Choose sentences from ``sentences`` (in reading order); the result is in reading order."""
    pool = [s for s in sentences if s.skip is None] or [s for s in sentences if s.skip != "heading"]
    pool = (pool or list(sentences))[:MAX_CANDIDATES]
    if not pool:
        return Summary(method)
    n = len(pool)
    position = 1.0 / np.sqrt(1.0 + np.arange(n))
    sims = similarity(pool) if method != "lead" else np.zeros((n, n))
    if method == "lead":
        scores = position
    elif method == "textrank":
        scores = _normalised(pagerank(sims))
    else:
        centrality = directed_centrality(sims)
        scores = position_weight * position + (1 - position_weight) * centrality
    penalty = diversity if method == "blend" else 0.0

    chosen: list[int] = []
    budget = words
    remaining = set(range(n))
    while remaining and (len(chosen) < count if budget is None else budget > 0):

        def value(i: int) -> float:
            redundancy = max((sims[i, j] for j in chosen), default=0.0)
            return (1 - penalty) * scores[i] - penalty * redundancy

        best = max(remaining, key=lambda i: (value(i), -i))
        remaining.discard(best)
        if budget is not None:
            if pool[best].words > budget and chosen:
                continue
            budget -= pool[best].words
        chosen.append(best)
    return Summary(method, [(pool[i], round(float(scores[i]), 4)) for i in sorted(chosen)])


class ExtractiveSummarizer:
    """The ``summarize.extractive`` step."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.model: str = config["model"]
        self.method: str = config["method"]
        self.count: int = config["sentences"]
        self.words: int | None = config["words"]
        self.position_weight: float = config["position_weight"]
        self.diversity: float = config["diversity"]
        self.min_words: int = config["min_words"]

    def summarize_parsed(self, document: Document, doc: Doc) -> dict[str, Any]:
        """The ``summary`` of one document, given its parse."""
        result = summarize(
            candidate_sentences(document, doc, self.min_words),
            method=self.method,
            count=self.count,
            words=self.words,
            position_weight=self.position_weight,
            diversity=self.diversity,
        )
        text: str = document["text"]
        return {
            "method": result.method,
            "sentences": [{"start": s.start, "end": s.end, "score": score} for s, score in result.chosen],
            "text": " ".join(text[s.start : s.end] for s, _ in result.chosen),
        }

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document, doc in zip(documents, context.parse(documents, self.model), strict=True):
            document["summary"] = self.summarize_parsed(document, doc)
        return documents


@hookimpl
def presspipe_steps() -> list[StepSpec]:
    return [
        StepSpec(
            name="summarize.extractive",
            factory=ExtractiveSummarizer,
            version=VERSION,
            description="Extractive summary: position, centrality and MMR over the shared parse.",
            config_schema=CONFIG_SCHEMA,
            requires=("text",),
            provides=("summary",),
        )
    ]
