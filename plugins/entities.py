"""entities.spacy: named-entity mentions from the shared spaCy parse."""

from __future__ import annotations

from typing import Any

from presspipe import Document, RunContext, StepSpec, hookimpl
from presspipe.analysis import DEFAULT_MODEL

VERSION = "0.1.0"

CONFIG_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "model": {"type": "string", "default": DEFAULT_MODEL, "description": "spaCy package name or path"},
        "labels": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["PERSON", "ORG", "GPE", "NORP"],
            "description": "entity labels to keep",
        },
    },
}


class SpacyEntities:
    """Collect the model's entity mentions; one entity per mention for now."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.model: str = config["model"]
        self.labels = set(config["labels"])

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document, doc in zip(documents, context.parse(documents, self.model), strict=True):
            entities: list[dict[str, Any]] = []
            for ent in doc.ents:
                if ent.label_ not in self.labels:
                    continue
                mention = {"text": ent.text, "start": ent.start_char, "end": ent.end_char}
                entities.append(
                    {
                        "id": f"E{len(entities) + 1}",
                        "name": ent.text,
                        "label": ent.label_,
                        "mentions": [mention],
                    }
                )
            document["entities"] = entities
        return documents


@hookimpl
def presspipe_steps() -> list[StepSpec]:
    return [
        StepSpec(
            name="entities.spacy",
            factory=SpacyEntities,
            version=VERSION,
            description="Named entities from spaCy, grouped into canonical entities.",
            config_schema=CONFIG_SCHEMA,
            requires=("text",),
            provides=("entities",),
        )
    ]
