"""The platform's own database: engine and per-request sessions.

One SQLAlchemy async engine serves SQLite (embedded), PostgreSQL (asyncpg) and
MySQL/MariaDB (aiomysql); the tables' base and column types are in ``core.orm``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from gyrfalcon.core import revisions
from gyrfalcon.core.errors import Conflict


class Database:
    """Owns the engine and the session factory of one app instance."""

    def __init__(self, url: str, *, echo: bool = False, cache_max_staleness: float = 1.0) -> None:
        options: dict[str, Any] = {"echo": echo}
        if url.startswith("sqlite"):
            # Each aiosqlite connection owns a thread; overflow connections would be opened
            # and closed (with their threads) under every burst, so keep one steady pool.
            options.update(connect_args={"timeout": 30}, pool_size=20, max_overflow=0)
        else:
            # A server may drop idle connections; SQLite files cannot go away, so only
            # server connections pay for the liveness ping on checkout.
            options.update(pool_size=10, max_overflow=20, pool_recycle=1800, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if url.startswith("sqlite"):
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessionmaker = async_sessionmaker(
            self.engine,
            expire_on_commit=False,
            info={
                revisions.LOCAL_REVISIONS_KEY: revisions.LocalRevisions(),
                revisions.CACHES_KEY: {},
                revisions.MAX_STALENESS_KEY: cache_max_staleness,
            },
        )

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the UI read while a background service writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


async def flush_or_conflict(session: AsyncSession, conflict_message: str) -> None:
    """Flushes (giving new rows their ids); a unique constraint that fired under a
    concurrent writer becomes a 409."""
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict(conflict_message) from exc


async def commit_or_conflict(session: AsyncSession, conflict_message: str) -> None:
    """Commits; a unique constraint that fired under a concurrent writer becomes a 409."""
    await flush_or_conflict(session, conflict_message)
    await session.commit()


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.database
    async with database.sessionmaker() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(_request_session)]
"""A session per request; services commit explicitly so a change and its audit record
share one transaction."""

__all__ = [
    "Database",
    "DbSession",
    "commit_or_conflict",
    "flush_or_conflict",
]
