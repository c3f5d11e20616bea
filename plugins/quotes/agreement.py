"""Gender and number agreement between a pronoun speaker and the entity it may refer to.

The gender of a PERSON entity is the ``gender`` the entities step stored with it
(``entities.spacy`` decides it from honorifics, the pronouns that refer to it and the given
name: ``plugins/entities/gender.py``); an entity without one agrees with "he" and "she" alike.
"""

from __future__ import annotations

from typing import Any

PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
PLURAL_PRONOUNS = {"they", "them", "we"}
GROUP_LABELS = {"ORG", "NORP", "GPE"}


def entity_gender(entity: dict[str, Any]) -> str | None:
    """The gender stored with a PERSON entity (``male``/``female``), else None."""
    gender = entity.get("gender") if entity.get("label") == "PERSON" else None
    return gender if gender in ("male", "female") else None


def agrees(pronoun: str, entity: dict[str, Any], gender: str | None) -> bool:
    """Whether ``pronoun`` (lower case) can refer to ``entity`` of ``gender`` (None: not known)."""
    label = entity.get("label")
    if pronoun in PRONOUN_GENDER or pronoun == "i":
        return label == "PERSON" and (gender is None or pronoun == "i" or gender == PRONOUN_GENDER[pronoun])
    if pronoun in PLURAL_PRONOUNS:
        return label in GROUP_LABELS
    return True
