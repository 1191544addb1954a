"""The catalog's part of the home page: services needing attention, and the first two
getting-started steps (a service, then a tested connection)."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog import services as catalog
from gyrfalcon.catalog.health import SERVICE_SIGNALS, signals_for
from gyrfalcon.catalog.models import Service
from gyrfalcon.catalog.schemas import ServiceRead
from gyrfalcon.catalog.services import COUNTED
from gyrfalcon.core.pagination import PageParams
from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.home.service import TileContent, TileItem

_SEVERITY_ORDER = ("critical", "error", "warning", "info")


class ServicesTile:
    key = "catalog.attention"
    module = "catalog"
    title = "Services needing attention"
    empty = "Every tested connection passes and nothing else is reported."
    link = "/catalog?attention=true"
    feed = False
    badge = False  # their monitors already count on the monitors' badge
    order = 20

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        teams = await catalog.teams_by_service(viewer.session)
        signals = await signals_for(viewer, registry.contributions(SERVICE_SIGNALS), teams)
        page = await catalog.list_services(
            viewer.session,
            q=None,
            team=None,
            page=PageParams(limit=max(limit, 1), offset=0),
            scope=await viewer.scope(self.module),
            signals=signals,
            attention=True,
        )
        return TileContent(total=page.total, items=[_item(read) for read in page.items[:limit]])


def _item(service: ServiceRead) -> TileItem:
    reasons = [f"{failing.name}: {failing.message}" for failing in service.health.failing]
    reasons += [signal.text for signal in service.signals]
    severities = ["error"] * bool(service.health.failing) + [s.severity for s in service.signals]
    return TileItem(
        title=service.display_name or service.name,
        link=f"/catalog/services/{service.name}",
        severity=min(severities, key=_SEVERITY_ORDER.index),
        detail="; ".join(reasons),
    )


class FirstServiceStep:
    key = "catalog.service"
    title = "Register a service"
    description = "Name a microservice, its team and its base URL."
    link = "/catalog?new=service"
    order = 10
    module = "catalog"
    action = "write"

    async def done(self, session: AsyncSession) -> bool:
        return bool(await session.scalar(select(exists().where(Service.id.is_not(None)))))


class TestedConnectionStep:
    key = "catalog.connection"
    title = "Add a connection and test it"
    description = "Give a service its database, Redis or job system, and press Test."
    link = "/catalog"
    order = 20
    module = "catalog"
    action = "write"

    async def done(self, session: AsyncSession) -> bool:
        for model in COUNTED.values():
            if await session.scalar(select(exists().where(model.test_ok.is_(True)))):
                return True
        return False
