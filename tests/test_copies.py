"""Near-copies flagged on write (``store.copies``), on every backend, with texts written here.

Distinct articles are made of random words; their copies are edited as syndication edits them
(another headline, an agency line, a dateline, a correction note, words changed, the last
paragraph cut). Every copy must point at its original, no distinct article may be flagged, and
the speaker counts with copies left out must equal those of a store of the originals alone.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any

from presspipe.store import Store, open_store
from presspipe.store.corpus_filters import CorpusFilters

from . import test_page
from .store_contract import store, store_url

__all__ = ["store", "store_url"]

VOCABULARY = [
    f"{a}{b}"
    for a in ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo")
    for b in ("n", "r", "st", "l", "m", "x", "p", "d")
]
PEOPLE = ["Alice Smith", "Carol White", "Dan Brown", "Eve Black", "Frank Green", "Grace Hall"]


browser = test_page.browser


def paragraphs(rng: random.Random, count: int = 5, words: int = 40) -> list[str]:
    return [" ".join(rng.choice(VOCABULARY) for _ in range(words)) + "." for _ in range(count)]


def news(id: str, headline: str, body: list[str], speaker: str, *, outlet: str) -> dict[str, Any]:
    """A processed document: the headline, the paragraphs, then a quote said by ``speaker``."""
    text = f"{headline}\n\n" + "\n\n".join(body) + "\n\n"
    quote_start = len(text)
    text += "\u201cWe will see,\u201d said "
    quote_end = quote_start + len("\u201cWe will see,\u201d")
    name_start = len(text)
    text += f"{speaker}."
    mention = {"text": speaker, "start": name_start, "end": name_start + len(speaker)}
    return {
        "schema_version": 1,
        "id": id,
        "source": {
            "uri": f"https://{outlet}/{id}",
            "media_type": "text/plain",
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        },
        "meta": {"title": headline, "published": "2026-02-03T10:00:00", "outlet": outlet},
        "text": text,
        "entities": [{"id": "E1", "name": speaker, "label": "PERSON", "mentions": [mention]}],
        "quotes": [
            {
                "id": "Q1",
                "text": text[quote_start:quote_end],
                "start": quote_start,
                "end": quote_end,
                "kind": "direct",
                "speaker": {**mention, "entity": "E1"},
                "cue": None,
            }
        ],
        "provenance": {"presspipe": "0.1.0", "pipeline": {"name": "news", "sha256": "d" * 64}, "steps": []},
        "errors": [],
    }


def syndicated(rng: random.Random, body: list[str], edit: int) -> tuple[str, list[str]]:
    """Another outlet's headline and body: ``edit`` picks which of the usual edits it makes."""
    body = list(body)
    if edit % 2 == 0:
        body = body[:-1]  # the last paragraph cut
    if edit % 3 == 0:
        body[0] = "LONDON (Agency) \u2014 " + body[0]  # a dateline and an agency line
    if edit % 4 == 1:
        body.append("Correction: an earlier version of this story misspelled a name.")
    words = " ".join(body).split(" ")
    for _ in range(4):  # a few words changed
        words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
    return f"Another headline {edit}", [" ".join(words)]


def speakers(store: Store) -> dict[str, int]:
    return {r.key: r.quotes for r in store.corpus.speakers(CorpusFilters(), limit=100).items}


def test_every_copy_points_to_its_original_and_counts_leave_copies_out(store: Store, tmp_path: Any) -> None:
    rng = random.Random(7)
    bodies = [paragraphs(rng) for _ in PEOPLE]
    originals = [
        news(f"orig{n}", f"Headline {n}", body, PEOPLE[n], outlet="first.example")
        for n, body in enumerate(bodies)
    ]
    copies = []
    for n in range(4):  # the first four articles republished by 1-3 outlets each
        for outlet in range(1 + n % 3):
            headline, body = syndicated(rng, bodies[n], n + outlet)
            copies.append(
                (n, news(f"copy{n}-{outlet}", headline, body, PEOPLE[n], outlet=f"o{outlet}.example"))
            )
    for document in [*originals, *(c for _, c in copies)]:
        store.put(document)

    for n, copy in copies:
        group = store.copy_group(copy["id"])
        assert group is not None and group.copy_of == f"orig{n}", copy["id"]
    for n, original in enumerate(originals):
        group = store.copy_group(original["id"])
        assert group is not None and group.copy_of is None
        assert group.size == 1 + sum(1 for m, _ in copies if m == n)
    listed = {i.id: i.copy_of for i in store.list_documents(store_filters(copies=True), limit=100).items}
    assert all(listed[c["id"]] == f"orig{n}" for n, c in copies) and listed["orig5"] is None
    assert {i.id for i in store.list_documents(store_filters(copies=False), limit=100).items} == {
        o["id"] for o in originals
    }

    with open_store(tmp_path / "alone.db") as alone:
        for original in originals:
            alone.put(original)
        assert speakers(store) == speakers(alone)  # copies left out by default
    included = {r.key: r.quotes for r in store.corpus.speakers(CorpusFilters(copies=True), limit=100).items}
    assert included["person:alice-smith"] == 1 + sum(1 for n, _ in copies if n == 0)


def test_deleting_or_replacing_keeps_the_groups_right(store: Store) -> None:
    rng = random.Random(3)
    body = paragraphs(rng)
    store.put(news("a", "First", body, "Alice Smith", outlet="a.example"))
    for edit, outlet in ((1, "b"), (3, "c")):  # near each other too (not every two copies are)
        headline, copy = syndicated(rng, body, edit)
        store.put(news(outlet, headline, copy, "Alice Smith", outlet=f"{outlet}.example"))
    assert [store.copy_group(i).copy_of for i in "abc"] == [None, "a", "a"]  # type: ignore[union-attr]
    assert speakers(store) == {"person:alice-smith": 1}

    assert store.delete("a", "news")  # the earliest copy left becomes the original
    assert [store.copy_group(i).copy_of for i in "bc"] == [None, "b"]  # type: ignore[union-attr]
    assert store.copy_group("b").size == 2  # type: ignore[union-attr]
    assert speakers(store) == {"person:alice-smith": 1}

    store.put(news("b", "Something else", paragraphs(rng), "Alice Smith", outlet="b.example"))  # b rewritten
    assert [store.copy_group(i).copy_of for i in "bc"] == [None, None]  # type: ignore[union-attr]
    assert speakers(store) == {"person:alice-smith": 2}
    headline, copy = syndicated(rng, body, 3)
    store.put(news("b", headline, copy, "Alice Smith", outlet="b.example"))  # b near c again: c is later
    assert [store.copy_group(i).copy_of for i in "bc"] == [None, "b"]  # type: ignore[union-attr]
    assert speakers(store) == {"person:alice-smith": 1}


def test_short_texts_and_distinct_articles_are_never_copies(store: Store) -> None:
    rng = random.Random(5)
    for n in range(30):
        store.put(
            news(f"d{n}", f"Headline {n}", paragraphs(rng), PEOPLE[n % len(PEOPLE)], outlet="x.example")
        )
    store.put(news("short1", "Short", ["Too short to tell."], "Alice Smith", outlet="x.example"))
    store.put(news("short2", "Short", ["Too short to tell."], "Alice Smith", outlet="y.example"))
    assert all(i.copy_of is None for i in store.list_documents(store_filters(copies=True), limit=100).items)


def store_filters(**fields: Any) -> Any:
    from presspipe.store import Filters

    return Filters(**fields)


def test_the_api_and_the_page_show_the_copies(tmp_path: Any) -> None:
    import json
    import urllib.request

    from presspipe.testing import serve

    rng = random.Random(11)
    body = paragraphs(rng)
    path = tmp_path / "store.db"
    store = open_store(path)
    store.put(news("wire", "First", body, "Alice Smith", outlet="wire.example"))
    for n, outlet in enumerate(("daily", "weekly")):
        headline, copy = syndicated(rng, body, 2 * n + 1)
        store.put(news(outlet, headline, copy, "Alice Smith", outlet=f"{outlet}.example"))
    store.put(news("other", "Other", paragraphs(rng), "Alice Smith", outlet="wire.example"))
    with serve(store=store) as url:

        def get(route: str) -> tuple[Any, Any]:
            with urllib.request.urlopen(url + route, timeout=30) as response:
                return response.headers, response.read().decode()

        headers, text = get("/v1/documents/daily")
        assert headers["Copy-Of"] == "wire" and headers["Copy-Group-Size"] == "3"
        assert json.loads(text)["id"] == "daily"  # the stored JSON itself, unchanged
        assert get("/v1/documents/wire")[0]["Copy-Of"] is None
        listed = json.loads(get("/v1/documents")[1])["items"]
        assert {i["id"]: i["copy_of"] for i in listed} == {
            "wire": None,
            "daily": "wire",
            "weekly": "wire",
            "other": None,
        }
        kept = json.loads(get("/v1/documents?copies=exclude")[1])["items"]
        assert sorted(i["id"] for i in kept) == ["other", "wire"]
        counted = json.loads(get("/v1/speakers")[1])["items"]
        assert [(s["key"], s["quotes"]) for s in counted] == [("person:alice-smith", 2)]
        every = json.loads(get("/v1/speakers?copies=include")[1])["items"]
        assert [(s["key"], s["quotes"]) for s in every] == [("person:alice-smith", 4)]
        page = get("/documents/wire")[1]
        assert "Also published by 2 other outlets" in page and 'href="/documents/daily?pipeline=news"' in page
    store.close()


def test_the_document_page_counts_outlets_and_links_each_copy_by_title_and_outlet(
    tmp_path: Any, browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    from presspipe.testing import serve

    rng = random.Random(5)
    body = paragraphs(rng)
    path = tmp_path / "store.db"
    store = open_store(path)
    store.put(news("wire", "Wire story", body, "Alice Smith", outlet="wire.example"))
    # Four copies from two other outlets, and one from the wire's own site: two outlets besides it.
    for n, (id, outlet) in enumerate(
        [("d1", "daily"), ("d2", "daily"), ("w1", "weekly"), ("w2", "weekly"), ("wire2", "wire")]
    ):
        headline, copy = syndicated(rng, body, n + 1)
        store.put(news(id, f"{headline} ({id})", copy, "Alice Smith", outlet=f"{outlet}.example"))
    with serve(store=store) as url:
        browser.set_window_size(1280, 900)
        browser.get(url + "/documents/wire")
        line = browser.find_element(By.ID, "copies")
        browser.save_screenshot("/tmp/presspipe-copies-wire.png")
        assert line.text.startswith("Also published by 2 other outlets:")
        links = {a.text: a.get_attribute("href") for a in line.find_elements(By.TAG_NAME, "a")}
        assert links["Another headline 1 (d1)"].endswith("/documents/d1?pipeline=news")
        assert len(links) == 5 and "(daily.example)" in line.text and "d1 " not in line.text
        browser.get(url + "/documents/w1")  # a copy: its original by title, then the others
        line = browser.find_element(By.ID, "copies")
        assert line.text.startswith(
            "A near-copy of Wire story (wire.example); also published by 2 other outlets:"
        )
        assert line.find_elements(By.TAG_NAME, "a")[0].text == "Wire story"
    store.close()
