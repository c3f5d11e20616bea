"""The corpus pages in a real headless Chromium at 390 and 1280 px, against uvicorn on loopback.

The home page's facets filter the list, the entity page's chart has one bar per period, the
document page links names and speakers to their entity pages and opens its removed parts,
and no page scrolls sideways on a phone. Screenshots go to /tmp/presspipe-corpus-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from presspipe.store import open_store
from presspipe.store.corpus_queries import CorpusFilters
from presspipe.testing import serve

from . import test_page
from .corpus_documents import article
from .servers import press, shown

browser = test_page.browser
SHOTS = Path("/tmp")
ZELENSKYY = "person:volodymyr-zelenskyy"


def documents() -> list[dict[str, Any]]:
    found = [
        article(
            1,
            ["Volodymyr Zelenskyy", "Nicolás Maduro"],
            quotes=[(0, "We hold the line")],
            published="2026-01-06",
            genders={0: "male"},
        ),
        article(2, ["Zelenskyy"], quotes=[(0, "We stand"), (0, "We will win")], published="2026-03-10"),
        article(3, ["Nicolas Maduro"], quotes=[(0, "No comment")], published="2026-02-11"),
        article(4, ["Ada Byron"], places=("Caracas",), published="2026-04-01"),
        article(
            5,
            ["Maduro", "Alan Turing"],
            quotes=[(1, "Machines think")],
            published="2026-04-02",
            genders={1: "male"},
        ),
    ]
    found[1]["removed"] = [{"kind": "caption", "text": "A caption under the photograph"}]
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    directory = tmp_path_factory.mktemp("corpus-pages")
    store = open_store(directory / "store.db")
    store.put_many(documents())
    with serve(store=store) as url:
        yield url, store
    store.close()


def fits(browser: Any) -> bool:
    """No horizontal scroll: the page is no wider than the window."""
    return bool(browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("width", [1280, 390])
def test_home_page_counts_dates_and_a_facet_click_filters_the_list(
    server: tuple[str, Any], browser: Any, width: int
) -> None:
    base, _ = server
    browser.set_window_size(width, 1000)
    browser.get(base + "/")
    assert browser.find_element(By.ID, "count").text == "5"
    assert browser.find_element(By.ID, "date-range").text == "2026-01-06 to 2026-04-02"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#documents tr")) == 6
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-corpus-home-{width}.png"))
    if width == 390:  # the title column is a column of sentences, not of single words
        assert browser.find_element(By.CSS_SELECTOR, "#documents td").size["width"] > 200
    if width == 390:  # the facets are folded above the list: a tap opens them
        browser.find_element(By.CSS_SELECTOR, "#facets-panel summary").click()
    facet = browser.find_element(By.CSS_SELECTOR, f'#facet-speakers a[data-key="{ZELENSKYY}"]')
    assert shown(browser, facet) and facet.get_attribute("textContent") == "Volodymyr Zelenskyy"
    press(browser, facet)
    WebDriverWait(browser, 30).until(lambda b: "speaker=" in b.current_url)
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#documents td:first-child > a")]
    assert sorted(titles) == ["Article 1", "Article 2"]
    assert browser.find_element(By.ID, "count").text == "2"
    browser.get(base + "/")
    if width == 390:
        browser.find_element(By.CSS_SELECTOR, "#facets-panel summary").click()
    press(
        browser, browser.find_element(By.CSS_SELECTOR, '#facet-entities a[data-key="person:nicolas-maduro"]')
    )
    WebDriverWait(browser, 30).until(lambda b: "entity=" in b.current_url)
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#documents td:first-child > a")]
    assert sorted(titles) == ["Article 1", "Article 3", "Article 5"]  # "Maduro" alone joins the full name


@pytest.mark.parametrize("width", [1280, 390])
def test_home_and_entity_pages_show_gender(server: tuple[str, Any], browser: Any, width: int) -> None:
    base, _ = server
    browser.set_window_size(width, 1000)
    browser.get(base + "/")
    if width == 390:  # the facets are folded above the list: a tap opens them
        browser.find_element(By.CSS_SELECTOR, "#facets-panel summary").click()
    table = browser.find_element(By.ID, "facet-gender")
    assert shown(browser, table)
    rows = [
        [cell.get_attribute("textContent") for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in table.find_elements(By.TAG_NAME, "tr")
    ]
    # Zelenskyy (3 quotes) and Turing (1) are male; Maduro's quote has no gender evidence.
    assert rows[1:] == [["female", "0", "0"], ["male", "4", "2"], ["unknown", "1", "1"]]
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-corpus-gender-{width}.png"))
    browser.get(base + "/?q=zebra")  # the table follows the filters, as the other facets do
    assert browser.find_element(By.ID, "empty") and browser.find_elements(By.ID, "facet-gender") == []
    browser.get(f"{base}/entities/{ZELENSKYY}")
    assert browser.find_element(By.ID, "gender").text == "male"
    browser.get(f"{base}/entities/gpe:kyiv")
    assert browser.find_elements(By.ID, "gender") == []


@pytest.mark.parametrize("width", [1280, 390])
def test_entity_page_charts_one_mark_per_period_with_quotes_and_company(
    server: tuple[str, Any], browser: Any, width: int
) -> None:
    base, store = server
    browser.set_window_size(width, 1000)
    for period in ("month", "week", "day"):
        browser.get(f"{base}/entities/{ZELENSKYY}?period={period}")
        expected = store.corpus.profile(ZELENSKYY, CorpusFilters(), period=period).timeline
        marks = browser.find_elements(By.CSS_SELECTOR, "#timeline rect.mark")
        assert [m.get_attribute("data-period") for m in marks] == [p.period for p in expected]
        assert fits(browser)
    browser.get(f"{base}/entities/{ZELENSKYY}")
    assert browser.find_element(By.ID, "title").text == "Volodymyr Zelenskyy"
    # auto: ten weeks (two lone days and a break would say less), January to March
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline rect.mark")) == 10
    assert browser.find_element(By.CSS_SELECTOR, "#periods b").text == "auto (week)"
    quotes = [
        li.find_element(By.CLASS_NAME, "quote-text").text
        for li in browser.find_elements(By.CSS_SELECTOR, "#quotes li")
    ]
    assert quotes[:2] == ["\u201cWe stand\u201d", "\u201cWe will win\u201d"] and len(quotes) == 3
    company = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#cooccurring a")]
    assert company == ["Kyiv", "Nicolás Maduro"]
    assert "GPE: countries, cities, states; PERSON: people" in browser.find_element(By.ID, "chip-legend").text
    browser.save_screenshot(str(SHOTS / f"presspipe-corpus-entity-{width}.png"))
    browser.get(f"{base}/entities/person:zelenskyy")  # the surname alone leads to the full name
    assert browser.current_url.startswith(f"{base}/entities/{ZELENSKYY}")


@pytest.mark.parametrize("width", [1280, 390])
def test_document_page_links_names_and_opens_removed_parts(
    server: tuple[str, Any], browser: Any, width: int
) -> None:
    base, _ = server
    browser.set_window_size(width, 1000)
    browser.get(f"{base}/documents/art0002")
    legend = browser.find_element(By.ID, "legend")
    assert legend.location["y"] < browser.find_element(By.ID, "article").location["y"]
    details = browser.find_element(By.ID, "removed")
    assert not details.find_element(By.TAG_NAME, "li").is_displayed()
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.find_element(By.TAG_NAME, "li").text == "caption A caption under the photograph"
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-corpus-document-{width}.png"))
    badge = browser.find_element(By.CSS_SELECTOR, "#article a.who")
    assert badge.text == "Zelenskyy"
    badge.click()
    assert browser.current_url == f"{base}/entities/{ZELENSKYY}"
    browser.get(f"{base}/documents/art0001")
    browser.find_element(By.CSS_SELECTOR, '#entities a[href="/entities/person:nicolas-maduro"]').click()
    assert browser.find_element(By.ID, "title").text == "Nicolás Maduro"
