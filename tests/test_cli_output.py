"""Where `presspipe run` writes: a closed pipe, and an --out file that a failed start leaves alone."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

LIGHT = "name: light\nsteps:\n  - use: clean.text\n"


def presspipe(*args: str | Path, cwd: Path, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presspipe", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        **options,  # type: ignore[arg-type]
    )


def write_articles(directory: Path, count: int) -> None:
    directory.mkdir()
    for i in range(count):
        (directory / f"{i:03}.txt").write_text(
            f"Story {i} about the council.\n\nThe mayor spoke on Monday. {'More words here. ' * 30}\n",
            encoding="utf-8",
        )


def test_a_reader_that_closes_the_pipe_ends_the_run_quietly(tmp_path):
    write_articles(tmp_path / "in", 300)  # far more than a pipe buffer holds
    (tmp_path / "light.yaml").write_text(LIGHT, encoding="utf-8")
    result = subprocess.run(
        f"{sys.executable} -m presspipe run light.yaml in/ | head -c 100",
        shell=True,
        executable="/bin/bash",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert len(result.stdout) == 100
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.stderr == ""
    status = subprocess.run(
        f"set -o pipefail; {sys.executable} -m presspipe run light.yaml in/ | head -c 100 > /dev/null",
        shell=True,
        executable="/bin/bash",
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert status.returncode == 141  # as a shell reports a command that SIGPIPE stopped


def test_a_typo_in_the_input_path_leaves_the_output_file_as_it_was(tmp_path):
    write_articles(tmp_path / "seeds", 2)
    (tmp_path / "light.yaml").write_text(LIGHT, encoding="utf-8")
    assert presspipe("run", "light.yaml", "seeds/", "--out", "keep.jsonl", cwd=tmp_path).returncode == 0
    kept = (tmp_path / "keep.jsonl").read_bytes()
    assert kept.count(b"\n") == 2

    result = presspipe("run", "light.yaml", "seedz/", "--out", "keep.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert "skipped seedz/: no such file or directory" in result.stderr
    assert "nothing read, keep.jsonl left as it was" in result.stderr
    assert (tmp_path / "keep.jsonl").read_bytes() == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.jsonl", "light.yaml", "seeds"]


def test_a_bad_pipeline_leaves_the_output_file_as_it_was(tmp_path):
    write_articles(tmp_path / "seeds", 1)
    (tmp_path / "keep.jsonl").write_text("precious\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("name: b\nsteps:\n  - use: clean.txt\n", encoding="utf-8")
    result = presspipe("run", "bad.yaml", "seeds/", "--out", "keep.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "keep.jsonl").read_text(encoding="utf-8") == "precious\n"


def test_resume_keeps_the_existing_output_and_appends_what_is_new(tmp_path):
    write_articles(tmp_path / "seeds", 2)
    (tmp_path / "light.yaml").write_text(LIGHT, encoding="utf-8")
    assert presspipe("run", "light.yaml", "seeds/", "--out", "out.jsonl", cwd=tmp_path).returncode == 0
    before = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    (tmp_path / "seeds" / "new.txt").write_text("A third story, about the port.", encoding="utf-8")

    typo = presspipe("run", "light.yaml", "seedz/", "--out", "out.jsonl", "--resume", cwd=tmp_path)
    assert typo.returncode == 1
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == before

    result = presspipe("run", "light.yaml", "seeds/", "--out", "out.jsonl", "--resume", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 document: 1 done" in result.stderr and "2 already done" in result.stderr
    after = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert after.startswith(before)
    texts = [json.loads(line)["text"] for line in after.splitlines()]
    assert len(texts) == 3 and texts[2] == "A third story, about the port."


def test_a_bad_jsonl_line_is_named_with_its_column_in_characters(tmp_path):
    mid_line = '{"text": "Señor Pérez — “sí”", "meta": {"title": "x",}}'
    cut_off = '{"text": "cut off mid-write", "id": "a"'
    lines = [
        '{"text": "The council met on Tuesday and agreed the budget."}',
        mid_line,
        cut_off,
        '{"text": "b"',
    ]
    records = tmp_path / "records.jsonl"
    records.write_bytes(("\n".join(lines[:3]) + "\n" + lines[3] + "\r\n").encode("utf-8"))
    (tmp_path / "p.yaml").write_text(LIGHT, encoding="utf-8")
    result = presspipe("run", tmp_path / "p.yaml", records, "--out", tmp_path / "out.jsonl", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    # The '}' after the trailing comma: a column counts characters, where bytes would say 9 more.
    column = mid_line.index(",}") + 2
    assert mid_line.encode("utf-8").index(b",}") + 2 == column + 9
    skipped = [line for line in result.stderr.splitlines() if line.startswith("presspipe: skipped")]
    assert skipped == [
        f"presspipe: skipped {records}:2: invalid JSON: Expecting property name enclosed in double quotes "
        f"at column {column}",
        f"presspipe: skipped {records}:3: invalid JSON: Expecting ',' delimiter at the end of the line "
        f"(column {len(cut_off) + 1}): the line stops short",
        f"presspipe: skipped {records}:4: invalid JSON: Expecting ',' delimiter at the end of the line "
        f"(column {len(lines[3]) + 1}): the line stops short",
    ]
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 1


def test_an_out_that_is_no_regular_file_is_written_in_place_not_replaced(tmp_path):
    # As root, moving the finished file onto `--out /dev/null` replaced the device with a
    # regular file; a FIFO shows the same without touching the machine's /dev/null.
    write_articles(tmp_path / "in", 3)
    (tmp_path / "light.yaml").write_text(LIGHT, encoding="utf-8")
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = presspipe("run", "light.yaml", "in/", "--out", fifo, cwd=tmp_path, timeout=120)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [json.loads(line)["id"] for line in received[0].splitlines()]
    assert not list(tmp_path.glob(".out.fifo.*"))
