"""The service catalog: services and their datasources, Redis, job backends, debug
endpoints, plus the global Kafka clusters. Other modules add connection kinds of their
own through the ``catalog.connection_kinds`` extension point."""

from __future__ import annotations

import functools

from fastapi import APIRouter

from gyrfalcon.catalog.connections_router import connections_router
from gyrfalcon.catalog.home import FirstServiceStep, ServicesTile, TestedConnectionStep
from gyrfalcon.catalog.kinds import CATALOG_KINDS, CONNECTION_KINDS, ConnectionKind
from gyrfalcon.catalog.router import router as services_router
from gyrfalcon.catalog.scheduled_tests import ScheduledTests
from gyrfalcon.catalog.settings import CatalogSettings
from gyrfalcon.core.plugins import Module, NavEntry, Registry
from gyrfalcon.home.service import CHECKLIST, HOME_TILES


def _router(registry: Registry) -> APIRouter:
    return _router_for(tuple(registry.contributions(CONNECTION_KINDS)))


@functools.cache
def _router_for(kinds: tuple[ConnectionKind, ...]) -> APIRouter:
    # Built once per set of kinds: each app of a process (tests make many) reuses it.
    router = APIRouter()
    router.include_router(services_router)
    router.include_router(connections_router(kinds))
    return router


module = Module(
    name="catalog",
    title="Service catalog",
    description="Microservices and the databases, Redis, job systems, Kafka clusters and "
    "debug endpoints they use.",
    router=_router,
    nav=NavEntry(title="Service catalog", path="/catalog", icon="AppstoreOutlined", order=10),
    background_services=lambda context: [ScheduledTests(context)],
    models=("gyrfalcon.catalog.models",),
    settings=CatalogSettings,
    contributes={
        CONNECTION_KINDS: CATALOG_KINDS,
        HOME_TILES: (ServicesTile(),),
        CHECKLIST: (FirstServiceStep(), TestedConnectionStep()),
    },
)
