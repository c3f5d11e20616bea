"""``/healthz``: whether the server and its store answer."""

from __future__ import annotations

from fastapi import APIRouter

from presspipe.api.dependencies import Svc
from presspipe.api.errors import ApiError, responses
from presspipe.api.models import HealthOut

health = APIRouter(tags=["health"])


@health.get(
    "/healthz",
    response_model=HealthOut,
    summary="Whether the server and its store answer",
    responses=responses(503),
)
def healthz(svc: Svc) -> HealthOut:
    try:
        return HealthOut(
            status="ok",
            store=svc.store.dialect,
            schema_version=svc.store.schema_version(),
            documents=svc.store.count(),
        )
    except Exception as error:
        raise ApiError(503, "store_unavailable", f"the store does not answer: {error}") from None
