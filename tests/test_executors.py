"""Executors: worker processes and a real Dask LocalCluster give the one-process output."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future

import pytest

from presspipe.document import new_document
from presspipe.executors import ordered, process_batches
from presspipe.pipeline import parse_pipeline
from presspipe.runner import document_batches

PIPELINE = "name: t\nsteps:\n  - use: clean.text\n  - use: entities.spacy\n  - use: quotes.extract\n"
TEXTS = [
    f"Title {i}\n\nMaria Lopez met officials in Madrid on day {i}. “We agreed on {i} points,” Lopez said.\n\n"
    f"The ministry said talks would go on. | Photo: Reuters"
    for i in range(9)
] + ["boom " * 3]


def run(registry, **options):  # type: ignore[no-untyped-def]
    pipeline = parse_pipeline(PIPELINE, "test", registry)
    documents = [new_document(text=text, id=f"d{i}") for i, text in enumerate(TEXTS)]
    out = [
        d
        for batch in process_batches(pipeline, registry, document_batches(documents, 3), **options)
        for d in batch
    ]
    for document in out:
        for step in document["provenance"]["steps"]:
            step.pop("seconds")
    return out


@pytest.fixture(scope="module")
def one_process():
    from presspipe.registry import load_registry

    return run(load_registry())


def test_one_process_output_is_complete(one_process):
    assert [d["id"] for d in one_process] == [f"d{i}" for i in range(10)]
    assert any(d["quotes"] for d in one_process)


def test_worker_processes_match_one_process(registry, one_process):
    assert run(registry, workers=2) == one_process


def test_dask_local_cluster_matches_one_process(registry, one_process):
    pytest.importorskip("dask.distributed")
    assert run(registry, executor="dask", workers=2) == one_process


def test_ordered_keeps_input_order_and_bounds_what_is_in_flight():
    submitted: list[int] = []

    def submit(batch):  # type: ignore[no-untyped-def]
        submitted.append(batch[0])
        future: Future[list[int]] = Future()
        future.set_result(batch)
        return future

    results = ordered(submit, ([i] for i in range(5)), in_flight=2)
    assert next(results) == [0]
    assert submitted == [0, 1], "no more than in_flight batches submitted ahead"
    assert list(results) == [[1], [2], [3], [4]]


def test_a_local_run_never_imports_dask(tmp_path):
    (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
    code = (
        "import sys; from presspipe.cli import main; "
        f"status = main(['run', 'news', {str(tmp_path / 'a.txt')!r}, '--out', {str(tmp_path / 'o.jsonl')!r}]); "
        "print('dask' in sys.modules, status)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "0"]


def test_dask_retries_the_batches_of_a_lost_worker(registry, one_process, tmp_path):
    import os
    import signal

    distributed = pytest.importorskip("dask.distributed")
    pipeline = parse_pipeline(PIPELINE, "test", registry)
    documents = [new_document(text=text, id=f"d{i}") for i, text in enumerate(TEXTS)]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None, local_directory=str(tmp_path)
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = list(client.run(os.getpid).values())
        results = process_batches(
            pipeline,
            registry,
            document_batches(documents, 1),
            executor="dask",
            scheduler=cluster.scheduler_address,
        )
        out = list(next(results))
        os.kill(pids[0], signal.SIGKILL)  # one worker dies with batches in flight
        out += [document for batch in results for document in batch]
    for document in out:
        for step in document["provenance"]["steps"]:
            step.pop("seconds")
    assert out == one_process


def test_forked_workers_inherit_the_model_loaded_once_before_the_fork(registry, tmp_path, monkeypatch):
    import os

    import spacy

    from presspipe.analysis import load_model
    from presspipe.isolation import START_METHOD

    if START_METHOD != "fork":
        pytest.skip("worker processes are spawned on this platform")
    loads = tmp_path / "loads"
    real_load = spacy.load

    def counting_load(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        with loads.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real_load(name, *args, **kwargs)

    monkeypatch.setattr(spacy, "load", counting_load)
    load_model.cache_clear()
    try:
        out = run(registry, workers=2)
    finally:
        load_model.cache_clear()  # later tests load the real, unpatched model again
    assert any(document["entities"] for document in out)
    assert loads.read_text(encoding="utf-8").split() == [str(os.getpid())], "loaded once, in this process"
