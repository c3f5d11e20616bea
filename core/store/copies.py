"""Near-copies flagged on write: MinHash LSH over word shingles of the body text, kept in the store.

A wire story republished by thirty outlets would count its speakers thirty times; the store
keeps every copy but points each at its original, so that counts can leave copies out.

- A document's **signature**: MinHash (rensa's ``RMinHash``, ``NUM_PERM`` permutations, fixed
  seed) of its body text's ``SHINGLE_WORDS``-word shingles (the words of ``search.words``).
  A text of fewer than ``MIN_WORDS`` words has none: it is never a copy nor an original (too
  short to tell a copy from a template).
- The **index**: the signature cut into ``BANDS`` bands of ``ROWS`` values, each band hashed to
  one 64-bit key, a row ``(band, key, doc)`` of ``pp_copy_bands``; the signature itself in
  ``pp_copy_signatures``. Two documents whose Jaccard similarity is ``s`` share a band with
  probability ``1 - (1 - s**ROWS)**BANDS``: 0.996 at ``THRESHOLD`` (0.5), 0.04 at 0.1.
- A document is a **copy** when an earlier stored document of its pipeline (lower ``seq``)
  shares a band with it and their signatures agree on at least ``THRESHOLD`` of their values
  (the estimated Jaccard similarity); ``pp_documents.copy_of`` is then the **original**: the
  group's first document (the earliest near-copy's own original, or itself). Originals have
  ``copy_of`` NULL; a group's size is its original plus the documents pointing at it.
- A check reads at most ``PER_BAND`` documents per band (the earliest), so it costs the same
  against a group of 10,000 copies as against none.
- Replacing or deleting a document re-places the documents whose group it could change (its
  old group's later members, and the later documents its new text is near), oldest first;
  ``corpus.set_copy`` moves a document's counts out of (or back into) the corpus totals when it
  becomes a copy (or an original again).

Tuned on PolNeAR train articles with syndicated copies made from them (``eval/copies.py``).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rensa import RMinHash

from presspipe.store.corpus import set_copy
from presspipe.store.search import words

if TYPE_CHECKING:
    from presspipe.store.backend import Cursor

SHINGLE_WORDS = 5
"""Words per shingle (datatrove's choice too): shorter ones match between distinct articles on a topic."""
BANDS = 42
ROWS = 3
NUM_PERM = BANDS * ROWS
SEED = 20260601
"""The MinHash seed: fixed, since signatures are stored (changing it needs a new index)."""
THRESHOLD = 0.5
"""Estimated Jaccard similarity of shingles from which a document is a copy. Measured on PolNeAR
train (840 articles, 352,380 pairs): distinct articles reach 0.52-0.56 only as revised versions
of one story; syndicated copies (another headline, an agency line, a dateline, a correction
note, words changed, the last paragraph cut) score 0.5-1.0 (see ``eval/copies.py``)."""
MIN_WORDS = 40
"""Texts of fewer words have no signature (never a copy)."""
PER_BAND = 8
"""Earliest documents read per band in a check."""


def signature(text: str) -> bytes | None:
    """The MinHash signature of ``text``'s shingles (``NUM_PERM`` 32-bit values), or None for a short text."""
    found = words(text)
    if len(found) < MIN_WORDS:
        return None
    shingles = {" ".join(found[i : i + SHINGLE_WORDS]) for i in range(len(found) - SHINGLE_WORDS + 1)}
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(sorted(shingles))
    return struct.pack(f">{NUM_PERM}I", *minhash.digest())


def band_keys(sig: bytes) -> list[int]:
    """The signed 64-bit key of each band of ``sig`` (a database integer)."""
    width = 4 * ROWS
    return [
        int.from_bytes(
            hashlib.blake2b(sig[i * width : (i + 1) * width], digest_size=8).digest(), "big", signed=True
        )
        for i in range(BANDS)
    ]


def similarity(one: bytes, other: bytes) -> float:
    """The estimated Jaccard similarity of two signatures: the share of equal values."""
    a = struct.unpack(f">{NUM_PERM}I", one)
    b = struct.unpack(f">{NUM_PERM}I", other)
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM


def index(cur: Cursor, seq: int, sig: bytes) -> None:
    """Put the document ``seq``'s signature and bands into the index."""
    cur.execute("INSERT INTO pp_copy_signatures (doc, signature) VALUES (?, ?)", (seq, sig))
    cur.executemany(
        "INSERT INTO pp_copy_bands (band, hash, doc) VALUES (?, ?, ?)",
        [(band, key, seq) for band, key in enumerate(band_keys(sig))],
    )


def unindex(cur: Cursor, seq: int) -> None:
    """Take the document ``seq`` out of the index (its bands found through the primary key)."""
    sig = stored_signature(cur, seq)
    if sig is None:
        return
    cur.executemany(
        "DELETE FROM pp_copy_bands WHERE band = ? AND hash = ? AND doc = ?",
        [(band, key, seq) for band, key in enumerate(band_keys(sig))],
    )
    cur.execute("DELETE FROM pp_copy_signatures WHERE doc = ?", (seq,))


def stored_signature(cur: Cursor, seq: int) -> bytes | None:
    cur.execute("SELECT signature FROM pp_copy_signatures WHERE doc = ?", (seq,))
    row = cur.fetchone()
    return None if row is None else bytes(row[0])


def original_of(cur: Cursor, sig: bytes, pipeline: str, before: int | None = None) -> int | None:
    """The original (its ``seq``) that a document with signature ``sig`` of ``pipeline`` is a copy
    of, among the documents stored before ``before`` (all when None); None: it is an original."""
    keys = band_keys(sig)
    bound = "" if before is None else " AND doc < ?"
    one = f"SELECT doc FROM pp_copy_bands WHERE band = ? AND hash = ?{bound} ORDER BY doc LIMIT {PER_BAND}"
    params: list[object] = []
    for band, key in enumerate(keys):
        params.extend([band, key] if before is None else [band, key, before])
    cur.execute(" UNION ALL ".join(f"SELECT * FROM ({one}) AS b{band}" for band in range(BANDS)), params)
    candidates = sorted({int(row[0]) for row in cur.fetchall()})
    if not candidates:
        return None
    cur.execute(
        "SELECT s.doc, s.signature, d.copy_of FROM pp_copy_signatures AS s JOIN pp_documents AS d ON d.seq = s.doc "
        f"WHERE s.doc IN ({', '.join('?' * len(candidates))}) AND d.pipeline = ? ORDER BY s.doc",
        (*candidates, pipeline),
    )
    for doc, other, copy_of in cur.fetchall():
        if similarity(sig, bytes(other)) >= THRESHOLD:
            return int(copy_of) if copy_of is not None else int(doc)
    return None


def later_near(cur: Cursor, sig: bytes, after: int) -> set[int]:
    """Documents stored after ``after`` that share a band with ``sig`` (whose original it may become)."""
    keys = band_keys(sig)
    cur.execute(
        " UNION ".join("SELECT doc FROM pp_copy_bands WHERE band = ? AND hash = ? AND doc > ?" for _ in keys),
        [value for band, key in enumerate(keys) for value in (band, key, after)],
    )
    return {int(row[0]) for row in cur.fetchall()}


def group_after(cur: Cursor, seq: int) -> set[int]:
    """The documents after ``seq`` in ``seq``'s group (its original's copies)."""
    cur.execute("SELECT COALESCE(copy_of, seq) FROM pp_documents WHERE seq = ?", (seq,))
    row = cur.fetchone()
    if row is None:
        return set()
    cur.execute("SELECT seq FROM pp_documents WHERE copy_of = ? AND seq > ?", (int(row[0]), seq))
    return {int(r[0]) for r in cur.fetchall()}


def groups_of(cur: Cursor, docs: Iterable[int]) -> set[int]:
    """``docs`` and every document in their groups."""
    found = set(docs)
    for doc in sorted(found):
        cur.execute("SELECT COALESCE(copy_of, seq) FROM pp_documents WHERE seq = ?", (doc,))
        row = cur.fetchone()
        if row is not None:
            cur.execute("SELECT seq FROM pp_documents WHERE copy_of = ?", (int(row[0]),))
            found.update(int(r[0]) for r in cur.fetchall())
            found.add(int(row[0]))
    return found


def place(cur: Cursor, docs: Iterable[int]) -> None:
    """Decide anew, oldest first, whether each of ``docs`` is a copy and of what (after a
    replace or a delete changed the documents before them), moving counts that change sides."""
    for doc in sorted(set(docs)):
        cur.execute("SELECT pipeline, copy_of FROM pp_documents WHERE seq = ?", (doc,))
        row = cur.fetchone()
        if row is None:
            continue
        sig = stored_signature(cur, doc)
        original = None if sig is None else original_of(cur, sig, str(row[0]), before=doc)
        was = None if row[1] is None else int(row[1])
        if original == was:
            continue
        cur.execute("UPDATE pp_documents SET copy_of = ? WHERE seq = ?", (original, doc))
        if (original is None) != (was is None):
            set_copy(cur, doc, original is not None)
