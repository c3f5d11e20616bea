"""The HTML pages in a real headless Chromium, against uvicorn on loopback.

The seed article goes through the shipped ``news`` pipeline into a store; the browser opens
the index, follows the link to the article, and the test asserts on what it renders:
highlighted entities and quotes, each quote's speaker, the summary. A document full of
markup shows that markup as text and runs no script. A screenshot is saved to
/tmp/presspipe-document-page.png.

Needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver).
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from presspipe.api import Settings, create_app
from presspipe.document import new_document
from presspipe.pipeline import load_pipeline
from presspipe.registry import load_registry
from presspipe.runner import Runner
from presspipe.store import open_store

from .conftest import SEED
from .test_store import make_document

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOT = Path("/tmp/presspipe-document-page.png")
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed: pip install selenium"
)
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(
        f"no {CHROMIUM} or {CHROMEDRIVER}: install Debian's browser with "
        "'apt-get update && apt-get install -y chromium chromium-driver' to run the page tests",
        allow_module_level=True,
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def seed_document() -> dict[str, Any]:
    registry = load_registry()
    runner = Runner(load_pipeline("news", registry), registry)
    [document] = runner.process([new_document(text=SEED.read_text(encoding="utf-8"), uri=str(SEED.name))])
    assert not document["errors"], document["errors"]
    return document


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port, in a thread; yield its base URL."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(seed_document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("page")
    store = open_store(directory / "store.db")
    store.put_many([make_document(1, place=HOSTILE), seed_document])
    with serving(create_app(Settings(store=str(directory / "store.db")), store=store)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
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


def _speaker_name(document: dict[str, Any], quote: dict[str, Any]) -> str:
    names = {e["id"]: e["name"] for e in document["entities"]}
    speaker = quote["speaker"]
    return str(names.get(speaker["entity"]) or speaker["text"])


def test_index_links_to_a_page_showing_the_article_highlighted_with_speakers_and_summary(
    server: str, browser: Any, seed_document: dict[str, Any]
) -> None:
    browser.get(server + "/")
    title = seed_document["meta"]["title"]
    rows = browser.find_elements(By.CSS_SELECTOR, "#documents tr td:first-child a")
    assert title in [row.text for row in rows]
    browser.find_element(By.LINK_TEXT, title).click()
    assert browser.current_url.startswith(f"{server}/documents/{seed_document['id']}")

    assert browser.find_element(By.ID, "title").text == title
    assert (
        browser.find_element(By.ID, "summary").text.removeprefix("SUMMARY").strip()
        == seed_document["summary"]["text"]
    )
    article = browser.find_element(By.ID, "article")
    assert "Unreliable ally" in [h.text for h in article.find_elements(By.TAG_NAME, "h3")]

    # Every mention is highlighted, in its label's colour.
    mentions = sum(len(e["mentions"]) for e in seed_document["entities"])
    highlighted = article.find_elements(By.CSS_SELECTOR, ".ent")
    assert len({m.get_attribute("data-entity") for m in highlighted}) == len(seed_document["entities"])
    assert len(highlighted) >= mentions
    person = next(e for e in seed_document["entities"] if e["label"] == "PERSON")
    mark = article.find_element(By.CSS_SELECTOR, f'.ent[data-entity="{person["id"]}"]')
    assert mark.value_of_css_property("background-color") in ("rgba(255, 224, 138, 1)", "rgb(255, 224, 138)")

    # Each attributed quote reads as its text, highlighted, followed by its speaker's name.
    attributed = [q for q in seed_document["quotes"] if q["speaker"]]
    assert attributed
    for quote in attributed:
        pieces = article.find_elements(By.CSS_SELECTOR, f'.quote[data-quote="{quote["id"]}"]')
        assert "".join(p.get_attribute("textContent") for p in pieces) == quote["text"]
        badge = article.find_element(By.CSS_SELECTOR, f'.who[data-quote="{quote["id"]}"]')
        assert badge.text == _speaker_name(seed_document, quote)
        assert badge.is_displayed()
    listed = browser.find_elements(By.CSS_SELECTOR, "#quotes li")
    assert len(listed) == len(seed_document["quotes"])
    gallyamov = [li for li in listed if "unbearably jealous" in li.text]
    assert gallyamov and "Abbas Gallyamov" in gallyamov[0].text

    browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_markup_in_a_document_is_shown_as_text_and_never_run(server: str, browser: Any) -> None:
    browser.get(server + "/documents/doc00001")
    assert HOSTILE in browser.find_element(By.ID, "title").text
    assert HOSTILE in browser.find_element(By.ID, "article").text
    assert browser.execute_script("return window.pwned === undefined")
    assert not browser.find_elements(By.CSS_SELECTOR, "#article img, #article script")
    browser.get(server + "/documents/nothing-here")
    assert "no document 'nothing-here'" in browser.find_element(By.TAG_NAME, "main").text
