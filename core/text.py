"""Paragraphs: text between blank lines, the unit that sentences and quotes never cross.

One definition for every reader of ``text``: the shared parse starts a sentence at each
paragraph (``analysis``), quotation marks pair within one (the quotes plugin), and the
document page renders one ``<p>`` each.
"""

from __future__ import annotations

import re

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
"""A blank line (it may hold spaces) and any whitespace after it."""


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, without surrounding space."""
    spans = []
    position = 0
    for match in [*PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped_start = position + (len(chunk) - len(chunk.lstrip()))
        stripped_end = position + len(chunk.rstrip())
        if stripped_end > stripped_start:
            spans.append((stripped_start, stripped_end))
        if match:
            position = match.end()
    return spans
