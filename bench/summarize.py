"""Time summarize.extractive per document, next to the shared spaCy parse that feeds it.

    nice .venv/bin/python bench/summarize.py [CORPUS] [--repeat 3]

CORPUS defaults to ../shared/corpora/summeval-cnndm (its 100 articles); when it is absent the
bench reads the text files in seeds/. Prints figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from presspipe import RunContext, config_with_defaults
from presspipe.document import Document, new_document
from presspipe.plugins.summarize import CONFIG_SCHEMA, ExtractiveSummarizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "summeval-cnndm"


def load(corpus: Path) -> tuple[str, list[Document]]:
    data_file = corpus / "summeval_data.json"
    if data_file.is_file():
        data = json.loads(data_file.read_text(encoding="utf-8"))
        return str(corpus), [new_document(text=data[key]["src"], id=key) for key in sorted(data)]
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    return "seeds/", [new_document(text=path.read_text(encoding="utf-8")) for path in seeds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes of the summarizer")
    args = parser.parse_args(argv)

    source, documents = load(args.corpus)
    words = sum(len(d["text"].split()) for d in documents)
    context = RunContext()
    context.nlp()  # load the model outside the timing
    started = time.perf_counter()
    docs = context.parse(documents)
    parse_seconds = time.perf_counter() - started
    print(f"{len(documents)} documents from {source}, {words} words")
    print(
        f"{'spaCy parse (shared, nlp.pipe)':<34}{parse_seconds / len(documents) * 1000:8.2f} ms/doc"
        f"  ({words / parse_seconds:,.0f} words/s)"
    )
    for method in ("blend", "lead", "textrank"):
        step = ExtractiveSummarizer(config_with_defaults(CONFIG_SCHEMA, {"method": method}))
        per_pass = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for document, doc in zip(documents, docs, strict=True):
                step.summarize_parsed(document, doc)
            per_pass.append(time.perf_counter() - started)
        best = min(per_pass) / len(documents)
        median = statistics.median(per_pass) / len(documents)
        print(
            f"{'summarize.extractive ' + method:<34}{best * 1000:8.2f} ms/doc"
            f"  (median of {args.repeat} passes {median * 1000:.2f}; {best / (parse_seconds / len(documents)):.1%} of the parse)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
