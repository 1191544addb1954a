"""Alembic environment: one chain for SQLite, PostgreSQL and MySQL/MariaDB.

The platform normally passes an open connection (``config.attributes['connection']``)
so migrations run on its own async engine; the command line path builds an engine
from the configured URL.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import gyrfalcon.core.revisions  # noqa: F401 - its table belongs to the chain
from gyrfalcon.core.orm import Base
from gyrfalcon.core.plugins import discover_modules, import_models

import_models(discover_modules())
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_new_engine(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection: Connection | None = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    asyncio.run(_run_with_new_engine(context.config.get_main_option("sqlalchemy.url") or ""))


if context.is_offline_mode():
    raise SystemExit(
        "offline (SQL script) migrations are not supported; run `gyrfalcon db upgrade`"
    )
run_migrations_online()
