"""run_into_store: the one path into a store, on a real SQLite store and a real runner."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from presspipe import Document, Runner, new_document, parse_pipeline
from presspipe.ingest import RunCounts, run_into_store
from presspipe.store import open_store

PIPELINE = "name: boom\nsteps:\n  - use: demo.boom\n"


def make(texts: list[str]) -> list[Document]:
    return [new_document(text=text, id=f"d{i}") for i, text in enumerate(texts)]


def test_skips_stored_runs_the_rest_stores_what_did_not_fail_in_input_order(registry, tmp_path: Path):
    pipeline = parse_pipeline(PIPELINE, "boom.yaml", registry)
    runner = Runner(pipeline, registry)
    seen: list[list[str]] = []

    def process(batches: Iterable[list[Document]]) -> Iterator[list[Document]]:
        for batch in batches:
            seen.append([document["id"] for document in batch])
            yield runner.process(batch)

    texts = [f"text {i}" for i in range(6)]
    with open_store(tmp_path / "s.db") as store:
        first = list(run_into_store(make(texts[:3]), pipeline, process, store, batch_size=2))
        assert [o.status for o in first] == ["stored"] * 3 and all(o.created for o in first)
        seen.clear()
        texts[4] = "a boom here"
        counts = RunCounts()
        outcomes = list(run_into_store(make(texts), pipeline, process, store, batch_size=2, counts=counts))
        assert [o.index for o in outcomes] == list(range(6))
        assert [o.status for o in outcomes] == ["skipped"] * 3 + ["stored", "failed", "stored"]
        assert outcomes[0].document == store.get("d0"), "a skipped document is the stored one"
        assert [i for batch in seen for i in batch] == ["d3", "d4", "d5"], (
            "stored documents are not run again"
        )
        assert (counts.skipped, counts.stored, counts.failed, counts.done) == (3, 2, 1, 0)
        assert store.get("d4") is None and store.get("d5") is not None
        changed = make(["text 0 changed"])
        [rerun] = run_into_store(changed, pipeline, process, store)
        assert rerun.status == "stored" and rerun.created, (
            "new content under a stored id is run and replaces it"
        )


def test_without_a_store_skips_only_the_ids_already_done(registry):
    pipeline = parse_pipeline(PIPELINE, "boom.yaml", registry)
    runner = Runner(pipeline, registry)

    def process(batches: Iterable[list[Document]]) -> Iterator[list[Document]]:
        return (runner.process(batch) for batch in batches)

    outcomes = list(run_into_store(make(["a", "b", "c"]), pipeline, process, done_ids={"d1"}))
    assert [(o.index, o.status) for o in outcomes] == [(0, "done"), (1, "skipped"), (2, "done")]


def test_a_long_run_of_skipped_documents_is_reported_as_it_goes(registry):
    pipeline = parse_pipeline(PIPELINE, "boom.yaml", registry)
    runner = Runner(pipeline, registry)
    handed: list[int] = []

    def process(batches: Iterable[list[Document]]) -> Iterator[list[Document]]:
        for batch in batches:
            handed.append(len(batch))
            yield runner.process(batch)

    documents = make([f"t{i}" for i in range(7)])
    outcomes = run_into_store(
        documents, pipeline, process, done_ids={f"d{i}" for i in range(6)}, batch_size=2
    )
    first = next(outcomes)
    assert (first.index, first.status) == (0, "skipped")
    assert handed == [0], "skipped documents are not held until the end: an empty batch moves them along"
    assert [o.status for o in outcomes] == ["skipped"] * 5 + ["done"]
