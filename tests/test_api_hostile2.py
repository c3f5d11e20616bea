"""The second round of hostile probes, against a real `presspipe serve` on a loopback port: cross-site
writes and foreign Host names, deep, infinite and huge values, codecs that are not text encodings,
slow clients, and the errors uvicorn and the router answer themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .servers import presspipe_serve

PLAIN = "name: plain\nsteps:\n  - use: clean.text\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile2")
    (folder / "pipelines").mkdir()
    (folder / "pipelines" / "plain.yaml").write_text(PLAIN, encoding="utf-8")
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
