"""Running a checked pipeline over documents, a batch at a time.

``Runner.process`` takes one batch through every step, isolating failures: when a step
raises on a batch, it is re-run one document at a time, the documents that raise are
marked failed (their ``errors`` name the step) and the rest go on. Every document leaving
the runner has been checked against the pipeline's schema and the span invariant.
``Runner.run`` streams any number of documents through in batches, holding one batch at a time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

import presspipe
from presspipe.analysis import RunContext
from presspipe.document import Document, fail, is_failed
from presspipe.errors import PresspipeError
from presspipe.pipeline import Pipeline, PipelineStep
from presspipe.registry import Registry
from presspipe.specs import Step
from presspipe.validate import DocumentChecker

log = logging.getLogger(__name__)

T = TypeVar("T")


class Runner:
    """A pipeline with its steps built, ready to process batches (build it once per process)."""

    def __init__(self, pipeline: Pipeline, registry: Registry, context: RunContext | None = None) -> None:
        self.pipeline = pipeline
        self.hook = registry.manager.hook
        self.context = context or RunContext()
        self.steps: list[tuple[PipelineStep, Step]] = [(step, step.build()) for step in pipeline.steps]
        self.checker = DocumentChecker(pipeline.adds())
        self.reads_html = any("html" in step.spec.requires for step in pipeline.steps)

    def process(self, batch: list[Document]) -> list[Document]:
        """Take one batch through every step, then check each document. Returns the batch."""
        for document in batch:
            document["provenance"] = {
                "presspipe": presspipe.__version__,
                "pipeline": {"name": self.pipeline.name, "sha256": self.pipeline.sha256},
                "steps": [],
            }
            if "html" in document and not self.reads_html:
                self._fail(
                    document,
                    None,
                    "input.html",
                    f"the input is HTML but pipeline '{self.pipeline.name}' has no step that reads HTML; add clean.html",
                )
        try:
            for step, implementation in self.steps:
                self._run_step(step, implementation, batch)
        finally:
            self.context.end_batch()
        for document in batch:
            document.pop("html", None)
            problems = self.checker.problems(document)
            if problems:
                self._fail(document, None, "schema", "; ".join(problems[:5]))
        return batch

    def run(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        """Process ``documents`` in batches of ``batch_size``, yielding each as it is done."""
        for batch in batched(documents, batch_size):
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

    def _fail(self, document: Document, step: str | None, code: str, message: str) -> None:
        error = fail(document, step, code, message)
        self.hook.presspipe_document_failed(step=step or "", document=document, error=error)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` consecutive items, without reading ahead further."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
