"""The gender a document gives a person: ``"female"``, ``"male"`` or None (no evidence).

Evidence, strongest first:

1. **Honorifics** before a mention ("Mr. Smith", "Mrs. Clinton", "Ms.", "Sir", "Dame"...):
   the majority of them (a tie: no decision from honorifics).
2. **Pronouns that refer to it** (``pronoun_votes``): a third-person pronoun ("he", "his",
   "she", "her"...) votes for the last person mention before it in its sentence or the one
   before, when every person mention there names the same person (one name ends the other:
   "Barack Obama ... Obama ... he"). With two people in that window the pronoun is left out.
   A gender needs two thirds of the votes; against a given name that tells (rule 3), three
   votes and four fifths of them (a stray "he" near "Hillary Clinton" does not make her a man). Pronouns inside quotation marks are left out (in
   "Clinton said: 'an unarmed man with his hands up'", "his" is not Clinton).
3. **The given name** of a name of two words or more, through ``gender-guesser``'s offline
   name lists (``male``/``mostly_male``, ``female``/``mostly_female``; ``andy`` (either) and
   unknown names give None; so does a name whose answer over all countries and for the USA
   differ). A name of one word gives None.

The entities step stores the result as ``entity["gender"]``; other steps (the quote step's
pronoun agreement) read it there, since a plugin imports no other plugin's modules.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lady|Lord|Madam)\.?\s+$")
FEMALE_HONORIFICS = {"Mrs", "Ms", "Miss", "Dame", "Lady", "Madam"}
PRONOUN_GENDER = {
    "he": "male",
    "him": "male",
    "his": "male",
    "himself": "male",
    "she": "female",
    "her": "female",
    "hers": "female",
    "herself": "female",
}
PRONOUN_SHARE = 2 / 3
"""The share of a person's pronoun votes one gender needs."""
OVERRULE_VOTES = 3
OVERRULE_SHARE = 0.8
"""Pronoun votes, and their share, that decide against a known given name."""


@cache
def _detector() -> Any:
    import gender_guesser.detector as gender_detector

    return gender_detector.Detector(case_sensitive=False)


def _guess(name: str, country: str | None = None) -> str | None:
    guess = str(_detector().get_gender(name, country) if country else _detector().get_gender(name))
    if guess in ("male", "mostly_male"):
        return "male"
    if guess in ("female", "mostly_female"):
        return "female"
    return None


@cache
def given_name_gender(name: str) -> str | None:
    """``male``, ``female`` or None for a given name: the lists' answer over all countries, unless
    their answer for the USA differs ("Bernie" is mostly female over all, mostly male in the USA:
    None)."""
    overall, usa = _guess(name), _guess(name, "usa")
    if overall is not None and usa is not None and overall != usa:
        return None
    return overall or usa


def honorific_gender(text: str, start: int) -> str | None:
    """The gender of the honorific right before ``text[start:]`` ("Mrs. " -> female), or None."""
    match = HONORIFIC.search(text[max(0, start - 8) : start])
    if not match:
        return None
    return "female" if match.group(1) in FEMALE_HONORIFICS else "male"


def name_gender(name: str) -> str | None:
    """The gender of a name's given name (rule 3): None for a name of one word."""
    words = name.split()
    if len(words) < 2:
        return None
    return given_name_gender(words[0].strip(".,"))


def decide(honorifics: Counter[str], pronouns: Counter[str], name: str, min_votes: int = 1) -> str | None:
    """The gender from the evidence of the module docstring, strongest first (pronouns only from
    ``min_votes`` votes)."""
    if honorifics["male"] != honorifics["female"]:
        return "male" if honorifics["male"] > honorifics["female"] else "female"
    given = name_gender(name)
    votes = pronouns["male"] + pronouns["female"]
    if votes >= max(min_votes, 1 if given is None else OVERRULE_VOTES):
        top = "male" if pronouns["male"] >= pronouns["female"] else "female"
        if pronouns[top] >= (PRONOUN_SHARE if given is None else OVERRULE_SHARE) * votes:
            return top
    return given


def pronoun_votes(
    doc: Doc, spans: Sequence[tuple[int, int]], same_person: Callable[[int, int], bool]
) -> list[Counter[str]]:
    """For each person mention (``spans``: character offsets, in text order), the genders of the
    pronouns that refer to it (rule 2). ``same_person(i, j)``: whether mentions ``i`` and ``j``
    may name one person."""
    votes: list[Counter[str]] = [Counter() for _ in spans]
    starts = [start for start, _ in spans]
    if not spans or not doc.has_annotation("SENT_START"):
        return votes  # a parse without sentences (a bare NER model) gives no pronoun evidence
    sentence_starts = [sent.start_char for sent in doc.sents]
    quoted = quoted_spans(doc.text)
    quote_starts = [start for start, _ in quoted]
    for token in doc:
        gender = PRONOUN_GENDER.get(token.lower_)
        if gender is None or token.pos_ != "PRON":
            continue
        inside = bisect_left(quote_starts, token.idx) - 1
        if inside >= 0 and token.idx < quoted[inside][1]:
            continue  # in a quotation, "he" is someone the speaker talks about
        sentence = bisect_left(sentence_starts, token.idx + 1) - 1
        window_start = sentence_starts[max(sentence - 1, 0)]
        first = bisect_left(starts, window_start)
        last = bisect_left(starts, token.idx)
        before = [i for i in range(first, last) if spans[i][1] <= token.idx]
        if before and all(same_person(i, before[-1]) for i in before):
            votes[before[-1]][gender] += 1
    return votes


QUOTE_PAIRS = {"\u201c": "\u201d", '"': '"', "\u00ab": "\u00bb"}


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` between quotation marks (an opening mark to its closing one, or to the
    end of the paragraph when it is not closed), in order."""
    spans = []
    i = 0
    while i < len(text):
        close = QUOTE_PAIRS.get(text[i])
        if close is None:
            i += 1
            continue
        end = text.find(close, i + 1)
        paragraph = text.find("\n\n", i + 1)
        if end < 0 or 0 <= paragraph < end:
            end = paragraph if paragraph >= 0 else len(text)
        spans.append((i, end))
        i = end + 1
    return spans
