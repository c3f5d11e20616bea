"""Gender and number agreement between a pronoun speaker and the entity it may refer to.

The gender of a PERSON entity comes from ``presspipe.plugins.entities.gender.person_gender``
(the one the entities step stored, else honorifics and the given name).
"""

from __future__ import annotations

from typing import Any

from presspipe.plugins.entities.gender import PRONOUN_GENDER

PLURAL_PRONOUNS = {"they", "them", "we"}
GROUP_LABELS = {"ORG", "NORP", "GPE"}


def agrees(pronoun: str, entity: dict[str, Any], gender: str | None) -> bool:
    """Whether ``pronoun`` (lower case) can refer to ``entity`` of ``gender`` (None: not known)."""
    label = entity.get("label")
    if pronoun in PRONOUN_GENDER or pronoun == "i":
        return label == "PERSON" and (gender is None or pronoun == "i" or gender == PRONOUN_GENDER[pronoun])
    if pronoun in PLURAL_PRONOUNS:
        return label in GROUP_LABELS
    return True
