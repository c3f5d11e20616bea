"""Hostile documents against a real `presspipe serve`: /healthz latency and the server's memory.

Starts `presspipe serve` (news pipeline, a fresh SQLite store) on a free loopback port and runs:

- marks: POST a document of 12,000 quote marks in a row while /healthz is polled every 50 ms;
  prints the POST's status and time and the /healthz latencies (count, median, p99, max).
- 300k: POST one 300,000-character article; batch: POST a batch of three 150,000-character
  articles and poll it until done. For each, the peak RSS of the server process, and of the
  server with its worker processes, sampled every 20 ms.
- sigterm: SIGTERM while a 300,000-character article is processed; how long the server takes
  to stop.

    .venv/bin/python bench/hostile.py                      # this checkout
    .venv/bin/python bench/hostile.py --python /work/main/.venv/bin/python   # another install

``--python`` picks the interpreter (and so the presspipe install) that runs the server; the
client always runs here.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

MARKS = "Ada Lovelace said " + '"' * 12_000
PARAGRAPH = (
    "The minister said on Tuesday that the plan would go ahead, and \u201cwe will not wait for "
    "the others,\u201d according to Maria Lopez, who spoke in Madrid. Critics in Brussels disagreed.\n\n"
)


def article(chars: int, salt: int) -> str:
    """An article of about ``chars`` characters, distinct per ``salt``."""
    text = f"Report {salt}.\n\n" + PARAGRAPH * (chars // len(PARAGRAPH) + 1)
    return text[:chars]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(python: str, store: Path, *extra: str) -> Iterator[tuple[str, psutil.Process]]:
    """A `presspipe serve` on a free port: yields its base URL and process; stopped with SIGTERM
    (if it still runs)."""
    port = free_port()
    env = {**os.environ, "PRESSPIPE_API_TOKEN": ""}
    command = [python, "-m", "presspipe", "serve", "--store", str(store), "--port", str(port), *extra]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {process.stderr.read()}") from None
                time.sleep(0.2)
        # Warm the pipeline (the model loads on first use in an install without a worker pool).
        httpx.post(f"{url}/v1/documents", content="Warm up, said Ada Lovelace.", headers=_TEXT, timeout=120)
        yield url, psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(600)


_TEXT = {"Content-Type": "text/plain"}


def poll_health(url: str, stop: threading.Event) -> list[float]:
    """Seconds each /healthz took, polled every 50 ms until ``stop``."""
    latencies: list[float] = []
    with httpx.Client(timeout=60) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get(f"{url}/healthz").raise_for_status()
            latencies.append(time.perf_counter() - started)
            time.sleep(0.05)
    return latencies


def peak_rss(process: psutil.Process, work: Callable[[], str]) -> tuple[str, float, float]:
    """Run ``work``; return what it says and the peak RSS in MB of the server and of its tree."""
    peaks = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                own = process.memory_info().rss
                tree = own + sum(child.memory_info().rss for child in process.children(recursive=True))
            except psutil.Error:
                continue
            peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], tree)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        said = work()
    finally:
        stop.set()
        sampler.join()
    return said, peaks[0] / 2**20, peaks[1] / 2**20


def marks_probe(url: str) -> None:
    stop = threading.Event()
    result: list[float] = []
    poller = threading.Thread(target=lambda: result.extend(poll_health(url, stop)))
    poller.start()
    time.sleep(0.3)
    started = time.perf_counter()
    response = httpx.post(f"{url}/v1/documents", json={"text": MARKS}, timeout=900)
    seconds = time.perf_counter() - started
    time.sleep(0.3)
    stop.set()
    poller.join()
    code = response.json().get("error", {}).get("code", "") if response.status_code >= 400 else ""
    ms = sorted(1000 * latency for latency in result)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    print(
        f"marks   POST 12,000 quote marks: {response.status_code} {code} in {seconds:.2f} s; "
        f"/healthz x{len(ms)}: median {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"
    )


def post_300k(url: str) -> str:
    response = httpx.post(f"{url}/v1/documents", content=article(300_000, 1), headers=_TEXT, timeout=900)
    return f"{response.status_code}"


def batch_3x150k(url: str) -> str:
    documents = [{"text": article(150_000, salt)} for salt in (2, 3, 4)]
    response = httpx.post(f"{url}/v1/batches", json={"documents": documents}, timeout=60)
    if response.status_code != 202:
        return f"{response.status_code}"
    batch = response.json()
    while batch["status"] in ("queued", "running"):
        time.sleep(0.2)
        batch = httpx.get(f"{url}{batch['url']}", timeout=60).json()
    return f"{batch['status']}, {batch['processed']} processed, {batch['failed']} failed"


def sigterm_probe(url: str, process: psutil.Process) -> None:
    threading.Thread(target=post_300k, args=(url,), daemon=True).start()
    time.sleep(3)
    started = time.perf_counter()
    process.terminate()
    process.wait(600)
    print(f"sigterm with a 300k-character POST in flight: stopped in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the server")
    parser.add_argument("--only", choices=["marks", "memory", "sigterm"], help="run one probe only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="presspipe-hostile-") as scratch:
        if args.only in (None, "marks"):
            with server(args.python, Path(scratch) / "marks.db") as (url, _process):
                marks_probe(url)
        if args.only in (None, "sigterm"):
            with server(args.python, Path(scratch) / "sigterm.db") as (url, process):
                sigterm_probe(url, process)
        if args.only in (None, "memory"):
            for name, work in (("300k ", post_300k), ("batch", batch_3x150k)):
                with server(args.python, Path(scratch) / f"{name.strip()}.db") as (url, process):
                    before = process.memory_info().rss / 2**20
                    said, own, tree = peak_rss(process, lambda work=work: work(url))  # type: ignore[misc]
                    print(
                        f"{name}   {said}; server RSS {before:.0f} MB before, peak {own:.0f} MB; "
                        f"server + workers peak {tree:.0f} MB"
                    )


if __name__ == "__main__":
    main()
