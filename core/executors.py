"""Where batches are processed: in supervised local worker processes, or on Dask.

Each executor takes an iterator of batches and yields the processed batches in input order,
keeping only a few batches in flight, so memory stays flat however long the input. Every
worker loads the plugins, builds the pipeline and loads its models once, then keeps them.
Local workers (``presspipe.isolation``) hold each document to a time budget; Dask workers
do not. Dask is imported only when ``executor="dask"`` is asked for.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from presspipe.document import Document
from presspipe.errors import E, PresspipeError
from presspipe.isolation import WorkerPool, runner_for
from presspipe.limits import Limits
from presspipe.pipeline import Pipeline
from presspipe.registry import Registry

Batch = list[Document]
EXECUTORS = ("local", "dask")


class _Future(Protocol):
    def result(self) -> Any: ...

    def done(self) -> bool: ...


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) while batches were in flight: ``finished`` holds those already processed,
    each with its position among the batches not yet yielded (0: the next one due), so that the
    caller writes them before it stops. Caught as any ``KeyboardInterrupt`` is."""

    def __init__(self, finished: list[tuple[int, Batch]]) -> None:
        super().__init__()
        self.finished = finished


def process_batches(
    pipeline: Pipeline,
    registry: Registry,
    batches: Iterable[Batch],
    *,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    limits: Limits | None = None,
) -> Iterator[Batch]:
    """Process ``batches`` with ``pipeline``; yields them in order as they are done.

    ``executor="local"`` runs in ``workers`` supervised worker processes, each document within
    ``limits.timeout`` seconds; ``executor="dask"`` runs on the Dask cluster at ``scheduler``,
    or on a ``LocalCluster`` of ``workers`` processes when no address is given.
    """
    limits = limits or Limits()
    if executor == "dask":
        yield from _dask(pipeline, batches, workers, scheduler, limits)
    else:
        with WorkerPool(registry, workers=workers, limits=limits, preload=[pipeline]) as pool:
            yield from ordered(lambda batch: pool.submit(pipeline, batch), batches, 2 * workers)


def ordered(submit: Callable[[Batch], _Future], batches: Iterable[Batch], in_flight: int) -> Iterator[Batch]:
    """Submit batches, at most ``in_flight`` pending at once, and yield results in input order.

    Interrupted while waiting, it raises ``Interrupted`` with the batches already finished, so a
    batch done behind a slower one is not lost with it."""
    pending: deque[_Future] = deque()
    try:
        for batch in batches:
            pending.append(submit(batch))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except KeyboardInterrupt:
        raise Interrupted(_finished(pending)) from None


def _finished(pending: Iterable[_Future]) -> list[tuple[int, Batch]]:
    """The batches of ``pending`` that came back, with their positions in it."""
    found = []
    for position, future in enumerate(pending):
        if future.done():
            try:
                found.append((position, future.result()))
            except Exception:  # failed or cancelled: its documents are for the next run
                continue
    return found


def process_on_dask_worker(source: str, path: str, limits: Limits, batch: Batch) -> Batch:
    """The task Dask runs: the worker keeps its runner (and models) between tasks."""
    return runner_for(source, path, limits).process(batch)


def _dask(
    pipeline: Pipeline, batches: Iterable[Batch], workers: int, scheduler: str | None, limits: Limits
) -> Iterator[Batch]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise PresspipeError(E.E401) from None
    with tempfile.TemporaryDirectory(prefix="presspipe-dask-") as scratch:
        if scheduler:
            client = Client(scheduler)
            cluster = None
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                local_directory=scratch,
                dashboard_address=None,
            )
            client = Client(cluster)
        try:
            in_flight = 2 * max(len(client.scheduler_info().get("workers", {})), workers, 1)

            def submit(batch: Batch) -> _Future:
                # retries: a task whose worker raised is tried again; tasks on a lost worker
                # are rescheduled by the scheduler itself.
                return client.submit(
                    process_on_dask_worker,
                    pipeline.source,
                    pipeline.path,
                    limits,
                    batch,
                    pure=False,
                    retries=2,
                )

            yield from ordered(submit, batches, in_flight)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
