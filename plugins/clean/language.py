"""The language of a document's text: py3langid, 140 labels, its model inside its wheel.

Chosen over lingua-language-detector (75 languages, 96 MB installed, 5.7 s to load all its
models, 81 ms a page) and the old stopword guess (7 European languages; a Japanese page came
out "en"): py3langid is 4.5 MB, imports in 0.1 s, loads its model in about 0.4 s once per
process and takes about 1 ms a page; on real pages both agree as often with the language the
page declares (``eval/language.py``).
It returns ``None`` rather than guess on too little text or when unsure.

Codes are ISO 639-1 where the language has one, else ISO 639-3 (as BCP 47 tags do);
varieties py3langid tells apart (Wu and Cantonese from Mandarin, Moroccan and Egyptian
Arabic) count towards their macrolanguage's code, so "zh" and "ar" are what a user filters on.
"""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_LETTERS = 20
"""Fewer letters than this (a headline, a caption) is too little to tell a language by."""
MIN_PROBABILITY = 0.8
SAMPLE_CHARS = 3000
"""The start of the text is enough, and keeps detection cheap on long documents."""
MACROLANGUAGE = {"wuu": "zh", "yue": "zh", "ary": "ar", "arz": "ar", "uzs": "uz", "gug": "gn", "fuv": "ff"}
NO_LANGUAGE = "zxx"


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # here: loading the model takes 0.4 s

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when it is short or unclear."""
    sample = text[:SAMPLE_CHARS]
    if sum(character.isalpha() for character in sample) < MIN_LETTERS:
        return None
    totals: dict[str, float] = {}
    for label, probability in _identifier().rank(sample):
        code = MACROLANGUAGE.get(label, label)
        totals[code] = totals.get(code, 0.0) + probability
    code, probability = max(totals.items(), key=lambda item: item[1])
    return str(code) if probability >= MIN_PROBABILITY and code != NO_LANGUAGE else None
