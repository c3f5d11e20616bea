"""Taking documents through a pipeline into a store: the one function that does it.

``presspipe run`` (with or without ``--store``), ``POST /v1/documents`` and the API's batches
all call ``run_into_store``: a document already stored under the same id, pipeline hash and
content hash (or whose id the caller already has done) is not run again; the rest go through
the pipeline a batch at a time; those that did not fail are stored, one transaction per
batch; and each document's outcome comes back in input order, counted (when interrupted, the
batches that finished behind the one awaited come back after it, out of order: ``Interrupted``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from presspipe.document import Document, fail, is_failed
from presspipe.executors import Interrupted
from presspipe.limits import Limits
from presspipe.runner import raw_length

if TYPE_CHECKING:
    from presspipe.pipeline import Pipeline
    from presspipe.store import Store

Process = Callable[[Iterable[list[Document]]], Iterable[list[Document]]]
"""Takes batches through the pipeline, yielding each processed batch in input order
(``executors.process_batches``, or a runner's ``process`` called batch by batch)."""

Status = Literal["skipped", "stored", "done", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What became of the ``index``-th input document.

    ``status``: ``skipped`` (not run: already stored, or already done; ``document`` is then
    the stored one when the store had it), ``stored`` (run and stored), ``done`` (run; no
    store given), ``failed`` (run, failed, not stored; its ``errors`` say why).
    """

    index: int
    document: Document
    status: Status
    created: bool = False
    """True when the store wrote the document (False: it held the same one already)."""


@dataclass
class RunCounts:
    skipped: int = 0
    stored: int = 0
    done: int = 0
    failed: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)


def run_into_store(
    documents: Iterable[Document],
    pipeline: Pipeline,
    process: Process,
    store: Store | None = None,
    *,
    batch_size: int = 32,
    batch_chars: int = Limits.batch_chars,
    skip_stored: bool = True,
    done_ids: Collection[str] = frozenset(),
    counts: RunCounts | None = None,
) -> Iterator[Outcome]:
    """Run ``documents`` through ``pipeline`` with ``process`` into ``store``; yield each outcome.

    ``skip_stored``: do not run a document the store holds from the same content and pipeline
    (by hash). ``done_ids``: ids not to run in any case (already in the run's output file).
    A batch holds at most ``batch_size`` documents and closes before a document would take its
    raw input past ``batch_chars`` characters (as ``runner.document_batches``).
    ``counts`` (when given) is kept up to date as outcomes are yielded. Reads ``documents``
    lazily; documents not run are held only until the batch after them comes back.
    """
    held: deque[Outcome] = deque()
    marks: deque[tuple[list[int], int]] = deque()
    """Per batch handed to ``process``: the input indexes of its documents, and the index of
    the first input after it (every held outcome before that is reported with it)."""

    def earlier(document: Document) -> Document | None:
        if document["id"] in done_ids:
            return document
        if store is None or not skip_stored:
            return None
        return store.find(document["id"], pipeline.name, pipeline.sha256, document["source"]["sha256"])

    def batches() -> Iterator[list[Document]]:
        batch: list[Document] = []
        indexes: list[int] = []
        skipped = chars = 0
        end = 0
        for end, document in enumerate(documents, start=1):
            found = earlier(document)
            if found is not None:
                held.append(Outcome(end - 1, found, "skipped"))
                skipped += 1
            else:
                length = raw_length(document)
                if batch and chars + length > batch_chars:
                    marks.append((indexes, end - 1))
                    yield batch
                    batch, indexes, skipped, chars = [], [], 0, 0
                batch.append(document)
                indexes.append(end - 1)
                chars += length
            if len(batch) >= batch_size or skipped >= batch_size:
                marks.append((indexes, end))
                yield batch  # an empty batch only moves along outcomes held meanwhile
                batch, indexes, skipped, chars = [], [], 0, 0
        if batch or skipped:
            marks.append((indexes, end))
            yield batch

    try:
        for processed in process(batches()):
            indexes, end = marks.popleft()
            outcomes = list(_run_outcomes(indexes, processed, store))
            while held and held[0].index < end:
                outcomes.append(held.popleft())
            for outcome in sorted(outcomes, key=lambda o: o.index):
                if counts is not None:
                    counts.add(outcome)
                yield outcome
    except Interrupted as stop:
        # Batches that finished behind the one awaited: stored and reported, out of order, before
        # stopping (the documents of the others are run again by the next run, not lost).
        for position, processed in stop.finished:
            for outcome in _run_outcomes(marks[position][0], processed, store):
                if counts is not None:
                    counts.add(outcome)
                yield outcome
        raise


def _run_outcomes(indexes: list[int], processed: list[Document], store: Store | None) -> Iterator[Outcome]:
    """The outcomes of a processed batch, storing (in one transaction) what did not fail.

    A document the store refuses (``meta.published`` out of range, say) fails alone, with
    code ``not_stored``; the others are stored.
    """
    good = [document for document in processed if not is_failed(document)]
    results = iter(store.put_many(good, skip_invalid=True) if store is not None and good else [])
    for index, document in zip(indexes, processed, strict=True):
        if is_failed(document):
            yield Outcome(index, document, "failed")
        elif store is None:
            yield Outcome(index, document, "done")
        else:
            result = next(results)
            if result.problem is not None:
                fail(document, None, "not_stored", result.problem)
                yield Outcome(index, document, "failed")
            else:
                yield Outcome(index, document, "stored", created=result.created)
