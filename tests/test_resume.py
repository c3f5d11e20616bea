"""--resume: a run killed part-way picks up where it stopped, losing and duplicating nothing."""

from __future__ import annotations

import json
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
