"""The batch worker: processes submitted batches in a background thread, progress in the store."""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from typing import Any

from presspipe.api.catalogue import Catalogue
from presspipe.document import Document
from presspipe.ingest import Outcome, RunCounts, run_into_store
from presspipe.store import Batch, Store

log = logging.getLogger(__name__)

BATCH_CHUNK = 16
"""Documents a batch worker takes through the pipeline and stores at a time."""


def result_status(outcome: Outcome) -> str:
    """A batch result's status: ``created``, ``unchanged`` (stored already, by an earlier request
    or earlier in the same batch) or ``failed``."""
    if outcome.status == "failed":
        return "failed"
    return "created" if outcome.status == "stored" and outcome.created else "unchanged"


class BatchWorker:
    """Processes submitted batches one at a time in a background thread, recording progress in the store.

    A batch's documents wait in memory until processed: a batch whose process dies stays
    ``queued`` or ``running`` in the store (its stored documents are kept).
    """

    def __init__(self, catalogue: Catalogue, store: Store) -> None:
        self.catalogue = catalogue
        self.store = store
        self._queue: queue.Queue[tuple[str, str, list[Document]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, pipeline: str, documents: list[Document]) -> Batch:
        self.catalogue.entry(pipeline)
        batch = self.store.create_batch(uuid.uuid4().hex, pipeline, len(documents))
        self._queue.put((batch.id, pipeline, documents))
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

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch_id, pipeline, documents = item
            try:
                self._run(batch_id, pipeline, documents)
            except Exception as error:  # a bug or a dead store: record it on the batch, keep serving
                log.exception("batch %s failed", batch_id)
                try:
                    self.store.update_batch(
                        batch_id,
                        status="failed",
                        processed=0,
                        failed=len(documents),
                        results=[
                            {
                                "index": None,
                                "id": None,
                                "status": "failed",
                                "errors": [{"step": None, "code": "batch_failed", "message": str(error)}],
                            }
                        ],
                        finished=True,
                    )
                except Exception:
                    log.exception("could not record the failure of batch %s", batch_id)

    def _run(self, batch_id: str, pipeline: str, documents: list[Document]) -> None:
        results: list[dict[str, Any]] = []
        counts = RunCounts()
        entry = self.catalogue.entry(pipeline)
        self.store.update_batch(batch_id, status="running", processed=0, failed=0, results=[])
        outcomes = run_into_store(
            documents,
            entry.pipeline,
            self.catalogue.process(pipeline),
            self.store,
            batch_size=BATCH_CHUNK,
            counts=counts,
        )
        for outcome in outcomes:
            results.append(
                {
                    "index": outcome.index,
                    "id": outcome.document["id"],
                    "status": result_status(outcome),
                    "errors": list(outcome.document["errors"]),
                }
            )
            done = len(results) == len(documents)
            if done or len(results) % BATCH_CHUNK == 0:
                self.store.update_batch(
                    batch_id,
                    status="done" if done else "running",
                    processed=len(results),
                    failed=counts.failed,
                    results=results,
                    finished=done,
                )
