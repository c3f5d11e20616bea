"""Gender and number agreement between a pronoun speaker and the entity it may refer to.

One entry point, ``person_gender``: the gender a document gives a PERSON entity, from an
honorific before one of its mentions ("Mr. Smith", "Mrs. Clinton"), else from its given name
through ``gender-guesser``'s name lists (offline; "mostly" counts, "andy" and unknown names
give None). Names of one word give None unless an honorific tells.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord|Madam)\.?\s+$")
FEMALE_HONORIFICS = {"Mrs", "Ms", "Miss", "Dame", "Lady", "Madam"}
PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
PLURAL_PRONOUNS = {"they", "them", "we"}
GROUP_LABELS = {"ORG", "NORP", "GPE"}


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


def person_gender(entity: dict[str, Any], text: str) -> str | None:
    """The gender of a PERSON entity in ``text`` (its mentions' offsets index it), or None."""
    for mention in entity.get("mentions", []):
        match = HONORIFIC.search(text[max(0, mention["start"] - 8) : mention["start"]])
        if match:
            return "female" if match.group(1) in FEMALE_HONORIFICS else "male"
    words = str(entity.get("name", "")).split()
    if len(words) < 2:
        return None
    return given_name_gender(words[0].strip(".,"))


def agrees(pronoun: str, entity: dict[str, Any], gender: str | None) -> bool:
    """Whether ``pronoun`` (lower case) can refer to ``entity`` of ``gender`` (None: not known)."""
    label = entity.get("label")
    if pronoun in PRONOUN_GENDER or pronoun == "i":
        return label == "PERSON" and (gender is None or pronoun == "i" or gender == PRONOUN_GENDER[pronoun])
    if pronoun in PLURAL_PRONOUNS:
        return label in GROUP_LABELS
    return True
