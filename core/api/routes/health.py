"""``/healthz``: whether the server and its store answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials

from presspipe.api.auth import bearer, may_read
from presspipe.api.dependencies import Svc
from presspipe.api.errors import ApiError, responses
from presspipe.api.models import HealthOut

health = APIRouter(tags=["health"])


@health.get(
    "/healthz",
    response_model=HealthOut,
    summary="Whether the server and its store answer",
    response_model_exclude_none=True,
    responses=responses(503),
)
def healthz(
    svc: Svc, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> HealthOut:
    """Always open; the document count only for those who may read (``--reads token``)."""
    try:
        return HealthOut(
            status="ok",
            store=svc.store.dialect,
            schema_version=svc.store.schema_version(),
            documents=svc.store.count() if may_read(svc, credentials) else None,
        )
    except Exception as error:
        raise ApiError(503, "store_unavailable", f"the store does not answer: {error}") from None
