"""``POST /v1/documents`` as a library function: process one document and store it."""

from __future__ import annotations

from dataclasses import dataclass

from presspipe.api.processing import Processing
from presspipe.document import Document, error_messages
from presspipe.ingest import run_into_store
from presspipe.store import Store


class DocumentFailed(Exception):
    """The pipeline ran and failed the document; ``document['errors']`` says why."""

    def __init__(self, document: Document) -> None:
        self.document = document
        reasons = "; ".join(error_messages(document))
        super().__init__(f"the pipeline failed the document: {reasons}")


@dataclass(frozen=True)
class Submitted:
    document: Document
    created: bool
    """False: the same content had been processed by the same pipeline and stored already."""


def submit(processing: Processing, store: Store, pipeline: str, raw: Document) -> Submitted:
    """Process a raw document with ``pipeline`` in a worker and store it; a stored up-to-date
    one is returned as is.

    Raises ``UnknownPipeline``, ``Busy`` (too many waiting), ``DocumentFailed`` (nothing is
    stored; a document over its time budget fails with code ``timeout``), ``ShuttingDown``,
    ``PresspipeError`` (the pipeline cannot be built, e.g. its model is not installed).
    """
    entry = processing.catalogue.entry(pipeline)
    with processing.admit():
        [outcome] = run_into_store([raw], entry.pipeline, processing.process(pipeline), store, batch_size=1)
    if outcome.status == "failed":
        raise DocumentFailed(outcome.document)
    return Submitted(outcome.document, created=outcome.created)
