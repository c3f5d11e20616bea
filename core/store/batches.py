"""Batches: the API's processing jobs (``POST /v1/batches``), kept beside the documents they store.

A batch is a row of ``pp_batches``: its pipeline, status, counts and per-document results.
It shares the store's database (so a worker in another process sees it) and nothing else
with the documents: ``Store.batches`` is this module's ``Batches``.
"""

from __future__ import annotations

import json
from typing import Any

from presspipe.store.backend import Backend
from presspipe.store.records import Batch, now
from presspipe.store.rows import check_key

_COLUMNS = "id, pipeline, status, total, processed, failed, created_at, updated_at, finished_at, results"


class Batches:
    """The batches of one store."""

    def __init__(self, backend: Backend) -> None:
        self._db = backend

    def create(self, id: str, pipeline: str, total: int) -> Batch:
        """A new queued batch of ``total`` documents for ``pipeline``."""
        stamp = now()
        with self._db.write() as cur:
            cur.execute(
                "INSERT INTO pp_batches (id, pipeline, status, total, created_at, updated_at) "
                "VALUES (?, ?, 'queued', ?, ?, ?)",
                (id, pipeline, total, stamp, stamp),
            )
        batch = self.get(id)
        assert batch is not None
        return batch

    def update(
        self,
        id: str,
        *,
        status: str,
        processed: int,
        failed: int,
        results: list[dict[str, Any]],
        finished: bool = False,
    ) -> None:
        stamp = now()
        with self._db.write() as cur:
            cur.execute(
                "UPDATE pp_batches SET status = ?, processed = ?, failed = ?, results = ?, updated_at = ?, "
                "finished_at = ? WHERE id = ?",
                (status, processed, failed, json.dumps(results), stamp, stamp if finished else None, id),
            )

    def get(self, id: str) -> Batch | None:
        check_key(id, None)
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM pp_batches WHERE id = ?", (id,))
        if row is None:
            return None
        return Batch(
            id=row[0],
            pipeline=row[1],
            status=row[2],
            total=int(row[3]),
            processed=int(row[4]),
            failed=int(row[5]),
            created_at=row[6],
            updated_at=row[7],
            finished_at=row[8],
            results=list(json.loads(row[9])),
        )
