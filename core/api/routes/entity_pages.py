"""The corpus pages: the rankings ``/speakers`` and ``/entities``, and the entity page
``/entities/{key}`` (a partial name the corpus resolved redirects to its full name)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Literal, get_args

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from presspipe.api import pages
from presspipe.api.auth import require_page
from presspipe.api.corpus_pages import render_entity, render_ranking
from presspipe.api.dependencies import Svc
from presspipe.api.errors import ApiError
from presspipe.api.routes.corpus import Kind, entity_filters, speaker_filters
from presspipe.errors import echo
from presspipe.store import InvalidQuery
from presspipe.store.corpus_queries import CorpusFilters
from presspipe.store.timeline import PeriodChoice

entity_pages = APIRouter(include_in_schema=False)

RANKING_PAGE = 50


async def _ranking_page(
    request: Request,
    svc: Svc,
    kind: Literal["speakers", "entities"],
    read_filters: Callable[..., Coroutine[Any, Any, CorpusFilters]],
    cursor: str | None,
) -> Response:
    """A ranking page: its form's values read as the JSON route reads its query (the same
    function), blank fields left out, so that an empty form field filters nothing."""
    names = [*inspect.signature(read_filters).parameters]
    values = {n: v.strip() for n in names if (v := request.query_params.get(n, "")).strip()}
    try:
        if values.get("kind", "direct") not in get_args(Kind):
            raise InvalidQuery(f"'kind' must be one of {', '.join(get_args(Kind))}, not {values['kind']!r}")
        filters = await read_filters(**values)
        rank, count = (
            (svc.store.corpus.speakers, svc.store.corpus.speaker_count)
            if kind == "speakers"
            else (svc.store.corpus.entities, svc.store.corpus.entity_count)
        )
        page = await run_in_threadpool(rank, filters, RANKING_PAGE, cursor or None)
        total = await run_in_threadpool(count, filters)
    except (ApiError, InvalidQuery) as error:
        message = error.message if isinstance(error, ApiError) else str(error)
        return HTMLResponse(render_ranking(kind, values, None, 0, message), status_code=422)
    return HTMLResponse(render_ranking(kind, values, page, total))


@entity_pages.get("/speakers", response_class=HTMLResponse, dependencies=[Depends(require_page)])
async def speakers_page(request: Request, svc: Svc, cursor: str | None = None) -> Response:
    return await _ranking_page(request, svc, "speakers", speaker_filters, cursor)


@entity_pages.get("/entities", response_class=HTMLResponse, dependencies=[Depends(require_page)])
async def entities_page(request: Request, svc: Svc, cursor: str | None = None) -> Response:
    return await _ranking_page(request, svc, "entities", entity_filters, cursor)


@entity_pages.get("/entities/{key}", response_class=HTMLResponse, dependencies=[Depends(require_page)])
def entity_page(key: str, svc: Svc, period: str = "auto") -> Response:
    chosen: PeriodChoice = next((p for p in get_args(PeriodChoice) if p == period), "auto")
    try:
        profile = svc.store.corpus.profile(key, CorpusFilters(), period=chosen, quotes=20)
        target = svc.store.corpus.resolved(key) if profile is None else None
    except InvalidQuery as error:
        return HTMLResponse(pages.render_error(422, str(error)), status_code=422)
    if profile is None:
        if target is not None:
            return RedirectResponse(f"/entities/{target}?period={chosen}", status_code=307)
        return HTMLResponse(pages.render_error(404, f"no entity '{echo(key)}' in the store"), status_code=404)
    return HTMLResponse(render_entity(profile, chosen))
