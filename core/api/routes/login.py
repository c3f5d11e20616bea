"""``/login``: the sign-in form of the pages when reads need the token (``api.login``)."""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from presspipe.api import pages
from presspipe.api.bodies import read_body
from presspipe.api.dependencies import Svc
from presspipe.api.login import COOKIE, COOKIE_SECONDS, LoginRequired, end_session, safe_next, session_value

login = APIRouter(include_in_schema=False)

FORM_LIMIT = 64 * 1024


@login.get("/login", response_class=HTMLResponse)
def login_form(svc: Svc, next: str = "/") -> Response:
    if svc.settings.reads != "token":
        return RedirectResponse(safe_next(next), status_code=303)
    return HTMLResponse(pages.render_login(safe_next(next)))


@login.post("/login", response_class=HTMLResponse)
async def sign_in(request: Request, svc: Svc) -> Response:
    form = parse_qs((await read_body(request, FORM_LIMIT)).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0]
    next_path = safe_next((form.get("next") or ["/"])[0])
    expected = svc.settings.token
    if expected is None or not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        problem = "That is not this server's token." if token else "Give the token."
        return HTMLResponse(pages.render_login(next_path, problem), status_code=401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        session_value(expected),
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@login.post("/logout")
def sign_out(request: Request) -> Response:
    """Sign out (the button on every page while signed in), back to the sign-in form."""
    response = RedirectResponse("/login", status_code=303)
    end_session(request, response)
    return response


def redirect_to_login(request: Request, error: Exception) -> Response:
    """The answer to ``LoginRequired``: to the form, coming back to the page afterwards."""
    assert isinstance(error, LoginRequired)
    return RedirectResponse(error.location(), status_code=303)
