"""Count which reported-speech candidates PolNeAR annotates: ``plugins/quotes/reported.json``.

    python eval/train_reported.py /work/shared/corpora/polnear/train [--parse-cache /tmp/speech-parses]

Runs ``entities.spacy`` and the candidate search of ``quotes.extract`` (``reported.py``) over
a split. A candidate is a hit when its cue word starts inside a relation's Cue span and at least
half of its content's alphanumeric characters lie inside that relation's Content. For each
(cue lemma, construction, speaker kind) seen at least ``--min-seen`` times and hit at least
``--min-hits`` times the file keeps ``[hits, seen]``, and the same for the head lemmas of
common-noun speakers (kept when seen ``--min-seen`` times or hit once): counts only, no
article text. Never run it on the split you report figures on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attributions import alnum
from polnear import Article, read_split
from quotes import CachedContext

from presspipe import RunContext, config_with_defaults
from presspipe.document import new_document
from presspipe.plugins.quotes.lexicon import load_lexicon
from presspipe.plugins.quotes.reported import ReportedSearch
from presspipe.plugins.quotes.state import Settings
from presspipe.registry import load_registry

OUT = Path(__file__).resolve().parent.parent / "plugins" / "quotes" / "reported.json"


def count(articles: list[Article], context: RunContext, batch: int = 16) -> tuple[Counter[Any], ...]:
    """(hits, seen) counters over (lemma, construction, speaker kind), then (hits, seen) over the
    lemmas of common-noun speakers."""
    registry = load_registry()
    entities_spec = registry.steps["entities.spacy"]
    entities_step = entities_spec.factory(config_with_defaults(entities_spec.config_schema, {}))
    settings = Settings(load_lexicon(2, 0.03))
    hits: Counter[tuple[str, str, str]] = Counter()
    seen: Counter[tuple[str, str, str]] = Counter()
    speaker_hits: Counter[str] = Counter()
    speaker_seen: Counter[str] = Counter()
    for i in range(0, len(articles), batch):
        chunk = articles[i : i + batch]
        documents = entities_step([new_document(text=a.text, id=a.name) for a in chunk], context)
        for article, document, doc in zip(chunk, documents, context.parse(documents), strict=True):
            text = article.text
            gold = [(a.cue, alnum(text, a.content)) for a in article.attributions]
            search = ReportedSearch(doc, document["entities"], settings)
            for candidate in search.reported_candidates():
                key = (candidate.lemma, candidate.construction, candidate.speaker_kind)
                seen[key] += 1
                chars = alnum(text, [(candidate.start, candidate.end)])
                cue = candidate.cue.idx
                hit = any(
                    any(start <= cue < end for start, end in cue_spans)
                    and len(chars & content) >= 0.5 * len(chars)
                    for cue_spans, content in gold
                )
                hits[key] += hit
                if candidate.speaker.pos_ == "NOUN":
                    speaker_seen[candidate.speaker.lemma_.lower()] += 1
                    speaker_hits[candidate.speaker.lemma_.lower()] += hit
        context.end_batch()
    return hits, seen, speaker_hits, speaker_seen


def one_entry_a_line(payload: dict[str, Any]) -> str:
    """The payload as JSON with one lemma (or dependency label) a line, so that diffs stay readable."""
    lines = []
    for key, value in payload.items():
        if isinstance(value, dict):
            entries = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in value.items()]
            lines.append(f"{json.dumps(key)}: {{\n" + ",\n".join(entries) + "\n}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split directory (with text/ and attributions/)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-seen", type=int, default=3, help="drop (lemma, construction) pairs seen less")
    parser.add_argument("--min-hits", type=int, default=1, help="drop pairs annotated fewer times")
    parser.add_argument("--parse-cache", type=Path, help="keep parses in this directory (under /tmp)")
    args = parser.parse_args()
    if not (args.split / "text").is_dir():
        print(f"{args.split}: no PolNeAR split there; nothing to count.")
        return 0
    articles = read_split(args.split)
    context: RunContext = CachedContext(args.parse_cache) if args.parse_cache else RunContext()
    hits, seen, speaker_hits, speaker_seen = count(articles, context)
    cues: dict[str, dict[str, dict[str, list[int]]]] = {}
    for key, n in sorted(seen.items(), key=lambda kv: (-hits[kv[0]], kv[0])):
        lemma, construction, kind = key
        if n >= args.min_seen and hits[key] >= args.min_hits:
            cues.setdefault(lemma, {}).setdefault(construction, {})[kind] = [hits[key], n]
    speakers = {
        lemma: [speaker_hits[lemma], n]
        for lemma, n in sorted(speaker_seen.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= args.min_seen or speaker_hits[lemma]
    }
    payload = {
        "description": "Reported-speech candidates in PolNeAR (eval/train_reported.py): per cue lemma, "
        "construction and speaker kind, and per common-noun speaker lemma, [annotated as attributions, seen]; "
        "counts only.",
        "corpus": args.split.name,
        "articles": len(articles),
        "cues": cues,
        "speakers": speakers,
    }
    args.out.write_text(one_entry_a_line(payload), encoding="utf-8")
    pairs = sum(len(v) for v in cues.values())
    print(
        f"{pairs} (lemma, construction) pairs over {len(cues)} lemmas from {len(articles)} articles -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
