"""How a presspipe service runs: its store, extra pipelines, token, limits and workers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from presspipe.limits import Limits

TOKEN_ENV_VAR = "PRESSPIPE_API_TOKEN"
STORE_ENV_VAR = "PRESSPIPE_STORE"
BODY_LIMIT_ENV_VAR = "PRESSPIPE_MAX_BODY_BYTES"
DEFAULT_STORE = "presspipe.db"


@dataclass(frozen=True)
class Settings:
    """How a presspipe service runs. ``Settings.from_env()`` reads the environment variables."""

    store: str = DEFAULT_STORE
    """A SQLite file path (or sqlite:///PATH) or a postgresql:// URL."""
    pipelines_dir: Path | None = None
    """A directory whose *.yaml pipelines are offered besides the installed ones."""
    token: str | None = None
    """Bearer token that writes need; None: writes are open."""
    reads: Literal["open", "token"] = "open"
    """``token``: reads need the token too (pages and /v1 alike; /healthz stays open)."""
    allowed_hosts: tuple[str, ...] | None = None
    """The names the server answers to in ``Host`` (``*``: any); another is refused with 400.
    None: any (an app built in-process); ``presspipe serve`` defaults to its address, localhost
    and 127.0.0.1."""
    max_body_bytes: int = 10 * 1024 * 1024
    max_batch_documents: int = 1000
    limits: Limits = field(default_factory=Limits)
    """What one document may cost (``max_chars``, ``timeout``): the same limits as ``presspipe run``."""
    workers: int = 1
    """Worker processes that run pipelines (the server process never does)."""
    max_waiting: int = 8
    """Single-document submissions that may wait for a worker; one more gets 429."""
    max_queued_batches: int = 8
    max_queued_chars: int = 50_000_000
    """Batches (and their characters) accepted but not finished; past either, a batch gets 429."""

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "store": os.environ.get(STORE_ENV_VAR) or DEFAULT_STORE,
            "token": os.environ.get(TOKEN_ENV_VAR) or None,
        }
        limit = os.environ.get(BODY_LIMIT_ENV_VAR)
        if limit:
            if not limit.isdigit():
                raise ValueError(f"{BODY_LIMIT_ENV_VAR} must be a number of bytes, not '{limit}'")
            values["max_body_bytes"] = int(limit)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self) -> None:
        if self.reads == "token" and not self.token:
            raise ValueError(f"reads='token' needs a token: set {TOKEN_ENV_VAR}")
        sizes = ("max_body_bytes", "max_batch_documents", "workers", "max_queued_batches", "max_queued_chars")
        for name in sizes:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive")
        if self.max_waiting < 0:
            raise ValueError("max_waiting must not be negative")
