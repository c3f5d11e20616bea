"""Reading inputs: every good document read, every bad input named with a reason."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from presspipe.sources import InputProblem, file_problem, read_inputs


def write_mixed_directory(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("A plain article.", encoding="utf-8")
    (root / "sub" / "b.html").write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    (root / "c.jsonl").write_text(
        json.dumps({"text": "one", "id": "doc-1", "meta": {"title": "T"}})
        + "\n\n{broken\n"
        + json.dumps({"html": "<p>two</p>"})
        + "\n"
        + json.dumps({"text": "x", "html": "y"})
        + "\n"
        + json.dumps({"body": "z"})
        + "\n",
        encoding="utf-8",
    )
    (root / "empty.txt").write_text("  \n", encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (root / "latin1.txt").write_bytes("café".encode("latin-1"))
    (root / "notes.docx").write_bytes(b"PK")
    (root / ".hidden.txt").write_text("skip me", encoding="utf-8")


def test_directory_of_mixed_files(tmp_path):
    write_mixed_directory(tmp_path)
    items = list(read_inputs([str(tmp_path)]))
    documents = [i for i in items if not isinstance(i, InputProblem)]
    problems = {Path(p.uri).name: p.message for p in items if isinstance(p, InputProblem)}
    assert [(d["source"]["media_type"], d["id"]) for d in documents][:2] == [
        ("text/plain", documents[0]["id"]),
        ("text/plain", "doc-1"),
    ]
    assert {d["source"]["media_type"] for d in documents} == {"text/plain", "text/html"}
    assert len(documents) == 5  # a.txt, c.jsonl line 1 and 4, latin1.txt, sub/b.html
    assert [d["text"] for d in documents if d["source"]["uri"].endswith("latin1.txt")] == ["café"]
    assert documents[1]["meta"] == {"title": "T"}
    assert problems["c.jsonl:3"].startswith("invalid JSON")
    assert problems["c.jsonl:5"] == "give exactly one of 'text' and 'html'"
    assert "'body' is not a field (fields: text, html, id, meta, uri" in problems["c.jsonl:6"]
    assert problems["empty.txt"] == "empty file"
    assert problems["binary.txt"].startswith("binary data")
    assert "latin1.txt" not in problems
    assert problems["notes.docx"].startswith("no reader takes 'notes.docx'; presspipe reads *.arc")
    assert ".hidden.txt" not in problems and all(d["text"] != "skip me" for d in documents)


def test_missing_path_is_named(tmp_path):
    [problem] = list(read_inputs([str(tmp_path / "nope.txt")]))
    assert isinstance(problem, InputProblem) and problem.message == "no such file or directory"


def test_html_document_waits_in_the_html_key(tmp_path):
    (tmp_path / "p.htm").write_text("<p>Hi</p>", encoding="utf-8")
    [document] = list(read_inputs([str(tmp_path / "p.htm")]))
    assert document["html"] == "<p>Hi</p>" and document["text"] == ""


def test_stdin_is_sniffed_as_jsonl_html_or_text():
    def read(data: bytes):
        return list(read_inputs(["-"], stdin=io.BytesIO(data)))

    assert read(b"plain words")[0]["text"] == "plain words"
    assert read(b"  <p>x</p>")[0]["html"] == "  <p>x</p>"
    assert [d["id"] for d in read(b'{"text": "a", "id": "1"}\n{"text": "b", "id": "2"}\n')] == ["1", "2"]


def test_ids_are_content_hashes_unless_given(tmp_path):
    (tmp_path / "x.txt").write_text("same", encoding="utf-8")
    (tmp_path / "y.txt").write_text("same", encoding="utf-8")
    x, y = read_inputs([str(tmp_path)])
    assert x["id"] == y["id"] and len(x["id"]) == 16
    assert x["source"]["uri"].endswith("x.txt")


def test_the_runs_own_output_file_is_not_read_as_input(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text('{"text": "old output"}\n', encoding="utf-8")
    documents = list(read_inputs([str(tmp_path)], exclude=tmp_path / "out.jsonl"))
    assert [d["text"] for d in documents] == ["text"]


def test_file_problem_names_what_is_not_a_readable_regular_file(tmp_path):
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text("ok", encoding="utf-8")
    big.write_text("x" * 2_000, encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    assert file_problem(small, max_bytes=1_000) is None
    assert (
        file_problem(big, max_bytes=1_000)
        == "2,000 bytes, over the 1,000-byte limit on an input file; split it"
    )
    assert file_problem(tmp_path / "fifo.txt") == "a named pipe (FIFO), not a regular file"
    assert file_problem(tmp_path / "loop.txt") == "a symlink loop"
    assert file_problem(Path("/dev/null")) == "a device, not a regular file"
    assert file_problem(tmp_path) == "not a regular file"


def test_a_fifo_named_on_the_command_line_is_skipped_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "fifo.txt")
    [problem] = list(read_inputs([str(tmp_path / "fifo.txt")]))
    assert problem == InputProblem(str(tmp_path / "fifo.txt"), "a named pipe (FIFO), not a regular file")
