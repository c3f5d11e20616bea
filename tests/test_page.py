"""The HTML pages in a real headless Chromium, against uvicorn on loopback.

The seed article goes through the shipped ``news`` pipeline into a store; the browser opens
the index, follows the link to the article, and the test asserts on what it renders:
highlighted entities and quotes, each quote's speaker, the summary. A document full of
markup shows that markup as text and runs no script. A screenshot is saved to
/tmp/presspipe-document-page.png.

Needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from presspipe.document import new_document
from presspipe.pipeline import load_pipeline
from presspipe.registry import load_registry
from presspipe.runner import Runner
from presspipe.store import open_store
from presspipe.testing import serve

from .conftest import SEED
from .servers import CHROMEDRIVER, CHROMIUM, chromium, chromium_available
from .test_store import make_document

SCREENSHOT = Path("/tmp/presspipe-document-page.png")
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed: pip install selenium"
)
if not chromium_available():
    pytest.skip(
        f"no {CHROMIUM} or {CHROMEDRIVER}: install Debian's browser with "
        "'apt-get update && apt-get install -y chromium chromium-driver' to run the page tests",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def seed_document() -> dict[str, Any]:
    registry = load_registry()
    runner = Runner(load_pipeline("news", registry), registry)
    [document] = runner.process([new_document(text=SEED.read_text(encoding="utf-8"), uri=str(SEED.name))])
    assert not document["errors"], document["errors"]
    return document


def summary_not_the_opening(seed: dict[str, Any]) -> dict[str, Any]:
    """The seed article with a summary of its second and third summary sentences only."""
    document = copy.deepcopy(seed)
    document["id"] = "summary-not-lead"
    document["meta"] = {**seed["meta"], "title": "A summary that is not the opening"}
    sentences = seed["summary"]["sentences"][1:3]
    document["summary"] = {
        "method": "blend",
        "sentences": sentences,
        "text": " ".join(seed["text"][s["start"] : s["end"]] for s in sentences),
    }
    return document


@pytest.fixture(scope="module")
def server(seed_document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("page")
    store = open_store(directory / "store.db")
    store.put_many([make_document(1, place=HOSTILE), seed_document, summary_not_the_opening(seed_document)])
    with serve(store=store) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


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
    # The summary is the article's opening: marked in the text, not repeated in a box above it.
    assert seed_document["summary"]["method"] == "lead"
    assert not browser.find_elements(By.ID, "summary")
    sentences = len(seed_document["summary"]["sentences"])
    assert f"the opening {sentences} sentences" in browser.find_element(By.ID, "summary-note").text
    article = browser.find_element(By.ID, "article")
    assert _summary_marked(article) == _summary_text(seed_document)
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
    # Reported speech is shown apart from quoted words, with its own badge colour.
    kinds = {q["kind"]: q["id"] for q in attributed}
    direct, indirect = (
        article.find_element(By.CSS_SELECTOR, f'.quote[data-quote="{kinds[kind]}"]')
        for kind in ("direct", "indirect")
    )
    assert "quote-indirect" in (indirect.get_attribute("class") or "").split()
    assert indirect.value_of_css_property("background-color") != direct.value_of_css_property(
        "background-color"
    )
    badges = [
        article.find_element(By.CSS_SELECTOR, f'.who[data-quote="{kinds[k]}"]')
        for k in ("direct", "indirect")
    ]
    assert badges[0].value_of_css_property("background-color") != badges[1].value_of_css_property(
        "background-color"
    )
    listed = browser.find_elements(By.CSS_SELECTOR, "#quotes li")
    assert len(listed) == len(seed_document["quotes"])
    gallyamov = [li for li in listed if "unbearably jealous" in li.text]
    assert gallyamov and "Abbas Gallyamov" in gallyamov[0].text

    browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def _summary_marked(article: Any) -> str:
    """The text marked as the summary's, all pieces in reading order."""
    return "".join(
        p.get_attribute("textContent") for p in article.find_elements(By.CSS_SELECTOR, ".in-summary")
    )


def _summary_text(document: dict[str, Any]) -> str:
    return "".join(document["text"][s["start"] : s["end"]] for s in document["summary"]["sentences"])


def test_a_summary_that_is_not_the_opening_is_shown_above_and_marked_in_the_text(
    server: str, browser: Any, seed_document: dict[str, Any]
) -> None:
    other = summary_not_the_opening(seed_document)
    browser.get(f"{server}/documents/summary-not-lead")
    box = browser.find_element(By.ID, "summary")
    assert other["summary"]["text"] in box.text
    assert not browser.find_elements(By.ID, "summary-note")
    assert _summary_marked(browser.find_element(By.ID, "article")) == _summary_text(other)
    underline = box.find_element(By.CSS_SELECTOR, ".in-summary").value_of_css_property("text-decoration-line")
    assert underline == "underline"
    browser.save_screenshot("/tmp/presspipe-summary-box.png")


def test_markup_in_a_document_is_shown_as_text_and_never_run(server: str, browser: Any) -> None:
    browser.get(server + "/documents/doc00001")
    assert HOSTILE in browser.find_element(By.ID, "title").text
    assert HOSTILE in browser.find_element(By.ID, "article").text
    assert browser.execute_script("return window.pwned === undefined")
    assert not browser.find_elements(By.CSS_SELECTOR, "#article img, #article script")
    browser.get(server + "/documents/nothing-here")
    assert "no document 'nothing-here'" in browser.find_element(By.TAG_NAME, "main").text
