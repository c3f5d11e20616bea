"""No client value gets a 5xx, on both stores: every query and path parameter of every GET route,
and every body field, fed extreme values; the named probes get their documented 4xx. Also the
HTTP hygiene: security headers, HEAD, /healthz under --reads token, and what --pipelines reads."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from presspipe.api import Settings, create_app
from presspipe.api.catalogue import Catalogue, PipelineClash
from presspipe.registry import load_registry

from . import test_store
from .servers import plain_pipeline
from .test_store import make_document

store_url = test_store.store_url  # the fixture: SQLite and PostgreSQL
TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXTREMES = [
    "",
    "-1",
    "0",
    "99999999999999999999999999999999",
    "-1e309",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-05:00",
    "10000-01-01",
    "cHAxOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5",
    "\x00",
    "%ff%fe%ed%a0%80",  # bytes that are not UTF-8, once the URL is decoded
    "x" * 20_000,
    "'; DROP TABLE pp_documents; --",
    '{"$gt": ""}',
    "[[[[[[[[[[",
    "a/b/../../c",
    "<script>alert(1)</script>",
    "\u202e\ufeff\U0001f600",
]


@pytest.fixture
def client(tmp_path: Path, store_url: str) -> Iterator[TestClient]:
    pipelines = plain_pipeline(tmp_path / "pipelines")
    settings = Settings(store=store_url, pipelines_dir=pipelines, token=TOKEN)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        test_client.app.state.services.store.put_many([make_document(n) for n in range(3)])  # type: ignore[attr-defined]
        yield test_client


def get_routes(client: TestClient) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every GET route of the OpenAPI schema, with its parameters, and the page routes."""
    schema = client.get("/openapi.json").json()
    routes = [
        (path, ops["get"].get("parameters", [])) for path, ops in schema["paths"].items() if "get" in ops
    ]
    pages = [
        ("/", ["pipeline", "entity", "speaker", "q", "published_from", "published_to", "cursor"]),
        ("/documents/{id}", ["id", "pipeline"]),
    ]
    for path, names in pages:
        if path not in dict(routes):
            routes.append((path, [{"name": n, "in": "path" if n == "id" else "query"} for n in names]))
    return routes


def fill(path: str, parameters: list[dict[str, Any]], name: str, value: str) -> str:
    """``path`` with its path parameters filled (``value`` for ``name``, else a real one)."""
    for parameter in parameters:
        if parameter["in"] == "path":
            real = {"id": "doc00001", "name": "plain"}.get(parameter["name"], "x")
            given = value if parameter["name"] == name else real
            encoded = given if given.startswith("%") else quote(given, safe="")  # "%ff...": raw bytes
            path = path.replace("{" + parameter["name"] + "}", encoded or "-")
    return path


def test_every_get_parameter_with_extreme_values_gets_no_5xx(client: TestClient) -> None:
    problems = []
    for path, parameters in get_routes(client):
        for parameter in parameters:
            for value in EXTREMES:
                url = fill(path, parameters, parameter["name"], value)
                query = {parameter["name"]: value} if parameter["in"] == "query" else None
                if query and value.startswith("%"):
                    url, query = f"{url}?{parameter['name']}={value}", None
                answer = client.get(url, params=query)
                if answer.status_code >= 500:
                    problems.append(
                        f"GET {path} {parameter['name']}={value[:40]!r}: {answer.status_code} {answer.text[:200]}"
                    )
    assert not problems, "\n".join(problems)


BODY_EXTREMES: list[Any] = [
    None,
    True,
    -(2**80),
    2**80,
    1e308,
    "",
    " ",
    "\x00",
    "\ud800",
    "x" * 300_000,
    [],
    {},
    [[[[[[[["deep"]]]]]]]],
    {"nested": {"junk": [1, {"a": None}]}},
    "0001-01-01T00:00:00+01:00",
]


def test_every_body_field_with_extreme_values_gets_no_5xx(client: TestClient) -> None:
    problems = []
    fields = ["text", "html", "id", "uri", "meta", "meta.title", "meta.published", "meta.authors", "unknown"]
    for field in fields:
        for value in BODY_EXTREMES:
            body: dict[str, Any] = {"text": "A plain sentence, said Ada Lovelace."}
            if field.startswith("meta."):
                body["meta"] = {field.removeprefix("meta."): value}
            else:
                body[field] = value
            for url, payload in (
                ("/v1/documents?pipeline=plain", body),
                ("/v1/batches?pipeline=plain", {"documents": [body]}),
            ):
                # Sent as ASCII JSON: a lone surrogate arrives as its \\ud800 escape.
                headers = {**AUTH, "Content-Type": "application/json"}
                answer = client.post(url, content=json.dumps(payload), headers=headers)
                if answer.status_code >= 500:
                    problems.append(
                        f"POST {url} {field}={str(value)[:40]!r}: {answer.status_code} {answer.text[:200]}"
                    )
    for raw in (b"\xff\xfe{", b'{"text": "\xff"}', b"[" * 100_000, b"1e999999", b'{"documents": 5}'):
        for url in ("/v1/documents?pipeline=plain", "/v1/batches?pipeline=plain"):
            answer = client.post(url, content=raw, headers={**AUTH, "Content-Type": "application/json"})
            if answer.status_code >= 500:
                problems.append(f"POST {url} {raw[:20]!r}: {answer.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/v1/documents?published_to=9999-12-31", 200, ""),
        ("/v1/documents?published_from=0001-01-01T00:00:00%2B01:00", 200, ""),
        ("/v1/export?published_to=9999-12-31", 200, ""),
        ("/v1/export?published_from=0001-01-01T00:00:00%2B01:00", 200, ""),
        ("/v1/documents?cursor=cHAxOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", 422, "invalid cursor"),
        ("/v1/documents?published_from=10000-01-01", 422, "published_from"),
    ],
)
def test_the_probed_values_get_their_documented_answer(
    client: TestClient, url: str, status: int, says: str
) -> None:
    answer = client.get(url)
    assert answer.status_code == status, answer.text
    assert says in answer.text


def test_a_token_of_bytes_that_are_not_utf8_is_a_401(client: TestClient) -> None:
    answer = client.post(
        "/v1/documents?pipeline=plain",
        json={"text": "Hi there."},
        headers={"Authorization": b"Bearer \xff\xfe\x80"},
    )
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"


def test_an_oversized_title_or_meta_is_a_422_naming_it(client: TestClient) -> None:
    title = client.post(
        "/v1/documents?pipeline=plain",
        json={"text": "Hi there.", "meta": {"title": "T" * 1_700_000}},
        headers=AUTH,
    )
    assert title.status_code == 422 and "meta.title of 1,700,000 characters; at most 2,000" in title.text
    meta = client.post(
        "/v1/documents?pipeline=plain",
        json={"text": "Hi there.", "meta": {"notes": "n" * 200_000}},
        headers=AUTH,
    )
    assert meta.status_code == 422 and "at most 100,000" in meta.text


def test_pages_and_routes_send_security_headers_and_answer_head(client: TestClient) -> None:
    for url in ("/", "/documents/doc00001", "/v1/documents", "/healthz"):
        answer = client.get(url)
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "http" not in policy
        head = client.head(url)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == answer.headers["content-type"]
    assert client.head("/v1/documents/nope").status_code == 404


def test_healthz_under_reads_token_shows_no_count_without_the_token(tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "h.db"), token=TOKEN, reads="token")
    with TestClient(create_app(settings)) as closed:
        assert "documents" not in closed.get("/healthz").json()
        assert "documents" not in closed.get("/healthz", headers={"Authorization": "Bearer wrong"}).json()
        assert closed.get("/healthz", headers=AUTH).json()["documents"] == 0


def test_pipelines_dir_reads_regular_files_inside_it_and_refuses_a_clash(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: outside\nsteps:\n  - use: clean.text\n", encoding="utf-8")
    folder = plain_pipeline(tmp_path / "pipelines")
    (folder / "link.yaml").symlink_to(outside)
    (folder / "inside-link.yaml").symlink_to(folder / "plain.yaml")
    os.mkfifo(folder / "fifo.yaml")
    registry = load_registry()
    with pytest.raises(PipelineClash, match="pipeline 'plain' is already offered by"):
        Catalogue(registry, folder)  # inside-link.yaml is plain.yaml again
    (folder / "inside-link.yaml").unlink()
    catalogue = Catalogue(registry, folder)
    assert "plain" in catalogue.names() and "outside" not in catalogue.names()
    problems = "\n".join(catalogue.problems)
    assert (
        "link.yaml: a link out of" in problems
        and "fifo.yaml: a named pipe (FIFO), not a regular file" in problems
    )
    (folder / "news.yaml").write_text("name: news\nsteps:\n  - use: clean.text\n", encoding="utf-8")
    with pytest.raises(
        PipelineClash, match="pipeline 'news' is already offered by <installed pipeline news>"
    ):
        Catalogue(registry, folder)
