"""The pipelines a service offers, by name, each with its runner (built on first use).

Pipelines are looked up by name only: those installed with presspipe and those in one
configured directory, read once when the catalogue is made. Nothing a request says reaches
the filesystem. Each pipeline's runner is built on first use and kept (spaCy loads once per
process); a lock serialises its use, since a runner's analysis context is not thread-safe.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from presspipe.document import Document
from presspipe.errors import PresspipeError
from presspipe.ingest import Process
from presspipe.pipeline import Pipeline, installed_pipelines, parse_pipeline
from presspipe.registry import Registry
from presspipe.runner import Runner
from presspipe.stats import PipelineStats

log = logging.getLogger(__name__)


class UnknownPipeline(LookupError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(f"unknown pipeline '{name}'; known pipelines: {', '.join(self.known) or 'none'}")


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
        self.stats = PipelineStats()
        """What the pipelines processed (served at ``/metrics``)."""
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

    def process(self, name: str) -> Process:
        """Take batches through pipeline ``name`` in this thread, holding its runner's lock per batch."""
        self.entry(name)

        def process(batches: Iterable[list[Document]]) -> Iterator[list[Document]]:
            for batch in batches:
                if not batch:  # nothing to run: do not build the runner for it
                    yield batch
                    continue
                runner, lock = self.runner(name)
                with lock:
                    processed = runner.process(batch)
                self.stats.count(processed)
                yield processed

        return process
