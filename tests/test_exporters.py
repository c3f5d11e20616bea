"""Export formats: the built-in JSONL and CSV, and one a plugin adds through the hook."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from presspipe import ExporterSpec, hookimpl
from presspipe.cli import main
from presspipe.registry import load_registry

from .conftest import ROOT

DOCUMENTS = [
    {
        "id": "a",
        "source": {"uri": "a.txt"},
        "meta": {"title": "Café, “quoted”", "published": "2026-01-06T07:03:00"},
        "entities": [{"name": "Donald Trump"}, {"name": "Moscow"}],
        "quotes": [{}, {}],
        "summary": {"text": "Line one.\nLine two."},
        "errors": [],
    },
    {"id": "b", "meta": {}, "errors": [{"step": "x.y", "message": "broke"}]},
]


def test_jsonl_is_one_utf8_object_per_line():
    chunks = list(load_registry().exporter("jsonl").export(iter(DOCUMENTS)))
    assert len(chunks) == 2 and all(c.endswith("\n") for c in chunks)
    assert "“quoted”" in chunks[0]
    assert [json.loads(c)["id"] for c in chunks] == ["a", "b"]


def test_csv_has_a_header_and_a_row_per_document():
    text = "".join(load_registry().exporter("csv").export(iter(DOCUMENTS)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["title"] == "Café, “quoted”"
    assert rows[0]["entities"] == "Donald Trump; Moscow"
    assert rows[0]["quotes"] == "2" and rows[0]["summary"] == "Line one.\nLine two."
    assert rows[1]["errors"] == "x.y: broke"


def test_csv_cells_that_would_start_a_formula_are_neutralised():
    titles = [
        '=HYPERLINK("http://evil.example","click")',
        "=1+2",
        "+1",
        "-1",
        "@SUM(A1)",
        "\tTab",
        "\rCR",
        "Plain",
    ]
    documents = [{"id": f"d{n}", "meta": {"title": t}, "text": ""} for n, t in enumerate(titles)]
    text = "".join(load_registry().exporter("csv").export(iter(documents)))
    written = [row["title"] for row in csv.DictReader(io.StringIO(text))]
    assert written == ["'" + t for t in titles[:-1]] + ["Plain"]


class TitlesPlugin:
    @hookimpl
    def presspipe_exporters(self) -> list[ExporterSpec]:
        return [
            ExporterSpec(
                "titles", "text/plain", ".txt", lambda docs: (f"{d['meta'].get('title', '')}\n" for d in docs)
            )
        ]


def test_a_plugin_adds_an_export_format():
    registry = load_registry(extra={"titles": TitlesPlugin()})
    assert registry.exporter_plugin["titles"] == "titles"
    assert "".join(registry.exporter("titles").export(iter(DOCUMENTS))) == "Café, “quoted”\n\n"


def test_unknown_format_on_the_command_line_exits_2(tmp_path, capsys):
    (tmp_path / "p.yaml").write_text("name: e\nsteps:\n  - use: entities.spacy\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "p.yaml"), str(tmp_path), "--format", "xml"]) == 2
    assert "[E105] unknown export format 'xml'" in capsys.readouterr().err


def test_run_format_parquet_writes_row_groups_pyarrow_reads(tmp_path):
    import pyarrow.parquet as pq

    from presspipe.outputs import parquet_stream
    from presspipe.plugins.exporters import document_parquet_schema

    out = tmp_path / "seeds.parquet"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "presspipe",
            "run",
            "news",
            str(ROOT / "seeds"),
            "--format",
            "parquet",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    table = pq.read_table(out)
    jsonl = subprocess.run(
        [sys.executable, "-m", "presspipe", "run", "news", str(ROOT / "seeds")],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    documents = [json.loads(line) for line in jsonl]
    assert table.num_rows == len(documents) > 0
    rows = {row["id"]: row for row in table.to_pylist()}
    for document in documents:
        row = rows[document["id"]]
        assert [e["name"] for e in row["entities"]] == [e["name"] for e in document.get("entities", [])]
        assert [q["text"] for q in row["quotes"]] == [q["text"] for q in document.get("quotes", [])]
        assert row["text"] == document["text"] and row["title"] == document["meta"].get("title")
    assert str(table.schema.field("quotes").type).startswith("list<element: struct<")
    # Row groups as they fill: 2,500 rows in groups of 1,000 come as three groups, the last with the footer.
    rows_in = ({"id": str(n), "entities": [], "quotes": [], "errors": []} for n in range(2500))
    chunks = list(parquet_stream(rows_in, document_parquet_schema(), rows_per_group=1000))
    written = tmp_path / "many.parquet"
    written.write_bytes(b"".join(chunks))
    assert pq.ParquetFile(written).num_row_groups == 3 and len(chunks) == 3
