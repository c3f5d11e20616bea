"""The runner: batches, failure isolation, events, provenance and the output check."""

from __future__ import annotations

from typing import Any

from presspipe import hookimpl
from presspipe.document import new_document
from presspipe.limits import Limits
from presspipe.pipeline import load_pipeline
from presspipe.registry import load_registry
from presspipe.runner import Runner, document_batches

from . import demo_plugin


class Observer:
    """Records the event hooks it receives."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, int]] = []
        self.failures: list[tuple[str, str, dict[str, Any]]] = []

    @hookimpl
    def presspipe_batch_done(self, step: str, documents: list[dict[str, Any]], seconds: float) -> None:
        assert seconds >= 0
        self.batches.append((step, len(documents)))

    @hookimpl
    def presspipe_document_failed(self, step: str, document: dict[str, Any], error: dict[str, Any]) -> None:
        self.failures.append((step, document["id"], error))


def make_runner(write_pipeline, yaml_text: str, observer: Observer | None = None) -> Runner:  # type: ignore[no-untyped-def]
    extra: dict[str, object] = {"demo": demo_plugin}
    if observer:
        extra["observer"] = observer
    registry = load_registry(extra=extra)
    return Runner(load_pipeline(write_pipeline(yaml_text), registry), registry)


def test_one_failing_document_does_not_sink_the_batch(write_pipeline):
    observer = Observer()
    runner = make_runner(
        write_pipeline, "name: d\nsteps:\n  - use: demo.boom\n  - use: demo.words\n", observer
    )
    batch = [new_document(text=t, id=t) for t in ("fine one", "a boom here", "fine two")]
    out = runner.process(batch)
    assert [d["id"] for d in out] == ["fine one", "a boom here", "fine two"]
    assert out[0]["boomed"] is False and out[0]["words"][0]["text"] == "fine"
    failed = out[1]
    assert failed["errors"] == [{"step": "demo.boom", "code": "ValueError", "message": "found a boom"}]
    assert "words" not in failed, "later steps leave a failed document alone"
    assert observer.failures == [("demo.boom", "a boom here", failed["errors"][0])]
    assert observer.batches == [("demo.boom", 3), ("demo.words", 2)]


def test_provenance_records_pipeline_and_each_step(write_pipeline):
    runner = make_runner(write_pipeline, "name: d\nsteps:\n  - use: demo.upper\n  - use: demo.words\n")
    [document] = runner.process([new_document(text="hello world")])
    provenance = document["provenance"]
    assert provenance["pipeline"] == {"name": "d", "sha256": runner.pipeline.sha256}
    assert [(s["step"], s["plugin"], s["version"]) for s in provenance["steps"]] == [
        ("demo.upper", "demo", "1.0"),
        ("demo.words", "demo", "1.0"),
    ]
    assert document["text"] == "HELLO WORLD"
    assert document["errors"] == []


def test_document_with_a_wrong_span_is_reported_not_passed(write_pipeline):
    observer = Observer()
    runner = make_runner(write_pipeline, "name: d\nsteps:\n  - use: demo.badspan\n", observer)
    [document] = runner.process([new_document(text="hello")])
    [error] = document["errors"]
    assert error["code"] == "schema"
    assert "words/0: text[0:2] is 'he', not 'nope'" in error["message"]
    assert observer.failures[0][2] is error


def test_keys_a_step_did_not_declare_fail_the_schema_check(write_pipeline):
    runner = make_runner(write_pipeline, "name: d\nsteps:\n  - use: demo.upper\n")
    document = new_document(text="x")
    document["surprise"] = 1
    [out] = runner.process([document])
    assert out["errors"][0]["code"] == "schema" and "surprise" in out["errors"][0]["message"]


def test_html_input_without_an_html_step_fails_clearly(write_pipeline):
    runner = make_runner(write_pipeline, "name: d\nsteps:\n  - use: demo.words\n")
    [out] = runner.process([new_document(html="<p>Hi</p>")])
    assert out["errors"][0]["code"] == "input.html"
    assert "add clean.html" in out["errors"][0]["message"]
    assert "html" not in out


def test_run_streams_in_batches(write_pipeline):
    observer = Observer()
    runner = make_runner(write_pipeline, "name: d\nsteps:\n  - use: demo.words\n", observer)
    out = list(runner.run((new_document(text=f"doc {i}") for i in range(7)), batch_size=3))
    assert len(out) == 7
    assert observer.batches == [("demo.words", 3), ("demo.words", 3), ("demo.words", 1)]


def test_document_batches_do_not_read_ahead():
    taken = []

    def documents():  # type: ignore[no-untyped-def]
        for i in range(10):
            taken.append(i)
            yield new_document(text=f"doc {i}")

    first = next(document_batches(documents(), 4))
    assert [d["text"] for d in first] == ["doc 0", "doc 1", "doc 2", "doc 3"] and taken == [0, 1, 2, 3]


def test_a_document_over_max_chars_fails_before_any_step_and_the_rest_go_on(registry, write_pipeline):
    pipeline = load_pipeline(write_pipeline("name: d\nsteps:\n  - use: demo.words\n"), registry)
    runner = Runner(pipeline, registry, limits=Limits(max_chars=100, failed_text_chars=40))
    long, short = new_document(text="word " * 30, id="long"), new_document(text="fine words", id="short")
    runner.process([long, short])
    assert short["errors"] == [] and short["words"][0]["text"] == "fine"
    assert "words" not in long
    too_long, truncated = long["errors"]
    assert too_long["code"] == "too_long" and too_long["step"] is None
    assert "the text is 150 characters long; presspipe processes texts of up to 100" in too_long["message"]
    assert long["text"] == ("word " * 30)[:40], "a failed document keeps the start of its text"
    assert truncated["code"] == "truncated"
    assert "cut to its first 40 of 150 characters" in truncated["message"]


def test_document_batches_close_on_characters_as_well_as_count():
    texts = ["a" * 40, "b" * 40, "c" * 40, "d" * 200, "e" * 10, "f" * 10, "g" * 10]
    batches = document_batches((new_document(text=t) for t in texts), size=2, max_chars=100)
    assert [[d["text"][0] for d in batch] for batch in batches] == [
        ["a", "b"],
        ["c"],
        ["d"],
        ["e", "f"],
        ["g"],
    ]
