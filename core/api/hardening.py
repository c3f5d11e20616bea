"""HTTP hygiene every response gets: security headers, and ``HEAD`` on every ``GET`` route.

Pages get a Content Security Policy that allows nothing from another host (their one
stylesheet is inline; they run no script) and may not be framed. The interactive docs
(``/docs``, ``/redoc``) are left to FastAPI's own policy, since they load their assets.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
OWN_POLICY_PATHS = ("/docs", "/redoc")


class Hardening:
    """ASGI middleware: answers ``HEAD`` as ``GET`` without the body, adds the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        policy = not str(scope["path"]).startswith(OWN_POLICY_PATHS)
        finished = False

        async def send_hardened(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(HEADERS)]
                headers.extend(HEADERS)
                if policy:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and head:
                if finished:
                    return  # a streamed body goes on being produced; none of it is sent
                finished = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_hardened)


def install_http_hardening(app: FastAPI) -> None:
    """Wrap ``app`` (a FastAPI app) in ``Hardening``."""
    app.add_middleware(Hardening)
