"""The HTML pages: ``/`` (an index of stored documents) and ``/documents/{id}``."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from presspipe.api import pages
from presspipe.api.auth import require_page
from presspipe.api.dependencies import Svc, stored_json
from presspipe.api.errors import ApiError
from presspipe.store import Filters, InvalidQuery
from presspipe.store.corpus_queries import CorpusFilters

html_pages = APIRouter(include_in_schema=False)

FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect width="16" height="16" rx="3" fill="#20232a"/>'
    '<path d="M4 3h5a3.5 3.5 0 0 1 0 7H6.5v3H4z M6.5 5.3v2.4H9a1.2 1.2 0 0 0 0-2.4z" fill="#ffe08a"/></svg>'
)
"""The site's icon, a "p" on the header's colour: open to all, like the sign-in form it shows on."""


@html_pages.get("/favicon.ico")
def favicon() -> Response:
    return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


PAGE_SIZE = 50
FACETS = 10


@html_pages.get("/", response_class=HTMLResponse, dependencies=[Depends(require_page)])
def index_page(
    svc: Svc,
    q: str | None = None,
    entity: str | None = None,
    speaker: str | None = None,
    pipeline: str | None = None,
    undated: str | None = None,
    cursor: str | None = None,
    sort: str = "stored",
) -> HTMLResponse:
    only_undated = (undated or "").strip().lower() in ("1", "true", "on", "yes")
    values = {
        "q": q or None,
        "entity": entity or None,
        "speaker": speaker or None,
        "pipeline": pipeline or None,
        "undated": "1" if only_undated else None,
    }
    try:
        filters = Filters(
            q=values["q"],
            entity=values["entity"],
            speaker=values["speaker"],
            pipeline=values["pipeline"],
            undated=only_undated,
        )
        page = svc.store.list_documents(
            filters, limit=PAGE_SIZE, cursor=cursor or None, sort=sort, locate=True
        )
        # The facets count the documents the list selects (the corpus totals when nothing is filtered).
        facets = CorpusFilters(within=filters) if any(values.values()) else CorpusFilters()
        overview = pages.Overview(
            svc.store.count(),
            svc.store.count(filters),
            *svc.store.corpus.date_range(),
            speakers=svc.store.corpus.speakers(facets, limit=FACETS).items,
            entities=svc.store.corpus.entities(facets, limit=FACETS).items,
            sort=sort,
            gender=svc.store.corpus.gender_total(facets),
            undated=svc.store.count(Filters(undated=True)),
        )
        return HTMLResponse(pages.render_index(page, values, overview=overview))
    except InvalidQuery as error:
        return HTMLResponse(pages.render_index(None, values, problem=str(error)), status_code=422)


@html_pages.get("/documents/{id}", response_class=HTMLResponse, dependencies=[Depends(require_page)])
def document_page(id: str, svc: Svc, pipeline: str | None = None) -> HTMLResponse:
    try:
        body = stored_json(svc, id, pipeline)
    except ApiError as error:
        return HTMLResponse(pages.render_error(error.status, error.message), status_code=error.status)
    document = json.loads(body)
    group = svc.store.copy_group(document["id"], document["provenance"]["pipeline"]["name"])
    return HTMLResponse(pages.render_document(document, svc.store.corpus.keys_of(document), group))
