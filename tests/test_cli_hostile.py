"""Hostile input through the real CLI: pathological text, overlong documents, stalls, odd files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

WORDS = "name: w\nsteps:\n  - use: demo.words\n"
STALL = "name: s\nsteps:\n  - use: demo.words\n  - use: demo.stall\n"


def presspipe(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presspipe", *args], capture_output=True, text=True, env=env, timeout=600
    )


def output(path: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    documents = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {Path(d["source"]["uri"]).name: d for d in documents}


def test_twelve_thousand_quote_marks_go_through_news(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    marks = "Ada Lovelace said " + '"' * 12_000 + " and left.\n\nShe came back on Monday."
    (inputs / "marks.txt").write_text(marks, encoding="utf-8")
    (inputs / "plain.txt").write_text("Maria Lopez said “we agreed” in Madrid.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = presspipe("run", "news", str(inputs), "--out", str(out))
    assert result.returncode == 0, result.stderr
    documents = output(out)
    assert documents["marks.txt"]["errors"] == [] and documents["marks.txt"]["text"] == marks
    assert "we agreed" in documents["plain.txt"]["quotes"][0]["text"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_document_over_its_budget_fails_and_the_others_are_done(
    tmp_path, write_pipeline, demo_env, workers
):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in (("a.txt", "one fine text"), ("b.txt", "a stall here"), ("c.txt", "two fine texts")):
        (inputs / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    pipeline = str(write_pipeline(STALL))
    result = presspipe(
        "run", pipeline, str(inputs), "--out", str(out), "--timeout", "5", "--workers", workers, env=demo_env
    )
    assert result.returncode == 1, result.stderr
    documents = output(out)
    assert [documents[n]["words"][0]["text"] for n in ("a.txt", "c.txt")] == ["one", "two"]
    [error] = documents["b.txt"]["errors"]
    assert (error["code"], error["step"]) == ("timeout", "demo.stall")
    assert f"failed {inputs / 'b.txt'}: demo.stall: spent its time budget (5 s)" in result.stderr
    assert "3 documents: 2 done, 1 failed" in result.stderr and "Traceback" not in result.stderr


def test_fifos_devices_and_symlink_loops_are_named_and_skipped(tmp_path, write_pipeline, demo_env):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("a good file", encoding="utf-8")
    os.mkfifo(inputs / "pipe.txt")
    (inputs / "loop.txt").symlink_to(inputs / "loop2.txt")
    (inputs / "loop2.txt").symlink_to(inputs / "loop.txt")
    (inputs / "zero.txt").symlink_to("/dev/zero")
    out = tmp_path / "out.jsonl"
    result = presspipe("run", str(write_pipeline(WORDS)), str(inputs), "--out", str(out), env=demo_env)
    assert result.returncode == 1, result.stderr
    assert list(output(out)) == ["good.txt"]
    for name, why in (
        ("pipe.txt", "a named pipe (FIFO), not a regular file"),
        ("loop.txt", "a symlink loop"),
        ("loop2.txt", "a symlink loop"),
        ("zero.txt", "a device, not a regular file"),
    ):
        assert f"skipped {inputs / name}: {why}" in result.stderr
    assert "1 document: 1 done, 0 failed; 4 inputs skipped" in result.stderr


def test_a_document_over_max_chars_fails_and_is_written_truncated(tmp_path, write_pipeline, demo_env):
    inputs = tmp_path / "in"
    inputs.mkdir()
    long = "".join(f"Sentence number {i} of a long document.\n\n" for i in range(1_500))
    (inputs / "long.txt").write_text(long, encoding="utf-8")
    (inputs / "short.txt").write_text("a short one", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    pipeline = str(write_pipeline(WORDS))
    result = presspipe("run", pipeline, str(inputs), "--out", str(out), "--max-chars", "20000", env=demo_env)
    assert result.returncode == 1, result.stderr
    documents = output(out)
    assert documents["short.txt"]["errors"] == []
    failed = documents["long.txt"]
    assert [e["code"] for e in failed["errors"]] == ["too_long", "truncated"]
    assert (
        f"the text is {len(long):,} characters long; presspipe processes texts of up to 20,000"
        in (failed["errors"][0]["message"])
    )
    assert failed["text"] == long[:10_000]
    assert "words" not in failed


def test_sigterm_stops_a_run_at_once_and_leaves_no_worker(tmp_path, write_pipeline, demo_env):
    (tmp_path / "a.txt").write_text("a stall for a long while", encoding="utf-8")
    command = [sys.executable, "-m", "presspipe", "run", str(write_pipeline(STALL)), str(tmp_path / "a.txt")]
    run = subprocess.Popen(
        command, env=demo_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    parent = psutil.Process(run.pid)
    while not parent.children() and run.poll() is None:
        time.sleep(0.1)
    workers = parent.children(recursive=True)
    time.sleep(1)  # the worker is in demo.stall's minute-long sleep
    run.send_signal(signal.SIGTERM)
    status = run.wait(timeout=30)
    assert status == 130, run.stderr.read() if run.stderr else ""
    assert workers and not any(worker.is_running() for worker in workers)


def test_a_worker_whose_run_was_killed_exits_instead_of_waiting_forever(tmp_path, write_pipeline, demo_env):
    (tmp_path / "a.txt").write_text("a short stall", encoding="utf-8")
    pipeline = write_pipeline("name: s\nsteps:\n  - use: demo.stall\n    with: {seconds: 2}\n")
    command = [sys.executable, "-m", "presspipe", "run", str(pipeline), str(tmp_path / "a.txt")]
    run = subprocess.Popen(command, env=demo_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    while not parent.children() and run.poll() is None:
        time.sleep(0.1)
    workers = parent.children(recursive=True)
    run.kill()  # no chance to clean up: the worker finds out through its pipe
    run.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=60)
    assert workers and not alive
