# ruff: noqa: RUF001 -- typographic quotation marks are what this code is about
"""Evaluate ``quotes.extract`` on a PolNeAR split (attributed-quote P/R/F1, span-only P/R).

    python eval/quotes.py /work/shared/corpora/polnear/dev [--limit N] [--errors 20]

The pipeline is ``entities.spacy`` + ``quotes.extract`` over the raw ``.txt`` (no step
rewrites the text, so offsets compare directly). The metric is the one in issue 4:

- a gold quote is an attribution whose Content holds a quotation mark, running from the
  first to the last mark of that Content (first ``.ann`` file of each article);
- attributed-quote precision: predicted quotes with a speaker that lie >= 60% inside one
  gold quote and whose speaker span overlaps that gold quote's Source, over all predicted
  quotes with a speaker;
- recall: gold quotes with a Source that some overlapping predicted quote attributes to a
  span overlapping that Source, over gold quotes with a Source; F1 of the two;
- span-only precision (predicted quotes >= 60% inside a gold quote, over all predicted)
  and recall (gold quotes overlapped by a predicted quote, over all gold quotes).

A predicted quote is a passage in quotation marks: an attribution's ``quoted`` fragments
(a mixed statement counts by its fragments, reported speech without marks not at all).

Exits 0 with a message when the split is not there.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from polnear import Article, Span, gold_quote, quotes_in_single_marks, read_split

from presspipe import RunContext, config_with_defaults
from presspipe.analysis import DEFAULT_MODEL
from presspipe.document import Document, new_document
from presspipe.registry import load_registry

STEPS = ("entities.spacy", "quotes.extract")
INSIDE = 0.6
SINGLE_MARKS = "‘’'"


class CachedContext(RunContext):
    """A run context that keeps parses on disk between runs (for iterating; never in the repo)."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def parse(self, documents: Any, model: str = DEFAULT_MODEL) -> Any:
        from spacy.tokens import DocBin

        nlp = self.nlp(model)
        for document in documents:
            key = (model, document["text"])
            if key in self._parsed:
                continue
            digest = hashlib.sha256(f"{model}\0{document['text']}".encode()).hexdigest()[:24]
            path = self.directory / f"{digest}.spacy"
            if path.exists():
                self._parsed[key] = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
            else:
                doc = super().parse([document], model)[0]
                bin_ = DocBin(
                    attrs=["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]
                )
                bin_.add(doc)
                bin_.to_disk(path)
        return [self._parsed[(model, d["text"])] for d in documents]


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def any_overlap(spans: list[Span], span: Span) -> bool:
    return any(overlap(s, span) > 0 for s in spans)


def run(
    articles: list[Article],
    context: RunContext,
    batch: int = 16,
    quotes_config: dict[str, Any] | None = None,
) -> list[Document]:
    registry = load_registry()
    steps = []
    for name in STEPS:
        config = config_with_defaults(registry.steps[name].config_schema, {})
        if name == "quotes.extract":
            config.update(quotes_config or {})
        steps.append(registry.steps[name].factory(config))
    out: list[Document] = []
    for i in range(0, len(articles), batch):
        documents = [new_document(text=a.text, id=a.name) for a in articles[i : i + batch]]
        for step in steps:
            documents = step(documents, context)
        context.end_batch()
        out.extend(documents)
    return out


def quotations(document: Document) -> list[dict[str, Any]]:
    """The words in quotation marks of every attribution (``quoted``), each with its attribution's
    speaker: a mixed statement counts here by its quoted fragments, reported speech not at all."""
    return [
        {**fragment, "speaker": record["speaker"]}
        for record in document.get("quotes", [])
        for fragment in record.get("quoted", [record])
    ]


def score(
    articles: list[Article], documents: list[Document], show_errors: int = 0, gold_marks: str = "double"
) -> dict[str, float]:
    tp_p = n_p = tp_r = n_r = span_tp_p = span_n_p = span_tp_r = span_n_r = 0
    single_n = single_tp = 0  # attributed predictions in single marks, which the gold never has
    shown = 0
    for article, document in zip(articles, documents, strict=True):
        text = article.text
        single = gold_marks == "auto" and quotes_in_single_marks(text)
        gold: list[tuple[Span, list[Span]]] = []
        for attribution in article.attributions:
            quote = gold_quote(text, attribution, single_marks=single)
            if quote is not None:
                gold.append((quote, attribution.source))
        predicted = quotations(document)
        for q in predicted:
            span = (q["start"], q["end"])
            length = max(span[1] - span[0], 1)
            inside = [g for g in gold if overlap(span, g[0]) / length >= INSIDE]
            span_n_p += 1
            span_tp_p += bool(inside)
            if q["speaker"] is None:
                continue
            n_p += 1
            speaker = (q["speaker"]["start"], q["speaker"]["end"])
            ok = any(any_overlap(sources, speaker) for _, sources in inside)
            tp_p += ok
            if q["text"][:1] in SINGLE_MARKS:
                single_n += 1
                single_tp += ok
            if not ok and shown < show_errors:
                shown += 1
                golds = "; ".join(text[s:e] for _, srcs in inside for s, e in srcs) or "-"
                print(f"FP {article.name}: {q['text'][:70]!r} -> {q['speaker']['text']!r} (gold: {golds})")
        for quote, sources in gold:
            span_n_r += 1
            overlapping = [q for q in predicted if overlap((q["start"], q["end"]), quote) > 0]
            span_tp_r += bool(overlapping)
            if not sources:
                continue
            n_r += 1
            ok = any(
                q["speaker"] and any_overlap(sources, (q["speaker"]["start"], q["speaker"]["end"]))
                for q in overlapping
            )
            tp_r += ok
            if not ok and shown < show_errors:
                shown += 1
                got = [q["speaker"]["text"] if q["speaker"] else None for q in overlapping]
                src = "; ".join(text[s:e] for s, e in sources)
                print(f"FN {article.name}: {text[quote[0] : quote[1]][:70]!r} gold {src!r} got {got}")
    precision = tp_p / n_p if n_p else 0.0
    double_n = n_p - single_n
    double_precision = (tp_p - single_tp) / double_n if double_n else 0.0
    double_f1 = 2 * double_precision * (tp_r / n_r if n_r else 0.0)
    double_f1 = double_f1 / (double_precision + tp_r / n_r) if n_r and double_precision else 0.0
    recall = tp_r / n_r if n_r else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(articles),
        "gold_quotes": span_n_r,
        "gold_attributed": n_r,
        "predicted": span_n_p,
        "predicted_attributed": n_p,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "span_precision": span_tp_p / span_n_p if span_n_p else 0.0,
        "span_recall": span_tp_r / span_n_r if span_n_r else 0.0,
        "single_attributed": single_n,
        "double_precision": double_precision,
        "double_f1": double_f1,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="PolNeAR split directory (text/ and attributions/)")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument("--every", type=int, default=1, help="every K-th article only (a spread sample)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N errors")
    parser.add_argument(
        "--single-marks",
        choices=["auto", "always", "never"],
        help="override quotes.extract's single_marks (default: the step's own default, auto)",
    )
    parser.add_argument(
        "--gold-marks",
        choices=["double", "auto"],
        default="double",
        help="which gold Contents are quotes: double = the issue's metric (Content holds \" “ ” « »); "
        "auto = also single marks in articles that quote with single marks only (as the step's default does)",
    )
    parser.add_argument("--parse-cache", type=Path, help="keep parses in this directory (under /tmp)")
    args = parser.parse_args()
    if not (args.split / "text").is_dir() or not (args.split / "attributions").is_dir():
        print(f"{args.split}: no PolNeAR split there (text/ and attributions/); skipping.")
        return 0
    articles = read_split(args.split)
    articles = articles[:: max(args.every, 1)]
    if args.limit:
        articles = articles[: args.limit]
    context: RunContext = CachedContext(args.parse_cache) if args.parse_cache else RunContext()
    began = time.perf_counter()
    overrides: dict[str, Any] = {"single_marks": args.single_marks} if args.single_marks else {}

    documents = run(articles, context, quotes_config=overrides)
    seconds = time.perf_counter() - began
    result = score(articles, documents, args.errors, args.gold_marks)
    print(
        f"{args.split}: {result['articles']} articles, {result['gold_quotes']} gold quotes "
        f"({result['gold_attributed']} with a source), {result['predicted']} predicted "
        f"({result['predicted_attributed']} with a speaker), {seconds:.1f} s"
        + (f", single_marks={args.single_marks}" if args.single_marks else "")
        + (f", gold marks {args.gold_marks}" if args.gold_marks != "double" else "")
    )
    print(f"attributed quotes: P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}")
    print(f"quote spans only:  P {result['span_precision']:.3f}  R {result['span_recall']:.3f}")
    if result["single_attributed"] and args.gold_marks == "double":
        print(
            f"note: {result['single_attributed']} attributed predictions are in single marks (texts that quote "
            "with ' only), which this gold never counts as quotes; without them: "
            f"P {result['double_precision']:.3f}  F1 {result['double_f1']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
