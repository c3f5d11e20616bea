"""Peak memory and time of one long article through the news pipeline, by length.

    python bench/memory.py [--sizes 100000,1000000,1500000,5000000] [--python PYTHON]

Each size is one article made of the seed articles repeated (paragraphs separated by blank
lines) up to that many characters, run by ``presspipe run news`` in a fresh process; peak
memory is the largest sum of RSS over the process and its children, sampled every 20 ms (a
forked worker shares the parent's pages, which RSS counts twice). ``--python`` runs another
checkout's interpreter (e.g. ``/work/main/.venv/bin/python`` for the code before a change);
``--max-chars`` (the size) and ``--timeout`` (two hours) are passed only to a presspipe that
has them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from throughput import ROOT, measure


def article(length: int) -> str:
    """The seed articles' paragraphs repeated to ``length`` characters (cut at a paragraph)."""
    paragraphs = [
        p.strip()
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    parts: list[str] = []
    size = 0
    while size < length:
        for paragraph in paragraphs:
            parts.append(paragraph)
            size += len(paragraph) + 2
            if size >= length:
                break
    return "\n\n".join(parts)[:length]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,1500000,5000000")
    parser.add_argument("--python", default=sys.executable, help="interpreter whose presspipe to run")
    args = parser.parse_args()
    usage = subprocess.run(
        [args.python, "-m", "presspipe", "run", "--help"], capture_output=True, text=True, check=True
    ).stdout
    print(f"presspipe of {args.python}")
    print(f"{'characters':>10} {'seconds':>8} {'peak MiB':>9}  result")
    with tempfile.TemporaryDirectory(prefix="presspipe-memory-") as scratch:
        for size in map(int, args.sizes.split(",")):
            source = Path(scratch) / f"article-{size}.txt"
            source.write_text(article(size), encoding="utf-8")
            out = Path(scratch) / "out.jsonl"
            command = [args.python, "-m", "presspipe", "run", "news", str(source), "--out", str(out)]
            if "--max-chars" in usage:  # lift the limits, so that every size is processed
                command += ["--max-chars", str(size), "--timeout", "7200"]
            seconds, peak = measure(command)
            [document] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            if document["errors"]:
                error = document["errors"][0]
                result = f"failed: {error['code']}: {error['message'][:90]}"
            else:
                result = f"done: {len(document['quotes'])} quotes, {len(document['entities'])} entities"
            print(f"{size:>10,} {seconds:8.1f} {peak:9.0f}  {result}")


if __name__ == "__main__":
    main()
