"""Memory over a large WARC: the reader streams, so peak RSS stays flat however large the file.

    python bench/warc.py [--sizes 100,1000] [--run-mb 20] [--keep]

Writes synthetic crawls into a temporary directory under /tmp (HTML pages of varied words,
each with its request, plus an image per ten pages), then, each in a fresh process, reads
every record of each through ``presspipe.sources.read_inputs`` (WARC reader, charset decoding,
documents made and dropped one at a time) and prints the documents, the records passed over,
the time and the peak RSS. Sizes are the uncompressed file sizes in MB; the largest is also
read gzip-compressed (gzip per record, as crawlers write). Then ``presspipe run`` with a
``clean.html`` pipeline over the first ``--run-mb`` MB and twice that, to show the whole run
flat too. The files are deleted at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WORDS = [
    "the",
    "council",
    "minister",
    "said",
    "on",
    "tuesday",
    "that",
    "a",
    "new",
    "plan",
    "for",
    "schools",
    "hospitals",
    "and",
    "roads",
    "would",
    "cost",
    "more",
    "than",
    "expected",
    "after",
    "months",
    "of",
    "talks",
    "with",
    "unions",
    "employers",
    "and",
    "local",
    "leaders",
    "across",
    "the",
    "region",
    "critics",
    "warned",
    "prices",
    "could",
    "rise",
    "while",
    "supporters",
    "argued",
    "the",
    "investment",
    "was",
    "long",
    "overdue",
]
READ = """
import json, resource, sys, time
from collections import Counter
from presspipe.sources import PassedOver, read_inputs
started = time.perf_counter()
documents, passed = 0, Counter()
for item in read_inputs([sys.argv[1]]):
    if isinstance(item, PassedOver):
        passed.update(item.counts)
    elif isinstance(item, dict):
        documents += 1
print(json.dumps({"documents": documents, "passed": sum(passed.values()), "seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def page(rng: random.Random, number: int) -> bytes:
    paragraphs = "".join(
        "<p>" + " ".join(rng.choices(WORDS, k=rng.randint(40, 120))) + ".</p>\n"
        for _ in range(rng.randint(8, 30))
    )
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story {number}</title>'
        f'<meta property="article:published_time" content="2021-03-01T10:00:00Z"></head>'
        f"<body><nav><ul>{nav}</ul></nav><article><h1>Story {number}</h1>{paragraphs}</article></body></html>"
    ).encode()


def write_crawl(path: Path, megabytes: int, *, gzip: bool) -> int:
    """Write about ``megabytes`` MB of uncompressed records; returns the number of HTML pages."""
    rng = random.Random(12)
    target = megabytes * 1_000_000
    written = pages = 0
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=gzip)
        while written < target:
            uri = f"https://news.example.org/2021/03/01/story-{pages}.html"
            body = page(rng, pages)
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request)
            )
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            )
            if pages % 10 == 0:
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
                jpeg = rng.randbytes(30_000)
                writer.write_record(
                    writer.create_warc_record(
                        uri + ".jpg", "response", payload=io.BytesIO(jpeg), http_headers=image
                    )
                )
                written += len(jpeg)
            written += len(body) + 1200
            pages += 1
    return pages


def read_in_fresh_process(path: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


RUN = """
import resource, sys
from presspipe.cli import main
status = main(sys.argv[1:])
print(f"PEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
sys.exit(status)
"""


def run_pipeline(path: Path, scratch: Path) -> tuple[float, float, str]:
    """``presspipe run`` (clean.html) over ``path`` in a fresh process: seconds, peak RSS (MB), closing line."""
    pipeline = scratch / "clean.yaml"
    pipeline.write_text("name: clean\nsteps:\n  - use: clean.html\n", encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUN, "run", str(pipeline), str(path), "--out", str(scratch / "out.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    lines = result.stderr.strip().splitlines()
    return seconds, float(lines[-1].split()[1]), lines[-2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100,1000", help="uncompressed MB per file (default 100,1000)")
    parser.add_argument(
        "--run-mb", type=int, default=20, help="MB for the presspipe run check (and twice that)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="presspipe-bench-warc-", dir="/tmp"))
    try:
        print(
            f"{'file':<26} {'MB on disk':>10} {'pages':>7} {'passed over':>11} {'s':>7} {'peak RSS MB':>11}"
        )
        for megabytes in sizes:
            for compressed in (False, True) if megabytes == max(sizes) else (False,):
                path = scratch / f"crawl-{megabytes}.warc{'.gz' if compressed else ''}"
                pages = write_crawl(path, megabytes, gzip=compressed)
                figures = read_in_fresh_process(path)
                assert figures["documents"] == pages, figures
                print(
                    f"{path.name:<26} {path.stat().st_size / 1e6:>10.0f} {pages:>7} {figures['passed']:>11.0f} "
                    f"{figures['seconds']:>7.1f} {figures['peak_mb']:>11.0f}"
                )
                path.unlink()
        print("\npresspipe run (clean.html), the whole run in a fresh process:")
        for megabytes in (args.run_mb, 2 * args.run_mb):
            path = scratch / f"run-{megabytes}.warc.gz"
            pages = write_crawl(path, megabytes, gzip=True)
            seconds, peak, closing = run_pipeline(path, scratch)
            print(f"{megabytes:>5} MB, {pages} pages: {seconds:.1f} s, peak RSS {peak:.0f} MB\n  {closing}")
            path.unlink()
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
