"""What the HTTP API does, as library functions: pipelines by name, process-and-store, batches.

The API (``presspipe.api``) is a thin shell over this module and ``presspipe.store``.

Pipelines are looked up by name only: those installed with presspipe and those in one
configured directory, read once when the catalogue is made. Nothing a request says reaches
the filesystem. Each pipeline's runner is built on first use and kept (spaCy loads once per
process); a lock serialises its use, since a runner's analysis context is not thread-safe.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presspipe.document import Document, error_messages, is_failed
from presspipe.errors import PresspipeError
from presspipe.pipeline import Pipeline, installed_pipelines, parse_pipeline
from presspipe.registry import Registry
from presspipe.runner import Runner
from presspipe.store import Batch, Store

log = logging.getLogger(__name__)

BATCH_CHUNK = 16
"""Documents a batch worker takes through the pipeline and stores at a time."""


class UnknownPipeline(LookupError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(f"unknown pipeline '{name}'; known pipelines: {', '.join(self.known) or 'none'}")


class DocumentFailed(Exception):
    """The pipeline ran and failed the document; ``document['errors']`` says why."""

    def __init__(self, document: Document) -> None:
        self.document = document
        reasons = "; ".join(error_messages(document))
        super().__init__(f"the pipeline failed the document: {reasons}")


@dataclass(frozen=True)
class CatalogueEntry:
    pipeline: Pipeline
    origin: str
    """``installed`` or ``directory``."""
    yaml: str


class Catalogue:
    """The pipelines a service offers, by name, and their runners (built on first use)."""

    def __init__(self, registry: Registry, directory: Path | None = None) -> None:
        self.registry = registry
        self.entries: dict[str, CatalogueEntry] = {}
        self.problems: list[str] = []
        """Pipeline files that could not be offered, and why."""
        for stem, text in sorted(installed_pipelines().items()):
            self._add(text, f"<installed pipeline {stem}>", "installed")
        if directory is not None:
            files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
            for path in files:
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as error:
                    self.problems.append(f"{path}: cannot be read: {error}")
                    continue
                self._add(text, str(path), "directory")
        for problem in self.problems:
            log.warning("pipeline not offered: %s", problem)
        self._runners: dict[str, tuple[Runner, threading.Lock]] = {}
        self._build_lock = threading.Lock()

    def _add(self, text: str, where: str, origin: str) -> None:
        try:
            pipeline = parse_pipeline(text, where, self.registry)
        except PresspipeError as error:
            self.problems.append(str(error))
            return
        self.entries[pipeline.name] = CatalogueEntry(pipeline, origin, text)

    def names(self) -> list[str]:
        return sorted(self.entries)

    def entry(self, name: str) -> CatalogueEntry:
        if name not in self.entries:
            raise UnknownPipeline(name, self.names())
        return self.entries[name]

    def runner(self, name: str) -> tuple[Runner, threading.Lock]:
        """The runner of pipeline ``name`` and the lock to hold while using it."""
        entry = self.entry(name)
        with self._build_lock:
            if name not in self._runners:
                self._runners[name] = (Runner(entry.pipeline, self.registry), threading.Lock())
            return self._runners[name]


@dataclass(frozen=True)
class Submitted:
    document: Document
    created: bool
    """False: the same content had been processed by the same pipeline and stored already."""


def submit(catalogue: Catalogue, store: Store, pipeline: str, raw: Document) -> Submitted:
    """Process a raw document with ``pipeline`` and store it; a stored up-to-date one is returned as is.

    Raises ``UnknownPipeline``, ``DocumentFailed`` (nothing is stored), ``PresspipeError``
    (the pipeline cannot be built, e.g. its model is not installed).
    """
    entry = catalogue.entry(pipeline)
    found = store.find(raw["id"], entry.pipeline.name, entry.pipeline.sha256, raw["source"]["sha256"])
    if found is not None:
        return Submitted(found, created=False)
    runner, lock = catalogue.runner(pipeline)
    with lock:
        [document] = runner.process([raw])
    if is_failed(document):
        raise DocumentFailed(document)
    result = store.put(document)
    return Submitted(document, created=result.created)


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
                        results=[{"index": None, "id": None, "status": "failed", "errors": [str(error)]}],
                        finished=True,
                    )
                except Exception:
                    log.exception("could not record the failure of batch %s", batch_id)

    def _run(self, batch_id: str, pipeline: str, documents: list[Document]) -> None:
        results: list[dict[str, Any]] = []
        failed = 0
        entry = self.catalogue.entry(pipeline)
        self.store.update_batch(batch_id, status="running", processed=0, failed=0, results=[])
        for start in range(0, len(documents), BATCH_CHUNK):
            chunk = documents[start : start + BATCH_CHUNK]
            fresh: list[tuple[int, Document]] = []
            chunk_results: dict[int, dict[str, Any]] = {}
            for offset, raw in enumerate(chunk):
                index = start + offset
                stored = self.store.find(
                    raw["id"], entry.pipeline.name, entry.pipeline.sha256, raw["source"]["sha256"]
                )
                if stored is not None:
                    chunk_results[index] = {
                        "index": index,
                        "id": raw["id"],
                        "status": "unchanged",
                        "errors": [],
                    }
                else:
                    fresh.append((index, raw))
            if fresh:
                runner, lock = self.catalogue.runner(pipeline)
                with lock:
                    processed = runner.process([raw for _, raw in fresh])
                good = [d for d in processed if not is_failed(d)]
                self.store.put_many(good)
                for (index, _), document in zip(fresh, processed, strict=True):
                    status = "failed" if is_failed(document) else "created"
                    if status == "failed":
                        failed += 1
                    chunk_results[index] = {
                        "index": index,
                        "id": document["id"],
                        "status": status,
                        "errors": error_messages(document),
                    }
            results.extend(chunk_results[i] for i in sorted(chunk_results))
            done = start + len(chunk) == len(documents)
            self.store.update_batch(
                batch_id,
                status="done" if done else "running",
                processed=len(results),
                failed=failed,
                results=results,
                finished=done,
            )
