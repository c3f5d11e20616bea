"""One bad document fails alone: in an API batch (both stores), in `presspipe run --store`, in
`presspipe serve --ingest`, and as a JSONL record holding a lone surrogate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from presspipe.api import Settings, create_app
from presspipe.store import open_store

from . import test_store
from .conftest import ROOT
from .servers import free_port, plain_pipeline
from .test_store import make_document

store_url = test_store.store_url  # the fixture: SQLite and PostgreSQL
POISON = "0001-01-01T00:00:00+01:00"
"""A date the store cannot keep; the API and the input readers refuse it before processing."""
UNSTORABLE_ID = "a/b"
"""An id the store refuses after processing (``not_stored``)."""
UNSTORABLE_TITLE = "x" * 2001
"""A title the store refuses after processing (``not_stored``); the API takes any title."""


@pytest.fixture
def client(tmp_path: Path, store_url: str) -> Iterator[TestClient]:
    pipelines = plain_pipeline(tmp_path / "pipelines")
    with TestClient(create_app(Settings(store=store_url, pipelines_dir=pipelines))) as test_client:
        yield test_client


def wait_for(client: TestClient, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        batch: dict[str, Any] = client.get(url).json()
        if batch["status"] == "done":
            return batch
        assert batch["status"] in ("queued", "running"), batch
        assert time.monotonic() < deadline, batch
        time.sleep(0.1)


def test_a_poisoned_document_fails_alone_in_a_batch_of_forty(client: TestClient) -> None:
    documents: list[dict[str, Any]] = [{"text": f"Document number {n} says hello."} for n in range(40)]
    documents[20]["meta"] = {"title": UNSTORABLE_TITLE}
    documents[30]["meta"] = {"published": POISON}
    answer = client.post("/v1/batches?pipeline=plain", json={"documents": documents})
    assert answer.status_code == 202, answer.text
    batch = wait_for(client, answer.json()["url"])
    assert (batch["processed"], batch["failed"]) == (40, 2)
    statuses = [result["status"] for result in batch["results"]]
    assert statuses == ["created"] * 20 + ["failed"] + ["created"] * 9 + ["failed"] + ["created"] * 9
    [error] = batch["results"][20]["errors"]
    assert error["code"] == "not_stored" and "meta.title of 2,001 characters" in error["message"]
    [error] = batch["results"][30]["errors"]
    assert error["code"] == "invalid_date"
    assert (
        error["message"] == f"documents.30.meta.published '{POISON}' is out of range (years 1 to 9999 in UTC)"
    )
    assert client.get("/healthz").json()["documents"] == 38


def test_a_single_poisoned_post_is_a_422_naming_the_field(client: TestClient) -> None:
    answer = client.post(
        "/v1/documents?pipeline=plain", json={"text": "Hello there.", "meta": {"published": POISON}}
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_date" and error["message"].startswith(f"body.meta.published '{POISON}'")
    slash = client.post("/v1/documents?pipeline=plain", json={"text": "Hello there.", "id": "a/b"})
    assert slash.status_code == 422 and slash.json()["error"]["message"].startswith("id: ")


def presspipe(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presspipe", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_run_store_records_the_bad_documents_and_stores_the_good(tmp_path: Path) -> None:
    records = [
        '{"text": "Bad \\udcff here, said Ada Lovelace."}',
        json.dumps({"text": "A poisoned id, said Ada Lovelace.", "id": UNSTORABLE_ID}),
        json.dumps({"text": "A fine record, said Ada Lovelace."}),
    ]
    (tmp_path / "rec.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("A good file, said Charles Babbage.", encoding="utf-8")
    plain_pipeline(tmp_path)
    run = presspipe(
        "run", "plain.yaml", "rec.jsonl", "good.txt", "--store", "h2.db", "--out", "out.jsonl", cwd=tmp_path
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "skipped rec.jsonl:1: 'text' holds '\\udcff', a lone surrogate (not valid Unicode)" in run.stderr
    assert "failed rec.jsonl:2:" in run.stderr and "holds a '/'" in run.stderr
    assert "3 documents: 2 done, 1 failed; 1 input skipped" in run.stderr
    with open_store(tmp_path / "h2.db") as store:
        assert sorted(d["text"] for d in store.iter_documents()) == [
            "A fine record, said Ada Lovelace.",
            "A good file, said Charles Babbage.",
        ]
    written = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["errors"][0]["code"] if d["errors"] else None for d in written] == ["not_stored", None, None]


def test_serve_ingest_skips_a_record_it_cannot_store_and_starts(tmp_path: Path) -> None:
    bad = make_document(2, published=POISON)
    (tmp_path / "out.jsonl").write_text(
        "\n".join(json.dumps(d) for d in (make_document(1), bad, make_document(3))) + "\n", encoding="utf-8"
    )
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "presspipe",
        "serve",
        "--store",
        str(tmp_path / "s.db"),
        "--port",
        str(port),
    ]
    server = subprocess.Popen(
        [*command, "--ingest", str(tmp_path / "out.jsonl")],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PRESSPIPE_API_TOKEN": ""},
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert health.json()["documents"] == 2
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "not ingested: doc00002: meta.published '0001-01-01T00:00:00+01:00' is out of range" in err
    assert "2 stored, 0 already stored, 1 skipped" in err
