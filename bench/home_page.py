"""What the home page's listing costs now that its facets follow the filters and it pages both ways.

    nice -n 10 python bench/home_page.py [--documents 20000] [--store sqlite|postgresql://...]

Fills a store with ``--documents`` synthetic articles (five of 2,000 people each, two quotes,
one in ten undated), then times, for each filter, the store calls of the home page two ways:
as before (a page forward, its count, the facets of the whole corpus: the baseline) and as now
(the page located, with its previous cursor and offset; the facets counted within the
filtered documents; the undated count), on page 1 and on page 3. Prints the median and p90 in
milliseconds over ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from presspipe.store import Filters, Store, open_store
from presspipe.store.corpus_queries import CorpusFilters

PEOPLE = [f"Person{n} Family{n % 700}" for n in range(2000)]
WORDS = [f"word{n}" for n in range(3000)]


def document(n: int, rng: random.Random) -> dict[str, Any]:
    people = rng.sample(PEOPLE[: 200 + n % 1800], 5)
    text, entities, quotes = "", [], []
    for number, name in enumerate(people, start=1):
        start = len(text)
        text += name
        entities.append(
            {
                "id": f"E{number}",
                "name": name,
                "label": "PERSON",
                "salience": 0.1,
                "mentions": [{"text": name, "start": start, "end": len(text)}],
            }
        )
        text += " " + " ".join(rng.choices(WORDS, k=40)) + ".\n\n"
    for number, who in enumerate(rng.sample(range(5), 2), start=1):
        said = "\u201c" + " ".join(rng.choices(WORDS, k=8)) + "\u201d"
        start = len(text)
        text += said + ", said "
        speaker = {
            "text": people[who],
            "start": len(text),
            "end": len(text) + len(people[who]),
            "entity": f"E{who + 1}",
        }
        text += people[who] + ".\n\n"
        quotes.append(
            {
                "id": f"Q{number}",
                "text": said,
                "start": start,
                "end": start + len(said),
                "kind": "direct",
                "speaker": speaker,
                "cue": None,
            }
        )
    published = None if n % 10 == 0 else f"20{10 + n % 16}-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00"
    return {
        "schema_version": 1,
        "id": f"d{n}",
        "source": {
            "uri": f"https://site{n % 30}.example/{n}",
            "media_type": "text/plain",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        },
        "meta": {"title": f"Document {n}", "published": published},
        "text": text.rstrip(),
        "entities": entities,
        "quotes": quotes,
        "provenance": {"presspipe": "0.1.0", "pipeline": {"name": "news", "sha256": "b" * 64}, "steps": []},
        "errors": [],
    }


def before(store: Store, filters: Filters, pages: int) -> None:
    cursor = None
    for _ in range(pages):
        cursor = store.list_documents(filters, limit=50, cursor=cursor).next_cursor
    store.count(filters)
    store.corpus.speakers(CorpusFilters(), limit=10)
    store.corpus.entities(CorpusFilters(), limit=10)


def now(store: Store, filters: Filters, pages: int) -> None:
    cursor = None
    for _ in range(pages - 1):
        cursor = store.list_documents(filters, limit=50, cursor=cursor).next_cursor
    store.list_documents(filters, limit=50, cursor=cursor, locate=True)
    store.count(filters)
    facets = CorpusFilters(within=filters) if filters != Filters() else CorpusFilters()
    store.corpus.speakers(facets, limit=10)
    store.corpus.entities(facets, limit=10)
    store.count(Filters(undated=True))


def timed(
    ask: Callable[[Store, Filters, int], None], store: Store, filters: Filters, pages: int, runs: int
) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        ask(store, filters, pages)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--store", default=None, help="a store URL (default: a new SQLite file)")
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(args.store or Path(folder) / "home.db")
        started = time.perf_counter()
        for first in range(0, args.documents, 500):
            store.put_many([document(n, rng) for n in range(first, min(first + 500, args.documents))])
        store.maintain()
        print(f"{args.documents:,} documents stored in {time.perf_counter() - started:.1f} s")
        cases = {
            "no filter": Filters(),
            "entity=family7 (a surname of 3 people)": Filters(entity="family7"),
            "q=word17 (a common word)": Filters(q="word17"),
            "speaker=person1500 family100": Filters(speaker="person1500 family100"),
            "undated": Filters(undated=True),
        }
        print(f"{'filter':42} {'page':>4} {'before: median, p90 ms':>24} {'now: median, p90 ms':>22}")
        for name, filters in cases.items():
            for pages in (1, 3):
                was = timed(before, store, filters, pages, args.runs)
                is_ = timed(now, store, filters, pages, args.runs)
                print(f"{name:42} {pages:>4} {was[0]:>14.1f} {was[1]:>9.1f} {is_[0]:>12.1f} {is_[1]:>9.1f}")
        store.close()


if __name__ == "__main__":
    main()
