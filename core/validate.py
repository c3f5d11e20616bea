"""Checking a document on its way out: the JSON Schema, then the span invariant.

The schema is the core ``document.schema.json`` plus the fragments (``StepSpec.adds``) of
the steps that ran. The span invariant: every object with integer ``start``/``end`` lies
inside ``text``, and where it also has a ``text``, ``document["text"][start:end]`` equals it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema

from presspipe.document import Document

NOT_SPANS = frozenset({"text", "source", "meta", "removed", "provenance", "errors"})
"""Top-level keys that hold no spans over ``text``."""


@cache
def _core_schema_text() -> str:
    return files("presspipe.schemas").joinpath("document.schema.json").read_text(encoding="utf-8")


def document_schema(adds: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The core document schema, plus top-level keys added by steps (``StepSpec.adds``)."""
    schema: dict[str, Any] = json.loads(_core_schema_text())
    for key, fragment in (adds or {}).items():
        schema["properties"][key] = copy.deepcopy(dict(fragment))
    return schema


class DocumentChecker:
    """Checks documents against one schema; build it once per pipeline, not per document."""

    def __init__(self, adds: Mapping[str, Any] | None = None) -> None:
        self.validator = jsonschema.Draft202012Validator(document_schema(adds))

    def problems(self, document: Document) -> list[str]:
        """What is wrong with ``document``, each naming the field; empty when it is valid."""
        found = [
            f"{'/'.join(map(str, error.absolute_path)) or '(document)'}: {error.message}"
            for error in self.validator.iter_errors(document)
        ]
        text = document.get("text")
        if isinstance(text, str):
            found.extend(span_problems(document, text))
        return found


def span_problems(document: Document, text: str) -> Iterator[str]:
    """Spans that fall outside ``text`` or whose ``text`` differs from what they cover."""
    for key, value in document.items():
        if key in NOT_SPANS:
            continue
        for path, span in _spans(value, key):
            start, end = span["start"], span["end"]
            if not 0 <= start <= end <= len(text):
                yield f"{path}: span [{start}, {end}) lies outside the text (length {len(text)})"
            elif isinstance(span.get("text"), str) and text[start:end] != span["text"]:
                yield f"{path}: text[{start}:{end}] is {text[start:end]!r}, not {span['text']!r}"


def _spans(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            yield path, value
        for key, child in value.items():
            yield from _spans(child, f"{path}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _spans(child, f"{path}/{index}")
