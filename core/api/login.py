"""Signing in to the pages of a server whose reads need the token (``--reads token``), and the
bound on token guesses.

A browser cannot send ``Authorization: Bearer``: a page asked for without the token redirects
to ``/login``, whose form takes the token and sets an HttpOnly cookie. The cookie holds a random
session id, new at every sign-in, that the server keeps (``Sessions``) with its expiry: signing
out (``POST /logout``) or a restart ends it, and it never holds or derives from the token. It
is good for reads only (pages and ``GET /v1``); writes keep needing the bearer header, so a page
from another site cannot submit in the user's name.

``Guesses`` counts wrong tokens (bearer header or sign-in form) per client address: past
``MAX_FAILURES`` in ``FAILURE_WINDOW`` seconds, the client is answered 429 until the oldest
failure leaves the window, whatever token it sends.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from collections import OrderedDict, deque
from contextvars import ContextVar
from urllib.parse import quote, urlsplit

from fastapi import Request, Response

COOKIE = "presspipe_session"
COOKIE_SECONDS = 30 * 24 * 3600
MAX_SESSIONS = 10_000
"""Sessions a server keeps at once; a sign-in past it ends the oldest."""
MAX_FAILURES = 10
FAILURE_WINDOW = 60.0
"""Wrong tokens a client may send in this many seconds before it gets 429."""
MAX_CLIENTS = 10_000
"""Clients whose failures are remembered at once (the oldest forgotten first)."""

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


def _key(session: str) -> str:
    # Kept hashed: the server's memory holds no cookie a reader of it could replay.
    return hashlib.sha256(session.encode("utf-8", "surrogateescape")).hexdigest()


class Sessions:
    """The signed-in page sessions of one server process: random ids, each with its expiry."""

    def __init__(self, seconds: float = COOKIE_SECONDS, limit: int = MAX_SESSIONS) -> None:
        self.seconds = seconds
        self.limit = limit
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def open(self) -> str:
        """A new session id (for the cookie), good for ``seconds``."""
        session = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[_key(session)] = time.monotonic() + self.seconds
            while len(self._expiry) > self.limit:
                self._expiry.popitem(last=False)
        return session

    def valid(self, session: str) -> bool:
        if not session:
            return False
        key = _key(session)
        with self._lock:
            expiry = self._expiry.get(key)
            if expiry is not None and expiry <= time.monotonic():
                del self._expiry[key]
                return False
            return expiry is not None

    def close(self, session: str) -> None:
        with self._lock:
            self._expiry.pop(_key(session), None)


def has_session(request: Request, sessions: Sessions) -> bool:
    return sessions.valid(request.cookies.get(COOKIE, ""))


class Guesses:
    """Wrong tokens per client address, in a sliding window."""

    def __init__(
        self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW, clients: int = MAX_CLIENTS
    ) -> None:
        self.limit = limit
        self.window = window
        self.clients = clients
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.get(client)
        if failures is None:
            return deque()
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
        return failures

    def retry_after(self, client: str) -> int | None:
        """Seconds before ``client`` may try a token again, or None if it may now."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(client, now)
            if len(failures) < self.limit:
                return None
            return max(1, math.ceil(failures[-self.limit] + self.window - now))

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            failures = self._recent(client, now)
            self._failures[client] = failures
            self._failures.move_to_end(client)
            failures.append(now)
            while len(self._failures) > self.clients:
                self._failures.popitem(last=False)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


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


def end_session(request: Request, response: Response, sessions: Sessions) -> None:
    """Sign out (``POST /logout``): the session ends on the server, so the cookie is useless
    wherever it is kept, and the browser is told to drop it."""
    sessions.close(request.cookies.get(COOKIE, ""))
    response.delete_cookie(COOKIE, httponly=True, samesite="strict", secure=request.url.scheme == "https")
