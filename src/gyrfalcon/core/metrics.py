"""Prometheus request metrics and the access log line of every request."""

from __future__ import annotations

import logging
import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gyrfalcon.core.routes import api_routes

_access_log = logging.getLogger("gyrfalcon.access")


class RequestMetrics:
    """Metric families of one app instance (a registry each, so tests can build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "gyrfalcon_http_requests",
            "HTTP requests answered",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "gyrfalcon_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )


class _RouteTemplates:
    """Maps the matched route to its full template (``/api/v1/services/{service}``).

    Labelling by template, never by raw path, keeps the metric's cardinality bounded.
    The router leaves the matched route in the scope, but with a path relative to its
    own router, so the full one comes from the app's flattened route list.
    """

    def __init__(self) -> None:
        self._by_route: dict[int, str] | None = None

    def __call__(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return "unmatched"
        if self._by_route is None:
            routes = getattr(scope.get("app"), "routes", [])
            self._by_route = {id(flat.route): flat.path for flat in api_routes(routes)}
        return self._by_route.get(id(route), str(getattr(route, "path", "unmatched")))


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics
        self._templates = _RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            elapsed = time.perf_counter() - started
            route = self._templates(scope)
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            _access_log.info("%s %s %d %.1fms", method, scope["path"], status, elapsed * 1000)
