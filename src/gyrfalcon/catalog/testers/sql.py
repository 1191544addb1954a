"""Test a datasource by connecting with its own credentials and running ``SELECT 1``.

The check uses SQLAlchemy's sync engine with the sync DB-API drivers, in a
worker thread: it needs one connection, not a pool, and the sync drivers are
the ones every dialect has. A thread cannot be cancelled, so the deadline is
enforced twice: the driver's own connect/read timeouts free the thread, and
:func:`run_check` gives the answer on time even if the driver ignores them.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, literal_column, select
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from gyrfalcon.catalog.schemas import (
    DEFAULT_SQL_DRIVERS,
    ConnectionTestResult,
    DatasourceConfig,
)
from gyrfalcon.catalog.testers.errors import (
    CheckFailed,
    Outcome,
    Target,
    auth_failed,
    run_check,
    unknown_database,
)

# The platform may store an async driver; its sync sibling reaches the same server.
_SYNC_DRIVERS = {
    "asyncpg": "psycopg",
    "psycopg_async": "psycopg",
    "aiomysql": "pymysql",
    "asyncmy": "pymysql",
    "aiosqlite": "pysqlite",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}
# libpq rounds connect_timeout below 2 s up to 2 s anyway.
_LIBPQ_MIN_TIMEOUT = 2


class SqlTester:
    """Tester for :class:`DatasourceConfig`."""

    async def test(
        self, config: DatasourceConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        password = config.password.get_secret_value() if config.password else ""
        target = Target(
            host=config.host,
            port=config.port or DEFAULT_PORTS.get(config.dialect),
            secrets=(password,),
        )
        return await run_check(
            lambda: asyncio.to_thread(_select_one, config, timeout),
            target=target,
            limit=timeout,
            classify=partial(classify, config),
        )


def sync_url(config: DatasourceConfig) -> URL:
    url = config.sqlalchemy_url(with_password=True)
    driver = config.driver or DEFAULT_SQL_DRIVERS.get(config.dialect)
    if driver in _SYNC_DRIVERS:
        url = url.set(drivername=f"{config.dialect}+{_SYNC_DRIVERS[driver]}")
    return url


def _connect_args(driver: str, timeout: float) -> dict[str, Any]:
    seconds = max(1, math.ceil(timeout))
    if driver in ("psycopg", "psycopg2"):
        return {"connect_timeout": max(_LIBPQ_MIN_TIMEOUT, seconds)}
    if driver in ("pymysql", "mysqldb", "mariadbconnector"):
        return {"connect_timeout": seconds, "read_timeout": seconds, "write_timeout": seconds}
    if driver == "pysqlite":
        return {"timeout": timeout}
    return {}


def _select_one(config: DatasourceConfig, timeout: float) -> Outcome:
    url = sync_url(config)
    if url.get_backend_name() == "sqlite":
        require_sqlite_file(url.database)
    engine = create_engine(
        url, poolclass=NullPool, connect_args=_connect_args(url.get_driver_name(), timeout)
    )
    try:
        with engine.connect() as conn:
            conn.execute(select(literal_column("1"))).scalar_one()
        version = engine.dialect.server_version_info
    finally:
        engine.dispose()
    details: dict[str, Any] = {"dialect": engine.dialect.name, "driver": engine.dialect.driver}
    if version:
        details["server_version"] = ".".join(str(part) for part in version)
    where = f" on {config.database}" if config.database else ""
    return Outcome(f"connected and ran SELECT 1{where}", details)


def require_sqlite_file(database: str | None) -> None:
    # Connecting would create a missing file: a test must not leave one behind.
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if not Path(database).is_file():
        raise CheckFailed(f"SQLite file '{database}' does not exist")


# libpq reports login failures as text only, without an SQLSTATE.
_PG_RULES: tuple[tuple[re.Pattern[str], Callable[[DatasourceConfig], str]], ...] = (
    (re.compile(r"password authentication failed"), lambda c: auth_failed(c.username)),
    (
        re.compile(r'role "[^"]*" does not exist'),
        lambda c: f"{auth_failed(c.username)}: no such role",
    ),
    (re.compile(r'database "[^"]*" does not exist'), lambda c: unknown_database(c.database)),
    (
        re.compile(r"no pg_hba\.conf entry"),
        lambda c: f"the server does not let user '{c.username}' in from this host (pg_hba.conf)",
    ),
)
_MYSQL_CODES: dict[int, Callable[[DatasourceConfig], str]] = {
    1044: lambda c: f"user '{c.username}' may not use database '{c.database}'",
    1045: lambda c: auth_failed(c.username),
    1049: lambda c: unknown_database(c.database),
    1698: lambda c: auth_failed(c.username),
}


def classify(config: DatasourceConfig, exc: BaseException) -> str | None:
    code = exc.args[0] if exc.args else None
    if type(exc).__module__.startswith(("pymysql", "MySQLdb", "mariadb")) and isinstance(code, int):
        rule = _MYSQL_CODES.get(code)
        return rule(config) if rule else None
    text = str(exc)
    return next((rule(config) for pattern, rule in _PG_RULES if pattern.search(text)), None)
