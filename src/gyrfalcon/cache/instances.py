"""The Redis instances a user may read, across services: the Cache page's picker and
the home page's tile read them with their last connection test (the catalog's
scheduled tests keep it fresh), so neither asks every Redis on every refresh."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.cache.schemas import InstanceSummary
from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.security import ServiceScope


async def in_scope(
    session: AsyncSession, scope: ServiceScope, *, service: str | None = None
) -> list[InstanceSummary]:
    query = (
        select(catalog.RedisInstance, catalog.Service.name, catalog.Service.team)
        .join(catalog.Service, catalog.Service.id == catalog.RedisInstance.service_id)
        .order_by(catalog.Service.name, catalog.RedisInstance.name)
    )
    if service is not None:
        query = query.where(catalog.Service.name == service)
    found = []
    for row, name, team in await session.execute(query):
        if not scope.allows(name, team):
            continue
        stored = row.config
        found.append(
            InstanceSummary(
                service=name,
                id=row.id,
                name=row.name,
                url=catalog.redis_extras(stored)["url"],
                mode=str(stored.get("mode", "standalone")),
                key_prefix=str(stored.get("key_prefix", "")),
                read_only=bool(stored.get("read_only", True)),
                tested_at=row.tested_at,
                test_ok=row.test_ok,
                test_message=row.test_message,
            )
        )
    return found
