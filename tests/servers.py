"""`presspipe serve` in a subprocess on a free loopback port, and headless Chromium, for tests (an app in
this process is served with ``presspipe.testing.serve``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


PLAIN = "name: plain\nsteps:\n  - use: clean.text\n"


def plain_pipeline(folder: Path) -> Path:
    """Write the smallest pipeline (``plain``: ``clean.text`` alone) as FOLDER/plain.yaml; returns FOLDER."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plain.yaml").write_text(PLAIN, encoding="utf-8")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def presspipe_serve(*args: str | Path, cwd: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Run `presspipe serve ARGS --port P` until the block ends; yields its base URL."""
    port = free_port()
    log = cwd / f"serve-{port}.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "presspipe", "serve", *map(str, args), "--port", str(port)],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"presspipe serve exited: {log.read_text()}"
            assert time.monotonic() < deadline, f"presspipe serve did not answer: {log.read_text()}"
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium through Selenium, with a fresh profile and no background networking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="presspipe-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,2000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def shown(browser: Any, element: Any) -> bool:
    """Whether ``element`` is on screen and on top at its centre: what a reader sees. (Selenium's
    own check calls everything in a closed <details> hidden, which wide screens show through
    ``::details-content``.)"""
    return bool(
        browser.execute_script(
            "const r = arguments[0].getBoundingClientRect(); if (!r.width || !r.height) return false;"
            "const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
            "return at === arguments[0] || arguments[0].contains(at);",
            element,
        )
    )


def press(browser: Any, element: Any, keys: str = "") -> None:
    """A click with the mouse near the start of ``element`` (and ``keys`` typed into it), as a
    reader does (a date field takes its month first there)."""
    from selenium.webdriver.common.action_chains import ActionChains

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    left = 6 - element.size["width"] // 2
    actions = ActionChains(browser).move_to_element_with_offset(element, left, 0).click()
    (actions.send_keys(keys) if keys else actions).perform()
