"""The service catalog: services and their datasources, Redis, job backends, debug
endpoints, plus the global Kafka clusters and notification channels."""

from __future__ import annotations

from fastapi import APIRouter

from gyrfalcon.catalog.connections_router import connections_router
from gyrfalcon.catalog.router import router as services_router
from gyrfalcon.core.plugins import Module, NavEntry


def _router() -> APIRouter:
    router = APIRouter()
    router.include_router(services_router)
    router.include_router(connections_router())
    return router


module = Module(
    name="catalog",
    title="Service catalog",
    description="Microservices and the databases, Redis, job systems, Kafka clusters and "
    "debug endpoints they use.",
    router=_router(),
    nav=NavEntry(title="Service catalog", path="/catalog", icon="AppstoreOutlined", order=10),
    models=("gyrfalcon.catalog.models",),
)
