"""Processing outside the calling process: supervised workers with a time budget per document.

A ``WorkerPool`` keeps ``workers`` worker processes. Each takes a batch at a time, runs it
through the pipeline's ``Runner`` and sends it back; the parent waits at most
``Limits.timeout`` seconds per document in the batch. A worker that overruns its budget or
dies is killed and replaced (forked again from the parent, which holds the plugins and models
loaded once), and its batch is tried again one document at a time, each with its own budget: the
document that overruns fails with code ``timeout`` (naming the step it was in), or
``worker_died``, and the others come back processed.

The CLI uses it through ``presspipe.executors.process_batches``; a service can hold one pool
for its lifetime and call ``process`` from any thread, so that no document runs in the process
that answers requests::

    pool = WorkerPool(registry, workers=2, limits=Limits(timeout=30), preload=[pipeline])
    done = pool.process(pipeline, batch)      # blocks; thread-safe
    future = pool.submit(pipeline, batch)     # the same in one of the pool's threads
    ...
    pool.close()                              # kills the workers at once

A pipeline in ``preload`` is built, and the spaCy models its steps name in a ``model``
option are loaded, in the parent before any worker is forked; any other pipeline is built in
each worker on its first batch (``runner_for``). Workers ignore SIGINT (Ctrl-C reaches the whole
process group): the parent decides, and ``close`` kills them without waiting for the batch in
hand. A worker whose parent is gone exits when it next waits for a batch.
"""

from __future__ import annotations

import logging
import queue
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection
from typing import Any

from presspipe.document import Document, fail
from presspipe.errors import E
from presspipe.limits import Limits
from presspipe.pipeline import Pipeline, parse_pipeline
from presspipe.registry import Registry, load_registry
from presspipe.runner import Runner, new_provenance, trim_failed

log = logging.getLogger(__name__)

Batch = list[Document]
START_METHOD = "fork" if sys.platform == "linux" else "spawn"
"""How worker processes start: forked on Linux, where they inherit the imported spaCy, the
plugins and the loaded models (measured: 1.6 s less per run with two workers); spawned where
fork is unsafe (each worker then loads them itself)."""

# The parent's ends of the workers' pipes. A forked worker closes its copies of them, or the
# pipes would stay open after the parent dies and a worker waiting for a batch never stop.
_PARENT_ENDS: set[Connection] = set()

# One runner per worker process, pipeline and limits: built on first use, then kept. A forking
# parent fills it before starting workers, so they inherit runners with their models loaded.
_RUNNERS: dict[tuple[str, str, Limits], Runner] = {}


def runner_for(source: str, path: str, limits: Limits, registry: Registry | None = None) -> Runner:
    """The runner of the pipeline ``source`` (read from ``path``) in this process."""
    key = (source, path, limits)
    if key not in _RUNNERS:
        registry = registry or load_registry()
        _RUNNERS[key] = Runner(parse_pipeline(source, path, registry), registry, limits=limits)
    return _RUNNERS[key]


class PoolClosed(RuntimeError):
    """The pool was closed while a batch was waiting for or running on a worker."""


class WorkerPool:
    """``workers`` supervised worker processes (see the module doc); a context manager."""

    def __init__(
        self,
        registry: Registry,
        *,
        workers: int = 1,
        limits: Limits | None = None,
        preload: Sequence[Pipeline] = (),
        start_method: str = START_METHOD,
    ) -> None:
        self.registry = registry
        self.limits = limits or Limits()
        self._context = get_context(start_method)
        if start_method == "fork":
            from presspipe.analysis import preload_models

            for pipeline in preload:  # build and load models here, once, for every worker to inherit
                runner_for(pipeline.source, pipeline.path, self.limits, registry)
                preload_models(pipeline)
        self._closed = False
        self._workers: list[_Worker] = []
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        for _ in range(workers):
            self._idle.put(self._start())
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="presspipe-supervisor")

    def process(self, pipeline: Pipeline, batch: Batch) -> Batch:
        """Process ``batch`` on a free worker (waiting for one); returns it in input order."""
        if not batch:
            return batch
        while True:
            if self._closed:
                raise PoolClosed("the worker pool is closed")
            try:
                worker = self._idle.get(timeout=1)
                break
            except queue.Empty:
                continue
        try:
            worker = self._supervise(worker, pipeline, batch)
        finally:
            self._idle.put(worker)
        return batch

    def submit(self, pipeline: Pipeline, batch: Batch) -> Future[Batch]:
        """``process`` in a supervising thread of the pool's own; the future's result is the batch."""
        return self._threads.submit(self.process, pipeline, batch)

    def close(self) -> None:
        """Kill every worker now; batches in hand raise ``PoolClosed``."""
        self._closed = True
        for worker in list(self._workers):
            worker.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start(self) -> _Worker:
        if self._closed:
            raise PoolClosed("the worker pool is closed")
        worker = _Worker(self._context, self.limits)
        self._workers.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        self._workers.remove(worker)
        return self._start()

    def _supervise(self, worker: _Worker, pipeline: Pipeline, batch: Batch) -> _Worker:
        """Run ``batch`` on ``worker``, replacing it when it overruns or dies; returns the worker to keep."""
        if not worker.alive():
            worker = self._replace(worker)
        outcome = worker.run(pipeline, batch, self.limits.timeout * len(batch))
        if outcome.done is not None:
            batch[:] = outcome.done
            return worker
        if self._closed:
            raise PoolClosed("the worker pool was closed while a batch was running")
        worker = self._replace(worker)
        if len(batch) == 1:
            self._fail(pipeline, batch[0], outcome)
            return worker
        log.info("a batch of %d overran its budget or killed its worker; retrying one at a time", len(batch))
        for i, document in enumerate(batch):
            single = [document]
            worker = self._supervise(worker, pipeline, single)
            batch[i] = single[0]
        return worker

    def _fail(self, pipeline: Pipeline, document: Document, outcome: _Outcome) -> None:
        document.pop("html", None)
        document["provenance"] = new_provenance(pipeline)
        step = outcome.step or "(none yet)"
        if outcome.died is None:
            message = E.E502.format(seconds=self.limits.timeout, step=step)
            error = fail(document, outcome.step, "timeout", message)
        else:
            error = fail(document, outcome.step, "worker_died", E.E503.format(how=outcome.died, step=step))
        self.registry.manager.hook.presspipe_document_failed(
            step=outcome.step or "", document=document, error=error
        )
        trim_failed(document, self.limits.failed_text_chars)


@dataclass(frozen=True)
class _Outcome:
    done: Batch | None = None
    """The processed batch, if it came back."""
    step: str | None = None
    """The step the batch was in when it stopped."""
    died: str | None = None
    """How the worker died (None: it overran its budget)."""


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, context: Any, limits: Limits) -> None:
        self.connection, child = context.Pipe()
        _PARENT_ENDS.add(self.connection)
        self.process = context.Process(target=_serve, args=(child, limits), daemon=True)
        self.process.start()
        child.close()

    def alive(self) -> bool:
        return bool(self.process.is_alive())

    def run(self, pipeline: Pipeline, batch: Batch, budget: float) -> _Outcome:
        """Send ``batch``; wait up to ``budget`` seconds for it to come back."""
        deadline = time.monotonic() + budget
        step: str | None = None
        try:
            self.connection.send((pipeline.source, pipeline.path, batch))
            while (remaining := deadline - time.monotonic()) > 0:
                if not self.connection.poll(remaining):
                    continue
                kind, value = self.connection.recv()
                if kind == "step":
                    step = value
                elif kind == "done":
                    return _Outcome(done=value, step=step)
                else:
                    break
            else:
                return _Outcome(step=step)
        except (EOFError, OSError):
            return _Outcome(step=step, died=self._how_it_died())
        raise value  # "raised": the run's set-up is wrong (a PresspipeError) or a bug

    def _how_it_died(self) -> str:
        self.process.join(1)
        code = self.process.exitcode
        if code is None:
            return "it stopped answering"
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exit status {code}"

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()
        _PARENT_ENDS.discard(self.connection)


def _serve(connection: Connection, limits: Limits) -> None:
    """A worker's loop: take a batch, process it, send it back, until the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for inherited in list(_PARENT_ENDS):
        inherited.close()
    _PARENT_ENDS.clear()
    while True:
        try:
            source, path, batch = connection.recv()
        except (EOFError, OSError):
            return
        try:
            runner = runner_for(source, path, limits)
            done = runner.process(batch, on_step=lambda name: connection.send(("step", name)))
        except Exception as error:
            if not _picklable(error):
                error = RuntimeError(f"a worker raised {traceback.format_exc()}")
            outcome: tuple[str, Any] = ("raised", error)
        else:
            outcome = ("done", done)
        try:
            connection.send(outcome)
        except OSError:  # the parent is gone
            return


def _picklable(error: Exception) -> bool:
    import pickle

    try:
        pickle.dumps(error)
    except Exception:
        return False
    return True
