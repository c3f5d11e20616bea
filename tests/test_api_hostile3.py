"""The smaller holes of the second hostile probe, against a real `presspipe serve` on a loopback
port: 405 without `Allow`, ids echoed whole in messages, one session cookie for every sign-in
that only a new token revoked, and no bound on token guesses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from presspipe.api.login import FAILURE_WINDOW, MAX_FAILURES, Sessions

from .servers import presspipe_serve

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with no token, on SQLite."""
    with presspipe_serve("--store", "s.db", cwd=tmp_path_factory.mktemp("hostile3")) as url:
        yield url


def locked(folder: Path) -> Iterator[str]:
    """A server whose reads and writes need ``TOKEN``."""
    return presspipe_serve(
        "--store", "t.db", "--reads", "token", cwd=folder, env={"PRESSPIPE_API_TOKEN": TOKEN}
    )


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/documents", "GET, POST"),
        ("PUT", "/v1/batches", "POST"),
        ("POST", "/healthz", "GET"),
        ("PATCH", "/v1/documents/some-id", "GET"),
    ],
)
def test_a_405_names_every_method_the_path_takes(base, method, path, allow):
    response = httpx.request(method, f"{base}{path}", timeout=30)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": f"this path does not take {method}; it takes {allow}",
        "details": [],
    }


@pytest.mark.parametrize(
    "path",
    [
        "/v1/documents/{long}",
        "/v1/documents/{long}?pipeline={long}",
        "/v1/batches/{long}",
        "/v1/entities/{long}",
        "/v1/pipelines/{long}",
        "/v1/documents?published_from={long}",
        "/v1/export?format={long}",
        "/v1/documents?{long}=1",
    ],
)
def test_an_error_message_echoes_a_long_value_cut_short(base, path):
    long = "x" * 12_000  # under the 16 KiB head limit
    response = httpx.get(f"{base}{path.format(long=long)}", timeout=30)
    assert response.status_code in (404, 422)
    message = response.json()["error"]["message"]
    assert "x" * 200 + "\u2026" in message and "x" * 201 not in message
    assert len(response.content) < 1_000


def test_an_unknown_body_field_is_named_cut_short(base):
    response = httpx.post(f"{base}/v1/documents", json={"text": "Hello.", "y" * 100_000: 1}, timeout=30)
    assert response.status_code == 422 and len(response.content) < 1_500
    assert response.json()["error"]["message"] == f"{'y' * 200}\u2026: unknown field"


def sign_in(base: str, token: str = TOKEN) -> httpx.Response:
    return httpx.post(f"{base}/login", data={"token": token, "next": "/"}, timeout=30)


def test_every_sign_in_gets_its_own_session_and_signing_out_ends_only_it(tmp_path):
    with locked(tmp_path) as url:
        first, second = sign_in(url), sign_in(url)
        assert first.status_code == second.status_code == 303
        one, two = first.cookies["presspipe_session"], second.cookies["presspipe_session"]
        assert one != two and TOKEN not in one and len(one) >= 40
        assert "Max-Age=2592000" in first.headers["set-cookie"]
        for cookie in (one, two):
            assert httpx.get(f"{url}/v1/documents", cookies={"presspipe_session": cookie}).status_code == 200

        out = httpx.post(f"{url}/logout", cookies={"presspipe_session": one}, timeout=30)
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert 'presspipe_session=""' in out.headers["set-cookie"]
        gone = httpx.get(f"{url}/v1/documents", cookies={"presspipe_session": one}, timeout=30)
        assert gone.status_code == 401
        page = httpx.get(f"{url}/", cookies={"presspipe_session": one}, timeout=30)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        kept = httpx.get(f"{url}/v1/documents", cookies={"presspipe_session": two}, timeout=30)
        assert kept.status_code == 200
        made_up = httpx.get(f"{url}/v1/documents", cookies={"presspipe_session": "A" * 43}, timeout=30)
        assert made_up.status_code == 401


def test_a_session_ends_at_its_expiry():
    sessions = Sessions(seconds=0.3)
    session = sessions.open()
    assert sessions.valid(session)
    time.sleep(0.5)
    assert not sessions.valid(session)


def test_repeated_wrong_tokens_get_429_with_retry_after(tmp_path):
    with locked(tmp_path) as url:
        wrong = {"Authorization": "Bearer guess"}
        for _ in range(MAX_FAILURES - 1):
            assert httpx.get(f"{url}/v1/documents", headers=wrong, timeout=30).status_code == 401
        assert sign_in(url, "another guess").status_code == 401  # the form counts too
        refused = httpx.get(f"{url}/v1/documents", headers=wrong, timeout=30)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= FAILURE_WINDOW
        assert refused.json()["error"]["code"] == "too_many_failures"
        # Locked out whatever it sends now, the right token and the form included.
        right = {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.get(f"{url}/v1/documents", headers=right, timeout=30).status_code == 429
        assert sign_in(url).status_code == 429
        assert httpx.get(f"{url}/healthz", timeout=30).status_code == 200  # always open
