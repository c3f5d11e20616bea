"""A cheap language guess from the commonest words, for sources that do not declare one.

Good enough to tell English from the other major European languages on a paragraph or
more; it returns ``None`` rather than guess on too little text or an unknown language.
"""

from __future__ import annotations

import re


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the and of to in is that for it was on with as he said by at from his are be has have"),
    "de": _words("der die und den das nicht ist zu mit sich des auf für im dem ein eine auch es von wird"),
    "fr": _words("le la les et des est une dans que pour qui pas sur au du il par avec ce sont"),
    "es": _words("el la de que y los en del las un por con una para es su al lo como más"),
    "it": _words("il di che la per non una sono della del con le gli anche nel alla si è"),
    "pt": _words("de que não uma os do da em para com um é por mais as dos como mas foi"),
    "nl": _words("de het een en van is dat niet op te zijn voor met die ook aan er maar om"),
}
MIN_WORDS = 20
MIN_SHARE = 0.12


def guess_language(text: str) -> str | None:
    """An ISO 639-1 code, or ``None`` when the text is short or matches no profile well."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < MIN_WORDS:
        return None
    shares = {code: sum(word in stop for word in words) / len(words) for code, stop in STOPWORDS.items()}
    code, share = max(shares.items(), key=lambda item: item[1])
    return code if share >= MIN_SHARE else None
