"""Bearer-token checks: writes need the token when one is set; reads too when ``reads="token"``
(or, for reads, the session cookie that signing in to the pages sets: ``api.login``). A client
that sent too many wrong tokens is answered 429 before its token is looked at (``login.Guesses``)."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from presspipe.api.errors import ApiError
from presspipe.api.login import LoginRequired, client_address, has_session, signed_in
from presspipe.api.settings import TOKEN_ENV_VAR

if TYPE_CHECKING:
    from presspipe.api.dependencies import Services


bearer = HTTPBearer(auto_error=False, description=f"the token in {TOKEN_ENV_VAR}")


def _token_given(services: Services, credentials: HTTPAuthorizationCredentials | None) -> bool:
    """Whether the request holds the server's token (or none is configured)."""
    expected = services.settings.token
    if expected is None:
        return True
    given = credentials.credentials if credentials is not None else ""
    return is_token(given, expected)


def is_token(given: str, expected: str) -> bool:
    # A header's bytes arrive as latin-1 text, so bytes that are not UTF-8 compare as well.
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def may_read(services: Services, credentials: HTTPAuthorizationCredentials | None) -> bool:
    """Whether the request may read: reads are open, or it holds the token."""
    return services.settings.reads == "open" or _token_given(services, credentials)


def check_guesses(request: Request, services: Services) -> None:
    """429 for a client past its wrong tokens, whatever it sends now."""
    guesses = services.guesses
    wait = guesses.retry_after(client_address(request))
    if wait is not None:
        raise ApiError(
            429,
            "too_many_failures",
            f"{guesses.limit} wrong tokens from this client in {guesses.window:g} s: try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )


def _check_token(
    request: Request, services: Services, credentials: HTTPAuthorizationCredentials | None
) -> None:
    if services.settings.token is None:
        return
    check_guesses(request, services)
    if not _token_given(services, credentials):
        given = credentials.credentials if credentials is not None else ""
        if given:
            services.guesses.failed(client_address(request))
        raise ApiError(
            401,
            "unauthorized",
            "this needs the header 'Authorization: Bearer TOKEN' with the server's token"
            if not given
            else "the bearer token is wrong",
        )


async def require_write(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    _check_token(request, request.app.state.services, credentials)


async def require_read(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Reads: open, or (``reads="token"``) the bearer token or a signed-in page session."""
    found: Services = request.app.state.services
    if found.settings.reads == "token" and not _signed_in(request, found):
        _check_token(request, found, credentials)


async def require_page(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """As ``require_read``, but a browser without the token is sent to the sign-in form."""
    found: Services = request.app.state.services
    signed_in.set(_signed_in(request, found))
    if found.settings.reads == "token" and not signed_in.get():
        try:
            _check_token(request, found, credentials)
        except ApiError as error:
            if error.status == 429:
                raise
            query = f"?{request.url.query}" if request.url.query else ""
            raise LoginRequired(request.url.path + query) from None


def _signed_in(request: Request, services: Services) -> bool:
    return services.settings.token is not None and has_session(request, services.sessions)
