"""What routes are handed: the services (store, catalogue, registry, batches), auth, filters,
and the URLs their answers link to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from fastapi import Depends, Query, Request
from fastapi.routing import APIRoute

from presspipe.api.catalogue import Catalogue
from presspipe.api.errors import ApiError
from presspipe.api.login import Guesses, Sessions
from presspipe.api.processing import Processing
from presspipe.api.settings import Settings
from presspipe.api.worker import BatchWorker
from presspipe.errors import echo
from presspipe.registry import Registry
from presspipe.store import Filters, InvalidQuery, Store


def document_url(id: str, pipeline: str) -> str:
    """Where one stored document is fetched."""
    return f"/v1/documents/{quote(id, safe='')}?{urlencode({'pipeline': pipeline})}"


def next_page_url(request: Request, next_cursor: str | None) -> str | None:
    """The request's URL with ``cursor`` set to ``next_cursor`` (None on the last page)."""
    if next_cursor is None:
        return None
    query = {k: v for k, v in request.query_params.items() if k != "cursor"}
    return f"{request.url.path}?{urlencode({**query, 'cursor': next_cursor})}"


@dataclass
class Services:
    settings: Settings
    store: Store
    catalogue: Catalogue
    registry: Registry
    processing: Processing
    batches: BatchWorker
    sessions: Sessions = field(default_factory=Sessions)
    """The signed-in page sessions (``--reads token``)."""
    guesses: Guesses = field(default_factory=Guesses)
    """Wrong tokens per client: past the limit, 429."""


async def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


Svc = Annotated[Services, Depends(services)]


async def document_filters(
    pipeline: Annotated[str | None, Query(description="pipeline name")] = None,
    entity: Annotated[
        str | None,
        Query(
            description="an entity: whole words of its name in any order, case and accents ('trump'), or its key"
        ),
    ] = None,
    speaker: Annotated[
        str | None,
        Query(
            description="a quote's speaker: whole words of the name in any order, case and accents, or a key"
        ),
    ] = None,
    q: Annotated[str | None, Query(description="words that must all occur in the title or text")] = None,
    published_from: Annotated[
        str | None, Query(description="YYYY-MM-DD or an ISO date-time: published at or after")
    ] = None,
    published_to: Annotated[
        str | None,
        Query(description="YYYY-MM-DD (the whole day) or an ISO date-time: published at or before"),
    ] = None,
    copies: Annotated[
        Literal["include", "exclude"],
        Query(
            description="near-copies of earlier documents (copy_of set): listed by default, like any stored document"
        ),
    ] = "include",
    undated: Annotated[
        bool, Query(description="true: only documents with no publication date (what timelines leave out)")
    ] = False,
) -> Filters:
    return Filters(
        undated=undated,
        pipeline=pipeline,
        entity=entity,
        speaker=speaker,
        q=q,
        published_from=parse_when(published_from, "published_from"),
        published_to=parse_when(published_to, "published_to"),
        copies=copies == "include",
    )


COPIES_COUNTED = Query(
    description="near-copies of earlier documents (wire copies): left out of every count by default, "
    "so that one story republished by 30 outlets counts once"
)


def parse_when(value: str | None, name: str) -> date | datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422,
            "invalid_query",
            f"'{name}' must be YYYY-MM-DD or an ISO 8601 date-time, not {echo(value)!r}",
        ) from None


FiltersDep = Annotated[Filters, Depends(document_filters)]


def stored_json(svc: Services, id: str, pipeline: str | None) -> str:
    """The stored document's JSON text, or a 404 naming what is missing."""
    try:
        body = svc.store.get_json(id, pipeline)
    except InvalidQuery:
        body = None
    if body is None:
        where = f" from pipeline '{echo(pipeline)}'" if pipeline else ""
        raise ApiError(404, "not_found", f"no document '{echo(id)}'{where} in the store")
    return body


async def known_parameters_only(request: Request) -> None:
    """Refuse query parameters the route does not take (``?foo=bar``, ``?entitiy=``): ignored, a
    misspelt filter would quietly return every document."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_parameters(route)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ApiError(
            422,
            "unknown_parameter",
            f"unknown query parameter{'s' if len(unknown) > 1 else ''} {', '.join(repr(echo(name)) for name in unknown)}; "
            f"{route.path} takes: {', '.join(sorted(known)) or 'none'}",
        )


def _query_parameters(route: APIRoute) -> frozenset[str]:
    names: set[str] = set()
    dependants = [route.dependant]
    while dependants:
        dependant = dependants.pop()
        names.update(parameter.alias for parameter in dependant.query_params)
        dependants.extend(dependant.dependencies)
    return frozenset(names)
