"""The hooks a presspipe plugin can implement.

Grouped by phase, one docstring each, as pytest's ``hookspec.py`` does. Every hook has a
section in ``docs/plugins.md`` and a test; ``tests/test_hookspecs.py`` fails otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from presspipe.document import Document
    from presspipe.specs import ExporterSpec, ReaderSpec, StepSpec

hookspec = pluggy.HookspecMarker("presspipe")
hookimpl = pluggy.HookimplMarker("presspipe")


# -------------------------------------------------------------------------
# Registration: what a plugin offers. Called once, when plugins are loaded.
# -------------------------------------------------------------------------


@hookspec
def presspipe_steps() -> list[StepSpec]:
    """Return the step types this plugin offers, as ``StepSpec`` objects.

    A step name (``"quotes.extract"``) may be offered by one plugin only; the loader reports
    a clash naming both plugins.
    """


@hookspec
def presspipe_exporters() -> list[ExporterSpec]:
    """Return the export formats this plugin offers, as ``ExporterSpec`` objects.

    Exporters turn a stream of documents into text chunks, or bytes for a binary format
    (``binary=True``: Parquet), for ``presspipe run --format`` and ``GET /v1/export?format=``.
    A format name may be offered by one plugin only.
    """


@hookspec
def presspipe_readers() -> list[ReaderSpec]:
    """Return the input readers this plugin offers, as ``ReaderSpec`` objects.

    ``presspipe run`` hands each input to the reader whose file pattern (``"*.warc.gz"``)
    or URI scheme (``"s3"``) takes it; the longest matching pattern wins. A reader name,
    pattern or scheme may be taken by one reader only.
    """


# -------------------------------------------------------------------------
# Events: observers (metrics, logging). Return values are ignored.
# -------------------------------------------------------------------------


@hookspec
def presspipe_batch_done(step: str, documents: list[Document], seconds: float) -> None:
    """Called after step ``step`` has processed a batch, with the batch and the seconds it took.

    ``documents`` are the documents the step returned, failed ones included (their
    ``errors`` say so). Do not modify them.
    """


@hookspec
def presspipe_document_failed(step: str, document: Document, error: dict[str, Any]) -> None:
    """Called when a document fails, with the step that failed it and the error recorded.

    ``error`` is the entry appended to ``document["errors"]``: ``{"step", "code", "message"}``.
    The run goes on with the rest of the batch.
    """
