"""What runs did, counted: documents by pipeline and outcome, and by step, with the seconds
each step took. ``presspipe run --stats FILE`` writes it as JSON; ``GET /metrics`` serves it in
the Prometheus text format.

It is counted from the documents a run gives back (their ``provenance.steps`` and ``errors``),
not from the ``presspipe_batch_done`` and ``presspipe_document_failed`` hooks: with
``--workers`` or on Dask the steps run, and the hooks fire, in other processes, while the
documents always come back to the one that counts.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from presspipe.document import Document, is_dropped, is_failed

RUNNER_STEP = "presspipe"
"""The step named for failures outside any step (the schema check, HTML with no clean.html)."""


@dataclass
class StepTally:
    processed: int = 0
    """Documents the step was run on (failed ones included)."""
    failed: int = 0
    seconds: float = 0.0


class PipelineStats:
    """Counts of processed documents; thread-safe, so a server's threads can share one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.documents: Counter[tuple[str, str]] = Counter()
        """(pipeline, outcome: done, failed or dropped) -> documents."""
        self.steps: dict[tuple[str, str], StepTally] = {}
        """(pipeline, step) -> what the step did."""

    def count(self, documents: Iterable[Document]) -> None:
        """Count documents that came out of a pipeline run."""
        with self._lock:
            for document in documents:
                self._count(document)

    def _count(self, document: Document) -> None:
        provenance = document.get("provenance") or {}
        pipeline = str((provenance.get("pipeline") or {}).get("name", ""))
        outcome = "dropped" if is_dropped(document) else "failed" if is_failed(document) else "done"
        self.documents[(pipeline, outcome)] += 1
        for entry in provenance.get("steps") or []:
            tally = self.steps.setdefault((pipeline, str(entry.get("step"))), StepTally())
            tally.processed += 1
            tally.seconds += float(entry.get("seconds") or 0.0)
        if outcome == "failed":
            for error in document.get("errors") or []:
                step = (error.get("step") if isinstance(error, dict) else None) or RUNNER_STEP
                self.steps.setdefault((pipeline, str(step)), StepTally()).failed += 1

    def snapshot(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], StepTally]]:
        """Copies of the counts, taken together."""
        with self._lock:
            steps = {key: StepTally(t.processed, t.failed, t.seconds) for key, t in self.steps.items()}
            return dict(self.documents), steps

    def as_json(self) -> dict[str, Any]:
        """``{"pipelines": {NAME: {"documents": {OUTCOME: N}, "steps": {STEP: {processed, failed,
        seconds}}}}}``, every name in sorted order."""
        documents, steps = self.snapshot()
        pipelines: dict[str, Any] = {}
        for (pipeline, outcome), number in sorted(documents.items()):
            entry = pipelines.setdefault(pipeline, {"documents": {}, "steps": {}})
            entry["documents"][outcome] = number
        for (pipeline, step), tally in sorted(steps.items()):
            entry = pipelines.setdefault(pipeline, {"documents": {}, "steps": {}})
            entry["steps"][step] = {
                "processed": tally.processed,
                "failed": tally.failed,
                "seconds": round(tally.seconds, 6),
            }
        return {"pipelines": pipelines}
