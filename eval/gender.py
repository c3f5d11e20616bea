"""Evaluate the gender ``entities.spacy`` gives the people ``quotes.extract`` finds as speakers.

    python eval/gender.py /work/shared/corpora/polnear/dev [--gold eval/gold/polnear_dev_gender.tsv] [--show 10]

PolNeAR has no gender gold, so ``eval/gold/polnear_dev_gender.tsv`` holds one made by hand:
every PERSON entity that is a quote speaker in the dev split (as the pipeline of this commit's
parent found them, 280 names), labelled female, male, unknown (the text gives no evidence) or
none (not a person). Public figures (candidates, officials, journalists) were labelled from
what is known of them; a partial name that can be two people ("Clinton", "Roberts") from its
article; private people from the article's pronouns or honorifics where it gives them, else
from their given name as a reader takes it. Only names are kept, no corpus text.

For every speaker entity the gold labels female or male, the system's ``gender`` is right,
wrong, or null. **Precision** = right / (right + wrong); **coverage** = (right + wrong) /
speakers labelled. Articles are split in two halves by the parity of a hash of their file name:
``tune`` (looked at while building the rules) and ``held`` (reported beside it). Speakers the
gold does not list are counted as unlabelled. Exits 0 with a message without the split.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from headlines import run

GOLD = Path(__file__).resolve().parent / "gold" / "polnear_dev_gender.tsv"


def read_gold(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Gold by name, and by (article prefix, name) for names that are two people."""
    by_name: dict[str, str] = {}
    by_article: dict[tuple[str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) == 3:
            by_article[(fields[0], fields[1])] = fields[2]
        else:
            by_name[fields[0]] = fields[1]
    return by_name, by_article


def half(name: str) -> str:
    return "held" if hashlib.sha256(name.encode()).digest()[0] % 2 else "tune"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split folder (with text/)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="the hand-made gold (name<TAB>gender)")
    parser.add_argument("--show", type=int, default=0, help="print up to N errors of the tune half")
    args = parser.parse_args()
    folder = args.split / "text"
    if not folder.is_dir():
        print(f"skipped: no PolNeAR split at {args.split}")
        return 0
    by_name, by_article = read_gold(args.gold)
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}
    counts: dict[str, Counter[str]] = {"tune": Counter(), "held": Counter()}
    errors: list[str] = []
    for document in run(texts, with_entities=True):
        name = str(document["id"])
        entities = {e["id"]: e for e in document.get("entities", [])}
        speakers = {(q.get("speaker") or {}).get("entity") for q in document.get("quotes", [])}
        for entity_id in sorted(s for s in speakers if s in entities):
            entity = entities[entity_id]
            if entity["label"] != "PERSON":
                continue
            gold = by_article.get((name[:40], entity["name"])) or by_name.get(entity["name"])
            tally = counts[half(name)]
            if gold is None:
                tally["unlabelled"] += 1
                continue
            if gold not in ("female", "male"):
                tally[f"gold {gold}"] += 1
                continue
            tally["labelled"] += 1
            found = entity.get("gender")
            if found is None:
                tally["null"] += 1
            elif found == gold:
                tally["right"] += 1
            else:
                tally["wrong"] += 1
                if half(name) == "tune":
                    errors.append(f"{name[:40]}: {entity['name']!r} is {gold}, given {found}")
    for part in ("tune", "held"):
        c = counts[part]
        decided = c["right"] + c["wrong"]
        precision = c["right"] / decided if decided else 0.0
        coverage = decided / c["labelled"] if c["labelled"] else 0.0
        print(
            f"{part}: speakers labelled female/male {c['labelled']}, right {c['right']}, wrong {c['wrong']}, "
            f"null {c['null']}; precision {precision:.3f}, coverage {coverage:.3f} "
            f"(not persons {c['gold none']}, unknown {c['gold unknown']}, unlabelled {c['unlabelled']})"
        )
    for line in errors[: args.show]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
