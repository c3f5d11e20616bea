"""The limits that bound what one document may cost, stated once for the CLI and the API.

``Limits()`` holds the defaults; ``presspipe run`` overrides ``max_chars`` and ``timeout``
with ``--max-chars`` and ``--timeout``, and a service passes its own ``Limits`` to the same
library code (``Runner``, ``presspipe.isolation.WorkerPool``).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_FILE_BYTES = 256 * 2**20
"""Input files larger than this are skipped before they are read (a JSONL file of many
documents may be larger than any one document, hence a cap of its own)."""
MAX_LINE_BYTES = MAX_FILE_BYTES
"""Longest JSONL line read, in bytes: the longest a plain ``.jsonl`` file can hold, so a
compressed file or standard input (whose total size is not capped, as they are streamed) can
hold no longer line either. A longer line is named and passed over, and the next is read."""


@dataclass(frozen=True)
class Limits:
    max_chars: int = 2_000_000
    """Longest text a document may have, in characters; a longer one fails with code
    ``too_long`` before the next step. Long texts are parsed in chunks, so memory hardly grows
    with this (790 MiB peak for a 1.5-million-character article through ``news``), but time
    does (about 100-190 s there on a busy 2-core machine)."""
    timeout: float = 600.0
    """Seconds a document may take in a worker process before it fails with code ``timeout``
    and the worker is replaced (a batch of N documents gets N budgets). The default leaves room
    for a text of ``max_chars`` on a busy machine; a service answering users wants less."""
    batch_chars: int = 1_000_000
    """A batch closes when it reaches this many characters, whatever its document count."""
    failed_text_chars: int = 10_000
    """A failed document is written with at most this many characters of its text."""


@dataclass(frozen=True)
class ConnectionLimits:
    """What one HTTP connection may hold of ``presspipe serve`` (``presspipe.api.connections``)."""

    header_timeout: float = 10.0
    """Seconds a connection has to send a complete request head, from when it opens (or, kept
    alive, from the first byte of its next request); then it gets 408 and is closed."""
    body_timeout: float = 60.0
    """Seconds a request has to send its whole body once its head is in (10 MiB, the default
    body limit, at 175 kB/s); then it gets 408 and is closed."""
    keep_alive: int = 5
    """Seconds an idle connection is kept open between requests (uvicorn's ``timeout_keep_alive``)."""
    max_connections: int = 1000
    """Connections open at once; one more is answered 503 and closed as soon as it is accepted."""

    def __post_init__(self) -> None:
        for name in ("header_timeout", "body_timeout", "keep_alive", "max_connections"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
