# ruff: noqa: RUF001 -- month names in other alphabets (Turkish dotless i) are what this module reads
"""When a page was published, from evidence of publication only, or ``None``.

Strong evidence, first found first: a date in the page's address (``/2020/06/07/``), the
page's structured data (JSON-LD or microdata ``datePublished``), its publication meta tags
(``article:published_time``, ``itemprop="datePublished"``, Parse.ly, Sailthru ...), a
``<time pubdate>``. Weak evidence (an element marked as a date, a generic ``date`` meta tag, a
dateline at the top of the body) is checked against htmldate's fast mode.
Never a copyright line, a modification date or the time of processing: a wrong date is worse
than none. A date later than the crawl (or, without one, than now) or before the web had news
is rejected.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from presspipe.plugins.clean.dates import parse_dateline

ADDRESS, STRUCTURED, META, TIME = "address", "structured", "meta", "time"
GENERIC, ELEMENT, DATELINE = "generic meta", "element", "dateline"
STRONG = frozenset({ADDRESS, STRUCTURED, META, TIME})
"""Evidence made to say when a page was published: a date in its address, schema.org
``datePublished`` (JSON-LD or microdata), a publication meta tag, a ``<time pubdate>`` or
hAtom ``published``. The rest (an element whose class says "date", a generic ``date`` meta
tag, often the last change, a dateline) is right less often and is taken only when
htmldate's fast mode finds the same day."""
HEAD_CHARS = 1_000_000
"""How much of a page to search for meta tags and structured data (inline styles push them far)."""
UTC_LOOKAHEAD = 12
"""How many more dates on the page may tell a UTC timestamp's local day."""
EARLIEST = date(1995, 1, 1)
"""Older dates on news pages are history mentioned, not the page's publication."""
PUBLISHED_META = frozenset(
    {
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "article:published",
        "article:published_date",
        "datepublished",
        "datecreated",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dc.date.created",
        "dcterms.issued",
        "dcterms.created",
        "dc.date",
        "dcterms.date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "published_time",
        "date_published",
        "published-date",
        "bt:pubdate",
        "cxenseparse:recs:publishtime",
        "og:pubdate",
        "release:date",
        "citation_publication_date",
        "citation_date",
        "rnews:datepublished",
        "article.published",
        "article_date_original",
        "original-publish-date",
        "uploaddate",
        "date",
    }
)
MODIFIED_META = frozenset(
    {
        "article:modified_time",
        "og:article:modified_time",
        "og:updated_time",
        "article:modified",
        "datemodified",
        "dc.date.modified",
        "dcterms.modified",
        "last-modified",
        "lastmod",
        "modified_time",
        "parsely-modified-date",
        "sailthru.lastmodified",
    }
)
"""Meta tags naming the page's last change (``meta.modified``), never its publication."""
GENERIC_META = frozenset({"date", "dc.date", "dcterms.date"})
"""Meta tags that name a date without saying which: as often the last change as the publication."""
_ATTRIBUTE = r"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_KEY = re.compile(_ATTRIBUTE.format(name="(?:name|property|itemprop|http-equiv)"), re.IGNORECASE)
_CONTENT = re.compile(_ATTRIBUTE.format(name="content"), re.IGNORECASE)
_JSON_LD = re.compile(
    r"""<script\b[^>]*\btype\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>""",
    re.IGNORECASE | re.DOTALL,
)
_MICRODATA = re.compile(
    r"""<[a-z]+\b[^>]*\b(?:itemprop\s*=\s*["']?datePublished\b|property\s*=\s*["']?schema:datePublished\b"""
    r"""|class\s*=\s*["']?published\b[^>]*\btitle\s*=)[^>]*>""",
    re.IGNORECASE,
)
"""An element (not a meta tag) carrying schema.org ``datePublished``, or hAtom's ``published`` with its ``title``."""
_MACHINE_VALUE = re.compile(_ATTRIBUTE.format(name="(?:content|datetime|title)"), re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_TIME = re.compile(r"<time\b([^>]*)>", re.IGNORECASE)
_DATETIME = re.compile(_ATTRIBUTE.format(name="datetime"), re.IGNORECASE)
_PUBLISHED_MARK = re.compile(r"""\bpubdate\b|datePublished|\bpublish""", re.IGNORECASE)
_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?:T|\b)")
_SLASHED = re.compile(r"(?<!\d)((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?!\d)")
_CJK = re.compile(r"((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_DOTTED_YMD = re.compile(r"(?<![\d.])((?:19|20)\d{2})\.\s?(\d{1,2})\.\s?(\d{1,2})(?![\d])")
_DMY = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})(?!\d)")
_DATE_CLASS = re.compile(r"date|time|publi|posted|byline|meta|info|\bdata\b|fecha|datum|tarih", re.IGNORECASE)
_NOT_PUBLISHED = re.compile(
    r"updat|modif|comment|copyright|footer|related|sidebar|widget|calendar|nav|menu|top-?bar|masthead", re.I
)
_PAGE_FRAME = frozenset({"nav", "footer", "aside"})
"""Where sites print today's date and other pages' dates, not this page's."""
_HEADER = re.compile(r"header|masthead", re.I)
MAX_ELEMENT_CHARS = 150
"""A date element is short; a longer one is a container whose dates may be anyone's."""
_MONTH_NAMES = {
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
# Full names only (their first three letters clash across these languages: Polish "lip" is
# July, Croatian June); genitive forms where dates use them ("7 июня 2020").
_MORE_MONTH_NAMES = {
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "id": "januari februari maret april mei juni juli agustus september oktober november desember",
    "hu": "január február március április május június július augusztus szeptember október november december",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "ar-plain": "يناير فبراير مارس ابريل مايو يونيه يوليه اغسطس سبتمبر اكتوبر نوفمبر ديسمبر",
}
MONTHS: dict[str, int] = {}
for _names in _MONTH_NAMES.values():
    for _number, _name in enumerate(_names.split(), start=1):
        MONTHS[_name] = MONTHS[_name[:3]] = _number
for _names in _MORE_MONTH_NAMES.values():
    for _number, _name in enumerate(_names.split(), start=1):
        if MONTHS.setdefault(_name, _number) != _number:
            raise ValueError(f"month name {_name!r} means two months")
MONTHS["sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})\.?\s*(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?((?:19|20)\d{{2}})(?!\d)", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})(?!\d)", re.I
)
_UTC = re.compile(r"\d[T ]\d{1,2}:\d{2}(?::[\d.]+)?\s*(?:Z|[+-]00:?00|GMT|UTC)\b", re.I)
_COPYRIGHT = re.compile(r"©|&copy;|\(c\)\s*\d{4}|copyright", re.I)
_URL_DATE = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{2}|\d(?=/|$))(?:[/_.-]|$)"
    r"|/((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)"
)


def find_published(
    html: str, url: str | None = None, dateline: str | None = None, not_after: datetime | None = None
) -> str | None:
    """The day ``html`` was published (``YYYY-MM-DD``), or ``None`` without evidence.

    ``url`` is the page's address, ``dateline`` a date found at the top of its text,
    ``not_after`` when it was crawled (default: now). Strong evidence (see ``STRONG``) decides
    alone; ``<time pubdate>`` elements on days more than one apart are a list's and no
    evidence. Otherwise htmldate's fast mode is asked (it reads dates in text and markup that
    these rules leave alone); its day is taken when the page's weak evidence (a date in an
    element marked as one, a generic ``date`` meta tag, a dateline) names the same day or
    there is none, and refused when the weak evidence names only other days. Marked elements
    that agree on no day (each day as often as the first) are a list's and left out; a day
    they do agree on wins over a generic ``date`` tag that htmldate merely repeats. When
    htmldate finds nothing, the first weak day is taken.
    """
    latest = _latest(not_after)
    found = list(_days(_evidence(html, url, dateline), date.max))
    if any(kind in STRONG and day > latest for kind, day, _utc in found):
        return None  # the page claims a day after its crawl: its dates are not to be trusted
    found = [(kind, day, utc) for kind, day, utc in found if day <= latest]
    if _spread([day for kind, day, _utc in found if kind == TIME]) > 1:
        # <time pubdate> on days far apart: the pubdates of a list (related posts, comments).
        found = [item for item in found if item[0] != TIME]
    strong = [(day, utc) for kind, day, utc in found if kind in STRONG]
    if strong:
        return _local_day(strong + [(day, utc) for kind, day, utc in found if kind not in STRONG])
    elements = [day for kind, day, _utc in found if kind == ELEMENT]
    element_day = _prevailing(elements)
    if element_day is None and len(set(elements)) > 1:
        # Marked dates that agree on no day are a list's (teasers, archives), not the page's.
        found = [item for item in found if item[0] != ELEMENT]
    weak = [(day, utc) for kind, day, utc in found if kind not in STRONG]
    opinion = _second_opinion(html, url, latest)
    generic = {day for kind, day, _utc in found if kind == GENERIC}
    if element_day is not None and opinion in generic and element_day not in generic:
        # htmldate read the generic date tag, often the last change: it is no second opinion
        # against the day the page prints as its own.
        return element_day.isoformat()
    if opinion is None:
        return _local_day(weak) if weak else None
    if any(day == opinion for day, _utc in weak):
        return opinion.isoformat()
    if not weak and opinion.isoformat() != find_modified(html, not_after):
        return opinion.isoformat()  # htmldate falls back on a modification date: not a publication
    return None  # the page's own dates say otherwise


def _spread(days: list[date]) -> int:
    """Days between the earliest and the latest of ``days`` (0 for none)."""
    return (max(days) - min(days)).days if days else 0


def _prevailing(days: list[date]) -> date | None:
    """The first of ``days`` when it is found more often than any other day, else ``None``."""
    if not days:
        return None
    first = days[0]
    counts = Counter(days)
    return first if all(counts[first] > n for day, n in counts.items() if day != first) else None


def find_modified(html: str, not_after: datetime | None = None) -> str | None:
    """The day the page says it was last changed (``YYYY-MM-DD``): JSON-LD ``dateModified``,
    ``article:modified_time`` and the like, or ``None``."""
    head = html[:HEAD_CHARS]
    candidates: list[tuple[str, str]] = []
    candidates.extend((STRUCTURED, value) for value in json_ld_values(html, "dateModified"))
    for tag in _META.finditer(head):
        key = _value(_KEY.search(tag.group(0)))
        if key and key.lower() in MODIFIED_META:
            content = _value(_CONTENT.search(tag.group(0)))
            if content:
                candidates.append((META, content))
    days = [(day, utc) for _kind, day, utc in _days(iter(candidates), _latest(not_after))]
    return _local_day(days) if days else None


def _local_day(days: list[tuple[date, bool]]) -> str:
    """The first day, or a local day near it when it comes from a UTC time.

    A UTC time's day is not always the publisher's: 02:18Z on the 18th is the 17th in New
    York. A local day within one day of it, found elsewhere on the page, wins.
    """
    day, utc = days[0]
    if utc:
        for other, other_utc in days[1 : 1 + UTC_LOOKAHEAD]:
            if not other_utc and abs((other - day).days) <= 1:
                return other.isoformat()
    return day.isoformat()


def _second_opinion(html: str, url: str | None, latest: date) -> date | None:
    """htmldate's fast-mode day for the page (it ships with trafilatura), or ``None``."""
    import warnings

    from htmldate import find_date

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = find_date(
                html, url=url, extensive_search=False, original_date=True, max_date=latest.isoformat()
            )
        except (ValueError, TypeError):
            return None
    day = _day(found) if found else None
    return day if day is not None and EARLIEST <= day <= latest else None


def _days(candidates: Iterator[tuple[str, str]], latest: date) -> Iterator[tuple[str, date, bool]]:
    """``(kind, day, whether it comes from a UTC time)`` of each plausible candidate, in order."""
    for kind, candidate in candidates:
        if _COPYRIGHT.search(candidate):
            continue
        day = _day(candidate)
        if day is not None and EARLIEST <= day <= latest:
            yield kind, day, bool(_UTC.search(candidate))


def plausible(published: str | None, not_after: datetime | None = None) -> str | None:
    """``published`` (ISO 8601) if its day is neither after ``not_after`` (default: now) nor before 1995."""
    day = _day(published) if published else None
    return published if day is not None and EARLIEST <= day <= _latest(not_after) else None


def _latest(not_after: datetime | None) -> date:
    return (not_after or datetime.now(UTC)).date()


def crawl_time(value: Any) -> datetime | None:
    """A ``meta.crawled`` value (ISO 8601) as a datetime, or ``None``."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _evidence(html: str, url: str | None, dateline: str | None) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` of every date the page offers as its publication's, strongest kind first."""
    if url:
        found = _URL_DATE.search(url)
        if found:
            yield ADDRESS, "-".join(g for g in found.groups() if g)
    head = html[:HEAD_CHARS]
    yield from ((STRUCTURED, value) for value in json_ld_values(html, "datePublished"))
    for tag in _META.finditer(head):
        key = _value(_KEY.search(tag.group(0)))
        if key and key.lower() in PUBLISHED_META:
            content = _value(_CONTENT.search(tag.group(0)))
            if content:
                yield (GENERIC if key.lower() in GENERIC_META else META), content
    for tag in _MICRODATA.finditer(head):
        value = _value(_MACHINE_VALUE.search(tag.group(0)))
        if value:
            yield STRUCTURED, value
    for time in _TIME.finditer(head):
        attributes = time.group(1)
        if _PUBLISHED_MARK.search(attributes):
            value = _value(_DATETIME.search(attributes))
            if value:
                yield TIME, value
    yield from ((ELEMENT, value) for value in _marked_elements(head))
    if dateline:
        yield DATELINE, dateline


def _marked_elements(html: str) -> Iterator[str]:
    """Dates in elements the page marks as a date (``class="date"``, ``dc:date=``), in page order.

    Elements marked as an update, a comment or a footer (copyright) are not evidence.
    """
    import lxml.html  # here: lxml comes with trafilatura; parsing is only needed for HTML pages
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "a"):
            continue
        for key, value in element.attrib.items():
            if key.endswith("date") and key != "data-date-format" and _DIGIT.search(value):
                yield value
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if not _DATE_CLASS.search(marks) or _NOT_PUBLISHED.search(marks):
            continue
        if _in_page_frame(element):
            continue
        text = " ".join(element.text_content().split())
        if len(text) <= MAX_ELEMENT_CHARS:
            # The machine-readable form first: <span class="date"><time datetime="...">22. jun</time>
            for time in (element, *element.iterdescendants("time")):
                if time.get("datetime"):
                    yield time.get("datetime")
            if _DIGIT.search(text):
                yield text


def _in_page_frame(element: Any) -> bool:
    """Whether ``element`` sits in the site's frame (navigation, footer, a page header outside the article)."""
    for ancestor in element.iterancestors():
        marks = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if ancestor.tag == "article" or "article" in marks.lower():
            return False  # the article's own header holds its date
        if ancestor.tag in _PAGE_FRAME or _NOT_PUBLISHED.search(marks):
            return True
        if ancestor.tag == "header" or _HEADER.search(marks):
            return True
    return False


def json_ld_values(html: str, key: str) -> Iterator[str]:
    """The string values of ``key`` in the page's JSON-LD scripts (its first ``HEAD_CHARS``), at any depth."""
    for script in _JSON_LD.finditer(html[:HEAD_CHARS]):
        yield from _json_ld_strings(script.group(1), key)


def _json_ld_strings(source: str, key: str) -> Iterator[str]:
    """The ``key`` values of a JSON-LD script, at any depth, in document order."""
    try:
        data = json.loads(source, strict=False)  # strict=False: raw line breaks inside strings
    except ValueError:
        # Broken JSON-LD is common; its dates often are not.
        yield from re.findall(rf""""{key}"\s*:\s*"([^"]{{6,40}})\"""", source)
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            value = item.get(key)
            if isinstance(value, str):
                yield value
            stack.extend(v for v in reversed(item.values()) if isinstance(v, dict | list))


def _value(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    return next((group for group in match.groups() if group is not None), None)


def _day(text: str) -> date | None:
    """The calendar day a date string names, or ``None`` (month-only, ambiguous, invalid)."""
    text = text.strip()
    for pattern in (_ISO, _SLASHED, _CJK, _DOTTED_YMD, _COMPACT):
        found = pattern.search(text)
        if found:
            return _valid(*found.groups())
    found = _DAY_MONTH_YEAR.search(text)
    if found:
        return _valid(found.group(3), str(MONTHS[found.group(2).lower()]), found.group(1))
    found = _MONTH_DAY_YEAR.search(text)
    if found:
        return _valid(found.group(3), str(MONTHS[found.group(1).lower()]), found.group(2))
    found = _DMY.search(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        if "/" in found.group(0) and day <= 12 and month <= 12 and day != month:
            return None  # 04/03/2020: April or March, depending on the country
        return _valid(str(year), str(month), str(day))
    if not _YEAR.search(text):
        return None  # "10/12/20": which is the year is a guess
    parsed = parse_dateline(text)
    return _valid(*parsed[:10].split("-")) if parsed else None


def _valid(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
