"""HTTP hygiene every response gets: security headers, and ``HEAD`` on every ``GET`` route;
and what every request must pass: a ``Host`` the server answers to, and no write from a page of
another origin.

Pages get a Content Security Policy that allows nothing from another host (their one
stylesheet is inline; they run no script) and may not be framed. The interactive docs
(``/docs``, ``/redoc``) are left to FastAPI's own policy, since they load their assets.

A ``Host`` outside ``Settings.allowed_hosts`` is refused (400 ``host_not_allowed``): a page of
another site that a DNS rebinding points at this server cannot read or write through it. A write
(any method but ``GET``, ``HEAD`` and ``OPTIONS``) whose ``Origin`` is not the server's own is
refused (403 ``cross_origin``), as is one a browser marks ``Sec-Fetch-Site: cross-site`` or
``same-site``: a browser sends ``Origin`` with every cross-site POST, so a page
elsewhere cannot store documents in a server without a token, even as a "simple" ``text/plain``
form. Clients that are not browsers send no ``Origin`` and are not affected. A redirect to the
server's own host is sent as a path (``Location: /v1/documents``), never built from ``Host``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from presspipe.api.errors import error_response

PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Not no-referrer: with it a browser sends "Origin: null" with the pages' own forms.
    (b"referrer-policy", b"same-origin"),
]
OWN_POLICY_PATHS = ("/docs", "/redoc")


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ANY_HOST = "*"


def host_name(host: str) -> str:
    """The name of a ``Host`` value, without its port, lower case (``[::1]:8000`` -> ``::1``)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Hardening:
    """ASGI middleware: refuses a ``Host`` not allowed and a cross-origin write, answers ``HEAD``
    as ``GET`` without the body, adds the security headers, keeps redirects on the server."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] | None = None) -> None:
        self.app = app
        self.allowed_hosts = None if allowed_hosts is None or ANY_HOST in allowed_hosts else allowed_hosts

    def refusal(self, scope: Scope) -> Response | None:
        """The answer to a request refused, or None."""
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.allowed_hosts is not None and host_name(host) not in self.allowed_hosts:
            return error_response(
                400,
                "host_not_allowed",
                f"this server does not answer to the host {host[:100]!r}; it answers to "
                f"{', '.join(self.allowed_hosts)} (presspipe serve --allowed-hosts)",
            )
        origin = headers.get("origin")
        site = headers.get("sec-fetch-site")  # a browser's own word, which no page can forge
        if site is not None:
            cross = site not in ("same-origin", "none")
        else:
            cross = origin is not None and (not host or urlsplit(origin).netloc.lower() != host.lower())
        if cross and scope["method"] not in SAFE_METHODS:
            return error_response(
                403,
                "cross_origin",
                f"a write from the origin {str(origin)[:100]!r} is refused: only pages of this server "
                "may write to it from a browser",
            )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is not None:
            await refused(scope, receive, send)
            return
        own = f"://{Headers(scope=scope).get('host', '')}/".encode("latin-1").lower()
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        policy = not str(scope["path"]).startswith(OWN_POLICY_PATHS)
        finished = False

        async def send_hardened(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.start":
                headers = [
                    (k, relative(v, own) if k.lower() == b"location" else v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in dict(HEADERS)
                ]
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


def relative(location: bytes, own: bytes) -> bytes:
    """``location`` as a path when it points at the server's own host (``own``: ``://HOST/``)."""
    at = location.lower().find(own)
    if at > 0 and location[:at].lower() in (b"http", b"https"):
        return location[at + len(own) - 1 :]
    return location


def install_http_hardening(app: FastAPI, allowed_hosts: tuple[str, ...] | None = None) -> None:
    """Wrap ``app`` (a FastAPI app) in ``Hardening``."""
    app.add_middleware(Hardening, allowed_hosts=allowed_hosts)
