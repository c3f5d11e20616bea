"""Publication dates: presspipe's ``meta.published`` against htmldate's fast and extensive modes, one run.

Usage::

    python eval/dates.py CORPUS [--errors tune]

CORPUS is the dates corpus (``gold.json`` with each page's address and day, ``html/<name>.gz``;
see its SOURCE.md). Each page is decoded as presspipe's HTML reader decodes it and run
through the ``clean.html`` step, once without its address and once with it (as a JSONL
``uri`` or a WARC record gives it); htmldate's ``find_date(html, extensive_search=False,
original_date=True)`` (fast) and ``extensive_search=True`` (extensive) run on the same text in
the same run. Day-level: precision is right
days / pages given a day (a page whose gold has no date counts as wrong when given one),
coverage is pages given a day / all pages. The pages are split in two halves by a hash of
their site (the host name without ``www.``), so that no site has pages on both sides: the
rules were tuned looking at the ``tune`` half only; ``held`` is the other half.

Nothing from the corpus is written anywhere. Exits 0 with "skipped: corpus not found"
when CORPUS is absent, so CI can run it unconditionally.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from splits import half

from presspipe import config_with_defaults, new_document
from presspipe.plugins.clean.config import HTML_SCHEMA
from presspipe.plugins.clean.html import CleanHtml
from presspipe.plugins.readers.decode import DecodeError, decode_html

Finder = Callable[[str, str | None], str | None]


def presspipe_finder() -> Finder:
    step = CleanHtml(config_with_defaults(HTML_SCHEMA, {}))

    def find(html: str, url: str | None) -> str | None:
        document = new_document(html=html, uri=url)
        step([document], None)  # type: ignore[arg-type]  # clean.html does not use the run context
        published = document["meta"].get("published")  # kept on pages where no article was found
        return published[:10] if published else None

    return find


def htmldate_finder(extensive: bool = False) -> Finder:
    from htmldate import find_date

    def find(html: str, url: str | None) -> str | None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found: str | None = find_date(html, url=url, extensive_search=extensive, original_date=True)
        return found

    return find


def score(results: list[tuple[str | None, str | None]]) -> tuple[float, float, int]:
    """Precision, coverage and page count of ``(gold day or None, found day or None)`` pairs."""
    given = [(gold, found) for gold, found in results if found]
    right = sum(gold == found for gold, found in given)
    precision = right / len(given) if given else 0.0
    return precision, len(given) / len(results) if results else 0.0, len(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--errors", choices=["tune", "held", "all"], help="list the wrong dates of a half")
    args = parser.parse_args(argv)
    if not (args.corpus / "gold.json").is_file():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    gold: dict[str, dict[str, Any]] = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
    finders = {
        "presspipe": presspipe_finder(),
        "htmldate fast": htmldate_finder(),
        "htmldate ext": htmldate_finder(extensive=True),
    }
    results: dict[tuple[str, bool], dict[str, str | None]] = {}
    seconds = dict.fromkeys(finders, 0.0)
    undecodable = []
    for name, entry in sorted(gold.items()):
        try:
            html, _charset = decode_html(gzip.decompress((args.corpus / "html" / f"{name}.gz").read_bytes()))
        except DecodeError as error:
            undecodable.append(f"{name}: {error}")
            continue
        for system, find in finders.items():
            for with_url in (False, True):
                started = time.perf_counter()
                found = find(html, entry["url"] if with_url else None)
                seconds[system] += time.perf_counter() - started
                results.setdefault((system, with_url), {})[name] = found
    days = {name: entry["date"] if isinstance(entry["date"], str) else None for name, entry in gold.items()}
    print(
        f"{len(gold)} pages ({sum(d is None for d in days.values())} with no date); undecodable: {len(undecodable)}"
    )
    print(f"{'system':<14} {'address':<8} {'part':<6} {'precision':>9} {'coverage':>9} {'pages':>6}")
    for (system, with_url), found in results.items():
        for part in ("all", "tune", "held"):
            names = [n for n in found if part == "all" or half(gold[n]["url"]) == part]
            precision, coverage, pages = score([(days[n], found[n]) for n in names])
            address = "with" if with_url else "without"
            print(f"{system:<14} {address:<8} {part:<6} {precision:>9.3f} {coverage:>9.3f} {pages:>6}")
    for system, spent in seconds.items():
        print(f"{system}: {1000 * spent / max(1, 2 * len(gold)):.1f} ms a page")
    if args.errors:
        for (system, with_url), found in results.items():
            if system != "presspipe":
                continue
            for name, day in sorted(found.items()):
                if (
                    day
                    and day != days[name]
                    and (args.errors == "all" or half(gold[name]["url"]) == args.errors)
                ):
                    print(f"wrong ({'url' if with_url else 'no url'}): {name} gold {days[name]} found {day}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
