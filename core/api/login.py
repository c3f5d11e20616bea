"""Signing in to the pages of a server whose reads need the token (``--reads token``).

A browser cannot send ``Authorization: Bearer``: a page asked for without the token redirects
to ``/login``, whose form takes the token and sets an HttpOnly cookie. The cookie holds an HMAC
of the token, not the token, and is good for reads only (pages and ``GET /v1``); writes keep
needing the bearer header, so a page from another site cannot submit in the user's name.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote

from fastapi import Request

COOKIE = "presspipe_session"
COOKIE_SECONDS = 30 * 24 * 3600


class LoginRequired(Exception):
    """A page was asked for without the token: answer with a redirect to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path
        super().__init__(next_path)

    def location(self) -> str:
        return f"/login?next={quote(self.next_path, safe='/?=&')}"


def session_value(token: str) -> str:
    """What the cookie holds for ``token``: an HMAC, so the cookie jar never holds the token."""
    return hmac.new(token.encode("utf-8"), b"presspipe pages", hashlib.sha256).hexdigest()


def has_session(request: Request, token: str) -> bool:
    given = request.cookies.get(COOKIE, "")
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), session_value(token).encode())


def safe_next(path: str) -> str:
    """Where to go after signing in: a path on this server only (not ``//host`` or ``https://``)."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
