"""Running a checked pipeline over documents, a batch at a time.

``Runner.process`` takes one batch through every step, isolating failures: when a step
raises on a batch, it is re-run one document at a time, the documents that raise are
marked failed (their ``errors`` name the step) and the rest go on. Every document leaving
the runner has been checked against the pipeline's schema and the span invariant. A document
whose text is longer than the run's ``Limits.max_chars`` fails before the next step, and a
failed document leaves with its text cut to ``Limits.failed_text_chars`` (an error entry says so).
``Runner.run`` streams any number of documents through in batches, holding one batch at a time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import presspipe
from presspipe.analysis import RunContext
from presspipe.document import Document, fail, is_failed
from presspipe.errors import E, PresspipeError
from presspipe.limits import Limits
from presspipe.pipeline import Pipeline, PipelineStep
from presspipe.registry import Registry
from presspipe.specs import Step
from presspipe.validate import DocumentChecker

log = logging.getLogger(__name__)


class Runner:
    """A pipeline with its steps built, ready to process batches (build it once per process)."""

    def __init__(
        self,
        pipeline: Pipeline,
        registry: Registry,
        context: RunContext | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.limits = limits or Limits()
        self.hook = registry.manager.hook
        self.context = context or RunContext()
        self.steps: list[tuple[PipelineStep, Step]] = [(step, step.build()) for step in pipeline.steps]
        self.checker = DocumentChecker(pipeline.adds())
        self.reads_html = any("html" in step.spec.requires for step in pipeline.steps)

    def process(self, batch: list[Document], on_step: Callable[[str], None] | None = None) -> list[Document]:
        """Take one batch through every step, then check each document. Returns the batch.

        ``on_step(name)`` is called as each step starts (a supervisor uses it to say where a
        document ran out of time).
        """
        for document in batch:
            document["provenance"] = new_provenance(self.pipeline)
            if "html" in document and not self.reads_html:
                self._fail(
                    document,
                    None,
                    "input.html",
                    f"the input is HTML but pipeline '{self.pipeline.name}' has no step that reads HTML; add clean.html",
                )
        try:
            for step, implementation in self.steps:
                self._fail_too_long(batch)
                if on_step is not None:
                    on_step(step.name)
                self._run_step(step, implementation, batch)
        finally:
            self.context.end_batch()
        for document in batch:
            document.pop("html", None)
            problems = self.checker.problems(document)
            if problems:
                self._fail(document, None, "schema", "; ".join(problems[:5]))
            trim_failed(document, self.limits.failed_text_chars)
        return batch

    def run(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        """Process ``documents`` in batches of ``batch_size`` (and ``Limits.batch_chars``), yielding each as it is done."""
        for batch in document_batches(documents, batch_size, self.limits.batch_chars):
            yield from self.process(batch)

    def _run_step(self, step: PipelineStep, implementation: Step, batch: list[Document]) -> None:
        positions = [i for i, document in enumerate(batch) if not is_failed(document)]
        if not positions:
            return
        active = [batch[i] for i in positions]
        started = time.perf_counter()
        try:
            done = self._call(step, implementation, active)
        except PresspipeError:
            raise  # the run's set-up is wrong (a missing model): no document can succeed
        except Exception:
            log.debug("step %s raised on a batch; retrying one document at a time", step.name, exc_info=True)
            done = []
            for document in active:
                try:
                    done.extend(self._call(step, implementation, [document]))
                except Exception as error:
                    log.debug("step %s failed document %s", step.name, document.get("id"), exc_info=True)
                    self._fail(document, step.name, type(error).__name__, str(error) or repr(error))
                    done.append(document)
        seconds = time.perf_counter() - started
        for i, document in zip(positions, done, strict=True):
            batch[i] = document
            entry = {
                "step": step.name,
                "plugin": step.plugin,
                "version": step.spec.version,
                "seconds": round(seconds / len(done), 6),
            }
            note = self.context.take_note(document)
            if note:
                entry["note"] = note
            document["provenance"]["steps"].append(entry)
        self.hook.presspipe_batch_done(step=step.name, documents=done, seconds=seconds)

    def _call(self, step: PipelineStep, implementation: Step, documents: list[Document]) -> list[Document]:
        """Call a step; report documents it failed itself (by appending to their ``errors``)."""
        errors_before = [len(document["errors"]) for document in documents]
        returned = implementation(documents, self.context)
        if len(returned) != len(documents):
            raise RuntimeError(
                f"step {step.name} returned {len(returned)} documents for {len(documents)}; "
                "a step returns every document it is given, in order"
            )
        for document, before in zip(returned, errors_before, strict=True):
            if len(document.get("errors", [])) > before:
                self.hook.presspipe_document_failed(
                    step=step.name, document=document, error=document["errors"][-1]
                )
        return returned

    def _fail_too_long(self, batch: list[Document]) -> None:
        """Fail the documents whose text is over ``max_chars``: before the first step, or once
        a step (clean.html) has made it."""
        limit = self.limits.max_chars
        for document in batch:
            length = len(document.get("text") or "")
            if length > limit and not is_failed(document):
                self._fail(document, None, "too_long", E.E501.format(length=length, limit=limit))

    def _fail(self, document: Document, step: str | None, code: str, message: str) -> None:
        error = fail(document, step, code, message)
        self.hook.presspipe_document_failed(step=step or "", document=document, error=error)


def new_provenance(pipeline: Pipeline) -> dict[str, Any]:
    """A document's ``provenance`` before any step has run."""
    return {
        "presspipe": presspipe.__version__,
        "pipeline": {"name": pipeline.name, "sha256": pipeline.sha256},
        "steps": [],
    }


def document_batches(
    documents: Iterable[Document], size: int, max_chars: int = Limits.batch_chars
) -> Iterator[list[Document]]:
    """Batches of up to ``size`` documents, without reading ahead further, that also close
    before the next document would take their raw input past ``max_chars`` characters (a
    longer document is a batch alone)."""
    batch: list[Document] = []
    chars = 0
    for document in documents:
        length = raw_length(document)
        if batch and chars + length > max_chars:
            yield batch
            batch, chars = [], 0
        batch.append(document)
        chars += length
        if len(batch) >= size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def raw_length(document: Document) -> int:
    """Characters of a document's raw input: its HTML while it has some, else its text."""
    raw = document.get("html")
    return len(raw if isinstance(raw, str) else document.get("text") or "")


def trim_failed(document: Document, keep: int) -> None:
    """Cut a failed document's text to ``keep`` characters, recording it in ``errors``."""
    text = document.get("text")
    if is_failed(document) and isinstance(text, str) and len(text) > keep:
        document["text"] = text[:keep]
        fail(document, None, "truncated", E.E504.format(kept=keep, length=len(text)))
