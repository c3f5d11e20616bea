"""Hostile documents against a real `presspipe serve` on a loopback port: processing never stalls
serving, a document over its time budget fails alone, and SIGTERM stops the server promptly.

The bounds are generous (seconds): they tell a server that answers from one that is frozen
behind a document, not how fast it is (bench/hostile.py measures that).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from .conftest import ROOT
from .servers import free_port

STALL = "name: stall\nsteps:\n  - use: demo.words\n  - use: demo.stall\n    with: {seconds: 120}\n"
MARKS = "Ada Lovelace said " + '"' * 12_000


@contextmanager
def serving(
    tmp_path: Path, *options: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
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
        [*command, *options],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**(env or os.environ), "PRESSPIPE_API_TOKEN": ""},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield url, server
    finally:
        if server.poll() is None:
            server.terminate()
        try:
            server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate(timeout=30)


def health_while(url: str, work: threading.Thread) -> list[float]:
    """Poll /healthz every 50 ms while ``work`` runs; the seconds each answer took."""
    latencies = []
    with httpx.Client(timeout=30) as client:
        while work.is_alive():
            started = time.monotonic()
            assert client.get(f"{url}/healthz").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
    return latencies


def test_healthz_answers_while_twelve_thousand_quote_marks_are_processed(tmp_path: Path) -> None:
    with serving(tmp_path) as (url, _server):
        answers: list[httpx.Response] = []
        post = threading.Thread(
            target=lambda: answers.append(
                httpx.post(f"{url}/v1/documents", json={"text": MARKS}, timeout=300)
            )
        )
        started = time.monotonic()
        post.start()
        latencies = health_while(url, post)
        post.join()
        seconds = time.monotonic() - started
    [answer] = answers
    assert answer.status_code == 201, answer.text
    assert answer.json()["text"].endswith('"' * 100)
    assert seconds < 120
    assert latencies and max(latencies) < 2.0, f"/healthz took up to {max(latencies):.1f} s"


def test_a_document_over_its_budget_fails_alone_and_sigterm_stops_the_server(
    tmp_path: Path, demo_env: dict[str, str]
) -> None:
    pipelines = tmp_path / "pipelines"
    pipelines.mkdir()
    (pipelines / "stall.yaml").write_text(STALL, encoding="utf-8")
    options = ("--pipelines", str(pipelines), "--timeout", "3")
    with serving(tmp_path, *options, env=demo_env) as (url, server):
        started = time.monotonic()
        stalled = httpx.post(f"{url}/v1/documents?pipeline=stall", json={"text": "a stall here"}, timeout=60)
        assert time.monotonic() - started < 30
        assert stalled.status_code == 422, stalled.text
        error = stalled.json()["error"]
        assert error["code"] == "document_failed" and "time budget (3 s)" in error["message"]
        assert [(e["code"], e["step"]) for e in error["details"]] == [("timeout", "demo.stall")]
        # The worker was replaced: the next document is processed.
        fine = httpx.post(f"{url}/v1/documents?pipeline=stall", json={"text": "a fine text"}, timeout=60)
        assert fine.status_code == 201, fine.text
        # A batch with a stall in it: that one fails, the others are stored.
        texts = ["first text", "second stall", "third text"]
        batch = httpx.post(
            f"{url}/v1/batches?pipeline=stall", json={"documents": [{"text": t} for t in texts]}, timeout=60
        ).json()
        deadline = time.monotonic() + 60
        while batch["status"] != "done":
            assert time.monotonic() < deadline, batch
            time.sleep(0.2)
            batch = httpx.get(f"{url}{batch['url']}", timeout=10).json()
        assert [r["status"] for r in batch["results"]] == ["created", "failed", "created"]
        assert (batch["processed"], batch["failed"]) == (3, 1)
        # SIGTERM while a document stalls in a worker: the server stops within seconds.
        threading.Thread(
            target=lambda: httpx.post(
                f"{url}/v1/documents?pipeline=stall", json={"text": "stall again"}, timeout=60
            ),
            daemon=True,
        ).start()
        time.sleep(1)
        stopping = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        assert time.monotonic() - stopping < 15


def test_a_server_killed_outright_leaves_no_worker_behind(tmp_path: Path) -> None:
    with serving(tmp_path) as (_url, server):
        workers = psutil.Process(server.pid).children(recursive=True)
        assert workers, "the server runs pipelines in worker processes"
        server.kill()
        server.wait(timeout=10)
        _, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, f"workers left running: {[p.pid for p in alive]}"


def test_a_full_queue_gets_429_with_retry_after(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from presspipe.api import Settings, create_app
    from presspipe.registry import load_registry

    from . import demo_plugin

    pipelines = tmp_path / "pipelines"
    pipelines.mkdir()
    (pipelines / "stall.yaml").write_text(STALL.replace("120", "3"), encoding="utf-8")
    settings = Settings(
        store=str(tmp_path / "q.db"), pipelines_dir=pipelines, max_queued_batches=1, max_waiting=0
    )
    registry = load_registry(extra={"demo": demo_plugin})
    with TestClient(create_app(settings, registry=registry)) as client:
        stalled = {"documents": [{"text": "a stall here"}]}
        assert client.post("/v1/batches?pipeline=stall", json=stalled).status_code == 202
        full = client.post("/v1/batches?pipeline=stall", json={"documents": [{"text": "another"}]})
        assert full.status_code == 429 and full.headers["Retry-After"] == "5"
        assert (
            full.json()["error"]["code"] == "busy" and "at most 1 batches" in full.json()["error"]["message"]
        )
        # One worker, no waiting: a document sent while another is processed gets 429 too.
        processing = client.app.state.services.processing  # type: ignore[attr-defined]
        with processing.admit():
            busy = client.post("/v1/documents?pipeline=stall", json={"text": "fine"})
        assert busy.status_code == 429 and busy.headers["Retry-After"] == "5"
