"""The HTTP API's wiring: routes, status codes, errors, auth, batches, export, and `presspipe serve`.

Behaviour of the store is tested in test_store.py; here the real spaCy pipeline runs through
the app (a small pipeline written by the test: clean.text, entities, quotes, summary).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from presspipe import ExporterSpec, hookimpl
from presspipe.api import Settings, create_app
from presspipe.registry import load_registry
from presspipe.store import SCHEMA_VERSION, open_store

from .conftest import ROOT
from .servers import free_port
from .test_store import make_document

SMALL = """name: small
description: clean, entities, quotes, summary
steps:
  - use: clean.text
  - use: entities.spacy
    with: {labels: [PERSON, ORG, GPE, NORP]}
  - use: quotes.extract
  - use: summarize.extractive
    with: {sentences: 2}
"""
ARTICLE = (
    "\u201cWe will finish the engine by spring,\u201d said Ada Lovelace in London on Monday.\n\n"
    "Charles Babbage, who designed it, told reporters the money had run out."
)
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class TsvExporter:
    """A third-party export format, as a plugin would add it."""

    @hookimpl
    def presspipe_exporters(self) -> list[ExporterSpec]:
        def export(documents: Iterable[dict[str, Any]]) -> Iterator[str]:
            for document in documents:
                yield f"{document['id']}\t{len(document.get('entities', []))}\n"

        return [ExporterSpec("tsv", "text/tab-separated-values", ".tsv", export)]


@pytest.fixture(scope="module")
def pipelines_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pipelines")
    (directory / "small.yaml").write_text(SMALL, encoding="utf-8")
    (directory / "broken.yaml").write_text("name: broken\nsteps: [{use: no.such}]\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_registry(extra={"tsv": TsvExporter()})


@pytest.fixture
def make_client(tmp_path: Path, pipelines_dir: Path, registry) -> Iterator[Callable[..., TestClient]]:  # type: ignore[no-untyped-def]
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        values = {
            "store": str(tmp_path / "api.db"),
            "pipelines_dir": pipelines_dir,
            "token": TOKEN,
            **settings,
        }
        client = TestClient(create_app(Settings(**values), registry=registry))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def seed_store(client: TestClient, documents: list[dict[str, Any]]) -> None:
    client.app.state.services.store.put_many(documents)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- submit and fetch


def test_post_document_processes_stores_and_returns_it_once(client: TestClient) -> None:
    response = client.post(
        "/v1/documents?pipeline=small", json={"text": ARTICLE, "meta": {"title": "Engines"}}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["provenance"]["pipeline"]["name"] == "small"
    assert "Ada Lovelace" in {e["name"] for e in document["entities"]}
    [quote] = [q for q in document["quotes"] if "engine" in q["text"]]
    assert quote["speaker"]["text"] == "Ada Lovelace"
    assert document["summary"]["text"]
    assert response.headers["location"] == f"/v1/documents/{document['id']}?pipeline=small"

    assert client.get(response.headers["location"]).json() == document
    assert client.get(f"/v1/documents/{document['id']}").json() == document
    again = client.post(
        "/v1/documents?pipeline=small", json={"text": ARTICLE, "meta": {"title": "Engines"}}, headers=AUTH
    )
    assert again.status_code == 200 and again.json() == document
    assert client.get("/v1/documents").json()["items"][0]["title"] == "Engines"
    assert len(client.get("/v1/documents").json()["items"]) == 1


def test_reported_speech_is_served_and_its_speaker_filters(client: TestClient) -> None:
    document = client.post("/v1/documents?pipeline=small", json={"text": ARTICLE}, headers=AUTH).json()
    [reported] = [q for q in document["quotes"] if q["kind"] == "indirect"]
    assert (reported["text"], reported["cue"]["text"]) == ("the money had run out", "told")
    names = {e["id"]: e["name"] for e in document["entities"]}
    assert names[reported["speaker"]["entity"]] == "Charles Babbage"
    served = client.get(f"/v1/documents/{document['id']}/quotes").json()["quotes"]
    assert reported in served
    found = client.get("/v1/documents", params={"speaker": "charles babbage"}).json()["items"]
    assert [item["id"] for item in found] == [document["id"]]


def test_a_raw_text_body_is_a_document_and_html_needs_a_pipeline_that_reads_it(client: TestClient) -> None:
    plain = client.post(
        "/v1/documents?pipeline=small",
        content=ARTICLE.encode(),
        headers={**AUTH, "Content-Type": "text/plain; charset=utf-8"},
    )
    assert plain.status_code == 201 and plain.json()["source"]["media_type"] == "text/plain"
    html = client.post(
        "/v1/documents?pipeline=small",
        content=b"<p>Hello there</p>",
        headers={**AUTH, "Content-Type": "text/html"},
    )
    assert html.status_code == 422
    assert html.json()["error"]["code"] == "document_failed"
    assert "clean.html" in html.json()["error"]["message"]


BAD_REQUESTS: dict[str, tuple[dict[str, Any], int, str]] = {
    "malformed JSON": (
        {"content": b'{"text": "a', "headers": {"Content-Type": "application/json"}},
        400,
        "invalid_json",
    ),
    "invalid UTF-8 JSON": (
        {"content": b'{"text": "\xff"}', "headers": {"Content-Type": "application/json"}},
        400,
        "invalid_encoding",
    ),
    "invalid UTF-8 text": (
        {"content": b"caf\xe9", "headers": {"Content-Type": "text/plain"}},
        400,
        "invalid_encoding",
    ),
    "wrong type": ({"json": {"text": 5}}, 422, "invalid_body"),
    "not an object": ({"json": ["text"]}, 422, "invalid_body"),
    "empty text": ({"json": {"text": "  \n "}}, 422, "empty_text"),
    "zero-length text": ({"json": {"text": ""}}, 422, "invalid_body"),
    "empty raw body": ({"content": b" \n", "headers": {"Content-Type": "text/plain"}}, 422, "empty_text"),
    "neither text nor html": ({"json": {"meta": {}}}, 422, "invalid_body"),
    "both text and html": ({"json": {"text": "a", "html": "<p>a</p>"}}, 422, "invalid_body"),
    "unknown field": ({"json": {"text": "a", "body": "b"}}, 422, "invalid_body"),
    "id with a slash": ({"json": {"text": "a", "id": "../etc"}}, 422, "invalid_body"),
    "NUL in text": ({"json": {"text": "a\u0000b"}}, 422, "invalid_body"),
    "lone surrogate": (
        {"content": b'{"text": "a\\ud800"}', "headers": {"Content-Type": "application/json"}},
        422,
        "invalid_body",
    ),
    "deep nesting": (
        {"content": b"[" * 100_000, "headers": {"Content-Type": "application/json"}},
        400,
        "invalid_json",
    ),
    "media type": (
        {"content": b"a", "headers": {"Content-Type": "application/pdf"}},
        415,
        "unsupported_media_type",
    ),
}


@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_bad_input_gets_a_4xx_json_error_that_says_what_is_wrong(
    case: str, make_client: Callable[..., TestClient]
) -> None:
    client = make_client(max_body_bytes=200_000)
    kwargs, status, code = BAD_REQUESTS[case]
    kwargs = {**kwargs, "headers": {**AUTH, **kwargs.get("headers", {})}}
    response = client.post("/v1/documents?pipeline=small", **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_oversize_bodies_and_unknown_pipelines_are_refused(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_body_bytes=1000)
    big = client.post("/v1/documents?pipeline=small", json={"text": "word " * 500}, headers=AUTH)
    assert big.status_code == 413 and "1000 bytes" in big.json()["error"]["message"]
    chunked = client.post(
        "/v1/documents?pipeline=small",
        content=iter([b'{"text": "', b"x" * 2000, b'"}']),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    batch = client.post(
        "/v1/batches?pipeline=small", json={"documents": [{"text": "w " * 600}]}, headers=AUTH
    )
    assert batch.status_code == 413
    unknown = client.post("/v1/documents?pipeline=nope", json={"text": "a"}, headers=AUTH)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_pipeline"
    assert "small" in unknown.json()["error"]["message"]


def test_pipelines_are_only_those_installed_or_in_the_directory(
    client: TestClient, pipelines_dir: Path
) -> None:
    names = [p["name"] for p in client.get("/v1/pipelines").json()]
    assert names == ["news", "small"]  # broken.yaml is not offered
    detail = client.get("/v1/pipelines/small").json()
    assert detail["origin"] == "directory" and detail["yaml"] == SMALL
    assert [s["use"] for s in detail["steps"]][:2] == ["clean.text", "entities.spacy"]
    assert detail["steps"][3]["with"]["sentences"] == 2
    for reference in (str(pipelines_dir / "small.yaml"), "../small", "pipelines/news.yaml", "/etc/passwd"):
        response = client.post(
            "/v1/documents", params={"pipeline": reference}, json={"text": "a"}, headers=AUTH
        )
        assert response.status_code == 404, reference
        assert client.get("/v1/pipelines/" + reference.replace("/", "%2F")).status_code == 404


# ---------------------------------------------------------------------- access


def test_writes_need_the_token_and_reads_are_open_or_closed_by_configuration(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    assert client.post("/v1/documents?pipeline=small", json={"text": ARTICLE}).status_code == 401
    wrong = client.post(
        "/v1/documents?pipeline=small", json={"text": ARTICLE}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    assert client.post("/v1/batches?pipeline=small", json={"documents": [{"text": "a"}]}).status_code == 401
    assert client.get("/v1/documents").status_code == 200

    closed = make_client(reads="token")
    for path in (
        "/v1/documents",
        "/v1/pipelines",
        "/v1/export",
        "/v1/documents/x",
        "/v1/plugins",
        "/metrics",
    ):
        assert closed.get(path).status_code == 401, path
    page = closed.get("/documents/x?pipeline=small", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (
        303,
        "/login?next=/documents/x%3Fpipeline%3Dsmall",
    )
    assert closed.get("/v1/documents", headers=AUTH).status_code == 200
    assert closed.get("/healthz").status_code == 200

    open_writes = make_client(token=None)
    assert open_writes.post("/v1/documents?pipeline=small", json={"text": ARTICLE}).status_code == 201
    with pytest.raises(ValueError, match="needs a token"):
        Settings(reads="token")


# ---------------------------------------------------------------------- listing, filters, export


def test_listing_filters_and_follows_cursor_links(client: TestClient) -> None:
    seed_store(
        client,
        [
            make_document(n, place="Rome" if n % 2 else "Oslo", published=f"2026-01-{n + 1:02d}")
            for n in range(12)
        ]
        + [make_document(99, pipeline="other", speaker="Carol White")],
    )
    page = client.get("/v1/documents", params={"entity": "rome", "limit": 4}).json()
    seen = [item["id"] for item in page["items"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen.extend(item["id"] for item in page["items"])
    assert seen == [f"doc{n:05d}" for n in (11, 9, 7, 5, 3, 1)]
    assert page["items"][-1]["url"] == "/v1/documents/doc00001?pipeline=news"

    def ids(**params: Any) -> list[str]:
        response = client.get("/v1/documents", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids(speaker="carol white") == ["doc00099"]
    assert ids(pipeline="other") == ["doc00099"]
    assert ids(q="word3 agreed") == ["doc00003"]
    assert ids(published_from="2026-01-10", published_to="2026-01-11") == ["doc00010", "doc00009"]
    assert ids(published_to="2026-01-02T00:00:00") == ["doc00001", "doc00000"]
    assert ids(published_to="2026-01-01T23:59:59") == ["doc00000"]
    for params in (
        {"cursor": "garbage"},
        {"published_from": "yesterday"},
        {"q": "?!"},
        {"limit": 0},
        {"limit": "x"},
    ):
        response = client.get("/v1/documents", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"]["message"]


def test_quotes_and_entities_of_a_document(client: TestClient) -> None:
    seed_store(client, [make_document(1)])
    quotes = client.get("/v1/documents/doc00001/quotes").json()
    assert quotes["document"] == "doc00001"
    assert [q["speaker"]["text"] for q in quotes["quotes"]] == ["Smith"]
    entities = client.get("/v1/documents/doc00001/entities").json()["entities"]
    assert [e["name"] for e in entities] == ["Alice Smith", "Bob Jones", "Paris"]
    for path in (
        "/v1/documents/nope",
        "/v1/documents/nope/quotes",
        "/v1/documents/doc00001/entities?pipeline=x",
    ):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_export_streams_every_selected_document_in_any_registered_format(client: TestClient) -> None:
    seed_store(client, [make_document(n, place="Rome" if n < 3 else "Oslo") for n in range(260)])
    with client.stream("GET", "/v1/export", params={"format": "jsonl"}) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert len(lines) == 260 and lines[-1] == make_document(0, place="Rome")
    rows = list(csv.reader(io.StringIO(client.get("/v1/export?format=csv&entity=rome").text)))
    assert rows[0][0] == "id" and [r[0] for r in rows[1:]] == ["doc00002", "doc00001", "doc00000"]
    tsv = client.get("/v1/export?format=tsv&entity=rome")
    assert tsv.text.splitlines() == ["doc00002\t3", "doc00001\t3", "doc00000\t3"]
    assert 'filename="presspipe.tsv"' in tsv.headers["content-disposition"]
    unknown = client.get("/v1/export?format=xml")
    assert unknown.status_code == 422 and "csv, jsonl, parquet, tsv" in unknown.json()["error"]["message"]
    assert client.get("/v1/export?q=!!").status_code == 422


# ---------------------------------------------------------------------- batches


def test_a_batch_is_processed_in_the_background_and_its_progress_polled(client: TestClient) -> None:
    documents = [
        {"text": ARTICLE, "id": "lovelace"},
        {"html": "<p>not for this pipeline</p>", "id": "page"},
        {"text": "Grace Hopper said the bug was a moth.", "id": "hopper"},
    ]
    response = client.post("/v1/batches?pipeline=small", json={"documents": documents}, headers=AUTH)
    assert response.status_code == 202, response.text
    batch = response.json()
    assert batch["total"] == 3 and batch["status"] in ("queued", "running", "done")
    assert response.headers["location"] == batch["url"]
    deadline = time.monotonic() + 60
    while batch["status"] != "done" and time.monotonic() < deadline:
        time.sleep(0.05)
        batch = client.get(batch["url"]).json()
    assert batch["status"] == "done" and (batch["processed"], batch["failed"]) == (3, 1)
    assert [(r["id"], r["status"]) for r in batch["results"]] == [
        ("lovelace", "created"),
        ("page", "failed"),
        ("hopper", "created"),
    ]
    [error] = batch["results"][1]["errors"]
    assert error["step"] is None and error["code"] == "input.html" and "clean.html" in error["message"]
    assert client.get("/v1/documents/hopper").json()["entities"][0]["name"] == "Grace Hopper"
    assert client.get("/v1/batches/nope").status_code == 404

    bad = client.post(
        "/v1/batches?pipeline=small", json={"documents": [{"text": "a"}, {"text": 1}]}, headers=AUTH
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["loc"][:3] == ["body", "documents", 1]
    assert client.post("/v1/batches?pipeline=small", json={"documents": []}, headers=AUTH).status_code == 422


# ---------------------------------------------------------------------- catalogue, health, OpenAPI


def test_plugins_schema_and_health(client: TestClient) -> None:
    plugins = client.get("/v1/plugins").json()
    assert {"entities", "quotes", "tsv"} <= {p["name"] for p in plugins["plugins"]}
    schema = client.get("/v1/schema/document").json()
    assert schema["title"] == "presspipe document"
    assert client.get("/v1/schema/document?pipeline=nope").status_code == 404
    health = client.get("/healthz").json()
    assert health == {"status": "ok", "store": "sqlite", "schema_version": SCHEMA_VERSION, "documents": 0}


def test_a_store_that_does_not_answer_gets_503_not_500(client: TestClient) -> None:
    client.app.state.services.store.close()  # type: ignore[attr-defined]
    for path in ("/v1/documents", "/v1/documents/x", "/healthz"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.json()["error"]["code"] == "store_unavailable"


def test_openapi_declares_every_status_a_route_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/v1/documents"]["post"]
    assert {"200", "201", "400", "401", "413", "415", "422", "503"} <= set(post["responses"])
    assert set(post["requestBody"]["content"]) == {"application/json", "text/plain", "text/html"}
    assert "DocumentIn" in spec["components"]["schemas"]
    assert {"200", "401", "404", "422"} <= set(spec["paths"]["/v1/documents/{id}"]["get"]["responses"])
    export = spec["paths"]["/v1/export"]["get"]["responses"]["200"]["content"]
    assert {
        "application/x-ndjson",
        "text/csv",
        "application/vnd.apache.parquet",
        "text/tab-separated-values",
    } == set(export)  # tsv: a plugin's
    assert "/documents/{id}" not in spec["paths"]  # pages are not API


# ---------------------------------------------------------------------- presspipe serve


def test_serve_ingests_processed_output_and_serves_it(tmp_path: Path) -> None:
    processed = tmp_path / "seeds.jsonl"
    failed = make_document(3)
    failed["errors"] = [{"step": "x", "code": "y", "message": "z"}]
    processed.write_text(
        "\n".join(json.dumps(d) for d in (make_document(1), make_document(2), failed)) + "\n"
    )
    port = free_port()
    store = tmp_path / "served.db"
    env = {**os.environ, "PRESSPIPE_API_TOKEN": ""}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "presspipe",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            "--ingest",
            str(processed),
        ],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert health.json()["documents"] == 2
        page = httpx.get(f"http://127.0.0.1:{port}/documents/doc00001", timeout=5)
        assert page.status_code == 200 and "Meeting number 1 in Paris" in page.text
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "ingested" in err and "2 stored" in err and "1 skipped" in err and "doc00003: failed" in err
    with open_store(store) as reopened:
        assert reopened.count() == 2


def test_a_batch_recorded_with_errors_as_strings_still_reads(client: TestClient) -> None:
    store = client.app.state.services.store  # type: ignore[attr-defined]
    store.batches.create("old", "small", 1)
    old = [{"index": 0, "id": "a", "status": "failed", "errors": ["clean.text: it broke"]}]
    store.batches.update("old", status="done", processed=1, failed=1, results=old, finished=True)
    [result] = client.get("/v1/batches/old").json()["results"]
    assert result["errors"] == [{"step": None, "code": "error", "message": "clean.text: it broke"}]


def test_a_gzip_body_is_decoded_held_to_the_limit_and_other_encodings_are_415(
    make_client: Callable[..., TestClient],
) -> None:
    import gzip

    client = make_client(max_body_bytes=20_000)
    headers = {**AUTH, "Content-Type": "application/json", "Content-Encoding": "gzip"}
    body = gzip.compress(json.dumps({"text": ARTICLE}).encode())
    posted = client.post("/v1/documents?pipeline=small", content=body, headers=headers)
    assert posted.status_code == 201, posted.text
    assert posted.json()["text"].startswith(ARTICLE.strip()[:20])
    bomb = gzip.compress(json.dumps({"text": "word " * 10_000}).encode())
    assert len(bomb) < 20_000
    assert client.post("/v1/documents?pipeline=small", content=bomb, headers=headers).status_code == 413
    broken = client.post("/v1/documents?pipeline=small", content=b"not gzip", headers=headers)
    assert broken.status_code == 400 and "not valid gzip" in broken.json()["error"]["message"]
    brotli = client.post(
        "/v1/documents?pipeline=small", content=b"{}", headers={**headers, "Content-Encoding": "br"}
    )
    assert brotli.status_code == 415 and brotli.json()["error"]["code"] == "unsupported_encoding"
