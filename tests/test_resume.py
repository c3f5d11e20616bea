"""--resume: a run killed part-way picks up where it stopped, losing and duplicating nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from presspipe.cli import main
from presspipe.outputs import done_ids

PIPELINE = "name: t\nsteps:\n  - use: entities.spacy\n"


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(60):
        (inputs / f"{i:03}.txt").write_text(
            f"Document {i}: Maria Lopez spoke in Madrid. " * 20, encoding="utf-8"
        )
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(PIPELINE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "presspipe", "run", str(pipeline), str(inputs), "--out", str(out)]
    process = subprocess.Popen([*command, "--batch-size", "2", "--resume"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or len(out.read_bytes().splitlines()) < 6):
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = ids_in(out)
    assert 6 <= len(written) < 60, "killed part-way"
    with out.open("a", encoding="utf-8") as file:
        file.write('{"schema_version": 1, "id": "cut-off mid-wr')  # a line the kill cut short

    assert main(["run", str(pipeline), str(inputs), "--out", str(out), "--resume"]) == 0
    final = ids_in(out)
    assert final[: len(written)] == written, "what was written stays as it was"
    assert len(final) == len(set(final)) == 60


def test_resume_reprocesses_documents_of_another_pipeline(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
    first = tmp_path / "p1.yaml"
    first.write_text(PIPELINE, encoding="utf-8")
    second = tmp_path / "p2.yaml"
    second.write_text(PIPELINE + "    with: {labels: [PERSON]}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(first), str(tmp_path / "a.txt"), "--out", str(out)]) == 0
    assert main(["run", str(first), str(tmp_path / "a.txt"), "--out", str(out), "--resume"]) == 0
    assert "1 already done" in capsys.readouterr().err
    assert main(["run", str(second), str(tmp_path / "a.txt"), "--out", str(out), "--resume"]) == 0
    assert len(ids_in(out)) == 2


def test_resume_refuses_a_file_that_is_not_presspipe_output(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"hello": 1}\n', encoding="utf-8")
    try:
        done_ids(out, "abc")
    except Exception as error:
        assert "line 1 is not a presspipe document" in str(error)
    else:
        raise AssertionError("expected an error")


def test_resume_needs_a_jsonl_out_file(tmp_path, capsys):
    assert main(["run", "news", str(tmp_path), "--resume"]) == 2
    assert "[E403]" in capsys.readouterr().err


def test_run_into_a_store_and_resume_from_it(tmp_path, capsys):
    from presspipe.store import open_store

    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(3):
        (inputs / f"{i}.txt").write_text(f"Maria Lopez spoke in Madrid on day {i}.", encoding="utf-8")
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(PIPELINE, encoding="utf-8")
    db = tmp_path / "store.db"
    assert main(["run", str(pipeline), str(inputs), "--store", str(db)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "", "with --store and no --out, documents only go to the store"
    assert f"stored in {db}" in captured.err
    (inputs / "3.txt").write_text("A new one about Ana Ruiz.", encoding="utf-8")
    assert main(["run", str(pipeline), str(inputs), "--store", str(db), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "1 document: 1 done" in err and "3 already done" in err
    with open_store(db) as store:
        assert store.count() == 4
        assert store.get(next(iter(store.iter_documents()))["id"])["provenance"]["pipeline"]["name"] == "t"


def test_unusable_store_url_exits_2(tmp_path, capsys):
    assert main(["run", "news", str(tmp_path), "--store", "mysql://nowhere/db"]) == 2
    assert "[E404] store 'mysql://nowhere/db' cannot be opened" in capsys.readouterr().err


def held_run(tmp_path: Path, count: int) -> tuple[list[str], Path, Path]:
    """A run's command on ``count`` inputs, the first of which a worker holds (demo.hold) until
    ``marks/release`` exists; ``marks/`` shows what the workers finished."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "00.txt").write_text("hold this one back", encoding="utf-8")
    for i in range(1, count):
        (inputs / f"{i:02}.txt").write_text(f"Document number {i}.", encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    pipeline = tmp_path / "held.yaml"
    pipeline.write_text(
        f"name: held\nsteps:\n  - use: demo.hold\n    with: {{dir: '{marks}'}}\n  - use: demo.upper\n"
    )
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "presspipe", "run", str(pipeline), str(inputs), "--out", str(out)]
    return [*command, "--workers", "2", "--batch-size", "1"], marks, out


def ctrl_c_when(process: subprocess.Popen[str], ready) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Ctrl-C as a terminal sends it (SIGINT to the whole process group) once ``ready()``."""
    deadline = time.monotonic() + 120
    while not ready():
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the workers did not get there"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


def test_ctrl_c_keeps_every_finished_batch_and_resume_goes_on(tmp_path, demo_env):
    command, marks, out = held_run(tmp_path, 6)
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=demo_env, start_new_session=True
    )
    # One worker holds document 0; the other finishes the three batches after it that are in
    # flight (2 per worker), which wait behind document 0 to be written in order.
    finished = lambda: {p.name for p in marks.iterdir()} - {"holding"}  # noqa: E731
    status, err = ctrl_c_when(process, lambda: (marks / "holding").exists() and len(finished()) == 3)
    assert status == 130
    assert "Traceback" not in err
    written = ids_in(out)
    assert sorted(written) == sorted(finished()), "the batches finished behind the held one are kept"
    assert (
        f"presspipe: interrupted: 3 finished documents written to {out}; run the same command with --resume"
        in err
    )
    assert out.read_bytes().endswith(b"\n")

    (marks / "release").touch()
    resumed = subprocess.run(
        [*command, "--resume"], capture_output=True, text=True, env=demo_env, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "3 documents: 3 done" in resumed.stderr and "3 already done" in resumed.stderr
    final = ids_in(out)
    assert final[:3] == written and len(final) == len(set(final)) == 6
    assert all(json.loads(line)["text"].isupper() for line in out.read_text().splitlines())


def test_ctrl_c_before_anything_finished_leaves_the_output_as_it_was(tmp_path, demo_env):
    command, marks, out = held_run(tmp_path, 1)
    out.write_text('{"earlier": "output"}\n', encoding="utf-8")
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=demo_env, start_new_session=True
    )
    status, err = ctrl_c_when(process, (marks / "holding").exists)
    assert status == 130 and "Traceback" not in err
    assert f"presspipe: interrupted: 0 finished documents written; {out} left as it was" in err
    assert out.read_text() == '{"earlier": "output"}\n'
    assert not list(tmp_path.glob(".out.jsonl.*"))
