"""Score summarize.extractive on SummEval (100 CNN/DailyMail articles, 11 references each).

    .venv/bin/python eval/summaries.py ../shared/corpora/summeval-cnndm

ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (``rouge-score``, stemming on), against the original
highlights and against the best of the 11 references, for presspipe's default (``lead``), its
``method: blend``, the strong LEAD-3 (first three sentences of at least 5 words), the plain
LEAD-3 (first three spaCy sentences), TextRank (``method: textrank``) and the corpus's own
LEAD-3 output (system M0). Every system reads the same spaCy sentences of the same text, in one run.
Intervals are 95% bootstrap percentiles over documents; the last rows are a paired bootstrap
of the default minus the strong LEAD-3 and of ``blend`` minus the default. Exits 0 with a message when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rouge_score import rouge_scorer

from presspipe import RunContext
from presspipe.document import Document, new_document
from presspipe.plugins.summarize import CONFIG_SCHEMA, ExtractiveSummarizer

METRICS = ("rouge1", "rouge2", "rougeLsum")
LABELS = ("R-1", "R-2", "R-Lsum")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def default_config(**overrides: Any) -> dict[str, Any]:
    config = {key: value.get("default") for key, value in CONFIG_SCHEMA["properties"].items()}
    config.update(overrides)
    return config


def load_corpus(path: Path) -> list[tuple[Document, str, list[str], str]]:
    """(document, highlights, the 11 references, corpus LEAD-3 output) per article."""
    data = json.loads((path / "summeval_data.json").read_text(encoding="utf-8"))
    items = []
    for doc_id in sorted(data):
        entry = data[doc_id]
        document = new_document(text=entry["src"], id=doc_id)
        items.append((document, entry["ref_summ"], entry["ref_summs"], entry["sys_summs"]["M0"]["sys_summ"]))
    return items


def lines(text: str) -> str:
    """One sentence a line, as ROUGE-Lsum expects."""
    return "\n".join(_SENTENCE_END.split(text.strip()))


def spans_text(document: Document, spans: Sequence[tuple[int, int]]) -> str:
    return "\n".join(document["text"][start:end] for start, end in spans)


def score_system(
    scorer: rouge_scorer.RougeScorer,
    predictions: list[str],
    highlights: list[str],
    references: list[list[str]],
) -> np.ndarray:
    """Per-document F1 x 100, shape (documents, 6): three metrics on highlights, three on best of 11."""
    rows = []
    for prediction, highlight, refs in zip(predictions, highlights, references, strict=True):
        single = scorer.score(lines(highlight), prediction)
        best = scorer.score_multi([lines(r) for r in refs], prediction)
        rows.append([single[m].fmeasure for m in METRICS] + [best[m].fmeasure for m in METRICS])
    return np.array(rows) * 100


def bootstrap_means(scores: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """Means of ``samples`` resamples of the rows of ``scores``: shape (samples, columns)."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, scores.shape[0], size=(samples, scores.shape[0]))
    return scores[picks].mean(axis=1)


def cell(values: np.ndarray, boot: np.ndarray, column: int, signed: bool = False) -> str:
    low, high = np.percentile(boot[:, column], [2.5, 97.5])
    mean = values[:, column].mean()
    form = "{:+.1f}" if signed else "{:.1f}"
    return f"{form.format(mean)} [{form.format(low)},{form.format(high)}]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder holding summeval_data.json")
    parser.add_argument("--samples", type=int, default=2000, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not (args.corpus / "summeval_data.json").is_file():
        print(f"summeval corpus not found at {args.corpus}: skipping the summary evaluation.")
        return 0

    items = load_corpus(args.corpus)
    documents = [item[0] for item in items]
    highlights = [item[1] for item in items]
    references = [item[2] for item in items]
    context = RunContext()
    docs = context.parse(documents)

    def run(config: dict[str, Any]) -> list[str]:
        step = ExtractiveSummarizer(config)
        out = []
        for document, doc in zip(documents, docs, strict=True):
            summary = step.summarize_parsed(document, doc)
            out.append(spans_text(document, [(s["start"], s["end"]) for s in summary["sentences"]]))
        return out

    def lead3(min_words: int) -> list[str]:
        """The first three spaCy sentences of at least ``min_words`` words (punctuation not counted)."""
        out = []
        for document, doc in zip(documents, docs, strict=True):
            sents = [s for s in doc.sents if sum(not t.is_punct and not t.is_space for t in s) >= min_words]
            out.append(spans_text(document, [(s.start_char, s.end_char) for s in sents[:3]]))
        return out

    systems: list[tuple[str, Callable[[], list[str]]]] = [
        ("presspipe default", lambda: run(default_config())),
        ("method blend", lambda: run(default_config(method="blend"))),
        ("LEAD-3 strong", lambda: lead3(5)),
        ("LEAD-3 plain", lambda: lead3(1)),
        ("TextRank (textrank)", lambda: run(default_config(method="textrank"))),
        ("LEAD-3 corpus (M0)", lambda: [lines(item[3]) for item in items]),
    ]
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    scores = {name: score_system(scorer, make(), highlights, references) for name, make in systems}

    width = max(len(name) for name, _ in systems) + 12  # room for 'default - LEAD-3 strong'
    header = "".join(f"{'hl ' + label:>19}" for label in LABELS) + "".join(
        f"{'best11 ' + label:>19}" for label in LABELS
    )
    print(f"SummEval CNN/DM, {len(documents)} articles; ROUGE F1 x100, mean [95% bootstrap interval]")
    print(f"{'system':<{width}}{header}")
    for name, values in scores.items():
        boot = bootstrap_means(values, args.samples, args.seed)
        print(f"{name:<{width}}" + "".join(f"{cell(values, boot, c):>19}" for c in range(6)))
    pairs = [("presspipe default", "LEAD-3 strong"), ("presspipe default", "LEAD-3 plain")]
    for first, second in [*pairs, ("method blend", "presspipe default")]:
        diff = scores[first] - scores[second]
        boot = bootstrap_means(diff, args.samples, args.seed)
        name = f"{first.removeprefix('presspipe ').removeprefix('method ')} - {second.removeprefix('presspipe ')}"
        print(f"{name:<{width}}" + "".join(f"{cell(diff, boot, c, signed=True):>19}" for c in range(6)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
