"""Near-copies (``store.copies``) on news articles and syndicated copies made from them at run time.

    python eval/copies.py ../shared/corpora/polnear/dev/text [--copies-share 0.5]

Every article is stored as an original; a share of them is republished 1-3 times with the edits
syndication makes (another headline, an agency line and dateline, a correction note, a few words
changed, the last paragraph cut), each copy a random mix of them. Prints how many copies point at
their original, how many distinct articles are flagged, and whether the counts with copies left
out equal those of the originals alone. The copies are never written to disk beyond a temporary store.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from presspipe.store import Filters, open_store

EDITS = ("headline", "agency", "dateline", "correction", "words", "cut")


def document(id: str, text: str, outlet: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": id,
        "source": {
            "uri": None,
            "media_type": "text/plain",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        },
        "meta": {"title": text.split("\n", 1)[0][:200], "outlet": outlet},
        "text": text,
        "entities": [],
        "quotes": [],
        "provenance": {"presspipe": "eval", "pipeline": {"name": "eval", "sha256": "e" * 64}, "steps": []},
        "errors": [],
    }


def syndicate(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """A copy of ``text`` with 2-4 of the ``EDITS``; the edits made."""
    edits = rng.sample(EDITS, rng.randint(2, 4))
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    headline, body = paragraphs[0], paragraphs[1:] or [paragraphs[0]]
    if "headline" in edits:
        headline = "Wire report: " + " ".join(reversed(headline.split()))
    if "cut" in edits and len(body) > 3:
        body = body[:-1]
    if "agency" in edits:
        body[0] = "(Agency) \u2014 " + body[0]
    if "dateline" in edits:
        body[0] = "WASHINGTON \u2014 " + body[0]
    if "words" in edits:
        words = "\n\n".join(body).split(" ")
        for _ in range(5):
            words[rng.randrange(len(words))] = rng.choice(["also", "the", "said", "new", "report"])
        body = " ".join(words).split("\n\n")
    if "correction" in edits:
        body.append("Correction: an earlier version of this article misstated a date.")
    return "\n\n".join([headline, *body]), edits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", type=Path, help="a folder of article .txt files (PolNeAR's dev/text)")
    parser.add_argument("--copies-share", type=float, default=0.5, help="share of articles republished")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.texts.is_dir():
        print(f"skipped: no corpus at {args.texts}")
        return 0
    rng = random.Random(args.seed)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(args.texts.glob("*.txt"))}
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "eval.db")
        expected: dict[str, str] = {}
        for name, text in texts.items():
            store.put(document(name, text, "first.example"))
        for name, text in texts.items():
            if rng.random() < args.copies_share:
                for n in range(rng.randint(1, 3)):
                    copy, _ = syndicate(text, rng)
                    store.put(document(f"{name}~copy{n}", copy, f"outlet{n}.example"))
                    expected[f"{name}~copy{n}"] = name
        found: dict[str, str | None] = {}
        cursor = None
        while True:
            page = store.list_documents(Filters(), limit=500, cursor=cursor)
            found.update({i.id: i.copy_of for i in page.items})
            cursor = page.next_cursor
            if cursor is None:
                break
        right = sum(found[copy] == original for copy, original in expected.items())
        missed = [copy for copy, original in expected.items() if found[copy] is None]
        flagged = [name for name in texts if found[name] is not None]
        kept = store.count(Filters(copies=False))
        store.close()
    print(
        f"{len(texts)} articles, {len(expected)} syndicated copies of {len(set(expected.values()))} of them"
    )
    print(f"copies pointing at their original: {right}/{len(expected)} ({right / max(1, len(expected)):.3f})")
    print(f"copies not flagged: {len(missed)} {missed[:5]}")
    print(f"distinct articles flagged as copies: {len(flagged)} {flagged[:5]}")
    print(f"documents counted with copies left out: {kept} (originals: {len(texts)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
