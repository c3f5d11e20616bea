"""Article extraction: presspipe's clean.html against the shipped baselines, one metric, one run.

Usage::

    python eval/extraction.py CORPUS [--config '{"favor_precision": false}'] [--pages N]

CORPUS is the article-extraction benchmark directory (``html/<id>.html.gz``,
``ground-truth.json``, ``baselines/<system>.json``; see its SOURCE.md). The metric is the
benchmark's: ``\\w+`` tokens, multisets of word 4-gram shingles, per-page TP/FP/FN scaled to
sum to 1 so every page weighs the same, summed over pages; precision, recall and F1 from
the sums. Every system is scored by the same code on the same pages, in this run. The
``±`` is the standard deviation of F1 over 1,000 bootstrap resamples of the pages. The pages
are also scored in two halves split by a hash of their site (``splits.half``, as the dates
eval splits): rules are tuned looking at the ``tune`` half only; ``held`` is the other.

Nothing from the corpus is written anywhere. Exits 0 with "skipped: corpus not found"
when CORPUS is absent, so CI can run it unconditionally.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import half

Counts = tuple[float, float, float]
SHINGLE = 4


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The multiset of word n-grams of ``text`` (a shorter text is one shingle of all its words)."""
    tokens = re.findall(r"\w+", text)
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(gold: str, predicted: str) -> Counts:
    """TP, FP, FN of one page, scaled so that they sum to 1."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(counts: Sequence[Counts]) -> tuple[float, float, float]:
    """Precision, recall and F1 from per-page counts."""
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bootstrap_std(counts: Sequence[Counts], rounds: int = 1000, seed: int = 0) -> float:
    """Standard deviation of F1 over resamples of the pages (fixed seed: reproducible)."""
    rng = random.Random(seed)
    values = []
    for _ in range(rounds):
        sample = [counts[rng.randrange(len(counts))] for _ in counts]
        values.append(score(sample)[2])
    mean = sum(values) / len(values)
    return float((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)


def with_headings(document: dict[str, Any]) -> str:
    """The document's text with ``meta.headings`` put back before the paragraphs they head."""
    paragraphs = document["text"].split("\n\n") if document["text"] else []
    for heading in reversed(document.get("meta", {}).get("headings", [])):
        paragraphs.insert(heading["before"], heading["text"])
    return "\n\n".join(paragraphs)


def trafilatura_outputs(corpus: Path, ids: Sequence[str], urls: dict[str, str]) -> dict[str, str]:
    """The installed trafilatura on its own, as clean.html calls it (precision, no comments)."""
    import trafilatura

    return {
        page: trafilatura.extract(
            _html(corpus, page), url=urls.get(page) or None, favor_precision=True, include_comments=False
        )
        or ""
        for page in ids
    }


def _html(corpus: Path, page: str) -> str:
    return gzip.decompress((corpus / "html" / f"{page}.html.gz").read_bytes()).decode("utf-8", "replace")


def paired_win_rate(a: Sequence[Counts], b: Sequence[Counts], rounds: int = 1000, seed: int = 0) -> float:
    """Share of page resamples in which system ``a`` has the higher F1 (the same pages for both)."""
    rng = random.Random(seed)
    wins = 0
    for _ in range(rounds):
        picks = [rng.randrange(len(a)) for _ in a]
        wins += score([a[i] for i in picks])[2] > score([b[i] for i in picks])[2]
    return wins / rounds


def presspipe_outputs(
    corpus: Path, ids: Sequence[str], urls: dict[str, str], config: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str], dict[str, str], float]:
    """``clean.html``'s text for each page, the same with its headings, the errors, seconds per page."""
    from presspipe import RunContext, config_with_defaults, new_document
    from presspipe.plugins.clean.config import HTML_SCHEMA
    from presspipe.plugins.clean.html import CleanHtml

    step = CleanHtml(config_with_defaults(HTML_SCHEMA, config))
    context = RunContext()
    texts: dict[str, str] = {}
    headed: dict[str, str] = {}
    errors: dict[str, str] = {}
    started = time.perf_counter()
    for page in ids:
        document = new_document(html=_html(corpus, page), id=page, uri=urls.get(page))
        step([document], context)
        texts[page] = document["text"]
        headed[page] = with_headings(document)
        if document["errors"]:
            errors[page] = document["errors"][-1]["code"]
    return texts, headed, errors, (time.perf_counter() - started) / max(len(ids), 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="the article-extraction benchmark directory")
    parser.add_argument("--config", default="{}", help="clean.html 'with:' config, as JSON")
    parser.add_argument("--pages", type=int, default=0, help="score only the first N pages (0: all)")
    parser.add_argument(
        "--show", choices=["tune", "held", "all"], help="list presspipe's worst pages by F1 in a half"
    )
    args = parser.parse_args(argv)

    truth_path = args.corpus / "ground-truth.json"
    if not truth_path.is_file():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    truth: dict[str, dict[str, str]] = json.loads(truth_path.read_text(encoding="utf-8"))
    ids = sorted(page for page in truth if (args.corpus / "html" / f"{page}.html.gz").is_file())
    if args.pages:
        ids = ids[: args.pages]
    gold = {page: truth[page].get("articleBody") or "" for page in ids}
    urls = {page: truth[page].get("url") or "" for page in ids}

    systems: dict[str, dict[str, str]] = {}
    config = json.loads(args.config)
    texts, headed, errors, seconds = presspipe_outputs(args.corpus, ids, urls, config)
    systems["presspipe (clean.html)"] = texts
    systems["presspipe text+meta.headings"] = headed
    import trafilatura

    systems[f"trafilatura {trafilatura.__version__} installed, alone"] = trafilatura_outputs(
        args.corpus, ids, urls
    )
    for path in sorted((args.corpus / "baselines").glob("*.json")):
        shipped = json.loads(path.read_text(encoding="utf-8"))
        output = shipped.get("output", {})
        name = f"{path.stem} {shipped.get('version') or ''}".strip()
        systems[name] = {page: (output.get(page) or {}).get("articleBody") or "" for page in ids}

    print(f"{len(ids)} pages; metric: word 4-gram shingles, per-page normalised (benchmark's)")
    print(f"clean.html config: {json.dumps(config)}; {seconds * 1000:.0f} ms/page; errors: {len(errors)}")
    print("presspipe (clean.html) scores `text`; headings leave it for meta.headings, and the gold")
    print("bodies keep them, so the second presspipe row scores the same output with them put back.")
    print(f"{'system':<40} {'precision':>9} {'recall':>7} {'F1':>6} {'± (bootstrap)':>13}")
    rows = []
    counts = {
        name: [page_counts(gold[page], outputs.get(page, "")) for page in ids]
        for name, outputs in systems.items()
    }
    for name, per_page in counts.items():
        precision, recall, f1 = score(per_page)
        rows.append((f1, name, precision, recall, bootstrap_std(per_page)))
    for f1, name, precision, recall, std in sorted(rows, reverse=True):
        print(f"{name:<40} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} {std:>13.3f}")
    parts = {part: [i for i, page in enumerate(ids) if half(urls[page]) == part] for part in ("tune", "held")}
    print(f"by site half: tune {len(parts['tune'])} pages, held {len(parts['held'])} pages")
    print(f"{'system':<40} {'tune P':>7} {'R':>6} {'F1':>6} {'held P':>7} {'R':>6} {'F1':>6}")
    for _f1, name, *_rest in sorted(rows, reverse=True):
        cells = []
        for part in ("tune", "held"):
            cells.extend(score([counts[name][i] for i in parts[part]]))
        print(f"{name:<40} " + " ".join(f"{v:>{7 if n % 3 == 0 else 6}.3f}" for n, v in enumerate(cells)))
    for ours in ("presspipe (clean.html)", "presspipe text+meta.headings"):
        for name in counts:
            if name.startswith("trafilatura"):
                rate = paired_win_rate(counts[ours], counts[name])
                print(f"{ours} F1 above {name}: in {rate:.0%} of paired page resamples")
    if errors:
        print("presspipe errors:", ", ".join(f"{page[:12]} {code}" for page, code in sorted(errors.items())))
    if args.show:
        shown = [page for page in ids if args.show == "all" or half(urls[page]) == args.show]
        worst = sorted(shown, key=lambda page: score([page_counts(gold[page], texts[page])])[2])[:15]
        for page in worst:
            p, r, f = score([page_counts(gold[page], texts[page])])
            print(f"  {page[:16]} P {p:.2f} R {r:.2f} F1 {f:.2f} {urls[page][:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
