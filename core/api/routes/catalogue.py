"""``/v1/pipelines``, ``/v1/plugins``, ``/v1/schema/document``: what this server offers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from presspipe.api.auth import require_read
from presspipe.api.catalogue import CatalogueEntry
from presspipe.api.dependencies import Svc
from presspipe.api.errors import responses
from presspipe.api.models import PipelineDetail, PipelineOut, PluginsOut
from presspipe.validate import document_schema

catalogue = APIRouter(prefix="/v1", tags=["pipelines and plugins"])


def _pipeline_out(entry: CatalogueEntry) -> dict[str, Any]:
    pipeline = entry.pipeline
    return {
        "name": pipeline.name,
        "description": pipeline.description,
        "origin": entry.origin,
        "sha256": pipeline.sha256,
        "steps": [
            {"use": s.name, "with": s.config, "plugin": s.plugin, "version": s.spec.version}
            for s in pipeline.steps
        ],
    }


@catalogue.get(
    "/pipelines",
    response_model=list[PipelineOut],
    dependencies=[Depends(require_read)],
    summary="The pipelines this server offers",
    responses=responses(401, 422),
)
def list_pipelines(svc: Svc) -> list[dict[str, Any]]:
    return [_pipeline_out(svc.catalogue.entries[name]) for name in svc.catalogue.names()]


@catalogue.get(
    "/pipelines/{name}",
    response_model=PipelineDetail,
    dependencies=[Depends(require_read)],
    summary="One pipeline: its steps, configs, YAML and the keys it adds",
    responses=responses(401, 404, 422),
)
def get_pipeline(name: str, svc: Svc) -> dict[str, Any]:
    entry = svc.catalogue.entry(name)
    return {**_pipeline_out(entry), "yaml": entry.yaml, "adds": entry.pipeline.adds()}


@catalogue.get(
    "/plugins",
    response_model=PluginsOut,
    dependencies=[Depends(require_read)],
    summary="Loaded plugins, the steps, exporters and input readers they offer, and plugins that failed to load",
    responses=responses(401, 422),
)
def list_plugins(svc: Svc) -> dict[str, Any]:
    return {
        "plugins": [
            {
                "name": p.name,
                "module": p.module,
                "version": p.version,
                "steps": list(p.steps),
                "exporters": list(p.exporters),
                "readers": list(p.readers),
            }
            for p in svc.registry.plugins
        ],
        "failed": [{"name": n, "error": e} for n, e in svc.registry.failed.items()],
    }


@catalogue.get(
    "/schema/document",
    dependencies=[Depends(require_read)],
    summary="The JSON Schema of documents (with ?pipeline=, including the keys its steps add)",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}}},
        **responses(401, 404, 422),
    },
)
def get_document_schema(svc: Svc, pipeline: str | None = None) -> dict[str, Any]:
    adds = svc.catalogue.entry(pipeline).pipeline.adds() if pipeline is not None else None
    return document_schema(adds)
