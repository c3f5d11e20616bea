"""Evaluate who a "he" or "she" speaker is: ``quotes.extract``'s pronoun resolution on PolNeAR.

    python eval/pronouns.py /work/shared/corpora/polnear/dev [--labels eval/pronouns_dev.tsv]
        [--errors 20] [--parse-cache /tmp/dir]

PolNeAR marks Sources, not what a pronoun refers to. ``pronouns_dev.tsv`` holds that, labelled
by reading the articles: every "he"/"she" Source of the dev split's second half (the half
``quotes.extract`` was not tuned on), 132 of them, each with the character offsets of a mention
of the person a reader takes it to mean (offsets only: no article text in the file), and a set:
in article name and offset order, the even ones are ``tuning`` (the antecedent rules of
``speakers.py`` were changed while reading their errors), the odd ones ``held`` (labelled after
that change, never used to choose anything). For each labelled pronoun, by set:

- **given a speaker**: an attribution has a speaker span starting at the pronoun;
- **named**: that speaker has an entity;
- **right**: that entity has a mention overlapping the labelled one, or its name ends with the
  labelled mention's last word and holds its first word too (or is that one word: "Trump").

Errors are sorted as the issue sorts them: the other gender (an entity whose gender
``agreement.entity_gender`` knows differs from the pronoun's), a name inside the attributed
quote itself, something that is not a person, and the rest. Exits 0 without the corpus.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from polnear import Article, read_split
from quotes import CachedContext, run

from presspipe import RunContext
from presspipe.plugins.quotes.agreement import PRONOUN_GENDER, entity_gender

LABELS = Path(__file__).resolve().parent / "pronouns_dev.tsv"


@dataclass(frozen=True)
class Label:
    article: str
    pronoun: int
    referent: tuple[int, int]
    set: str


def read_labels(path: Path) -> list[Label]:
    """The labelled pronouns of ``path`` (tab-separated; ``#`` lines are comments)."""
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or not all(f.isdigit() for f in fields[1:4]):
            raise SystemExit(
                f"{path}:{number}: expected article, pronoun_start, referent_start, referent_end, set"
            )
        labels.append(Label(fields[0], int(fields[1]), (int(fields[2]), int(fields[3])), fields[4]))
    return labels


def is_right(text: str, entity: dict[str, Any], referent: tuple[int, int]) -> bool:
    start, end = referent
    if any(m["start"] < end and start < m["end"] for m in entity.get("mentions", [])):
        return True
    wanted = text[start:end].lower().split()
    name = str(entity.get("name", "")).lower().split()
    if not wanted or not name or name[-1] != wanted[-1]:
        return False
    return len(name) == 1 or len(wanted) == 1 or wanted[0] in name


def error_kind(pronoun: str, entity: dict[str, Any], quote: dict[str, Any]) -> str:
    if entity.get("label") != "PERSON":
        return "not a person"
    if any(quote["start"] <= m["start"] < quote["end"] for m in entity.get("mentions", [])) and not any(
        m["end"] <= quote["start"] or m["start"] >= quote["end"] for m in entity.get("mentions", [])
    ):
        return "named only inside the quote"
    gender = entity_gender(entity)
    if gender is not None and gender != PRONOUN_GENDER[pronoun]:
        return "other gender"
    return "other person"


def report(
    name: str, labels: list[Label], by_name: dict[str, Article], documents: dict[str, Any]
) -> list[str]:
    """Print the figures of one set of labels; return its errors."""
    given = named = right = 0
    kinds: dict[str, int] = {}
    errors = []
    for label in labels:
        text = by_name[label.article].text
        document = documents[label.article]
        entities = {e["id"]: e for e in document.get("entities", [])}
        quotes = [
            q for q in document.get("quotes", []) if q["speaker"] and q["speaker"]["start"] == label.pronoun
        ]
        if not quotes:
            continue
        given += 1
        quote = quotes[0]
        entity = entities.get(quote["speaker"]["entity"] or "")
        if entity is None:
            continue
        named += 1
        if is_right(text, entity, label.referent):
            right += 1
            continue
        pronoun = "she" if text[label.pronoun : label.pronoun + 3].lower() == "she" else "he"
        kind = error_kind(pronoun, entity, quote)
        kinds[kind] = kinds.get(kind, 0) + 1
        start, end = label.referent
        errors.append(
            f"{label.article} @{label.pronoun}: {entity.get('name')!r} for {text[start:end]!r} ({kind})"
        )
    total = len(labels)
    print(
        f"{name}: {total} pronouns; given a speaker {given} ({given / max(total, 1):.2f}); named {named}; "
        f"right {right} ({right / max(named, 1):.2f} of named); errors: "
        + (", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none")
    )
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="the PolNeAR split the labels are of (dev)")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--errors", type=int, default=0, help="print up to N errors")
    parser.add_argument("--parse-cache", type=Path, help="keep parses in this directory (under /tmp)")
    args = parser.parse_args()
    if not (args.split / "text").is_dir():
        print(f"{args.split}: no PolNeAR split there; skipping.")
        return 0
    labels = read_labels(args.labels)
    by_name = {a.name: a for a in read_split(args.split)}
    missing = sorted({label.article for label in labels} - set(by_name))
    if missing:
        raise SystemExit(f"{args.labels}: articles not in {args.split}: {', '.join(missing[:3])}")
    articles: list[Article] = [by_name[n] for n in sorted({label.article for label in labels})]
    context: RunContext = CachedContext(args.parse_cache) if args.parse_cache else RunContext()
    began = time.perf_counter()
    documents = {d["id"]: d for d in run(articles, context)}
    seconds = time.perf_counter() - began
    print(
        f"{args.labels.name}: {len(labels)} labelled he/she speakers in {len(articles)} articles, {seconds:.1f} s"
    )
    for name in sorted({label.set for label in labels}, reverse=True):
        chosen = [label for label in labels if label.set == name]
        errors = report(name, chosen, by_name, documents)
        for line in errors[: args.errors]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
