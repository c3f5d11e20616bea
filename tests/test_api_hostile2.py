"""The second round of hostile probes, against a real `presspipe serve` on a loopback port: cross-site
writes and foreign Host names, deep, infinite and huge values, codecs that are not text encodings,
slow clients, and the errors uvicorn and the router answer themselves."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from . import test_store
from .servers import plain_pipeline, presspipe_serve


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile2")
    plain_pipeline(folder / "pipelines")
    return folder


@pytest.fixture(scope="module")
def base(folder: Path) -> Iterator[str]:
    """A server with no token, on SQLite."""
    with presspipe_serve("--store", "s.db", "--pipelines", "pipelines", cwd=folder) as url:
        yield url


def stored(base: str) -> int:
    return int(httpx.get(f"{base}/healthz", timeout=30).json()["documents"])


def post(
    base: str, body: bytes | str, content_type: str = "application/json", **headers: str
) -> httpx.Response:
    return httpx.post(
        f"{base}/v1/documents?pipeline=plain",
        content=body,
        headers={"Content-Type": content_type, **headers},
        timeout=60,
    )


# ---------------------------------------------------------------- 3. other origins, other hosts


def test_a_cross_site_write_is_refused_and_stores_nothing(base: str) -> None:
    before = stored(base)
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        answer = post(base, "A cross-site article.", "text/plain", **headers)
        assert answer.status_code == 403, (headers, answer.text)
        assert answer.json()["error"]["code"] == "cross_origin"
    assert stored(base) == before
    # The server's own pages, and clients that are not browsers, write as before.
    assert post(base, "An own-origin article.", "text/plain", Origin=base).status_code == 201
    assert (
        post(base, "A same-origin article.", "text/plain", **{"Sec-Fetch-Site": "same-origin"}).status_code
        == 201
    )
    assert post(base, "A curl article.", "text/plain").status_code == 201
    assert stored(base) == before + 3
    # Reads from anywhere are not writes.
    assert httpx.get(f"{base}/v1/documents", headers={"Origin": "https://evil.example"}).status_code == 200


def test_a_host_the_server_does_not_answer_to_is_refused(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    for host in ("rebind.attacker.example", f"rebind.attacker.example:{port}", "127.0.0.1.evil.example"):
        for method in ("GET", "POST"):
            answer = httpx.request(method, f"{base}/v1/documents", headers={"Host": host}, timeout=30)
            assert answer.status_code == 400, (host, answer.text)
            error = answer.json()["error"]
            assert error["code"] == "host_not_allowed" and "--allowed-hosts" in error["message"]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "LOCALHOST"):
        assert httpx.get(f"{base}/v1/documents", headers={"Host": host}, timeout=30).status_code == 200


def test_the_slash_redirect_is_a_path_never_the_host_sent(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    answer = httpx.get(f"{base}/v1/documents/", headers={"Host": f"localhost:{port}"}, timeout=30)
    assert answer.status_code in (301, 307, 308) and answer.headers["location"] == "/v1/documents"
    evil = httpx.get(f"{base}/v1/documents/", headers={"Host": "evil.example"}, timeout=30)
    assert evil.status_code == 400 and "location" not in evil.headers


def test_allowed_hosts_names_the_hosts(folder: Path) -> None:
    with presspipe_serve(
        "--store", "hosts.db", "--allowed-hosts", "news.example,127.0.0.1", cwd=folder
    ) as url:
        assert httpx.get(f"{url}/healthz", headers={"Host": "news.example:80"}).status_code == 200
        assert httpx.get(f"{url}/healthz", headers={"Host": "localhost"}).status_code == 400
    with presspipe_serve("--store", "hosts.db", "--allowed-hosts", "*", cwd=folder) as url:
        assert httpx.get(f"{url}/healthz", headers={"Host": "anything.example"}).status_code == 200


# ---------------------------------------------------------------- 4, 6, 7. values no store should take

store_url = test_store.store_url  # the fixture: SQLite and PostgreSQL


def deep(levels: int) -> str:
    return '{"a": ' * (levels - 1) + "{}" + "}" * (levels - 1)


def test_hostile_values_are_refused_and_stored_nowhere_and_a_batch_goes_on(
    folder: Path, store_url: str
) -> None:
    with presspipe_serve("--store", store_url, "--pipelines", "pipelines", cwd=folder) as url:
        refused = {
            deep(500): (422, "too_deep", "body.meta nests objects and arrays deeper than 32 levels"),
            deep(33): (422, "too_deep", "deeper than 32 levels"),
            '{"x": NaN}': (422, "invalid_number", "NaN is not a JSON number"),
            '{"x": -Infinity}': (422, "invalid_number", "-Infinity is not a JSON number"),
            '{"x": 1e999}': (422, "invalid_number", "the number 1e999 is out of range"),
            '{"x": [' + "9" * 5000 + "]}": (422, "invalid_number", "an integer of 5,000 digits"),
        }
        for meta, (status, code, message) in refused.items():
            answer = post(url, f'{{"text": "A hostile value.", "meta": {meta}}}')
            assert answer.status_code == status, (meta[:40], answer.text)
            error = answer.json()["error"]
            assert error["code"] == code and message in error["message"], error
        assert post(url, f'{{"text": "Just deep enough.", "meta": {deep(32)}}}').status_code == 201
        assert stored(url) == 1
        # In a batch, the deep document fails alone, named by its place; the others are stored.
        documents = ",".join(
            [f'{{"text": "Batch one {n}.", "meta": {deep(500 if n == 1 else 3)}}}' for n in range(3)]
        )
        answer = httpx.post(
            f"{url}/v1/batches?pipeline=plain",
            content=f'{{"documents": [{documents}]}}',
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert answer.status_code == 202, answer.text
        batch = answer.json()
        deadline = time.monotonic() + 60
        while batch["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, batch
            time.sleep(0.2)
            batch = httpx.get(f"{url}{batch['url']}", timeout=30).json()
        assert (batch["status"], batch["total"], batch["processed"], batch["failed"]) == ("done", 3, 3, 1)
        assert [r["status"] for r in batch["results"]] == ["created", "failed", "created"]
        [error] = batch["results"][1]["errors"]
        assert error["code"] == "too_deep" and error["message"].startswith("documents.1.meta nests")
        # Nothing served is other than JSON.
        export = httpx.get(f"{url}/v1/export?format=jsonl", timeout=30).text
        assert "Infinity" not in export and "NaN" not in export
        assert stored(url) == 3


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "punycode", "hex", "unicode_escape", "idna"])
def test_a_codec_that_is_no_charset_is_a_415(base: str, charset: str) -> None:
    for content_type in (f"text/plain; charset={charset}", f"application/json; charset={charset}"):
        answer = post(base, b'{"text": "Encoded?"}', content_type)
        assert answer.status_code == 415, answer.text
        error = answer.json()["error"]
        assert error["code"] == "unsupported_charset" and "not a charset" in error["message"]
