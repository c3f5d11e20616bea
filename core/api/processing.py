"""Processing for the API, outside the process that answers requests.

Every document the API takes (``POST /v1/documents`` and batches) goes through the pipeline
in a supervised worker process (``presspipe.isolation.WorkerPool``), never in the server:
spaCy's tokenizer can hold the interpreter lock for seconds on hostile text, and a parse can
take gigabytes, and neither may stall ``/healthz`` or a read. Each document has a time budget
(``Limits.timeout``); a document that spends it fails with code ``timeout`` and its worker is
killed and replaced.

The pool starts on first use (``presspipe serve`` starts it before serving, so workers are
forked from a process with no threads yet), loading every offered pipeline's runner and
models once in the server, for every worker to inherit. ``admit`` bounds the single-document
submissions that may wait for a worker: past that the API answers 429, rather than letting
waiting requests take every request thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from presspipe.analysis import load_model
from presspipe.api.catalogue import Catalogue
from presspipe.document import Document
from presspipe.errors import PresspipeError
from presspipe.ingest import Process
from presspipe.isolation import PoolClosed, WorkerPool, runner_for
from presspipe.limits import Limits

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
"""What a 429 tells a client to wait before trying again."""


class Busy(Exception):
    """Too much is waiting to be processed; try again in ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class ShuttingDown(Exception):
    """The server is stopping: the document was not processed."""


class Processing:
    """The API's worker pool, its limits, and how many submissions may wait for it."""

    def __init__(self, catalogue: Catalogue, limits: Limits, workers: int = 1, waiting: int = 8) -> None:
        self.catalogue = catalogue
        self.limits = limits
        self.workers = workers
        self._pool: WorkerPool | None = None
        self._closed = False
        self._lock = threading.Lock()
        self._admitted = threading.BoundedSemaphore(workers + waiting)
        self.capacity = workers + waiting
        """Single-document submissions processed or waiting at once; one more gets ``Busy``."""

    def start(self) -> WorkerPool:
        """The pool, started (with every offered pipeline loaded) if it was not yet."""
        with self._lock:
            if self._closed:
                raise ShuttingDown("the server is shutting down")
            if self._pool is None:
                registry = self.catalogue.registry
                for name in self.catalogue.names():
                    pipeline = self.catalogue.entry(name).pipeline
                    try:  # built here once, so every forked worker inherits it with its models
                        runner_for(pipeline.source, pipeline.path, self.limits, registry)
                        for step in pipeline.steps:
                            if isinstance(step.config.get("model"), str):
                                load_model(step.config["model"])
                    except PresspipeError as error:  # e.g. a model not installed: said when used
                        log.warning("pipeline '%s' not preloaded: %s", name, error.message)
                self._pool = WorkerPool(registry, workers=self.workers, limits=self.limits)
            return self._pool

    def process(self, name: str) -> Process:
        """Take batches through pipeline ``name`` on the pool (blocking the calling thread)."""
        pipeline = self.catalogue.entry(name).pipeline

        def process(batches: Iterable[list[Document]]) -> Iterator[list[Document]]:
            for batch in batches:
                if not batch:  # nothing to run: only moves along outcomes held meanwhile
                    yield batch
                    continue
                try:
                    processed = self.start().process(pipeline, batch)
                except PoolClosed:
                    raise ShuttingDown("the server shut down while the document was processed") from None
                self.catalogue.stats.count(processed)
                yield processed

        return process

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Hold one submission slot for the block, or raise ``Busy`` when none is free."""
        if not self._admitted.acquire(blocking=False):
            raise Busy(
                f"{self.capacity} documents are being processed or waiting for a worker; "
                f"try again in {RETRY_AFTER_SECONDS} s"
            )
        try:
            yield
        finally:
            self._admitted.release()

    def open(self) -> None:
        """Take documents again after ``close`` (an app's lifespan may start more than once)."""
        with self._lock:
            self._closed = False

    def close(self) -> None:
        """Kill the workers now: a document in hand raises ``ShuttingDown`` in its request."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
