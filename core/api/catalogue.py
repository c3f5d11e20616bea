"""The pipelines a service offers, by name.

Pipelines are looked up by name only: those installed with presspipe and those in one
configured directory, read once when the catalogue is made. Nothing a request says reaches
the filesystem. They run in worker processes (``api.processing``), never in the server.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from presspipe.errors import PresspipeError, echo
from presspipe.pipeline import Pipeline, installed_pipelines, parse_pipeline
from presspipe.registry import Registry
from presspipe.sources import file_problem
from presspipe.stats import PipelineStats

log = logging.getLogger(__name__)

MAX_PIPELINE_BYTES = 1_000_000


class UnknownPipeline(LookupError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(
            f"unknown pipeline '{echo(name)}'; known pipelines: {', '.join(self.known) or 'none'}"
        )


class PipelineClash(ValueError):
    """Two pipelines offered under one name (a file in the directory and an installed one)."""


@dataclass(frozen=True)
class CatalogueEntry:
    pipeline: Pipeline
    origin: str
    """``installed`` or ``directory``."""
    yaml: str


class Catalogue:
    """The pipelines a service offers, by name."""

    def __init__(self, registry: Registry, directory: Path | None = None) -> None:
        self.registry = registry
        self.entries: dict[str, CatalogueEntry] = {}
        self.problems: list[str] = []
        """Pipeline files that could not be offered, and why."""
        for stem, text in sorted(installed_pipelines().items()):
            self._add(text, f"<installed pipeline {stem}>", "installed")
        if directory is not None:
            files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
            inside = os.path.realpath(directory)
            for path in files:
                problem = _file_problem(path, inside)
                if problem is None:
                    try:
                        self._add(path.read_text(encoding="utf-8"), str(path), "directory")
                        continue
                    except (OSError, UnicodeDecodeError) as error:
                        problem = f"cannot be read: {error}"
                self.problems.append(f"{path}: {problem}")
        for problem in self.problems:
            log.warning("pipeline not offered: %s", problem)
        self.stats = PipelineStats()
        """What the pipelines processed (served at ``/metrics``)."""

    def _add(self, text: str, where: str, origin: str) -> None:
        try:
            pipeline = parse_pipeline(text, where, self.registry)
        except PresspipeError as error:
            self.problems.append(str(error))
            return
        taken = self.entries.get(pipeline.name)
        if taken is not None:
            raise PipelineClash(
                f"{where}: pipeline '{pipeline.name}' is already offered by {taken.pipeline.path}; "
                "rename it (its 'name:') or remove one of them"
            )
        self.entries[pipeline.name] = CatalogueEntry(pipeline, origin, text)

    def names(self) -> list[str]:
        return sorted(self.entries)

    def entry(self, name: str) -> CatalogueEntry:
        if name not in self.entries:
            raise UnknownPipeline(name, self.names())
        return self.entries[name]


def _file_problem(path: Path, directory: str) -> str | None:
    """Why a pipeline file is not read: a symlink out of ``directory`` (its real path), or not a
    regular file (a FIFO would block the server's start), or too large."""
    if os.path.commonpath([os.path.realpath(path), directory]) != directory:
        return f"a link out of {directory}; pipeline files must be inside the directory"
    return file_problem(path, max_bytes=MAX_PIPELINE_BYTES)
