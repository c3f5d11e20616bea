"""Processed documents for the corpus tests, written here: people named in full or in part, quoted."""

from __future__ import annotations

import hashlib
from typing import Any

PIPELINE_SHA = "c" * 64


def article(
    n: int,
    people: list[str],
    *,
    quotes: list[tuple[int, str]] | None = None,
    places: tuple[str, ...] = ("Kyiv",),
    published: str | None = "2026-01-06T07:03:00",
    uri: str | None = None,
    kind: str = "direct",
    genders: dict[int, str | None] | None = None,
    roles: dict[int, str] | None = None,
    also: dict[int, list[str]] | None = None,
    label: str = "PERSON",
) -> dict[str, Any]:
    """A document naming ``people`` (each an entity of ``label``, as written) and ``places``;
    ``quotes`` are ``(index into people, words)``, each said by that person. ``genders`` and
    ``roles`` (a class) give people the ``gender`` and ``role`` the entities step would; ``also`` more mentions of a person, each
    written "Mr. Obama" (the honorific before the span) or "Obama". Spans are consistent."""
    text = ""
    entities: list[dict[str, Any]] = []

    def add(piece: str) -> dict[str, Any]:
        nonlocal text
        start = len(text)
        text += piece
        return {"text": piece, "start": start, "end": start + len(piece)}

    for number, name in enumerate(people, start=1):
        mention = add(name)
        add(f" spoke on day {n}.\n\n")
        entity = {"id": f"E{number}", "name": name, "label": label, "salience": 0.1, "mentions": [mention]}
        if genders is not None and number - 1 in genders:
            entity["gender"] = genders[number - 1]
        if roles is not None and number - 1 in roles:
            entity["role"] = {"class": roles[number - 1], "text": f"a {roles[number - 1]}"}
        for written in (also or {}).get(number - 1, []):
            *honorific, surname = written.split()
            add(" ".join([*honorific, ""]))
            entity["mentions"].append(add(surname))
            add(" spoke again.\n\n")
        entities.append(entity)
    for number, place in enumerate(places, start=len(people) + 1):
        add("It happened in ")
        mention = add(place)
        add(".\n\n")
        entities.append(
            {"id": f"E{number}", "name": place, "label": "GPE", "salience": 0.1, "mentions": [mention]}
        )
    found_quotes = []
    for number, (who, words) in enumerate(quotes or [], start=1):
        said = add(f"\u201c{words}\u201d")
        add(", said ")
        speaker = add(people[who])
        add(".\n\n")
        entities[who]["mentions"].append(dict(speaker))
        found_quotes.append(
            {
                "id": f"Q{number}",
                **said,
                "kind": kind,
                "speaker": {**speaker, "entity": f"E{who + 1}"},
                "cue": None,
            }
        )
    text = text.rstrip()
    return {
        "schema_version": 1,
        "id": f"art{n:04d}",
        "source": {
            "uri": uri or f"https://www.example{n % 2}.com/news/{n}",
            "media_type": "text/plain",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        },
        "meta": {"title": f"Article {n}", "published": published},
        "text": text,
        "entities": entities,
        "quotes": found_quotes,
        "provenance": {
            "presspipe": "0.1.0",
            "pipeline": {"name": "news", "sha256": PIPELINE_SHA},
            "steps": [],
        },
        "errors": [],
    }
