"""The listing pages in headless Chromium at 390 and 1280 px, against uvicorn on loopback: the
rankings ``/speakers`` and ``/entities`` (the API's filters as a form, previous and next, a total),
the home page's pager, facets that follow its filters, its panels on a phone, the chip legend,
the empty state of a filter that matches nothing, and the favicon. Screenshots go to
/tmp/presspipe-listing-*.png.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from presspipe.store import Filters, open_store
from presspipe.store.corpus_queries import CorpusFilters
from presspipe.testing import serve

from . import test_page
from .corpus_documents import article
from .servers import press, shown

browser = test_page.browser
SHOTS = Path("/tmp")
PEOPLE = [f"Person{chr(65 + n // 26)}{chr(97 + n % 26)} Surname{n}" for n in range(60)]


def documents() -> list[dict[str, Any]]:
    """70 documents: document n names three of the 60 people from the (3n % 60)th on (each person
    in three or four documents), Ada Byron in every one (quoted in the even ones; the first of the
    three in the odd ones); documents 61-70 have no date."""
    found = []
    for n in range(1, 71):
        named = PEOPLE[3 * n % 60 : 3 * n % 60 + 3]
        quotes = [(0, f"Ada says {n}")] if n % 2 == 0 else [(1, f"Said {n}")]
        published = None if n > 60 else f"2026-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}T09:00:00"
        found.append(article(n, ["Ada Byron", *named], quotes=quotes, published=published))
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    directory = tmp_path_factory.mktemp("listing-pages")
    store = open_store(directory / "store.db")
    store.put_many(documents())
    with serve(store=store) as url:
        yield url, store
    store.close()


def fits(browser: Any) -> bool:
    return bool(browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"))


def keys(browser: Any) -> list[str]:
    return [
        tr.get_attribute("data-key") for tr in browser.find_elements(By.CSS_SELECTOR, "#ranking tr[data-key]")
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_entities_page_ranks_as_the_api_with_a_total_and_pages_both_ways(
    server: tuple[str, Any], browser: Any, width: int
) -> None:
    base, store = server
    browser.set_window_size(width, 1000)
    browser.get(base + "/entities")
    expected = store.corpus.entities(CorpusFilters(), limit=50).items
    assert keys(browser) == [e.key for e in expected]
    total = store.corpus.entity_count(CorpusFilters())
    assert total == 62  # Ada, 60 people, Kyiv
    assert browser.find_element(By.ID, "count").text == str(total)
    assert "1\u201350 of 62" in browser.find_element(By.ID, "pager").text
    assert not browser.find_elements(By.ID, "previous")
    assert browser.find_element(By.ID, "chip-legend").text.startswith("Chips by label:")
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-listing-entities-{width}.png"))
    browser.find_element(By.ID, "next").click()
    assert keys(browser) == [e.key for e in store.corpus.entities(CorpusFilters(), limit=100).items[50:]]
    assert "51\u201362 of 62" in browser.find_element(By.ID, "pager").text
    assert not browser.find_elements(By.ID, "next")
    browser.find_element(By.ID, "previous").click()
    assert keys(browser) == [e.key for e in expected]
    # The form is the API's filters: the page shows what /v1/entities answers for them.
    field = browser.find_element(By.NAME, "entity")
    assert shown(browser, field) == (width == 1280)  # folded on a phone
    if width == 390:
        browser.find_element(By.CSS_SELECTOR, "#filters-panel summary").click()
    press(browser, field, "surname1")
    press(browser, browser.find_element(By.NAME, "published_to"), "03312026")  # a date field, typed as en-US
    press(browser, browser.find_element(By.CSS_SELECTOR, "#ranking-filters button"))
    query = "entity=surname1&published_to=2026-03-31"
    WebDriverWait(browser, 30).until(lambda b: "entity=" in b.current_url)
    assert "entity=surname1" in browser.current_url and "published_to=2026-03-31" in browser.current_url
    with urllib.request.urlopen(f"{base}/v1/entities?{query}&limit=50") as answer:
        api = [item["key"] for item in json.load(answer)["items"]]
    assert keys(browser) == api and api
    assert browser.find_element(By.NAME, "published_to").get_attribute("value") == "2026-03-31"


@pytest.mark.parametrize("width", [1280, 390])
def test_speakers_page_filters_by_kind_and_says_when_nothing_matches(
    server: tuple[str, Any], browser: Any, width: int
) -> None:
    base, store = server
    browser.set_window_size(width, 1000)
    browser.get(base + "/speakers")
    assert keys(browser) == [s.key for s in store.corpus.speakers(CorpusFilters(), limit=50).items]
    assert keys(browser)[0] == "person:ada-byron"
    assert browser.find_element(By.ID, "count").text == str(store.corpus.speaker_count(CorpusFilters()))
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-listing-speakers-{width}.png"))
    browser.get(base + "/speakers?kind=indirect&speaker=")
    empty = browser.find_element(By.ID, "empty")
    assert "No speaker matches these filters." in empty.text
    browser.save_screenshot(str(SHOTS / f"presspipe-listing-speakers-empty-{width}.png"))
    empty.find_element(By.ID, "clear-filters").click()
    assert browser.current_url == base + "/speakers"
    browser.get(base + "/speakers?published_from=yesterday")
    assert "published_from" in browser.find_element(By.ID, "problem").text


@pytest.mark.parametrize("width", [1280, 390])
def test_home_page_pages_both_ways_with_a_count(server: tuple[str, Any], browser: Any, width: int) -> None:
    base, _ = server
    browser.set_window_size(width, 1000)
    browser.get(base + "/")
    assert "1\u201350 of 70" in browser.find_element(By.ID, "pager").text
    first = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#documents td:first-child > a")]
    browser.find_element(By.ID, "next").click()
    assert "51\u201370 of 70" in browser.find_element(By.ID, "pager").text
    browser.find_element(By.ID, "previous").click()
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#documents td:first-child > a")] == first
    browser.get(base + "/?sort=oldest")
    browser.find_element(By.ID, "next").click()
    browser.find_element(By.ID, "previous").click()
    assert (
        "sort=oldest" in browser.current_url
        and "1\u201350 of 70" in browser.find_element(By.ID, "pager").text
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_home_facets_follow_the_filters_and_sit_at_the_top_on_a_phone(
    server: tuple[str, Any], browser: Any, width: int
) -> None:
    base, store = server
    browser.set_window_size(width, 1000)
    browser.get(base + "/")
    panel = browser.find_element(By.ID, "facets-panel")
    table = browser.find_element(By.ID, "documents")
    facet = browser.find_element(By.CSS_SELECTOR, "#facet-entities li a")
    if width == 390:
        # Above the list, folded: one tap opens it.
        assert panel.location["y"] < table.location["y"] < 700
        assert not shown(browser, facet)
        panel.find_element(By.TAG_NAME, "summary").click()
    else:
        assert panel.location["x"] > table.location["x"] + table.size["width"]  # beside the list
    assert shown(browser, facet) and facet.location["y"] < 1000  # on the first screen
    assert shown(browser, browser.find_element(By.ID, "chip-legend"))
    browser.save_screenshot(str(SHOTS / f"presspipe-listing-home-{width}.png"))
    whole = [
        a.get_attribute("data-key")
        for a in browser.find_elements(By.CSS_SELECTOR, "#facet-entities li > a.ent")
    ]
    browser.get(base + "/?entity=surname6")  # documents 2, 22, 42, 62
    here = [
        a.get_attribute("data-key")
        for a in browser.find_elements(By.CSS_SELECTOR, "#facet-entities li > a.ent")
    ]
    expected = store.corpus.entities(CorpusFilters(within=Filters(entity="surname6")), limit=10).items
    assert here == [e.key for e in expected] and here != whole
    facets = browser.find_elements(By.CSS_SELECTOR, "#facet-entities li > span.muted")
    counts = [int(s.get_attribute("textContent")) for s in facets]
    assert counts[0] == int(browser.find_element(By.ID, "count").text)  # Ada is in every one of them


@pytest.mark.parametrize("width", [1280, 390])
def test_a_filter_matching_nothing_says_so_and_offers_to_clear(
    server: tuple[str, Any], browser: Any, width: int
) -> None:
    base, _ = server
    browser.set_window_size(width, 1000)
    browser.get(base + "/?q=zebra")
    empty = browser.find_element(By.ID, "empty")
    assert empty.text.startswith("No document matches these filters (of 70 stored).")
    assert "Submit" not in empty.text and "POST" not in empty.text
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-listing-empty-{width}.png"))
    empty.find_element(By.ID, "clear-filters").click()
    assert browser.current_url == base + "/" and browser.find_element(By.ID, "count").text == "70"


def test_undated_documents_are_a_filter_of_the_api_and_the_home_page(
    server: tuple[str, Any], browser: Any
) -> None:
    base, _ = server
    with urllib.request.urlopen(base + "/v1/documents?undated=true&limit=50") as answer:
        ids = sorted(d["id"] for d in json.load(answer)["items"])
    assert ids == [f"art{n:04d}" for n in range(61, 71)]
    browser.set_window_size(1280, 1000)
    browser.get(base + "/")
    browser.find_element(By.ID, "undated").click()
    assert browser.find_element(By.ID, "count").text == "10"
    assert {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#documents td.date")} == {"no date"}
    browser.get(base + "/?undated=0")
    assert browser.find_element(By.ID, "count").text == "70"


def test_favicon_is_an_svg_icon(server: tuple[str, Any], browser: Any) -> None:
    base, _ = server
    with urllib.request.urlopen(base + "/favicon.ico") as answer:
        assert answer.headers["Content-Type"] == "image/svg+xml"
        assert answer.read().startswith(b"<svg")
    browser.get(base + "/favicon.ico")
    assert browser.execute_script("return document.documentElement.tagName") == "svg"
