"""Entity timelines in headless Chromium at 390 and 1280 px, against uvicorn on loopback: what
the chart leaves out (undated documents, counted and linked), axes a reader can use (dates along
it, a count scale), long empty runs drawn as breaks, and ``period=auto``. Screenshots go to
/tmp/presspipe-timeline-*.png.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from presspipe.store import open_store
from presspipe.testing import serve

from . import test_page
from .corpus_documents import article

browser = test_page.browser
SHOTS = Path("/tmp")


def documents() -> list[dict[str, Any]]:
    """Donald Trump in 56 documents, one of them dated (as PolNeAR dev with the seed); Ada Byron
    in two clusters ten years apart: 12 days of 2016-09 and two weeks of 2026-01."""
    found = [article(n, ["Donald Trump"], published=None) for n in range(1, 56)]
    found.append(article(56, ["Donald Trump"], published="2026-01-06T07:03:00"))
    days = [f"2016-09-{d:02d}" for d in range(5, 17)] + ["2026-01-02", "2026-01-09", "2026-01-16"]
    found += [article(100 + n, ["Ada Byron"], published=f"{day}T09:00:00") for n, day in enumerate(days)]
    return found


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("timeline-pages")
    store = open_store(directory / "store.db")
    store.put_many(documents())
    with serve(store=store) as url:
        yield url
    store.close()


def fits(browser: Any) -> bool:
    return bool(browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"))


def labels(browser: Any) -> list[str]:
    return [s.text for s in browser.find_elements(By.CSS_SELECTOR, "#axis span.tick") if s.is_displayed()]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_timeline_says_how_many_documents_it_cannot_place_and_lists_them(
    base: str, browser: Any, width: int
) -> None:
    browser.set_window_size(width, 1000)
    browser.get(f"{base}/entities/person:donald-trump")
    note = browser.find_element(By.ID, "undated")
    assert note.text.startswith("55 of 56 documents have no date and are not on the timeline (it draws 1)")
    assert "dated ones 2026-01-06 to 2026-01-06" in browser.find_element(By.ID, "counts").text
    assert browser.find_element(By.CSS_SELECTOR, "#periods b").text == "auto (day)"  # one date: a day
    assert labels(browser) == ["6 Jan 2026"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline rect.mark")) == 1
    assert browser.find_element(By.ID, "scale-top").text == "1"
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-timeline-undated-{width}.png"))
    browser.find_element(By.ID, "undated-link").click()
    assert browser.find_element(By.ID, "count").text == "55"
    assert {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#documents td.date")} == {"no date"}


@pytest.mark.parametrize("width", [1280, 390])
def test_clusters_years_apart_are_drawn_with_a_break_and_dated_axis(
    base: str, browser: Any, width: int
) -> None:
    browser.set_window_size(width, 1000)
    browser.get(f"{base}/entities/person:ada-byron")
    assert browser.find_element(By.CSS_SELECTOR, "#periods b").text == "auto (day)"
    marks = browser.find_elements(By.CSS_SELECTOR, "#timeline rect.mark")
    # 12 September days, then a break, then 2 to 16 January 2026 (15 days, 3 with documents).
    assert len(marks) == 27
    breaks = browser.find_elements(By.CSS_SELECTOR, "#timeline rect.break")
    assert len(breaks) == 1
    assert "3394 days with no documents" in breaks[0].get_attribute("textContent")
    # The break sits between the clusters, not a 2016 bar right beside a 2026 one.
    xs = [float(m.get_attribute("x")) for m in marks]
    gap_x = float(breaks[0].get_attribute("x"))
    assert xs[11] < gap_x < xs[12] and xs[12] - xs[11] > 3 * (xs[1] - xs[0])
    shown = labels(browser)
    assert shown[0] == "5 Sep 2016" and "2 Jan 2026" in shown
    if width == 390:
        assert len(shown) < len(browser.find_elements(By.CSS_SELECTOR, "#axis span.tick"))  # every other one
    # The count scale: 0 to the busiest period, rounded up.
    assert [s.text for s in browser.find_elements(By.CSS_SELECTOR, ".yaxis span")] == ["1", "", "0"]
    assert fits(browser)
    browser.save_screenshot(str(SHOTS / f"presspipe-timeline-break-{width}.png"))
    browser.get(f"{base}/entities/person:ada-byron?period=month")
    assert [
        m.get_attribute("data-period") for m in browser.find_elements(By.CSS_SELECTOR, "#timeline rect.mark")
    ] == [
        "2016-09",
        "2026-01",
    ]
    assert labels(browser) == ["Sep 2016", "Jan 2026"]
    assert "111 months with no documents" in browser.find_element(
        By.CSS_SELECTOR, "#timeline rect.break"
    ).get_attribute("textContent")
    browser.save_screenshot(str(SHOTS / f"presspipe-timeline-month-{width}.png"))
    browser.get(f"{base}/entities/person:ada-byron?period=week")
    weeks = [
        m.get_attribute("data-period") for m in browser.find_elements(By.CSS_SELECTOR, "#timeline rect.mark")
    ]
    assert weeks[:2] == ["2016-W36", "2016-W37"] and weeks[2:] == ["2026-W01", "2026-W02", "2026-W03"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline rect.break")) == 1


def test_the_profile_api_answers_the_chosen_period_the_breaks_and_the_undated(base: str) -> None:
    with urllib.request.urlopen(f"{base}/v1/entities/person:ada-byron?period=auto") as answer:
        ada = json.load(answer)
    assert ada["period"] == "day" and ada["undated"] == 0
    assert [p["gap_before"] for p in ada["timeline"] if p["gap_before"]] == [3394]
    with urllib.request.urlopen(f"{base}/v1/entities/person:donald-trump?period=year") as answer:
        trump = json.load(answer)
    assert (trump["period"], trump["undated"], trump["documents"]) == ("year", 55, 56)
    assert [(p["period"], p["documents"]) for p in trump["timeline"]] == [("2026", 1)]
