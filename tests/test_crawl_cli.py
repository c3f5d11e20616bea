"""``presspipe run`` on crawl files and compressed inputs, as a user runs it: the real CLI in a subprocess."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from .crawl_pages import RESPONSES, write_warc

CRAWL = "name: crawl\nsteps:\n  - use: clean.html\n{options}  - use: entities.spacy\n"


def run(tmp_path: Path, *args: str, options: str = "") -> subprocess.CompletedProcess[str]:
    pipeline = tmp_path / "crawl.yaml"
    pipeline.write_text(CRAWL.format(options=options), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "presspipe", "run", str(pipeline), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_warc_becomes_one_document_per_html_response(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz")
    out = tmp_path / "out.jsonl"
    result = run(tmp_path, "crawl.warc.gz", "--out", str(out))
    assert result.returncode == 0, result.stderr
    # One closing line: the 9 records that are not HTML pages are counted there, not listed.
    [closing] = result.stderr.strip().splitlines()
    assert closing.startswith(
        "presspipe: 5 documents: 5 done, 0 failed; 0 inputs skipped; 9 records passed over"
    )
    assert "(5 request, 1 HTTP 3xx, 1 image, 1 revisit, 1 warcinfo)" in closing
    documents = {d["source"]["uri"]: d for d in lines(out)}
    assert list(documents) == [uri for uri, *_ in RESPONSES]
    language = {uri.split("/")[2]: d["meta"]["language"] for uri, d in documents.items()}
    assert language == {
        "example.de": "de",
        "example.fr": "fr",
        "example.jp": "ja",
        "example.cn": "zh",
        "example.com": "en",
    }
    german = documents[RESPONSES[0][0]]
    assert "Bürgermeisterin Anna Müller" in german["text"]  # latin-1 bytes, decoded by the HTTP header
    assert "市議会は二日" in documents[RESPONSES[2][0]]["text"]  # Shift-JIS
    assert "市政府星期一宣布" in documents[RESPONSES[3][0]]["text"]  # GB18030, declared gb2312 in the page
    # Dates: the German page's meta tag, the English page's address; never the "Copyright 2019" footer.
    assert german["meta"]["published"] == "2021-02-26"
    assert documents[RESPONSES[4][0]]["meta"]["published"] == "2021-03-01"
    assert "published" not in documents[RESPONSES[1][0]]["meta"]
    assert all(d["meta"]["crawled"] == "2021-03-02T10:00:00Z" for d in documents.values())
    # The English model leaves other languages alone, and says so.
    for document in documents.values():
        [*_, entities_step] = document["provenance"]["steps"]
        if document["meta"]["language"] == "en":
            assert document["entities"] and "note" not in entities_step
        else:
            assert document["entities"] == []
            assert entities_step["note"].startswith(
                f"left alone: the text is in '{document['meta']['language']}'"
            )


def test_resume_and_workers_on_a_warc(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz")
    out = tmp_path / "out.jsonl"
    first = run(tmp_path, "crawl.warc.gz", "--out", str(out), "--workers", "2", "--batch-size", "2")
    assert first.returncode == 0, first.stderr
    resumed = run(tmp_path, "crawl.warc.gz", "--out", str(out), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "0 documents: 0 done" in resumed.stderr and "5 already done" in resumed.stderr
    assert sorted(d["source"]["uri"] for d in lines(out)) == sorted(uri for uri, *_ in RESPONSES)


def test_languages_a_pipeline_does_not_keep_are_dropped_and_counted(tmp_path):
    write_warc(tmp_path / "crawl.warc")
    out = tmp_path / "out.jsonl"
    result = run(tmp_path, "crawl.warc", "--out", str(out), options="    with: {languages: [en, de]}\n")
    assert result.returncode == 1, result.stderr
    closing = result.stderr.strip().splitlines()[-1]
    assert closing.startswith("presspipe: 5 documents: 2 done, 0 failed, 3 dropped;")
    assert [d["meta"]["language"] for d in lines(out)] == ["de", "en"]


def test_compressed_inputs(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.jsonl.gz").write_bytes(
        gzip.compress(json.dumps({"html": RESPONSES[4][2], "uri": RESPONSES[4][0]}).encode() + b"\n")
    )
    (inputs / "b.html.gz").write_bytes(gzip.compress(RESPONSES[0][2].encode("latin-1")))
    out = tmp_path / "out.jsonl"
    result = run(tmp_path, str(inputs), "--out", str(out))
    assert result.returncode == 0, result.stderr
    first, second = lines(out)
    assert first["source"]["uri"] == RESPONSES[4][0] and first["meta"]["published"] == "2021-03-01"
    assert second["source"]["uri"].endswith("b.html.gz") and "Bürgermeisterin" in second["text"]
