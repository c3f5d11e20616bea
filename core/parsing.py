"""Parsing hostile or very long text within bounded time and memory.

Hostile or very long text stays within bounded time and memory:

- spaCy's tokenizer is quadratic in the number of tokens it splits off one whitespace-free
  run (8,000 ``"`` in a row take 5 s, 16,000 take 18.5 s). The model's tokenizer is wrapped
  (``PieceTokenizer``): text without a run longer than ``LONG_RUN`` characters goes through
  unchanged; otherwise such runs are cut every ``PIECE`` characters and the pieces are
  tokenised one by one, so the cost is linear in the length of the text.
- Parsing costs about 3.5 GB per million characters when a text is parsed at once. A text
  longer than ``CHUNK_CHARS`` is parsed in chunks of whole paragraphs (a paragraph longer than
  that is cut at a line break, a sentence end or a space), at most ``PIPE_CHARS`` characters
  per ``nlp.pipe`` call, and the chunks joined with ``Doc.from_docs``: offsets are exact
  (``doc.text == text``) and a chunk boundary is a paragraph break, where a sentence starts
  anyway. Shorter texts are parsed whole, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from presspipe.text import PARAGRAPH_BREAK

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

LONG_RUN = 500
"""A whitespace-free run longer than this is tokenised in pieces (no URL in real text is)."""
PIECE = 100
"""Length of those pieces: tokenising a piece costs at most about PIECE**2 * 75 ns."""
CHUNK_CHARS = 20_000
"""A text longer than this is parsed in chunks of paragraphs of at most this length."""
PIPE_CHARS = 100_000
"""Characters handed to one ``nlp.pipe`` call: what bounds the parse's working memory."""

_LONG_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")
# Where to cut a paragraph too long for one chunk, best first: after a line break, after a
# sentence end, after any whitespace.
_CUTS = (re.compile(r"\n\s*"), re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"), re.compile(r"\s+"))


class PieceTokenizer:
    """spaCy's tokenizer, in linear time on long whitespace-free runs (see the module doc).

    Text with no run longer than ``LONG_RUN`` is tokenised exactly as by the wrapped tokenizer.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab: Vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        if not _LONG_RUN.search(text):
            return self.tokenizer(text)
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        for piece in _pieces(text):
            for token in self.tokenizer(piece):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
        return Doc(self.vocab, words=words, spaces=spaces)


def _pieces(text: str) -> Iterator[str]:
    """``text`` cut every ``PIECE`` characters inside its long runs (the pieces join to ``text``)."""
    start = 0
    for run in _LONG_RUN.finditer(text):
        for cut in range(run.start() + PIECE, run.end(), PIECE):
            yield text[start:cut]
            start = cut
    yield text[start:]


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """``text`` as consecutive chunks of at most ``limit`` characters that join to ``text``.

    Chunks end after a paragraph break (blank line) where they can; a paragraph longer than
    ``limit`` is cut at a line break, else after a sentence end, else after a space, else
    (a run with no space at all) at ``limit``.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    start = 0
    for paragraph_break in PARAGRAPH_BREAK.finditer(text):
        parts.extend(_cut(text[start : paragraph_break.end()], limit))
        start = paragraph_break.end()
    parts.extend(_cut(text[start:], limit))
    joined: list[list[str]] = []
    size = 0
    for part in parts:
        if joined and size + len(part) <= limit:
            joined[-1].append(part)
            size += len(part)
        else:
            joined.append([part])
            size = len(part)
    return ["".join(group) for group in joined]


def _cut(paragraph: str, limit: int) -> list[str]:
    """One paragraph in parts of at most ``limit`` characters, cut at the best place available."""
    parts: list[str] = []
    start = 0
    while len(paragraph) - start > limit:
        window = paragraph[start : start + limit + 1]
        end = limit
        for cut in _CUTS:
            found = [m.end() for m in cut.finditer(window) if 0 < m.end() <= limit]
            if found:
                end = found[-1]
                break
        parts.append(window[:end])
        start += end
    if start < len(paragraph):
        parts.append(paragraph[start:])
    return parts


def parse_texts(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """One ``Doc`` per text, long texts parsed in chunks (see the module doc)."""
    from spacy.tokens import Doc

    pieces = [chunks(text, CHUNK_CHARS) for text in texts]
    parsed = _pipe(nlp, [chunk for parts in pieces for chunk in parts])
    docs: list[Doc] = []
    for parts in pieces:
        own = [next(parsed) for _ in parts]
        # The tensor (tok2vec output, 384 bytes a token) is read by no step once the parse is
        # done: joined docs leave it out. (spaCy's type stub lacks ``exclude``.)
        joined = Doc.from_docs(own, ensure_whitespace=False, exclude=["tensor"]) if len(own) > 1 else own[0]  # type: ignore[call-arg]
        docs.append(joined)
    return docs


def _pipe(nlp: Language, texts: list[str]) -> Iterator[Doc]:
    """``nlp.pipe`` over ``texts``, at most ``PIPE_CHARS`` characters (or one text) at a time."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and size + len(text) > PIPE_CHARS:
            yield from nlp.pipe(group, batch_size=len(group))
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield from nlp.pipe(group, batch_size=len(group))
