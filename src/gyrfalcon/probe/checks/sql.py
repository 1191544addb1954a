"""A check that runs one SQL statement through a SQLAlchemy engine, sync or async."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gyrfalcon.probe.checks.base import DEFAULT_TIMEOUT, Check
from gyrfalcon.probe.spans import current_span

if TYPE_CHECKING:
    from sqlalchemy import URL, Engine
    from sqlalchemy.ext.asyncio import AsyncEngine


def sql_query(
    engine: Engine | AsyncEngine,
    sql: str = "SELECT 1",
    *,
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Check:
    """Run ``sql`` on a connection of ``engine`` and count the rows it returned (or, for
    a statement returning none, the rows it changed), in a transaction rolled back at
    the end: a debug call must leave the data as it found it.

    The target names the server and database, never the credentials. ``timeout`` bounds
    the wait, not the query: give the engine a statement timeout of its own (e.g.
    ``connect_args={"options": "-c statement_timeout=2000"}`` on PostgreSQL) so that a
    thread left behind by a sync engine ends too.
    """
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import AsyncEngine

    statement = text(sql)
    backend = engine.url.get_backend_name()

    def check(call: Callable[[], Any]) -> Check:
        return Check(
            name=name or f"{backend} query",
            call=call,
            kind="db",
            target=server_of(engine.url),
            timeout=timeout,
            attributes={"db.system": backend, "sql": sql},
        )

    if isinstance(engine, AsyncEngine):
        async_engine = engine

        async def query_async() -> int:
            async with async_engine.connect() as connection:
                result = await connection.execute(statement)
                rows = len(result.fetchall()) if result.returns_rows else result.rowcount
            current_span().attributes["rows"] = rows
            return rows

        return check(query_async)

    sync_engine = engine

    def query() -> int:
        with sync_engine.connect() as connection:
            result = connection.execute(statement)
            rows = len(result.fetchall()) if result.returns_rows else result.rowcount
        current_span().attributes["rows"] = rows
        return rows

    return check(query)


def server_of(url: URL) -> str:
    """host:port/database, or for a file database the URL without its query: the user
    name, password and options (which may carry secrets) stay out of the trace."""
    if url.host:
        port = f":{url.port}" if url.port else ""
        return f"{url.host}{port}/{url.database or ''}"
    return url.set(username=None, password=None, query={}).render_as_string()
