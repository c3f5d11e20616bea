"""Bytes to text, the way browsers and crawlers do it, so no page is lost for its charset.

HTML: a byte-order mark, then the charset the HTTP header declares (WARC records), then the
page's own ``<meta charset>`` / ``http-equiv``, then UTF-8, then detection (charset-normalizer,
among the legacy charsets of the web). Plain text: a byte-order mark (UTF-8, UTF-16, UTF-32),
then UTF-8, then detection. Two general rules come first: bytes that are valid UTF-8 and not
plain ASCII are UTF-8 whatever is declared (servers often call UTF-8 pages latin-1; text in
a single-byte charset is almost never valid UTF-8 by chance), and a declared charset that
the bytes contradict is not trusted. The declared charset is also weighed against the bytes
when they are UTF-8 but for a few stray bytes (a latin-1 character pasted into a UTF-8 page):
then they are UTF-8, the stray bytes replaced, rather than a single-byte charset that reads
every ``ü`` as two letters (``Ăź``). Bytes that no charset reads are an error naming the input.
"""

from __future__ import annotations

import codecs
import re

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
META_SCAN_BYTES = 16_384
"""How far into a page to look for ``<meta charset>`` (browsers look at 1,024; real pages put it later)."""
MAX_REPLACED = 0.001
"""When nothing decodes cleanly, a declared charset may still be used if at most this share of characters is bad."""
UTF8_EVIDENCE = 20
"""How many valid UTF-8 multi-byte characters per stray byte make bytes UTF-8 whatever is declared."""
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# What browsers do (WHATWG Encoding): a declared charset means its Windows superset, and a
# <meta> saying UTF-16 (which an ASCII-compatible tag cannot truly be) means UTF-8.
_ALIASES = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""", re.IGNORECASE | re.DOTALL
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)""", re.IGNORECASE)


LEGACY_CHARSETS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_15", "koi8_r", "koi8_u", "cp874", "tis_620",
    "cp932", "euc_jp", "iso2022_jp", "gb18030", "big5", "cp949", "euc_kr",
)  # fmt: skip
"""What detection may answer: the legacy charsets browsers support (WHATWG Encoding), not
every code page Python knows (short Latin-1 text reads as Urdu cp1006 otherwise), roughly
commonest first."""
RANK = {name: rank for rank, name in enumerate(LEGACY_CHARSETS)}


class DecodeError(ValueError):
    """The bytes are in no charset we can find; the message says what was tried."""


def header_charset(content_type: str | None) -> str | None:
    """The ``charset=`` of an HTTP Content-Type header, if any."""
    found = _HEADER_CHARSET.search(content_type or "")
    return found.group(1) if found else None


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in ``<meta charset>`` or ``http-equiv`` near its start."""
    found = _META_CHARSET.search(data[:META_SCAN_BYTES])
    return found.group(1).decode("ascii") if found else None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``(text, charset used)`` of an HTML page; ``declared`` is the HTTP header's charset."""
    return _decode(data, [declared, meta_charset(data)])


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, charset used)`` of plain text (or JSON)."""
    return _decode(data, [])


def _decode(data: bytes, declared: list[str | None]) -> tuple[str, str]:
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _strict(data, codec, "byte-order mark")
    names = [name for name in (_codec(d) for d in declared) if name]
    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        if _mostly_utf8(data):
            return data.decode("utf-8", errors="replace"), "utf-8"
    for codec in [*dict.fromkeys([*names, "utf-8"])]:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            if codec == "cp1252":  # five bytes cp1252 leaves undefined; latin-1 reads them all
                return data.decode("latin-1"), "latin-1"
    if b"\x00" in data[:8192]:
        raise DecodeError("binary data (it holds NUL bytes and no byte-order mark)")
    detected = _detect(data)
    if detected:
        return detected
    for codec in names:
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") <= MAX_REPLACED * len(text):
            return text, codec
    tried = ", ".join([*names, "utf-8"])
    raise DecodeError(f"no charset reads these bytes (tried {tried}, then detection)")


def _mostly_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 but for a few stray bytes (see ``UTF8_EVIDENCE``).

    Text in a single-byte charset almost never holds a valid UTF-8 sequence by chance, so many
    of them beside a few invalid bytes mean UTF-8 with a few mistakes, not another charset.
    """
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    valid = len(_UTF8_MULTIBYTE.findall(data))
    return 0 < stray * UTF8_EVIDENCE <= valid


def _strict(data: bytes, codec: str, why: str) -> tuple[str, str]:
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as error:
        raise DecodeError(f"the {why} says {codec}, but byte {error.start} is not {codec}") from None


def _codec(name: str | None) -> str | None:
    """Python's codec for a declared charset name, or ``None`` for an unknown name."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _ALIASES.get(codec, codec)


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes  # here: most inputs are UTF-8 and never need it

    matches = [m for m in from_bytes(data, cp_isolation=list(LEGACY_CHARSETS)) if m.encoding in RANK]
    if not matches:
        return None
    # Short text often reads equally well in several charsets: then the web's commoner one wins
    # (cp1252 over cp1250 for "très cher à Genève"), not the detector's first.
    best = min(matches, key=lambda m: (round(m.chaos, 2), -round(m.coherence, 2), RANK[m.encoding]))
    return str(best), best.encoding
