"""Count the given names of ``entities.spacy``'s label repair: ``plugins/entities/given_names.json``.

    python eval/train_names.py /work/shared/corpora/polnear/train [--parse-cache /tmp/speech-parses]

A given name is a word that starts the model's two- to four-word PERSON spans in the split at
least ``--min-count`` times and, of its capitalised occurrences in the texts, starts such a
span in at least ``--min-share`` of them (so "Donald" is in, "New" and "White" are not). Only
the words and their counts are written: no article text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from polnear import read_split
from quotes import CachedContext

from presspipe import RunContext
from presspipe.document import new_document

OUT = Path(__file__).resolve().parent.parent / "plugins" / "entities" / "given_names.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split directory (with text/)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-share", type=float, default=0.5)
    parser.add_argument("--parse-cache", type=Path, help="keep parses in this directory (under /tmp)")
    args = parser.parse_args()
    if not (args.split / "text").is_dir():
        print(f"{args.split}: no PolNeAR split there; nothing to count.")
        return 0
    articles = read_split(args.split)
    context: RunContext = CachedContext(args.parse_cache) if args.parse_cache else RunContext()
    starts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for i in range(0, len(articles), 16):
        documents = [new_document(text=a.text) for a in articles[i : i + 16]]
        for doc in context.parse(documents):
            for token in doc:
                if token.is_alpha and token.text[:1].isupper() and not token.is_upper:
                    capitalised[token.text] += 1
            for ent in doc.ents:
                words = [t for t in ent if not t.is_space]
                if (
                    ent.label_ == "PERSON"
                    and 2 <= len(words) <= 4
                    and all(t.text[:1].isupper() for t in words)
                ):
                    starts[words[0].text] += 1
        context.end_batch()
    names = {
        word: n
        for word, n in sorted(starts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= args.min_count and words_ok(word) and n >= args.min_share * capitalised[word]
    }
    payload = {
        "description": "Given names: words that start PERSON names in PolNeAR (eval/train_names.py); counts only.",
        "corpus": args.split.name,
        "articles": len(articles),
        "names": names,
    }
    args.out.write_text(json.dumps(payload, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(names)} given names from {len(articles)} articles -> {args.out}")
    return 0


def words_ok(word: str) -> bool:
    """A plain capitalised word (not an initial, not a title such as "Mr")."""
    return word.isalpha() and len(word) > 1 and not word.isupper()


if __name__ == "__main__":
    raise SystemExit(main())
