"""The batch worker: processes submitted batches in a background thread, progress in the store.

The thread only supervises: documents go through the pipeline in the worker processes of
``api.processing``. What waits is bounded (batches and their characters; past either,
``submit`` raises ``Busy`` and the API answers 429), and each chunk of a batch closes at
``Limits.batch_chars`` characters as well as at ``BATCH_CHUNK`` documents.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from typing import Any, NamedTuple

from presspipe.api.processing import Busy, Processing, ShuttingDown
from presspipe.document import Document
from presspipe.ingest import Outcome, RunCounts, run_into_store
from presspipe.runner import raw_length
from presspipe.store import Batch, Store

log = logging.getLogger(__name__)

BATCH_CHUNK = 16
"""Documents a batch worker takes through the pipeline and stores at a time."""
RECORD_ATTEMPTS = 4
"""Times the worker tries to record a failed batch, waiting 1, 2, 4 s between tries."""


def result_status(outcome: Outcome) -> str:
    """A batch result's status: ``created``, ``unchanged`` (stored already, by an earlier request
    or earlier in the same batch) or ``failed``."""
    if outcome.status == "failed":
        return "failed"
    return "created" if outcome.status == "stored" and outcome.created else "unchanged"


class Refused(NamedTuple):
    """A document of a batch refused before processing (its ``meta`` too deep, a lone surrogate):
    its result is ``failed`` with ``error``, and the rest of the batch is processed."""

    id: str | None
    error: dict[str, Any]


class BatchWorker:
    """Processes submitted batches one at a time in a background thread, recording progress in the store.

    A batch's documents wait in memory until processed: a batch whose process dies stays
    ``queued`` or ``running`` in the store (its stored documents are kept).
    """

    def __init__(self, processing: Processing, store: Store, max_batches: int, max_chars: int) -> None:
        self.processing = processing
        self.store = store
        self.max_batches = max_batches
        self.max_chars = max_chars
        self._queue: queue.Queue[tuple[str, str, list[Document], dict[int, Refused]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._pending = 0
        self._pending_chars = 0

    def submit(
        self, pipeline: str, documents: list[Document], refused: dict[int, Refused] | None = None
    ) -> Batch:
        """Queue a batch; ``Busy`` when ``max_batches`` batches or ``max_chars`` characters wait.
        ``refused``: documents of the batch (by their place in it) not to process, with why;
        ``documents`` are the others, in order."""
        refused = refused or {}
        self.processing.catalogue.entry(pipeline)
        chars = sum(raw_length(document) for document in documents)
        with self._lock:
            if self._pending >= self.max_batches or (
                self._pending and self._pending_chars + chars > self.max_chars
            ):
                raise Busy(
                    f"{self._pending} batches ({self._pending_chars:,} characters) are waiting; "
                    f"this server queues at most {self.max_batches} batches and {self.max_chars:,} characters"
                )
            self._pending += 1
            self._pending_chars += chars
        try:
            batch = self.store.batches.create(uuid.uuid4().hex, pipeline, len(documents) + len(refused))
        except BaseException:
            self._done(chars)
            raise
        self._queue.put((batch.id, pipeline, documents, refused))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="presspipe-batches", daemon=True)
                self._thread.start()
        return batch

    def queued(self) -> int:
        """Batches submitted and not yet taken up."""
        return self._queue.qsize()

    def stop(self, timeout: float = 10.0) -> None:
        with self._lock:
            thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)

    def _done(self, chars: int) -> None:
        with self._lock:
            self._pending -= 1
            self._pending_chars -= chars

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch_id, pipeline, documents, refused = item
            results: list[dict[str, Any]] = [
                {"index": index, "id": why.id, "status": "failed", "errors": [why.error]}
                for index, why in sorted(refused.items())
            ]
            places = [index for index in range(len(documents) + len(refused)) if index not in refused]
            try:
                self._run(batch_id, pipeline, documents, places, results)
            except ShuttingDown:  # the batch stays running, as when the process dies (docs/api.md)
                return
            except Exception as error:  # a bug or a dead store: the rest of the batch fails with it
                log.exception("batch %s stopped", batch_id)
                self._fail_rest(batch_id, documents, places, results, error)
            finally:
                self._done(sum(raw_length(document) for document in documents))

    def _fail_rest(
        self,
        batch_id: str,
        documents: list[Document],
        places: list[int],
        results: list[dict[str, Any]],
        error: Exception,
    ) -> None:
        """Record the documents not done yet as failed with ``error``, and the batch ``failed``. A store
        that lost its server is asked again (``RECORD_ATTEMPTS``), so the batch does not stay
        ``queued`` or ``running`` when the server is back within seconds."""
        seen = {result["index"] for result in results}
        reason = {
            "step": None,
            "code": "batch_failed",
            "message": f"not processed: {type(error).__name__}: {error}",
        }
        for index, document in zip(places, documents, strict=True):
            if index not in seen:
                results.append(
                    {"index": index, "id": document.get("id"), "status": "failed", "errors": [reason]}
                )
        for attempt in range(RECORD_ATTEMPTS):
            try:
                self.store.batches.update(
                    batch_id,
                    status="failed",
                    processed=len(results),
                    failed=sum(result["status"] == "failed" for result in results),
                    results=sorted(results, key=lambda result: int(result["index"])),
                    finished=True,
                )
                return
            except Exception:
                log.exception("could not record the failure of batch %s (attempt %d)", batch_id, attempt + 1)
                if attempt + 1 < RECORD_ATTEMPTS:
                    time.sleep(2**attempt)

    def _run(
        self,
        batch_id: str,
        pipeline: str,
        documents: list[Document],
        places: list[int],
        results: list[dict[str, Any]],
    ) -> None:
        """Process ``documents`` (the batch's ``places``), recording their ``results`` as they come
        (``results`` holds the refused ones already)."""
        total = len(results) + len(documents)
        counts = RunCounts()
        entry = self.processing.catalogue.entry(pipeline)
        failed = len(results)
        self.store.batches.update(
            batch_id, status="running", processed=failed, failed=failed, results=results
        )
        outcomes = run_into_store(
            documents,
            entry.pipeline,
            self.processing.process(pipeline),
            self.store,
            batch_size=BATCH_CHUNK,
            batch_chars=self.processing.limits.batch_chars,
            counts=counts,
        )
        for outcome in outcomes:
            results.append(
                {
                    "index": places[outcome.index],
                    "id": outcome.document["id"],
                    "status": result_status(outcome),
                    "errors": list(outcome.document["errors"]),
                }
            )
            done = len(results) == total
            if done or len(results) % BATCH_CHUNK == 0:
                self.store.batches.update(
                    batch_id,
                    status="done" if done else "running",
                    processed=len(results),
                    failed=failed + counts.failed,
                    results=sorted(results, key=lambda result: int(result["index"])),
                    finished=done,
                )
        if not documents:  # every document was refused
            self.store.batches.update(
                batch_id, status="done", processed=total, failed=failed, results=results, finished=True
            )
