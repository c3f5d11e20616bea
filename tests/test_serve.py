"""`presspipe serve` as a user starts it: a busy port, a store where none is, the body limit."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from .servers import presspipe_serve


def serve_once(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "presspipe", "serve", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_busy_port_is_said_before_serving_with_what_to_do(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve_once("--store", "x.db", "--port", str(port), cwd=tmp_path)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "--port" in result.stderr and "make run PORT=" in result.stderr
    assert "serving" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_store_in_a_directory_that_does_not_exist_is_refused(tmp_path):
    result = serve_once("--store", str(tmp_path / "nonexistent" / "dir" / "x.db"), cwd=tmp_path)
    assert result.returncode == 2
    assert f"the directory {tmp_path}/nonexistent/dir does not exist" in result.stderr
    assert f"mkdir -p {tmp_path}/nonexistent/dir" in result.stderr
    assert "serving" not in result.stderr
    assert not (tmp_path / "nonexistent").exists()


def post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "text/plain"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_the_body_limit_is_set_by_flag_or_environment(tmp_path):
    body = b"The mayor spoke. " * 100  # 1700 bytes
    with presspipe_serve("--store", "a.db", "--max-body-bytes", "1000", cwd=tmp_path) as base:
        assert post(f"{base}/v1/documents?pipeline=news", body) == 413
    env = {"PRESSPIPE_MAX_BODY_BYTES": "1000"}
    with presspipe_serve("--store", "b.db", cwd=tmp_path, env=env) as base:
        assert post(f"{base}/v1/documents?pipeline=news", body) == 413
    with presspipe_serve("--store", "c.db", "--max-body-bytes", "5000", cwd=tmp_path, env=env) as base:
        assert post(f"{base}/v1/documents?pipeline=news", body) in (200, 201)


def test_make_run_takes_the_port(tmp_path):
    from .conftest import ROOT

    plan = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [serve] = [line for line in plan.splitlines() if " serve " in line]
    assert serve.endswith("--port 8123")
