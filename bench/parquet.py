"""Peak memory of a Parquet export of N synthetic documents, by N: flat if it streams.

    nice -n 10 python bench/parquet.py [--counts 2000,20000,50000]

Each count runs in a fresh process: N documents shaped as the news pipeline writes them
(3,000 characters of text, 12 entities with 3 mentions each, 4 quotes, a summary) are made one
at a time and streamed through the built-in ``parquet`` exporter into a file; the process
prints its peak RSS (``ru_maxrss``) and the seconds taken. No corpus text: the words are made up.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "minister",
    "said",
    "today",
    "city",
    "council",
    "report",
    "market",
    "vote",
]


def synthetic(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(500))[:3000]
        mention = [{"text": "alpha", "start": 0, "end": 5}] * 3
        yield {
            "schema_version": 1,
            "id": f"{i:016x}",
            "source": {"uri": f"https://example.org/{i}", "media_type": "text/html", "sha256": "0" * 64},
            "meta": {"title": f"Story {i}", "published": "2024-05-01T10:00:00", "language": "en"},
            "text": text,
            "errors": [],
            "provenance": {"pipeline": {"name": "news", "sha256": "1" * 64}, "steps": []},
            "entities": [
                {
                    "id": f"E{k}",
                    "name": f"Person {k}",
                    "label": "PERSON",
                    "salience": 0.1,
                    "mentions": mention,
                }
                for k in range(12)
            ],
            "quotes": [
                {
                    "id": f"Q{k}",
                    "text": text[:120],
                    "start": 0,
                    "end": 120,
                    "kind": "direct",
                    "speaker": {"text": "Person 1", "start": 0, "end": 8, "entity": "E1"},
                    "cue": {"text": "said"},
                }
                for k in range(4)
            ],
            "summary": {"text": text[:300]},
        }


def one(n: int) -> None:
    from presspipe.plugins.exporters import export_parquet

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out.parquet"
        with out.open("wb") as file:
            for chunk in export_parquet(synthetic(n)):
                file.write(chunk)
        size = out.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "documents": n,
                "peak_rss_mib": round(peak, 1),
                "seconds": round(time.perf_counter() - started, 1),
                "file_mib": round(size / 2**20, 1),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="2000,20000,50000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        one(args.one)
        return
    for count in map(int, args.counts.split(",")):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(count)], capture_output=True, text=True, check=True
        )
        print(done.stdout.strip())


if __name__ == "__main__":
    main()
