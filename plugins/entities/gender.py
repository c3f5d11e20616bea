"""The gender a document gives a person: ``"female"``, ``"male"`` or None (no evidence).

Evidence, strongest first:

1. **Honorifics** before a mention ("Mr. Smith", "Mrs. Clinton", "Ms.", "Sir", "Dame"...):
   the majority of them (a tie: no decision from honorifics).
2. **Pronouns that refer to it** (``pronoun_votes``): a third-person pronoun ("he", "his",
   "she", "her"...) votes for the last person mention before it in its sentence or the one
   before, when every person mention there names the same person (one name ends the other:
   "Barack Obama ... Obama ... he"). With two people in that window the pronoun is left out.
   A gender needs two thirds of the votes.
3. **The given name** of a name of two words or more, through ``gender-guesser``'s offline
   name lists (``male``/``mostly_male``, ``female``/``mostly_female``; ``andy`` (either) and
   unknown names give None). A name of one word gives None.

``person_gender(entity, text)`` is the one entry point for other steps: the gender the
entities step stored (``entity["gender"]``), else rules 1 and 3 over the entity's mentions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord|Madam)\.?\s+$")
FEMALE_HONORIFICS = {"Mrs", "Ms", "Miss", "Dame", "Lady", "Madam"}
PRONOUN_GENDER = {
    "he": "male",
    "him": "male",
    "his": "male",
    "himself": "male",
    "she": "female",
    "her": "female",
    "hers": "female",
    "herself": "female",
}
PRONOUN_SHARE = 2 / 3
"""The share of a person's pronoun votes one gender needs."""


@cache
def _detector() -> Any:
    import gender_guesser.detector as gender_detector

    return gender_detector.Detector(case_sensitive=False)


@cache
def given_name_gender(name: str) -> str | None:
    """``male``, ``female`` or None for a given name."""
    guess = str(_detector().get_gender(name))
    if guess in ("male", "mostly_male"):
        return "male"
    if guess in ("female", "mostly_female"):
        return "female"
    return None


def honorific_gender(text: str, start: int) -> str | None:
    """The gender of the honorific right before ``text[start:]`` ("Mrs. " -> female), or None."""
    match = HONORIFIC.search(text[max(0, start - 8) : start])
    if not match:
        return None
    return "female" if match.group(1) in FEMALE_HONORIFICS else "male"


def name_gender(name: str) -> str | None:
    """The gender of a name's given name (rule 3): None for a name of one word."""
    words = name.split()
    if len(words) < 2:
        return None
    return given_name_gender(words[0].strip(".,"))


def decide(honorifics: Counter[str], pronouns: Counter[str], name: str) -> str | None:
    """The gender from the evidence of the module docstring, strongest first."""
    if honorifics["male"] != honorifics["female"]:
        return "male" if honorifics["male"] > honorifics["female"] else "female"
    votes = pronouns["male"] + pronouns["female"]
    if votes:
        top = "male" if pronouns["male"] >= pronouns["female"] else "female"
        if pronouns[top] >= PRONOUN_SHARE * votes:
            return top
    return name_gender(name)


def pronoun_votes(
    doc: Doc, spans: Sequence[tuple[int, int]], same_person: Callable[[int, int], bool]
) -> list[Counter[str]]:
    """For each person mention (``spans``: character offsets, in text order), the genders of the
    pronouns that refer to it (rule 2). ``same_person(i, j)``: whether mentions ``i`` and ``j``
    may name one person."""
    votes: list[Counter[str]] = [Counter() for _ in spans]
    starts = [start for start, _ in spans]
    if not spans or not doc.has_annotation("SENT_START"):
        return votes  # a parse without sentences (a bare NER model) gives no pronoun evidence
    sentence_starts = [sent.start_char for sent in doc.sents]
    for token in doc:
        gender = PRONOUN_GENDER.get(token.lower_)
        if gender is None or token.pos_ != "PRON":
            continue
        sentence = bisect_left(sentence_starts, token.idx + 1) - 1
        window_start = sentence_starts[max(sentence - 1, 0)]
        first = bisect_left(starts, window_start)
        last = bisect_left(starts, token.idx)
        before = [i for i in range(first, last) if spans[i][1] <= token.idx]
        if before and all(same_person(i, before[-1]) for i in before):
            votes[before[-1]][gender] += 1
    return votes


def person_gender(entity: dict[str, Any], text: str) -> str | None:
    """The gender of a PERSON entity in ``text`` (its mentions' offsets index it), or None: the
    one the entities step stored, else from honorifics and the given name."""
    if "gender" in entity:
        stored = entity["gender"]
        return stored if stored in ("male", "female") else None
    honorifics = Counter(
        gender
        for mention in entity.get("mentions", [])
        if (gender := honorific_gender(text, mention["start"])) is not None
    )
    return decide(honorifics, Counter(), str(entity.get("name", "")))
