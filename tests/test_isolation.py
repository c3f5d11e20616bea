"""Supervised worker processes: a document over its time budget, or whose worker dies, fails alone."""

from __future__ import annotations

import os

import pytest

from presspipe.document import new_document
from presspipe.errors import PresspipeError
from presspipe.isolation import PoolClosed, WorkerPool
from presspipe.limits import Limits
from presspipe.pipeline import parse_pipeline

STALL = "name: s\nsteps:\n  - use: demo.stall\n  - use: demo.words\n"
CRASH = "name: c\nsteps:\n  - use: demo.words\n  - use: demo.crash\n"


def documents(*texts: str) -> list[dict]:  # type: ignore[type-arg]
    return [new_document(text=text, id=f"d{i}") for i, text in enumerate(texts)]


def test_a_document_over_its_budget_fails_and_the_rest_of_its_batch_is_processed(registry):
    pipeline = parse_pipeline(STALL, "stall.yaml", registry)
    with WorkerPool(registry, limits=Limits(timeout=5), preload=[pipeline]) as pool:
        [first_worker] = pool._workers
        batch = pool.process(pipeline, documents("one fine text", "a stall here", "another fine one"))
        [second_worker] = pool._workers
    assert [d["id"] for d in batch] == ["d0", "d1", "d2"]
    assert batch[0]["words"][0]["text"] == "one" and batch[2]["errors"] == []
    [error] = batch[1]["errors"]
    assert error["code"] == "timeout" and error["step"] == "demo.stall"
    assert "spent its time budget (5 s) in step demo.stall" in error["message"]
    assert batch[1]["provenance"]["pipeline"]["sha256"] == pipeline.sha256
    assert second_worker is not first_worker, "the overrunning worker was replaced"
    assert not first_worker.process.is_alive()


def test_a_document_that_kills_its_worker_fails_alone_and_the_pool_goes_on(registry):
    pipeline = parse_pipeline(CRASH, "crash.yaml", registry)
    with WorkerPool(registry, workers=2, preload=[pipeline]) as pool:
        futures = [pool.submit(pipeline, documents(text, "fine")) for text in ("one", "crash now", "two")]
        batches = [future.result() for future in futures]
        after = pool.process(pipeline, documents("still working"))
    died = batches[1][0]
    assert died["errors"][0]["code"] == "worker_died"
    assert "died (killed by SIGKILL) in step demo.crash" in died["errors"][0]["message"]
    assert [d["errors"] for d in (batches[0] + batches[2] + [batches[1][1]] + after)] == [[]] * 6


def test_workers_are_forked_with_the_pipeline_already_built(registry):
    pipeline = parse_pipeline(STALL, "stall.yaml", registry)
    with WorkerPool(registry, limits=Limits(timeout=30), preload=[pipeline]) as pool:
        [worker] = pool._workers
        [done] = pool.process(pipeline, documents("hello there"))
        assert pool.process(pipeline, []) == []
        assert pool._workers == [worker], "an empty batch costs no worker"
    assert done["words"][1]["text"] == "there"
    assert worker.process.pid != os.getpid()


def test_a_set_up_error_in_a_worker_reaches_the_caller_as_it_is(registry):
    pipeline = parse_pipeline(
        "name: m\nsteps:\n  - use: entities.spacy\n    with: {model: no_such_model_package}\n",
        "m.yaml",
        registry,
    )
    with WorkerPool(registry) as pool, pytest.raises(PresspipeError) as caught:
        pool.process(pipeline, documents("Ada Lovelace"))
    assert caught.value.code == "E301"


def test_close_kills_a_busy_worker_and_its_batch_raises(registry):
    pipeline = parse_pipeline(STALL, "stall.yaml", registry)
    pool = WorkerPool(registry, limits=Limits(timeout=60), preload=[pipeline])
    [worker] = pool._workers
    future = pool.submit(pipeline, documents("stall for a minute"))
    while future.running() is False:
        pass
    pool.close()
    with pytest.raises(PoolClosed):
        future.result(timeout=30)
    assert not worker.process.is_alive()
