"""Per-process caches follow revision counters: a process sees its own changes at once
and another process's within the staleness bound. Two Database objects on one platform
database stand for two replicas."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from gyrfalcon.catalog.models import Service
from gyrfalcon.core.db import Database
from gyrfalcon.core.revisions import bump, cache_for
from gyrfalcon.core.settings import Settings


async def _names(database: Database) -> list[str]:
    async with database.sessionmaker() as session:

        async def load() -> list[str]:
            return list(await session.scalars(select(Service.name).order_by(Service.name)))

        names: list[str] = await cache_for(session, "catalog").get(session, "names", load)
        return names


async def _add_service(database: Database, name: str, *, announce: bool = True) -> None:
    async with database.sessionmaker() as session:
        session.add(Service(name=name, display_name=name))
        if announce:
            await bump(session, "catalog")
        await session.commit()


@pytest.fixture
async def replicas(migrated: Settings) -> AsyncIterator[tuple[Database, Database, Database]]:
    url = migrated.resolved_database_url
    writer = Database(url)
    eager = Database(url, cache_max_staleness=0)
    lazy = Database(url, cache_max_staleness=60)
    yield writer, eager, lazy
    async with writer.engine.begin() as conn:
        await conn.execute(Service.__table__.delete())
    for database in (writer, eager, lazy):
        await database.dispose()


async def test_own_changes_show_at_once_and_others_within_the_bound(
    replicas: tuple[Database, Database, Database],
) -> None:
    writer, eager, lazy = replicas
    assert await _names(writer) == await _names(eager) == await _names(lazy) == []

    await _add_service(writer, "orders")
    assert await _names(writer) == ["orders"]  # its own change: at once
    assert await _names(eager) == ["orders"]  # checks the revision on every read
    assert await _names(lazy) == []  # within its 60 s bound it may serve the old value

    await _add_service(lazy, "billing")
    assert await _names(lazy) == ["billing", "orders"]  # its own change refreshes it


async def test_a_rolled_back_bump_changes_nothing(
    replicas: tuple[Database, Database, Database],
) -> None:
    writer, _eager, _lazy = replicas
    assert await _names(writer) == []
    async with writer.sessionmaker() as session:
        session.add(Service(name="ghost", display_name="ghost"))
        await bump(session, "catalog")
        await session.rollback()
    assert await _names(writer) == []
