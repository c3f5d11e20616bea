"""Words per second of entities.spacy + quotes.extract against bare ``nlp.pipe``, same texts, same run.

    nice .venv/bin/python bench/quotes.py [CORPUS_DIR] [--limit 120] [--batch 32] [--repeat 2]

CORPUS_DIR is a directory of ``.txt`` files (or a PolNeAR split, whose ``text/`` is read);
it defaults to the PolNeAR train texts and falls back to ``seeds/`` when they are absent.
Both sides use the same loaded model (``presspipe.analysis.load_model``, so the same
components) and the same batches; the pipeline side goes through ``RunContext`` as a run
does (one shared parse per batch, then the two steps). Passes alternate, best of
``--repeat`` is kept. Prints figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from presspipe import RunContext, config_with_defaults
from presspipe.analysis import DEFAULT_MODEL, load_model
from presspipe.document import new_document
from presspipe.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "polnear" / "train" / "text"


def texts_from(corpus: Path, limit: int) -> tuple[str, list[str]]:
    if (corpus / "text").is_dir():
        corpus = corpus / "text"
    paths = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if not paths:
        corpus = ROOT / "seeds"
        paths = sorted(corpus.glob("*.txt"))
    if limit:
        paths = paths[:limit]
    return str(corpus), [p.read_text(encoding="utf-8") for p in paths]


def bare(texts: list[str], batch: int) -> float:
    nlp = load_model(DEFAULT_MODEL)
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        chunk = texts[i : i + batch]
        for _ in nlp.pipe(chunk, batch_size=len(chunk)):
            pass
    return time.perf_counter() - started


def pipeline(texts: list[str], batch: int, steps: list[Any]) -> tuple[float, int]:
    context = RunContext()
    quotes = 0
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        documents = [new_document(text=t) for t in texts[i : i + batch]]
        for step in steps:
            documents = step(documents, context)
        quotes += sum(len(d["quotes"]) for d in documents)
        context.end_batch()
    return time.perf_counter() - started, quotes


def split_timing(texts: list[str], batch: int, steps: list[Any]) -> tuple[float, float]:
    """Seconds of the shared parse and of the two steps after it, measured separately."""
    context = RunContext()
    parse = after = 0.0
    for i in range(0, len(texts), batch):
        documents = [new_document(text=t) for t in texts[i : i + batch]]
        started = time.perf_counter()
        context.parse(documents)
        parse += time.perf_counter() - started
        started = time.perf_counter()
        for step in steps:
            documents = step(documents, context)
        after += time.perf_counter() - started
        context.end_batch()
    return parse, after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=120, help="first N texts (0: all)")
    parser.add_argument("--batch", type=int, default=32, help="documents per batch")
    parser.add_argument("--repeat", type=int, default=2, help="alternating passes; the best is kept")
    args = parser.parse_args(argv)

    source, texts = texts_from(args.corpus, args.limit)
    words = sum(len(t.split()) for t in texts)
    registry = load_registry()
    steps = []
    for name in ("entities.spacy", "quotes.extract"):
        spec = registry.steps[name]
        steps.append(spec.factory(config_with_defaults(spec.config_schema, {})))
    load_model(DEFAULT_MODEL)
    pipeline(texts[:2], args.batch, steps)  # warm up: model, lexicon, first batch
    bare_best = pipe_best = parse_best = after_best = float("inf")
    quotes = 0
    for _ in range(args.repeat):
        bare_best = min(bare_best, bare(texts, args.batch))
        seconds, quotes = pipeline(texts, args.batch, steps)
        pipe_best = min(pipe_best, seconds)
        parse, after = split_timing(texts, args.batch, steps)
        parse_best, after_best = min(parse_best, parse), min(after_best, after)
    print(f"{len(texts)} texts from {source}, {words} words, batches of {args.batch}, best of {args.repeat}")
    print(f"bare nlp.pipe ({DEFAULT_MODEL}):          {words / bare_best:8,.0f} words/s  ({bare_best:.1f} s)")
    print(
        f"entities.spacy + quotes.extract (RunContext): {words / pipe_best:8,.0f} words/s  ({pipe_best:.1f} s, "
        f"{quotes} quotes)"
    )
    print(f"ratio pipeline / bare: {bare_best / pipe_best:.3f}")
    print(
        f"same run, split: shared parse {parse_best:.2f} s, entities + quotes after it {after_best:.3f} s "
        f"({after_best / parse_best:.1%} of the parse; parse / (parse + steps) = "
        f"{parse_best / (parse_best + after_best):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
