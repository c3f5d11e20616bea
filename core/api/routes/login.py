"""``/login``: the sign-in form of the pages when reads need the token (``api.login``);
``/logout``: the end of the session."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from presspipe.api import pages
from presspipe.api.auth import check_guesses, is_token
from presspipe.api.bodies import read_body
from presspipe.api.dependencies import Svc
from presspipe.api.login import COOKIE, COOKIE_SECONDS, LoginRequired, client_address, end_session, safe_next

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
    if expected is not None:
        check_guesses(request, svc)
    if expected is None or not is_token(token, expected):
        if token and expected is not None:
            svc.guesses.failed(client_address(request))
        problem = "That is not this server's token." if token else "Give the token."
        return HTMLResponse(pages.render_login(next_path, problem), status_code=401)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        svc.sessions.open(),
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@login.post("/logout")
def sign_out(request: Request, svc: Svc) -> Response:
    """Sign out (the button on every page while signed in), back to the sign-in form, or home
    when reads are open."""
    response = RedirectResponse("/login" if svc.settings.reads == "token" else "/", status_code=303)
    end_session(request, response, svc.sessions)
    return response


def redirect_to_login(request: Request, error: Exception) -> Response:
    """The answer to ``LoginRequired``: to the form, coming back to the page afterwards."""
    assert isinstance(error, LoginRequired)
    return RedirectResponse(error.location(), status_code=303)
