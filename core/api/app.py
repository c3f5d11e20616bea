"""The app factory: ``create_app(Settings(...))`` builds the FastAPI app over a store.

One router per resource (``routes/``: documents, batches, export, pipelines and plugins,
health, pages); the store and the catalogue are handed to routes as dependencies. Every error
is a JSON body ``{"error": {"code", "message", "details"}}`` with a 4xx status, and every
status a route can answer is declared in the OpenAPI schema (``/openapi.json``, ``/docs``).
``presspipe serve`` (the CLI) runs the app with uvicorn.

Writes (``POST``) need ``Authorization: Bearer TOKEN`` when a token is configured
(``PRESSPIPE_API_TOKEN``); reads are open unless ``reads="token"``. ``/healthz`` is always open.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.routing import Mount

import presspipe
from presspipe.api.catalogue import Catalogue
from presspipe.api.dependencies import Services, known_parameters_only
from presspipe.api.errors import install_error_handlers
from presspipe.api.hardening import install_http_hardening
from presspipe.api.login import LoginRequired
from presspipe.api.metrics import Metrics, MetricsMiddleware
from presspipe.api.models import BatchIn, DocumentIn
from presspipe.api.processing import Processing
from presspipe.api.routes.batches import batches
from presspipe.api.routes.catalogue import catalogue
from presspipe.api.routes.corpus import corpus
from presspipe.api.routes.corpus_export import corpus_export
from presspipe.api.routes.documents import documents
from presspipe.api.routes.entity_pages import entity_pages
from presspipe.api.routes.export import export
from presspipe.api.routes.health import health
from presspipe.api.routes.login import login, redirect_to_login
from presspipe.api.routes.metrics import metrics
from presspipe.api.routes.pages import html_pages
from presspipe.api.settings import Settings
from presspipe.api.worker import BatchWorker
from presspipe.registry import Registry, load_registry
from presspipe.store import Store, open_store


def create_app(
    settings: Settings | None = None, *, registry: Registry | None = None, store: Store | None = None
) -> FastAPI:
    """The presspipe API. ``store`` and ``registry`` default to those the settings name."""
    settings = settings or Settings.from_env()
    registry = registry or load_registry()
    store = store or open_store(settings.store)
    pipeline_catalogue = Catalogue(registry, settings.pipelines_dir)
    processing = Processing(pipeline_catalogue, settings.limits, settings.workers, settings.max_waiting)
    found = Services(
        settings=settings,
        store=store,
        catalogue=pipeline_catalogue,
        registry=registry,
        processing=processing,
        batches=BatchWorker(processing, store, settings.max_queued_batches, settings.max_queued_chars),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        processing.open()
        yield
        processing.close()  # first: a document in a worker must not hold up the shutdown
        found.batches.stop()

    # Swagger UI (/docs) from assets bundled in fastapi-offline, not a CDN: the documentation
    # works on machines with no internet access. No ReDoc: its bundle fetches its logo from a CDN.
    app = FastAPIOffline(
        redoc_url=None,
        title="presspipe",
        version=presspipe.__version__,
        description="Submit news documents to presspipe pipelines; fetch, search and export what they made.",
        lifespan=lifespan,
    )
    app.state.services = found
    app.state.metrics = Metrics(pipeline_catalogue.stats, found.batches.queued)
    mounts = [route.path for route in app.routes if isinstance(route, Mount)]  # /docs's assets
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics, mounts=mounts)
    _complete_openapi(app, registry)
    for router in (documents, batches, export, corpus_export, corpus, catalogue):
        app.include_router(router, dependencies=[Depends(known_parameters_only)])
    for router in (health, metrics, html_pages, entity_pages, login):
        app.include_router(router)
    app.add_exception_handler(LoginRequired, redirect_to_login)
    install_error_handlers(app)
    install_http_hardening(app, settings.allowed_hosts)
    return app


def _complete_openapi(app: FastAPI, registry: Registry) -> None:
    """Add what the routes cannot declare themselves: the schemas of the bodies they read (to take
    several media types), and the export formats the installed plugins offer."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (DocumentIn, BatchIn):
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in model_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components[model.__name__] = model_schema
        export_operation = schema["paths"]["/v1/export"]["get"]
        export_operation["responses"]["200"]["content"] = {
            spec.media_type: {"schema": {"type": "string"}} for spec in registry.exporters.values()
        }
        for parameter in export_operation["parameters"]:
            if parameter["name"] == "format":
                parameter["schema"]["examples"] = sorted(registry.exporters)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
