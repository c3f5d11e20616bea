"""The entity page: ``/entities/{key}`` (a partial name the corpus resolved redirects to its full name)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from presspipe.api import pages
from presspipe.api.auth import require_page
from presspipe.api.corpus_pages import render_entity
from presspipe.api.dependencies import Svc
from presspipe.store import InvalidQuery
from presspipe.store.corpus_queries import CorpusFilters

entity_pages = APIRouter(include_in_schema=False)


@entity_pages.get("/entities/{key}", response_class=HTMLResponse, dependencies=[Depends(require_page)])
def entity_page(key: str, svc: Svc, period: str = "month") -> Response:
    chosen: Literal["day", "week", "month"] = (
        "day" if period == "day" else "week" if period == "week" else "month"
    )
    try:
        profile = svc.store.corpus.profile(key, CorpusFilters(), period=chosen, quotes=20)
        target = svc.store.corpus.resolved(key) if profile is None else None
    except InvalidQuery as error:
        return HTMLResponse(pages.render_error(422, str(error)), status_code=422)
    if profile is None:
        if target is not None:
            return RedirectResponse(f"/entities/{target}?period={chosen}", status_code=307)
        return HTMLResponse(pages.render_error(404, f"no entity '{key}' in the store"), status_code=404)
    return HTMLResponse(render_entity(profile, chosen))
