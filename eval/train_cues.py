"""Count the cue lexicon of ``quotes.extract`` from a PolNeAR split's Cue spans.

    python eval/train_cues.py /work/shared/corpora/polnear/train [--out plugins/quotes/cues.json]

For every annotated Cue the key is its head lemma (the first verb of the span, else the
lemmas of its words: ``said`` -> ``say``, ``has learned`` -> ``learn``, ``according to`` ->
``according to``). Next to how often a key is a cue (``cue``, and ``quote`` when the
attribution's Content holds a quotation mark) the script counts how often the key occurs
in the split's texts at all (``total``), so the step can tell a reliable cue ("say") from
an ambiguous one ("see"). Only these counts are written: no article text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from polnear import gold_quote, read_split

from presspipe.analysis import DEFAULT_MODEL

OUT = Path(__file__).resolve().parent.parent / "plugins" / "quotes" / "cues.json"
VERB_TAGS = {"VERB", "AUX"}
SKIP_WORDS = {"also", "not", "n't", "never", "has", "have", "had", "is", "was", "be", "been", "will", "would"}


def cue_key(tokens: list[spacy.tokens.Token]) -> str | None:
    """The lexicon key of a cue span's tokens."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words:
        return None
    verbs = [t for t in words if t.pos_ == "VERB"]
    if verbs:
        return verbs[0].lemma_.lower()
    content = [t for t in words if t.lower_ not in SKIP_WORDS] or words
    if len(content) > 3:
        return None
    return " ".join(t.lemma_.lower() if t.pos_ in VERB_TAGS else t.lower_ for t in content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split directory (with text/ and attributions/)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-count", type=int, default=2, help="drop keys seen fewer times as a cue")
    args = parser.parse_args()
    if not (args.split / "text").is_dir():
        print(f"{args.split}: no PolNeAR split there; nothing to train.")
        return 0
    articles = read_split(args.split)
    nlp = spacy.load(DEFAULT_MODEL, disable=["parser", "ner"])
    cue: Counter[str] = Counter()
    quote: Counter[str] = Counter()
    total: Counter[str] = Counter()
    words: Counter[str] = Counter()
    docs = nlp.pipe((a.text for a in articles), batch_size=16)
    for article, doc in zip(articles, docs, strict=True):
        for token in doc:
            if token.pos_ == "VERB":
                total[token.lemma_.lower()] += 1
            else:
                words[token.lower_] += 1
        for attribution in article.attributions:
            tokens = [
                t for start, end in attribution.cue for t in doc if start <= t.idx < end and not t.is_space
            ]
            key = cue_key(tokens)
            if key is None:
                continue
            cue[key] += 1
            if gold_quote(article.text, attribution):
                quote[key] += 1
    # Phrase and non-verb keys: count their plain occurrences in the texts.
    texts = [a.text.lower() for a in articles]
    for key in cue:
        if key not in total:
            total[key] = sum(t.count(key) for t in texts) if " " in key else words[key]
    lexicon = {
        key: {"cue": n, "quote": quote[key], "total": max(total[key], n)}
        for key, n in sorted(cue.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= args.min_count
    }
    payload = {
        "description": "Cue lemma counts from PolNeAR Cue spans (eval/train_cues.py); counts only.",
        "corpus": str(args.split.name),
        "articles": len(articles),
        "cues": lexicon,
    }
    args.out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(lexicon)} cue keys from {sum(cue.values())} cues in {len(articles)} articles -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
