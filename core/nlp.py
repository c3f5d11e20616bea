"""The Python API: ``nlp = presspipe.load("news")``, then ``nlp(text)`` or ``nlp.pipe(texts)``.

A thin shell over the loader and the runner, as the CLI is: ``load`` is ``load_registry`` plus
``load_pipeline`` (and the pipeline's spaCy models loaded, so a missing one is said at once);
``nlp(document)`` is ``Runner.process`` on a batch of one, in this process; ``nlp.pipe`` is
``Runner.run`` in this process, or ``executors.process_batches`` in worker processes when
``workers`` is 2 or more. Errors are the CLI's ``PresspipeError``, with the same codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from presspipe.analysis import preload_models
from presspipe.document import Document, document_from_record, new_document, record_problem
from presspipe.errors import E, PresspipeError
from presspipe.executors import process_batches
from presspipe.limits import Limits
from presspipe.pipeline import Pipeline, load_pipeline, parse_pipeline
from presspipe.registry import Registry, load_registry
from presspipe.runner import Runner, document_batches

Input = str | Mapping[str, Any]
"""What ``nlp`` takes: a text, or a record ``{"text" | "html", "id", "meta", "uri"}``."""


class LoadedPipeline:
    """A pipeline ready to process documents; made by ``presspipe.load``."""

    def __init__(
        self,
        pipeline: Pipeline,
        registry: Registry,
        *,
        batch_size: int = 32,
        workers: int = 1,
        limits: Limits | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.registry = registry
        self.batch_size = batch_size
        self.workers = workers
        self.limits = limits or Limits()
        self._runner: Runner | None = None

    @property
    def name(self) -> str:
        return self.pipeline.name

    @property
    def step_names(self) -> list[str]:
        return [step.name for step in self.pipeline.steps]

    def __repr__(self) -> str:
        return f"<presspipe pipeline {self.name!r}: {', '.join(self.step_names)}>"

    @property
    def runner(self) -> Runner:
        """The pipeline's ``Runner`` in this process, built on first use."""
        if self._runner is None:
            self._runner = Runner(self.pipeline, self.registry, limits=self.limits)
        return self._runner

    def __call__(self, document: Input) -> Document:
        """Process one document in this process and return it.

        A document that a step fails comes back with its ``errors`` saying which step and why,
        as ``presspipe run`` writes it; one a step leaves out (a language the pipeline does not
        keep) comes back with an error of code ``dropped``.
        """
        [done] = self.runner.process([as_document(document, "nlp(document)")])
        return done

    def pipe(
        self, documents: Iterable[Input], *, batch_size: int | None = None, workers: int | None = None
    ) -> Iterator[Document]:
        """Process ``documents`` lazily, a batch at a time, yielding one document per input, in order.

        ``workers`` of 2 or more runs the batches in that many worker processes (each document
        within ``timeout`` seconds, as ``presspipe run --workers``); 1 runs them in this process.
        """
        size = batch_size or self.batch_size
        count = workers or self.workers
        raw = (as_document(item, f"pipe(): item {n}") for n, item in enumerate(documents))
        if count < 2:
            yield from self.runner.run(raw, batch_size=size)
            return
        batches = document_batches(raw, size, self.limits.batch_chars)
        for batch in process_batches(
            self.pipeline, self.registry, batches, workers=count, limits=self.limits
        ):
            yield from batch


def load(
    pipeline: str | Path = "news",
    *,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    batch_size: int = 32,
    workers: int = 1,
    timeout: float = Limits.timeout,
    max_chars: int = Limits.max_chars,
    registry: Registry | None = None,
) -> LoadedPipeline:
    """Load a pipeline by installed name (``"news"``) or YAML path, checked, its models loaded.

    ``config`` sets step options over the file's (``{"entities.spacy": {"labels": ["PERSON"]}}``),
    checked as the file's are. ``batch_size`` and ``workers`` are ``pipe``'s defaults;
    ``timeout`` and ``max_chars`` are ``presspipe run``'s ``--timeout`` and ``--max-chars``.
    Raises ``PresspipeError`` (the CLI's codes: E007 no such pipeline, E00x a bad pipeline,
    E301 a model that is not installed).
    """
    registry = registry or load_registry()
    loaded = load_pipeline(pipeline, registry)
    if config:
        loaded = _configured(loaded, config, registry)
    preload_models(loaded)
    limits = Limits(max_chars=max_chars, timeout=timeout)
    return LoadedPipeline(loaded, registry, batch_size=batch_size, workers=workers, limits=limits)


def _configured(pipeline: Pipeline, config: Mapping[str, Mapping[str, Any]], registry: Registry) -> Pipeline:
    """``pipeline`` with each named step's ``with:`` updated by ``config``, checked again."""
    data = yaml.safe_load(pipeline.source)
    names = [step.get("use") for step in data["steps"]]
    for name, options in config.items():
        if name not in names:
            raise PresspipeError(E.E602, pipeline=pipeline.name, name=name, steps=", ".join(map(str, names)))
        for step in data["steps"]:
            if step.get("use") == name:
                step["with"] = {**(step.get("with") or {}), **options}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return parse_pipeline(text, f"{pipeline.path} (with load(config=...))", registry)


def as_document(item: Input, where: str) -> Document:
    """The raw document of a text or a record; ``PresspipeError`` E601 naming ``where`` otherwise."""
    if isinstance(item, str):
        if not item.strip():
            raise PresspipeError(E.E601, where=where, problem="this text is empty")
        return new_document(text=item)
    problem = record_problem(item)
    if problem is not None:
        if not isinstance(item, Mapping):
            problem = f"not {type(item).__name__}"
        raise PresspipeError(E.E601, where=where, problem=problem)
    return document_from_record(item)
