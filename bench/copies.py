"""How long checking one new document against the near-copy index takes (``store.copies``).

    nice -n 10 python bench/copies.py [--documents 100000] [--store sqlite|postgresql://...]

Fills the index (signatures and bands only: no spaCy, no document rows beyond what the check
joins) with ``--documents`` distinct random-word articles of about 800 words, then times
``copies.original_of`` for 200 new articles (none a copy) and 200 copies of stored ones, and
prints the median and p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from presspipe.store import copies, open_store

VOCABULARY = [f"w{n}" for n in range(20_000)]


def article(rng: random.Random, words: int = 800) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--store", default=None, help="a store URL (default: a new SQLite file)")
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(args.store or Path(folder) / "copies.db")
        db = store._db
        kept: list[str] = []
        started = time.perf_counter()
        for first in range(1, args.documents + 1, 1000):
            with db.write() as cur:
                rows = []
                for seq in range(first, min(first + 1000, args.documents + 1)):
                    text = article(rng)
                    if seq % 500 == 0:
                        kept.append(text)
                    rows.append((seq, copies.signature(text)))
                cur.executemany(
                    "INSERT INTO pp_documents (seq, id, pipeline, pipeline_sha256, content_sha256, entity_count, "
                    "quote_count, stored_at, body) VALUES (?, ?, 'bench', '', '', 0, 0, '', '{}')",
                    [(seq, f"d{seq}") for seq, _ in rows],
                )
                for seq, sig in rows:
                    assert sig is not None
                    copies.index(cur, seq, sig)
        filled = time.perf_counter() - started
        print(
            f"index of {args.documents:,} documents filled in {filled:.1f} s ({args.documents / filled:,.0f}/s)"
        )
        if args.store is None:
            db.query("PRAGMA wal_checkpoint(TRUNCATE)")
            size = (Path(folder) / "copies.db").stat().st_size
            print(f"store file: {size / args.documents:,.0f} bytes a document (the index and a minimal row)")
        for name, texts in (
            ("new article", [article(rng) for _ in range(200)]),
            ("copy of a stored one", [t.rsplit(" ", 50)[0] + " and a correction" for t in kept[:200]]),
        ):
            times = []
            found = 0
            for text in texts:
                sig = copies.signature(text)
                assert sig is not None
                with db.write() as cur:
                    begun = time.perf_counter()
                    found += copies.original_of(cur, sig, "bench") is not None
                    times.append((time.perf_counter() - begun) * 1000)
            times.sort()
            print(
                f"check of a {name}: median {statistics.median(times):.2f} ms, "
                f"p99 {times[int(len(times) * 0.99) - 1]:.2f} ms ({found}/{len(texts)} found a copy)"
            )
        store.close()


if __name__ == "__main__":
    main()
