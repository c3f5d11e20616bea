# ruff: noqa: RUF001 -- text in many scripts and typographic dashes is what these tests are about
"""Input readers: WARC records, compressed files, charsets, and readers registered by plugins."""

from __future__ import annotations

import gzip
import io
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
import zstandard

from presspipe import InputProblem, PassedOver, ReaderSpec, Source, hookimpl, new_document
from presspipe.errors import PresspipeError
from presspipe.plugins.readers.decode import DecodeError, decode_html, decode_text
from presspipe.registry import load_registry
from presspipe.sources import read_inputs

from .conftest import ROOT
from .crawl_pages import CRAWLED, RESPONSES, arc_file, write_warc


def split(items):
    documents = [i for i in items if isinstance(i, dict)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    passed = [i for i in items if isinstance(i, PassedOver)]
    return documents, problems, passed


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_html_responses_become_documents_keyed_by_target_uri(tmp_path, name):
    path = tmp_path / name
    write_warc(path, gzip=name.endswith(".gz"))
    documents, problems, [passed] = split(list(read_inputs([str(path)])))
    assert problems == []
    assert [d["source"]["uri"] for d in documents] == [uri for uri, *_ in RESPONSES]
    assert all(d["meta"] == {"crawled": CRAWLED} for d in documents)
    # Every page decoded right whatever its charset: latin-1 and Shift-JIS declared in the
    # HTTP header, cp1252 and GB18030 (as gb2312) only in the page, UTF-8 declared.
    for document, (_uri, _type, html, _charset) in zip(documents, RESPONSES, strict=True):
        assert document["html"] == html
    assert passed.counts == {"warcinfo": 1, "request": 5, "image": 1, "HTTP 3xx": 1, "revisit": 1}


@pytest.mark.parametrize("compressed", [False, True])
def test_a_truncated_warc_keeps_what_came_before_and_names_the_cut_record(tmp_path, compressed):
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    write_warc(path, gzip=compressed)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    documents, problems, _passed = split(list(read_inputs([str(path)])))
    assert 1 <= len(documents) < len(RESPONSES)
    assert [d["html"] for d in documents] == [html for _uri, _type, html, _cs in RESPONSES[: len(documents)]]
    [problem] = problems
    assert str(path) in problem.uri
    assert "cut off" in problem.message or "not a readable WARC/ARC file" in problem.message


def test_arc_files_are_read_too(tmp_path):
    page = "<html><body><p>café au lait</p></body></html>"
    (tmp_path / "old.arc.gz").write_bytes(
        gzip.compress(
            arc_file(
                [
                    ("http://example.org/a.html", "text/html; charset=iso-8859-1", page.encode("latin-1")),
                    ("http://example.org/logo.gif", "image/gif", b"GIF89a"),
                ]
            )
        )
    )
    [document, passed] = list(read_inputs([str(tmp_path / "old.arc.gz")]))
    assert document["source"]["uri"] == "http://example.org/a.html" and document["html"] == page
    assert document["meta"] == {"crawled": "2021-03-02T10:00:00Z"}
    assert passed.counts == {"warcinfo": 1, "image": 1}


def test_a_file_that_is_no_warc_is_named(tmp_path):
    (tmp_path / "x.warc").write_bytes(b"<html>this is not a crawl</html>")
    [problem] = list(read_inputs([str(tmp_path / "x.warc")]))
    assert isinstance(problem, InputProblem) and problem.message.startswith(
        "not a WARC or ARC file: it starts with"
    )


def test_compressed_jsonl_text_and_html_are_read_streaming(tmp_path):
    (tmp_path / "a.jsonl.gz").write_bytes(
        gzip.compress(b'{"text": "first", "uri": "https://x.org/1"}\n{"text": "second"}\n')
    )
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress("Grüße aus Köln".encode("cp1252")))
    (tmp_path / "c.html.zst").write_bytes(zstandard.compress("<p>héllo</p>".encode()))
    (tmp_path / "d.txt.gz").write_bytes(b"not gzip at all")
    documents, problems, _ = split(list(read_inputs([str(tmp_path)])))
    assert [d.get("html") or d["text"] for d in documents] == [
        "first",
        "second",
        "Grüße aus Köln",
        "<p>héllo</p>",
    ]
    assert documents[0]["source"]["uri"] == "https://x.org/1"
    assert documents[1]["source"]["uri"] == f"{tmp_path / 'a.jsonl.gz'}:2"
    [problem] = problems
    assert problem.uri.endswith("d.txt.gz") and problem.message.startswith(
        "cannot be read: Not a gzipped file"
    )


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Grüße, café, naïve – “quoted”", "cp1252"),
        ("Ça coûte très cher à Genève", "latin-1"),
        ("東京都は今日、新しい政策を発表しました。", "shift_jis"),
        ("北京市政府今天宣布了新的经济政策。", "gb18030"),
        ("Москва сегодня объявила о новых мерах поддержки", "cp1251"),
    ],
)
def test_text_in_legacy_charsets_is_decoded(text, charset):
    assert decode_text(text.encode(charset))[0] == text


def test_text_byte_order_marks_utf16_included():
    text = "Zürich – 東京"
    for codec in ("utf-16", "utf-32", "utf-8-sig"):
        assert decode_text(text.encode(codec)) == (text, codec if codec != "utf-16" else "utf-16")


def test_html_charset_order_header_then_meta_then_utf8():
    page = '<html><head><meta charset="koi8-r"></head><body>Привет</body></html>'
    assert decode_html(page.encode("koi8-r")) == (page, "koi8-r")
    # The header wins over the page's own declaration.
    assert decode_html(page.encode("cp1251"), declared="windows-1251")[0] == page
    # A page that is valid UTF-8 is UTF-8 whatever a server says (latin-1 is a common default).
    assert decode_html("<p>café</p>".encode(), declared="iso-8859-1") == ("<p>café</p>", "utf-8")
    # latin-1 is read as browsers read it: windows-1252, so its quotes survive.
    assert decode_html(b"<p>\x93Hi\x94</p>", declared="ISO-8859-1") == ("<p>\u201cHi\u201d</p>", "cp1252")


def test_binary_bytes_are_named_not_guessed(tmp_path):
    with pytest.raises(DecodeError, match="binary data"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [problem] = list(read_inputs([str(tmp_path / "image.html")]))
    assert isinstance(problem, InputProblem) and problem.message.startswith("binary data")


class MemoReader:
    """A third party's reader: ``memo:`` URIs and ``*.memo`` files, one document per line."""

    @staticmethod
    def read(source: Source):
        if source.path is None:
            yield new_document(text=source.name.removeprefix("memo://"), uri=source.name)
            return
        with source.open() as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    yield new_document(text=line.decode().strip(), uri=f"{source.name}:{number}")

    @hookimpl
    def presspipe_readers(self) -> list[ReaderSpec]:
        return [ReaderSpec("memo", self.read, patterns=("*.memo",), schemes=("memo",))]


def test_a_plugin_reader_takes_its_patterns_and_schemes_compressed_too(tmp_path):
    (tmp_path / "notes.memo.gz").write_bytes(gzip.compress(b"one\n\ntwo\n"))
    readers = load_registry(extra={"memo": MemoReader()}).input_readers()
    documents = list(read_inputs([str(tmp_path), "memo://hello"], readers))
    assert [d["text"] for d in documents] == ["one", "two", "hello"]
    assert documents[1]["source"]["uri"] == f"{tmp_path / 'notes.memo.gz'}:3"
    [problem] = list(read_inputs(["ftp://example.org/x"], readers))
    assert "no reader takes 'ftp' URIs (readers take: memo, stdin)" in problem.message


def test_a_pattern_two_readers_claim_is_an_error_naming_both():
    class Clash:
        @hookimpl
        def presspipe_readers(self) -> list[ReaderSpec]:
            return [ReaderSpec("other-warc", lambda source: iter(()), patterns=("*.WARC.gz",))]

    registry = load_registry(extra={"clash": Clash()})
    with pytest.raises(
        PresspipeError,
        match=re.escape("file pattern '*.warc.gz' is taken by both reader 'warc' and reader 'other-warc'"),
    ):
        registry.input_readers()


def test_plugins_command_lists_readers(capsys):
    from presspipe.cli import main

    assert main(["plugins", "--json"]) == 0
    [readers] = [p for p in json.loads(capsys.readouterr().out)["plugins"] if p["name"] == "readers"]
    assert readers["readers"] == ["text", "html", "jsonl", "warc", "directory", "stdin"]


def test_stdin_reader_sniffs_jsonl():
    documents = list(read_inputs(["-"], stdin=io.BytesIO(b'\xef\xbb\xbf{"text": "a"}\n{"text": "b"}\n')))
    assert [d["text"] for d in documents] == ["a", "b"]


def test_a_path_without_a_reader_is_named(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    [problem] = list(read_inputs([str(tmp_path / "x.pdf")]))
    assert "no reader takes 'x.pdf'; presspipe reads" in problem.message and "*.warc.gz" in problem.message


def test_source_open_reads_the_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x")
    with Source(str(path), Path(path)).open() as stream:
        assert stream.read() == b"x"


def test_the_guides_csv_reader_example_reads_plain_and_compressed_csv(tmp_path):
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    code = guide.split("<!-- example: csv reader -->\n```python\n", 1)[1].split("```", 1)[0]
    plugin = types.ModuleType("csv_reader_example")
    exec(compile(code, "docs/plugins.md", "exec"), plugin.__dict__)
    (tmp_path / "a.csv").write_text("url,text\nhttps://x.org/1,First story.\n,\n", encoding="utf-8")
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(b"text\nSecond story.\n"))
    readers = load_registry(extra={"csv": plugin}).input_readers()
    documents, problems, _ = split(list(read_inputs([str(tmp_path)], readers)))
    assert [(d["text"], d["source"]["uri"]) for d in documents] == [
        ("First story.", "https://x.org/1"),
        ("Second story.", f"{tmp_path / 'b.csv.gz'}:2"),
    ]
    assert [(p.uri, p.message) for p in problems] == [
        (f"{tmp_path / 'a.csv'}:3", "the 'text' column is empty")
    ]


def test_with_no_readers_loaded_the_problem_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSPIPE_PLUGINS", "summarize")
    [problem] = list(read_inputs([str(tmp_path)]))
    assert "no input readers are loaded" in problem.message and "PRESSPIPE_PLUGINS" in problem.message


COMPRESS = {".gz": gzip.compress, ".zst": zstandard.compress}
PLAIN = {
    ".txt": (b"A plain text line.\nAnd a second one.\n", "A plain text line.\nAnd a second one.\n"),
    ".html": (
        b"<p>An HTML page.</p>\n<p>Two paragraphs.</p>",
        "<p>An HTML page.</p>\n<p>Two paragraphs.</p>",
    ),
    ".jsonl": (b'{"text": "one record"}\n{"text": "another record"}\n', "one record"),
}


@pytest.mark.parametrize("compression", sorted(COMPRESS))
@pytest.mark.parametrize("kind", sorted(PLAIN))
def test_every_compression_with_every_file_reader(tmp_path, kind, compression):
    # .jsonl.zst once failed with "cannot be read: UnsupportedOperation" (no readline on zstd's reader).
    raw, first = PLAIN[kind]
    path = tmp_path / f"input{kind}{compression}"
    path.write_bytes(COMPRESS[compression](raw))
    documents, problems, _ = split(list(read_inputs([str(path)])))
    assert problems == []
    assert (documents[0].get("html") or documents[0]["text"]) == first
    assert len(documents) == (2 if kind == ".jsonl" else 1)


def test_the_cli_reads_jsonl_zst(tmp_path):
    (tmp_path / "feed.jsonl.zst").write_bytes(
        zstandard.compress(b'{"id": "z1", "text": "The mayor opened the new bridge on Monday."}\n')
    )
    out = tmp_path / "out.jsonl"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "presspipe",
            "run",
            "news",
            str(tmp_path / "feed.jsonl.zst"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [document] = [json.loads(line) for line in out.read_text().splitlines()]
    assert document["id"] == "z1" and document["text"].startswith("The mayor opened")


def test_utf8_with_a_stray_byte_is_utf8_whatever_is_declared():
    # A latin-1 "ü" pasted into a UTF-8 page that declares windows-1250: read as windows-1250,
    # every "ü" of the page would be "Ăź".
    words = " ".join(["Standardausführung", "für", "Größe", "Übergabe"] * 6)
    page = f'<html><head><meta charset="windows-1250"></head><body><p>{words}</p>'.encode()
    data = page + "<p>M\xfcller</p></body></html>".encode("latin-1")
    text, charset = decode_html(data)
    assert charset == "utf-8"
    assert "Standardausführung" in text and "Ăź" not in text and "M\ufffdller" in text
    # Real windows-1250 text has no UTF-8 sequences to speak of: it stays windows-1250.
    czech = '<html><head><meta charset="windows-1250"></head><body><p>Příliš žluťoučký kůň</p></body></html>'
    assert decode_html(czech.encode("cp1250")) == (czech, "cp1250")
