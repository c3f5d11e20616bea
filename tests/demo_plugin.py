"""A plugin the core tests register beside the installed ones: small steps with known behaviour."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from presspipe import Document, RunContext, StepSpec, hookimpl


class Upper:
    """Rewrites the text (provides ``text``)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document in documents:
            document["text"] = document["text"].upper()
        return documents


class Words:
    """Annotates: the first ``limit`` words as spans, under the plugin's own key ``words``."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.limit = config["limit"]

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document, doc in zip(documents, context.parse(documents), strict=True):
            document["words"] = [
                {"text": t.text, "start": t.idx, "end": t.idx + len(t.text)} for t in doc if not t.is_space
            ][: self.limit]
        return documents


class Boom:
    """Raises on any document whose text contains 'boom'; leaves the rest alone."""

    def __init__(self, config: dict[str, Any]) -> None:
        pass

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document in documents:
            if "boom" in document["text"]:
                raise ValueError("found a boom")
            document["boomed"] = False
        return documents


class BadSpan:
    """Writes a span whose text does not match the document text (a bug the check must catch)."""

    def __init__(self, config: dict[str, Any]) -> None:
        pass

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document in documents:
            document["words"] = [{"text": "nope", "start": 0, "end": 2}]
        return documents


class Stall:
    """Sleeps ``seconds`` on any document whose text contains 'stall' (a step that overruns)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.seconds = config.get("seconds", 60)

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        if any("stall" in document["text"] for document in documents):
            time.sleep(self.seconds)
        return documents


class Hold:
    """Holds a worker on any document whose text contains 'hold', until the file ``release`` appears
    in ``dir`` (it writes ``holding`` there first); marks every other document it passes with a file
    named by its id. A test sees from ``dir`` what the workers have done, and lets the held one go."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.dir = Path(config["dir"])

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document in documents:
            if "hold" in document["text"]:
                (self.dir / "holding").touch()
                while not (self.dir / "release").exists():
                    time.sleep(0.05)
            else:
                (self.dir / document["id"]).touch()
        return documents


class Crash:
    """Kills its own process on any document whose text contains 'crash' (a worker that dies)."""

    def __init__(self, config: dict[str, Any]) -> None:
        pass

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        if any("crash" in document["text"] for document in documents):
            os.kill(os.getpid(), signal.SIGKILL)
        return documents


WORDS_SCHEMA = {
    "type": "array",
    "items": {"type": "object", "required": ["text", "start", "end"]},
}


@hookimpl
def presspipe_steps() -> list[StepSpec]:
    return [
        StepSpec("demo.upper", Upper, "1.0", provides=("text",)),
        StepSpec(
            "demo.words",
            Words,
            "1.0",
            config_schema={
                "type": "object",
                "additionalProperties": False,
                "properties": {"limit": {"type": "integer", "minimum": 1, "default": 5}},
            },
            requires=("text",),
            provides=("words",),
            adds={"words": WORDS_SCHEMA},
        ),
        StepSpec("demo.boom", Boom, "1.0", provides=("boomed",), adds={"boomed": {"type": "boolean"}}),
        StepSpec("demo.badspan", BadSpan, "1.0", provides=("words",), adds={"words": WORDS_SCHEMA}),
        StepSpec("demo.needs_words", Upper, "1.0", requires=("words",), provides=()),
        StepSpec(
            "demo.stall",
            Stall,
            "1.0",
            config_schema={"type": "object", "properties": {"seconds": {"type": "number", "default": 60}}},
        ),
        StepSpec("demo.crash", Crash, "1.0"),
        StepSpec(
            "demo.hold",
            Hold,
            "1.0",
            config_schema={"type": "object", "required": ["dir"], "properties": {"dir": {"type": "string"}}},
        ),
    ]
