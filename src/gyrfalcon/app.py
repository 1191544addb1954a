"""``create_app(settings)``: the core plus every registered module."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator, Iterable

from fastapi import APIRouter, FastAPI
from pydantic import SecretStr

from gyrfalcon import __version__
from gyrfalcon.core import health, navigation, redaction
from gyrfalcon.core.background import BackgroundService, ServiceRunner
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.db import Database
from gyrfalcon.core.errors import UnexpectedErrorMiddleware, install_error_handlers
from gyrfalcon.core.headers import SecurityHeadersMiddleware
from gyrfalcon.core.metrics import MetricsMiddleware, RequestMetrics
from gyrfalcon.core.openapi import install_api_docs, install_problem_openapi
from gyrfalcon.core.plugins import AppContext, Module, Registry, discover_modules, import_models
from gyrfalcon.core.requestid import RequestIdMiddleware
from gyrfalcon.core.settings import Settings
from gyrfalcon.core.spa import mount_spa

API_PREFIX = "/api/v1"


def background_services(context: AppContext, modules: Iterable[Module]) -> list[BackgroundService]:
    services: list[BackgroundService] = []
    for module in modules:
        if module.background_services is not None:
            services.extend(module.background_services(context))
    return services


def create_app(
    settings: Settings,
    *,
    run_services: bool = True,
    extra_modules: Iterable[Module] = (),
) -> FastAPI:
    redaction.remember(
        value.get_secret_value()
        for value in dict(settings).values()
        if isinstance(value, SecretStr)
    )
    modules = discover_modules(extra_modules)
    import_models(modules)
    for module in modules:
        if module.settings is not None:
            settings.section(module.settings)  # a bad value fails the start, not a request
    database = Database(
        settings.resolved_database_url, cache_max_staleness=settings.cache_max_staleness_seconds
    )
    registry = Registry(modules)
    context = AppContext(
        settings=settings,
        database=database,
        secrets=SecretBox(settings.resolved_secret_key()),
        registry=registry,
    )
    runner = ServiceRunner(background_services(context, modules) if run_services else [])

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Everything built so far lives as long as the process: keeping it out of the
        # collector's reach spares every later collection a walk over it (long pauses
        # under load otherwise).
        gc.freeze()
        runner.start()
        try:
            yield
        finally:
            await runner.stop()
            await database.dispose()

    app = FastAPI(
        title="Gyrfalcon",
        version=__version__,
        description="Business-service governance console API.",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    metrics = RequestMetrics()
    app.state.settings = settings
    app.state.database = database
    app.state.context = context
    app.state.modules = modules
    app.state.metrics = metrics
    app.state.service_runner = runner
    install_error_handlers(app)
    install_problem_openapi(app)
    install_api_docs(app, API_PREFIX)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)
    # Outermost, so even the unexpected-error guard's 500 carries the headers.
    app.add_middleware(SecurityHeadersMiddleware)

    app.state.registry = registry
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(navigation.router)
    for router in registry.routers():
        api.include_router(router)
    for module in modules:
        if module.setup is not None:
            module.setup(app, context)
    app.include_router(health.router)
    app.include_router(api)
    mount_spa(app, settings.ui_dir)
    return app


def create_app_from_environment() -> FastAPI:
    """Factory for each worker process of ``gyrfalcon serve --workers N``: settings come
    from the environment the command prepared."""
    from gyrfalcon.core.logging import configure_logging

    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings, run_services=settings.background_services)
