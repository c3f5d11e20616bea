"""``GET /metrics``: the service's counters in the Prometheus text format (``api.metrics``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from presspipe.api.auth import require_read
from presspipe.api.errors import responses

metrics = APIRouter(tags=["health"])


@metrics.get(
    "/metrics",
    summary="Counters for Prometheus: requests, documents by pipeline and step, batch queue",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}},
        **responses(401),
    },
    dependencies=[Depends(require_read)],
)
def get_metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
