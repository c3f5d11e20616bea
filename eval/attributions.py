"""Evaluate ``quotes.extract`` on every attribution of a PolNeAR split, quoted or reported.

    python eval/attributions.py /work/shared/corpora/polnear/dev [--half first|second] [--errors 20]
        [--parse-cache /tmp/speech-parses]

The metric is issue 11's, exactly:

- gold: every relation of the article's first ``.ann`` file that has a Content, direct or
  not. Spans are compared as sets of character offsets of alphanumeric characters (marks,
  spaces and punctuation do not count);
- attributed precision: a predicted quote of any kind (with a speaker; the others are left
  out) is right when at least 50% of its characters lie inside one gold Content and its
  speaker span overlaps that relation's Source;
- attributed recall: a gold relation with a Source is found when the predictions
  overlapping its Content cover at least 50% of it together, and one of them has a speaker
  overlapping the Source;
- content-overlap F1: the same without speakers (every prediction; every gold Content);
- content exact F1: predicted contents against gold Contents, equal alphanumeric sets;
- source exact F1: the distinct Source spans of an article against its distinct predicted
  speaker spans, equal alphanumeric sets; cue exact F1 the same for Cue spans and predicted cues
  (these three compare with CofeNet's figures).

``--half first|second`` scores the first or second half of the split's articles (sorted by
name), for tuning on one half and reporting the other. Exits 0 when the split is not there.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from polnear import Article, Span, read_split
from quotes import CachedContext, run

from presspipe import RunContext

INSIDE = 0.5


def alnum(text: str, spans: list[Span]) -> frozenset[int]:
    """The offsets of the alphanumeric characters of ``spans``."""
    return frozenset(i for start, end in spans for i in range(start, end) if text[i].isalnum())


@dataclass
class Counts:
    """Numerators and denominators of the four figures."""

    att_tp_p: int = 0
    att_n_p: int = 0
    att_tp_r: int = 0
    att_n_r: int = 0
    con_tp_p: int = 0
    con_n_p: int = 0
    con_tp_r: int = 0
    con_n_r: int = 0
    exact_content_tp: int = 0
    exact_content_pred: int = 0
    exact_content_gold: int = 0
    exact_source_tp: int = 0
    exact_source_pred: int = 0
    exact_source_gold: int = 0
    exact_cue_tp: int = 0
    exact_cue_pred: int = 0
    exact_cue_gold: int = 0


def f1(tp_p: int, n_p: int, tp_r: int, n_r: int) -> tuple[float, float, float]:
    precision = tp_p / n_p if n_p else 0.0
    recall = tp_r / n_r if n_r else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_article(article: Article, document: dict[str, Any], counts: Counts, errors: list[str]) -> None:
    text = article.text
    gold = [
        (alnum(text, a.content), alnum(text, a.source) if a.source else frozenset(), a)
        for a in article.attributions
    ]
    gold = [g for g in gold if g[0]]
    predicted = []
    for quote in document.get("quotes") or []:
        chars = alnum(text, [(quote["start"], quote["end"])])
        if not chars:
            continue
        speaker = quote["speaker"]
        speaker_chars = alnum(text, [(speaker["start"], speaker["end"])]) if speaker else frozenset()
        predicted.append((chars, speaker_chars, quote))

    for chars, speaker_chars, quote in predicted:
        inside = [g for g in gold if len(chars & g[0]) >= INSIDE * len(chars)]
        counts.con_n_p += 1
        counts.con_tp_p += bool(inside)
        if not speaker_chars:
            continue
        counts.att_n_p += 1
        ok = any(speaker_chars & source for _, source, _ in inside)
        counts.att_tp_p += ok
        if not ok:
            golds = " | ".join(text[s:e] for _, _, a in inside for s, e in a.source) or "-"
            errors.append(
                f"FP {article.name}: {quote['kind']} {quote['text'][:80]!r} -> "
                f"{quote['speaker']['text']!r} (gold source: {golds})"
            )
    for content, source, attribution in gold:
        overlapping = [p for p in predicted if p[0] & content]
        covered: set[int] = set()
        for p in overlapping:
            covered |= p[0] & content
        counts.con_n_r += 1
        found_content = len(covered) >= INSIDE * len(content)
        counts.con_tp_r += found_content
        if not source:
            continue
        counts.att_n_r += 1
        ok = found_content and any(p[1] & source for p in overlapping)
        counts.att_tp_r += ok
        if not ok:
            got = [p[2]["speaker"]["text"] if p[2]["speaker"] else None for p in overlapping]
            src = " | ".join(text[s:e] for s, e in attribution.source)
            cue = " ".join(text[s:e] for s, e in attribution.cue)
            content_text = " ".join(text[s:e] for s, e in attribution.content)
            errors.append(
                f"FN {article.name}: [{src}] [{cue}] {content_text[:90]!r} covered "
                f"{len(covered)}/{len(content)} got {got}"
            )

    gold_contents = {g[0] for g in gold}
    predicted_contents = {p[0] for p in predicted}
    counts.exact_content_gold += len(gold_contents)
    counts.exact_content_pred += len(predicted_contents)
    counts.exact_content_tp += len(gold_contents & predicted_contents)
    gold_sources = {g[1] for g in gold if g[1]}
    predicted_sources = {p[1] for p in predicted if p[1]}
    counts.exact_source_gold += len(gold_sources)
    counts.exact_source_pred += len(predicted_sources)
    counts.exact_source_tp += len(gold_sources & predicted_sources)
    gold_cues = {c for c in (alnum(text, a.cue) for _, _, a in gold) if c}
    predicted_cues = {
        c
        for c in (alnum(text, [(q["cue"]["start"], q["cue"]["end"])]) for _, _, q in predicted if q["cue"])
        if c
    }
    counts.exact_cue_gold += len(gold_cues)
    counts.exact_cue_pred += len(predicted_cues)
    counts.exact_cue_tp += len(gold_cues & predicted_cues)


def score(articles: list[Article], documents: list[dict[str, Any]]) -> tuple[Counts, list[str]]:
    counts = Counts()
    errors: list[str] = []
    for article, document in zip(articles, documents, strict=True):
        score_article(article, document, counts, errors)
    return counts, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="PolNeAR split directory (text/ and attributions/)")
    parser.add_argument("--half", choices=["first", "second"], help="score one half of the articles only")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument("--every", type=int, default=1, help="every K-th article only (a spread sample)")
    parser.add_argument(
        "--offset",
        type=int,
        default=0,
        help="with --every K: start at this article (0 to K-1), another sample",
    )
    parser.add_argument("--errors", type=int, default=0, help="print up to N errors")
    parser.add_argument("--parse-cache", type=Path, help="keep parses in this directory (under /tmp)")
    args = parser.parse_args()
    if not (args.split / "text").is_dir() or not (args.split / "attributions").is_dir():
        print(f"{args.split}: no PolNeAR split there (text/ and attributions/); skipping.")
        return 0
    articles = read_split(args.split)
    if args.half:
        middle = len(articles) // 2
        articles = articles[:middle] if args.half == "first" else articles[middle:]
    articles = articles[args.offset :: max(args.every, 1)]
    if args.limit:
        articles = articles[: args.limit]
    context: RunContext = CachedContext(args.parse_cache) if args.parse_cache else RunContext()
    began = time.perf_counter()
    documents = run(articles, context)
    seconds = time.perf_counter() - began
    counts, errors = score(articles, documents)
    for line in errors[: args.errors]:
        print(line)
    c = counts
    kinds: dict[str, int] = {}
    for document in documents:
        for quote in document.get("quotes") or []:
            kinds[quote["kind"]] = kinds.get(quote["kind"], 0) + 1
    print(
        f"{args.split}{' (' + args.half + ' half)' if args.half else ''}: {len(articles)} articles, "
        f"{c.con_n_r} gold attributions ({c.att_n_r} with a source), {c.con_n_p} predicted "
        f"({c.att_n_p} with a speaker; {', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), {seconds:.1f} s"
    )
    for name, (p, r, f) in rows(counts):
        print(f"{name + ':':17} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    return 0


def rows(c: Counts) -> list[tuple[str, tuple[float, float, float]]]:
    """(figure, (precision, recall, F1)) for each figure of the module docstring."""
    return [
        ("attributed", f1(c.att_tp_p, c.att_n_p, c.att_tp_r, c.att_n_r)),
        ("content overlap", f1(c.con_tp_p, c.con_n_p, c.con_tp_r, c.con_n_r)),
        (
            "content exact",
            f1(c.exact_content_tp, c.exact_content_pred, c.exact_content_tp, c.exact_content_gold),
        ),
        ("source exact", f1(c.exact_source_tp, c.exact_source_pred, c.exact_source_tp, c.exact_source_gold)),
        ("cue exact", f1(c.exact_cue_tp, c.exact_cue_pred, c.exact_cue_tp, c.exact_cue_gold)),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
