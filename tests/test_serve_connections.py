"""What one connection may hold of a real `presspipe serve` on a loopback port, probed with raw
sockets: a head that never completes, a body announced and never sent, more connections than
the cap, and requests uvicorn itself refuses (answered in the API's JSON error shape)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .servers import presspipe_serve

WAIT = 30.0
"""How long a socket read waits here: far past every timeout the servers below are given."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("connections")


@pytest.fixture(scope="module")
def base(folder: Path) -> Iterator[str]:
    """A server whose connections get 1 s for a head and 2 s for a body."""
    with presspipe_serve(
        "--store", "c.db", "--header-timeout", "1", "--body-timeout", "2", cwd=folder
    ) as url:
        yield url


def connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=WAIT)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a timeout fails the test)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def answer(raw: bytes) -> tuple[int, dict[str, str], dict]:  # type: ignore[type-arg]
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


def test_a_connection_that_sends_nothing_is_closed(base):
    with connect(base) as sock:
        started = time.monotonic()
        assert read_all(sock) == b""
        assert time.monotonic() - started < WAIT


def test_a_head_trickled_without_end_gets_408_and_is_closed(base):
    with connect(base) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sock.settimeout(0.2)
        raw = b""
        try:  # a header byte every 0.2 s: each one resets no clock
            for _ in range(50):
                sock.sendall(b"X")
                try:
                    raw += sock.recv(65536)
                    break
                except TimeoutError:
                    pass
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(WAIT)
        raw += read_all(sock)
    status, headers, body = answer(raw)
    assert status == 408 and headers["connection"] == "close"
    assert body["error"]["code"] == "request_timeout"
    assert "request head did not arrive complete within 1 s" in body["error"]["message"]


def test_a_body_announced_and_never_sent_gets_408_and_frees_the_server(base, folder):
    with connect(base) as sock:
        sock.sendall(
            b"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5000000\r\n\r\n" + b'{"text": "the start of a body'
        )
        status, headers, body = answer(read_all(sock))
    assert status == 408 and headers["connection"] == "close"
    assert body["error"] == {
        "code": "request_timeout",
        "message": "the request body did not arrive complete within 2 s",
        "details": [],
    }
    assert httpx.get(f"{base}/healthz", timeout=WAIT).status_code == 200
    logs = "".join(path.read_text() for path in folder.glob("serve-*.log"))
    assert "Traceback" not in logs


def test_a_malformed_request_line_gets_400_in_the_json_error_shape(base):
    with connect(base) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1 extra words\r\nHost: 127.0.0.1\r\n\r\n")
        status, headers, body = answer(read_all(sock))
    assert status == 400 and headers["content-type"] == "application/json"
    assert body["error"]["code"] == "bad_request"
    assert "not valid HTTP/1.1" in body["error"]["message"]


def test_a_head_over_the_limit_gets_400_in_the_json_error_shape(base):
    with connect(base) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20_000)
        status, _, body = answer(read_all(sock))
    assert status == 400 and "a head over 16,384 bytes" in body["error"]["message"]


def test_connections_past_the_cap_get_503_and_a_freed_seat_serves_again(tmp_path):
    with presspipe_serve("--store", "cap.db", "--max-connections", "3", cwd=tmp_path) as url:
        held = [connect(url) for _ in range(3)]
        time.sleep(0.5)  # the server has accepted them
        with connect(url) as extra:
            status, headers, body = answer(read_all(extra))
        assert status == 503 and headers["retry-after"] == "1"
        assert body["error"]["code"] == "too_many_connections"
        assert "3 connections" in body["error"]["message"]
        for sock in held:
            sock.close()
        deadline = time.monotonic() + WAIT
        while True:  # the server sees the three close
            try:
                response = httpx.get(f"{url}/healthz", timeout=WAIT)
                if response.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_serve_help_states_the_connection_limits():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "presspipe", "serve", "--help"], capture_output=True, text=True, check=True
    )
    text = " ".join(result.stdout.split())
    for option in ("--header-timeout SECONDS", "--body-timeout SECONDS", "--keep-alive SECONDS"):
        assert option in text
    assert "(default 10); then 408" in text and "(default 1,000); one more gets 503" in text
