"""How a presspipe service runs: its store, extra pipelines, token and limits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

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
    max_body_bytes: int = 10 * 1024 * 1024
    max_batch_documents: int = 1000

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
        if self.max_body_bytes < 1 or self.max_batch_documents < 1:
            raise ValueError("max_body_bytes and max_batch_documents must be positive")
