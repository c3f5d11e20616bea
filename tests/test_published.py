"""meta.published: from evidence of publication only; a wrong date is worse than none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from presspipe.plugins.clean.published import find_modified, find_published, plausible

JSON_LD = (
    '{"@graph": [{"@type": "NewsArticle", "dateModified": "2020-06-09", '
    '"datePublished": "2020-06-07T10:00:00+02:00"}]}'
)
ARTICLE = "<article><h1>Title</h1><p>Body text of the article.</p></article>"


def page(head: str = "", body: str = ARTICLE) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("html", "url", "day"),
    [
        (
            page('<meta property="article:published_time" content="2020-06-07T09:30:00+02:00">'),
            None,
            "2020-06-07",
        ),
        (page('<meta itemprop="datePublished" content="2020-06-07">'), None, "2020-06-07"),
        (
            page(
                '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
                '"dateModified": "2020-06-09", "datePublished": "2020-06-07T10:00:00+02:00"}]}</script>'
            ),
            None,
            "2020-06-07",
        ),
        (
            page(body='<article><time datetime="2020-06-07T10:00" pubdate>7 June</time>' + ARTICLE),
            None,
            "2020-06-07",
        ),
        (
            page(body='<article><span class="date">7. Juni 2020</span>' + ARTICLE + "</article>"),
            None,
            "2020-06-07",
        ),
        (page(body='<article><div class="fecha">18 de febrero de 2020</div></article>'), None, "2020-02-18"),
        (page(body='<article><p class="post-date">2020年7月12日</p></article>'), None, "2020-07-12"),
        (page(body='<article><p class="article-date">7 июня 2020, 10:15</p></article>'), None, "2020-06-07"),
        (page(), "https://example.com/news/2020/06/07/story.html", "2020-06-07"),
        (page(), "https://example.com/news/20200607/story", "2020-06-07"),
    ],
)
def test_evidence_of_publication(html, url, day):
    assert find_published(html, url) == day


@pytest.mark.parametrize(
    "html",
    [
        page(body=ARTICLE + "<footer><p>© 2019 Example Media</p></footer>"),
        page(body=ARTICLE + '<p class="copyright">Copyright 2019-2020 Example. Updated 3 May 2020</p>'),
        page('<meta property="article:modified_time" content="2020-06-09T10:00:00Z">'),
        page('<meta name="pubdate" content="1970-01-01">'),
    ],
)
def test_no_date_without_evidence_of_publication(html):
    assert find_published(html) is None


def test_a_date_after_the_crawl_is_rejected():
    html = page('<meta property="article:published_time" content="2021-03-05T10:00:00Z">')
    assert find_published(html, not_after=datetime(2021, 3, 2, tzinfo=UTC)) is None
    assert find_published(html, not_after=datetime(2021, 3, 6, tzinfo=UTC)) == "2021-03-05"


def test_a_date_after_today_is_rejected_without_a_crawl_time():
    assert find_published(page('<meta property="article:published_time" content="2999-01-01">')) is None


def test_a_utc_time_takes_the_local_day_the_page_shows():
    # 02:18 UTC on the 18th is the evening of the 17th in Mexico City; the byline says so.
    html = page(
        '<meta property="article:published_time" content="2020-02-18T02:18:11Z">',
        '<article><div class="byline">Por: Agencia | 17 de Febrero 2020</div><p>Texto.</p></article>',
    )
    assert find_published(html) == "2020-02-17"
    assert find_published(html, "https://example.mx/2020/02/17/nota") == "2020-02-17"
    alone = page('<meta property="article:published_time" content="2020-02-18T02:18:11Z">')
    assert find_published(alone) == "2020-02-18"


def test_the_address_is_the_first_evidence():
    html = page('<meta property="article:published_time" content="2020-06-09T10:00:00+02:00">')
    assert find_published(html, "https://example.com/2020/06/07/story") == "2020-06-07"
    assert find_published(html, "https://example.com/story-2020") == "2020-06-09"


def test_a_dateline_from_the_text_is_evidence():
    assert find_published(page(), dateline="2020-06-07T07:03:00") == "2020-06-07"


def test_clean_text_drops_a_dateline_later_than_the_crawl():
    from presspipe import new_document
    from presspipe.testing import run_step

    text = "Harbour to be cleaned\n\n6 January 2031\n\nThe council approved the plan on Tuesday after a long debate."
    crawled = new_document(text=text, meta={"crawled": "2026-01-07T00:00:00Z"})
    later = new_document(text=text, meta={"crawled": "2031-01-07T00:00:00Z"})
    run_step("clean.text", [crawled, later])
    assert "published" not in crawled["meta"]
    assert later["meta"]["published"] == "2031-01-06"


def test_the_modified_date_is_kept_apart_from_the_published_one():
    html = page(f'<script type="application/ld+json">{JSON_LD}</script>')
    assert find_published(html) == "2020-06-07"
    assert find_modified(html) == "2020-06-09"
    tagged = page('<meta property="article:modified_time" content="2020-06-09T10:00:00+02:00">')
    assert find_modified(tagged) == "2020-06-09"
    assert find_published(tagged) is None
    assert find_modified(page()) is None


def test_a_day_in_the_address_needs_two_digits_or_a_slash():
    # "/2023/10/3-questions-for": "3" starts the slug, it is no day.
    html = page('<meta property="article:published_time" content="2023-10-31T08:47:16+00:00">')
    assert find_published(html, "https://example.org/2023/10/3-questions-for-her/") == "2023-10-31"


@pytest.mark.parametrize("text", ["04/03/2020", "10/12/20"])  # April or March? which is the year?
def test_an_ambiguous_date_is_no_evidence_of_our_own(text):
    assert plausible(text) is None
