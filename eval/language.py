"""Language detection on real news pages: ``meta.language`` against each page's declared ``<html lang>``.

Usage::

    python eval/language.py CORPUS

CORPUS is the dates corpus (``gold.json``, ``html/<name>.gz``; pages from many countries). It
has no language gold, so each page's own declaration (``<html lang="de-DE">``, primary subtag)
is the reference: pages that declare none are left out, and a declaration can itself be wrong
(a site's template language), so agreement is a floor for accuracy. Each page goes through
``clean.html`` with language detection only (the declaration is not used as a fallback here),
and the same text through lingua-language-detector when it is installed (it is not a
dependency). Prints agreement, pages given no language, and the disagreements.

Nothing from the corpus is written anywhere. Exits 0 with "skipped: corpus not found"
when CORPUS is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from presspipe import config_with_defaults, new_document
from presspipe.plugins.clean.config import HTML_SCHEMA
from presspipe.plugins.clean.html import CleanHtml
from presspipe.plugins.clean.language import detect_language
from presspipe.plugins.readers.decode import DecodeError, decode_html

DECLARED = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.I)


def lingua_detector() -> Callable[[str], str | None] | None:
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text[:3000])
        return found.iso_code_639_1.name.lower() if found else None

    return detect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args(argv)
    if not (args.corpus / "gold.json").is_file():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    names = sorted(json.loads((args.corpus / "gold.json").read_text(encoding="utf-8")))
    detectors: dict[str, Callable[[str], str | None]] = {"py3langid (presspipe)": detect_language}
    lingua = lingua_detector()
    if lingua:
        detectors["lingua"] = lingua
    step = CleanHtml(config_with_defaults(HTML_SCHEMA, {"min_words": 0}))
    pairs: dict[str, list[tuple[str, str, str | None]]] = {name: [] for name in detectors}
    seconds = dict.fromkeys(detectors, 0.0)
    for name in names:
        try:
            html, _charset = decode_html(gzip.decompress((args.corpus / "html" / f"{name}.gz").read_bytes()))
        except DecodeError:
            continue
        declared = DECLARED.search(html[:20_000])
        if not declared:
            continue
        document = new_document(html=html)
        step([document], None)  # type: ignore[arg-type]  # clean.html does not use the run context
        if document["errors"]:
            continue
        for system, detect in detectors.items():
            started = time.perf_counter()
            found = detect(document["text"])
            seconds[system] += time.perf_counter() - started
            pairs[system].append((name, declared.group(1).lower(), found))
    for system, results in pairs.items():
        given = [(n, d, f) for n, d, f in results if f]
        agree = sum(d == f for _n, d, f in given)
        print(
            f"{system}: {len(results)} pages declaring a language; agrees on {agree}/{len(given)} it names "
            f"({agree / max(1, len(given)):.3f}); no language for {len(results) - len(given)}; "
            f"{1000 * seconds[system] / max(1, len(results)):.1f} ms a page"
        )
        languages = sorted({d for _n, d, _f in results})
        print(f"  declared languages ({len(languages)}): {' '.join(languages)}")
        for name, declared_code, found in given:
            if declared_code != found:
                print(f"  {name}: declared {declared_code}, found {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
