"""Signing in to the pages of a server whose reads need the token (``--reads token``).

A browser cannot send ``Authorization: Bearer``: a page asked for without the token redirects
to ``/login``, whose form takes the token and sets an HttpOnly cookie. The cookie holds an HMAC
of the token, not the token, and is good for reads only (pages and ``GET /v1``); writes keep
needing the bearer header, so a page from another site cannot submit in the user's name.
"""

from __future__ import annotations

import hashlib
import hmac
from contextvars import ContextVar
from urllib.parse import quote, urlsplit

from fastapi import Request, Response

COOKIE = "presspipe_session"
COOKIE_SECONDS = 30 * 24 * 3600

signed_in: ContextVar[bool] = ContextVar("signed_in", default=False)
"""Whether the request being answered came with a valid session (set by ``auth.require_page``):
the pages then show a sign-out button."""


class LoginRequired(Exception):
    """A page was asked for without the token: answer with a redirect to the sign-in form."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path
        super().__init__(next_path)

    def location(self) -> str:
        # Encoded whole: "/?q=a&speaker=b" must come back with its "&speaker=b".
        return f"/login?next={quote(self.next_path, safe='/')}"


def session_value(token: str) -> str:
    """What the cookie holds for ``token``: an HMAC, so the cookie jar never holds the token."""
    return hmac.new(token.encode("utf-8"), b"presspipe pages", hashlib.sha256).hexdigest()


def has_session(request: Request, token: str) -> bool:
    given = request.cookies.get(COOKIE, "")
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), session_value(token).encode())


def safe_next(path: str) -> str:
    """Where to go after signing in: a path on this server only.

    Not ``//host`` or ``https://host``, and no backslash, space or control character anywhere:
    browsers read a backslash as a slash and drop tabs and newlines, so ``/`` + tab + ``/host``
    would leave the site too."""
    if (
        not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in path)
        or urlsplit(path).netloc
    ):
        return "/"
    return path


def end_session(request: Request, response: Response) -> None:
    """Sign out: the session cookie is cleared (``POST /logout``)."""
    response.delete_cookie(COOKIE, httponly=True, samesite="strict", secure=request.url.scheme == "https")
