"""``GET /metrics``: what a running service is doing, in the Prometheus text format.

Requests by method, route (the path template, ``/v1/documents/{document_id}``) and status,
with a latency histogram; documents processed by pipeline and outcome, and by step with
their failures and seconds (``presspipe.stats``, the counts ``presspipe run --stats`` writes);
and the batches waiting for the batch worker. Each app has its own collector registry, so
several apps in one process (tests) do not mix their counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from presspipe.stats import PipelineStats

UNMATCHED = "(unmatched)"
"""The route of requests no route took (404s): one series for all of them, whatever the path."""
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""The methods counted by name; any other token a client sends is counted as ``OTHER``."""
OTHER = "other"
STATUSES = frozenset(int(status) for status in HTTPStatus)
"""The statuses counted by code; any other is counted by its class (``5xx``)."""


class Metrics:
    """The collectors of one app, and the registry ``/metrics`` renders."""

    def __init__(self, stats: PipelineStats, queue_depth: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "presspipe_http_requests",
            "HTTP requests answered, by method, route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "presspipe_http_request_duration_seconds",
            "Time from a request's start to its response's end, by method and route",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.registry.register(_PipelineCollector(stats, queue_depth))


class _PipelineCollector(Collector):
    def __init__(self, stats: PipelineStats, queue_depth: Callable[[], int]) -> None:
        self.stats = stats
        self.queue_depth = queue_depth

    def collect(self) -> Iterator[Metric]:
        documents, steps = self.stats.snapshot()
        by_outcome = CounterMetricFamily(
            "presspipe_documents",
            "Documents that came out of a pipeline, by outcome (done, failed, dropped)",
            labels=["pipeline", "outcome"],
        )
        for (pipeline, outcome), number in sorted(documents.items()):
            by_outcome.add_metric([pipeline, outcome], number)
        processed = CounterMetricFamily(
            "presspipe_step_documents", "Documents a pipeline step was run on", labels=["pipeline", "step"]
        )
        failed = CounterMetricFamily(
            "presspipe_step_failures",
            "Documents failed by a step (step 'presspipe': by the schema check)",
            labels=["pipeline", "step"],
        )
        seconds = CounterMetricFamily(
            "presspipe_step_seconds", "Seconds spent in a pipeline step", labels=["pipeline", "step"]
        )
        for (pipeline, step), tally in sorted(steps.items()):
            processed.add_metric([pipeline, step], tally.processed)
            failed.add_metric([pipeline, step], tally.failed)
            seconds.add_metric([pipeline, step], tally.seconds)
        queued = GaugeMetricFamily(
            "presspipe_batch_queue_depth", "Batches submitted and waiting for the batch worker"
        )
        queued.add_metric([], self.queue_depth())
        yield from (by_outcome, processed, failed, seconds, queued)


class MetricsMiddleware:
    """Counts and times every HTTP request by its route's path template.

    Every label comes from a closed set, whatever the client sends: a known method or ``other``,
    a route's template, a mount's (``/static-offline-docs/{path}``, the assets of ``/docs``) or
    ``(unmatched)``, a known status or its class. Made-up methods or paths cannot add series.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics, mounts: Iterable[str] = ()) -> None:
        self.app = app
        self.metrics = metrics
        self.mounts = tuple(mounts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app raises before it responds

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = self._route(scope)
            method = str(scope.get("method", ""))
            method = method if method in METHODS else OTHER
            code = str(status) if status in STATUSES else f"{status // 100}xx"
            self.metrics.requests.labels(method, route, code).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)

    def _route(self, scope: Scope) -> str:
        """The template of the route the router chose (it records it in the scope), else the
        mount the path is under, else ``UNMATCHED``."""
        route = getattr(scope.get("route"), "path", "")
        if route:
            return str(route)
        path = str(scope.get("path", ""))
        for mount in self.mounts:
            if path.startswith(f"{mount}/"):
                return f"{mount}/{{path}}"
        return UNMATCHED
