"""A PostgreSQL store whose server drops its connections (a restart, a failover, an idle timeout;
here ``pg_terminate_backend``) answers again without a restart of the service: every connection
it holds (the batch worker's, the request threads') reconnects and retries its statement once.
A batch whose work the dropped connection broke ends ``failed`` with the reason. A database the
server cannot reach at all (a relay to it cut) makes ``/healthz`` answer 503.

Only this test's own backends are terminated: they carry an application_name of their own, since
other checkouts' tests share the server."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from .servers import free_port, plain_pipeline, presspipe_serve
from .test_store import POSTGRES_URL, SKIP_POSTGRES, postgres_schema_url


@pytest.fixture
def named_store() -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL schema's URL whose connections carry an application_name of their own."""
    if POSTGRES_URL is None:
        pytest.skip(SKIP_POSTGRES)
    name = f"pp_reconnect_{uuid.uuid4().hex[:12]}"
    for url in postgres_schema_url():
        yield f"{url}&application_name={name}", name


def terminate(name: str, *, waiting_on_a_lock: bool = False) -> int:
    """Terminate the backends of the connections named ``name``; how many there were."""
    import psycopg

    assert POSTGRES_URL is not None
    condition = " AND wait_event_type = 'Lock'" if waiting_on_a_lock else ""
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s" + condition,
            (name,),
        ).fetchall()
    return len(rows)


def finished(base: str, batch: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while batch["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"the batch stayed {batch['status']}: {batch}"
        time.sleep(0.2)
        batch = httpx.get(f"{base}{batch['url']}", timeout=10).json()
    return batch


def submit(base: str, *texts: str) -> dict[str, Any]:
    answer = httpx.post(
        f"{base}/v1/batches?pipeline=plain", json={"documents": [{"text": t} for t in texts]}, timeout=30
    )
    assert answer.status_code == 202, answer.text
    return dict(answer.json())


@pytest.fixture
def pipelines(tmp_path: Path) -> Path:
    folder = plain_pipeline(tmp_path / "pipelines")
    return folder


def test_every_connection_of_the_server_reconnects_after_its_backends_are_terminated(
    tmp_path: Path, pipelines: Path, named_store: tuple[str, str]
) -> None:
    url, name = named_store
    with presspipe_serve("--store", url, "--pipelines", pipelines, cwd=tmp_path) as base:
        assert finished(base, submit(base, "Before the drop, one."))["status"] == "done"
        first = httpx.post(f"{base}/v1/documents?pipeline=plain", json={"text": "Also before."}, timeout=30)
        assert first.status_code == 201, first.text
        for round in range(2):  # twice: the new connections reconnect as well
            assert terminate(name) >= 2  # the batch worker's, the request threads'
            time.sleep(0.3)
            batch = finished(base, submit(base, f"After drop {round}, one.", f"After drop {round}, two."))
            assert (batch["status"], batch["processed"], batch["failed"]) == ("done", 2, 0), batch
            single = httpx.post(
                f"{base}/v1/documents?pipeline=plain", json={"text": f"Single after {round}."}, timeout=30
            )
            assert single.status_code == 201, single.text
            assert httpx.get(f"{base}/v1/documents/{single.json()['id']}", timeout=30).status_code == 200
        health = httpx.get(f"{base}/healthz", timeout=30).json()
        assert health["status"] == "ok" and health["documents"] == 8


def test_a_batch_whose_connection_drops_midway_ends_failed_with_the_reason(
    tmp_path: Path, pipelines: Path, named_store: tuple[str, str]
) -> None:
    import psycopg

    url, name = named_store
    with presspipe_serve("--store", url, "--pipelines", pipelines, cwd=tmp_path) as base:
        # The worker's write of the documents (not its reads) waits on a lock another connection
        # holds; its backend is terminated while it waits, in the middle of its transaction.
        holder = psycopg.connect(url.replace(name, f"{name}_lock"), autocommit=True)
        with holder, holder.transaction():
            holder.execute("LOCK TABLE pp_documents IN EXCLUSIVE MODE")
            batch = submit(base, "One to lose.", "Two to lose.")
            deadline = time.monotonic() + 60
            while not terminate(name, waiting_on_a_lock=True):
                assert time.monotonic() < deadline, "the batch worker never waited on the lock"
                time.sleep(0.1)
        batch = finished(base, batch)
        assert (batch["status"], batch["processed"], batch["failed"]) == ("failed", 2, 2), batch
        for result in batch["results"]:
            [error] = result["errors"]
            assert error["code"] == "batch_failed"
            assert "terminating connection due to administrator command" in error["message"]
        # and the next batch is processed
        assert finished(base, submit(base, "Three to keep."))["status"] == "done"


class Relay:
    """A TCP relay on a loopback port to PostgreSQL's, that the test can cut (every connection
    through it closed, new ones refused) and restore: the database made unreachable, for real."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR: the port again
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            server = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        assert self._listener is not None
        # shutdown first: close alone leaves a socket listening while a thread waits in accept().
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()


def health(base: str) -> httpx.Response:
    return httpx.get(f"{base}/healthz", timeout=30)


def test_healthz_reports_a_store_it_cannot_reach_with_503_and_ok_once_it_is_back(tmp_path):
    if POSTGRES_URL is None:
        pytest.skip(SKIP_POSTGRES)
    for url in postgres_schema_url():
        parts = urlsplit(url)
        relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
        relay.start()
        through = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{relay.port}"))
        with presspipe_serve("--store", through, cwd=tmp_path) as base:
            assert health(base).json()["status"] == "ok"
            relay.cut()
            down = health(base)
            assert down.status_code == 503, down.text
            error = down.json()["error"]
            assert error["code"] == "store_unavailable" and "the store does not answer" in error["message"]
            assert health(base).status_code == 503  # and again, not a one-off
            relay.start()
            back = health(base)
            assert back.status_code == 200 and back.json()["store"] == "postgresql"
        relay.cut()
