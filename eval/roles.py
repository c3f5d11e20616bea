"""Evaluate the role ``entities.spacy`` gives the people ``quotes.extract`` finds as speakers.

    python eval/roles.py /work/shared/corpora/polnear/dev [--gold eval/gold/polnear_dev_roles.tsv] [--show 10]

PolNeAR has no role gold. ``eval/gold/polnear_dev_roles.tsv`` holds 62 judgements made by hand:
the PERSON quote speakers of dev (with clean.text, entities.spacy and quotes.extract as of the
commit that added it) shuffled with ``random.Random(20)``, the first 100 taken, and each of the
62 of them the pipeline gave a role judged against its article: the class of the set
(docs/steps/entities.md#roles) its descriptor there makes it, or ``none`` when the descriptor
is someone else's. The 38 left without a role were not judged (their articles may give no
descriptor at all), so the script reports precision over the judged speakers and, for the
whole dev split, the share of speakers given any role. Exits 0 with a message without the split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from headlines import run

GOLD = Path(__file__).resolve().parent / "gold" / "polnear_dev_roles.tsv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split folder (with text/)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="article-prefix<TAB>name<TAB>class")
    parser.add_argument("--show", type=int, default=0, help="print up to N errors")
    args = parser.parse_args()
    folder = args.split / "text"
    if not folder.is_dir():
        print(f"skipped: no PolNeAR split at {args.split}")
        return 0
    gold = {}
    for line in args.gold.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            article, name, role = line.split("\t")
            gold[(article, name)] = role
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}
    speakers = with_role = judged = right = 0
    errors = []
    for document in run(texts, with_entities=True):
        entities = {e["id"]: e for e in document.get("entities", [])}
        for entity_id in sorted(
            {(q.get("speaker") or {}).get("entity") for q in document.get("quotes", [])} - {None}
        ):
            entity = entities.get(entity_id)
            if entity is None or entity["label"] != "PERSON":
                continue
            speakers += 1
            role = (entity.get("role") or {}).get("class")
            with_role += role is not None
            expected = gold.get((str(document["id"])[:40], entity["name"]))
            if expected is None or role is None:
                continue
            judged += 1
            right += role == expected
            if role != expected:
                errors.append(f"{str(document['id'])[:40]}: {entity['name']!r} is {expected}, given {role}")
    print(f"speakers {speakers}, given a role {with_role} ({with_role / max(speakers, 1):.3f})")
    print(f"judged {judged}, right {right}: precision {right / max(judged, 1):.3f}")
    for line in errors[: args.show]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
