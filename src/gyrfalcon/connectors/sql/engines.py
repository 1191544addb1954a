"""SQL engines: the one way to open a connection to a datasource.

The sync DB-API drivers in worker threads: they are the ones every dialect has.
A thread cannot be cancelled, so every engine sets the driver's own connect and
read timeouts (which free the thread), and callers also bound the wait on their
side. :func:`probe_engine` serves a single connection test; :func:`read_only_engine`
serves repeated read-only work (monitor checks and the modules to come) with the
read-only hardening on every connection and :func:`read_only` around every statement.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import NullPool, PoolResetState, QueuePool

from gyrfalcon.connectors.sql.config import DEFAULT_SQL_DRIVERS, DatasourceConfig

_POOL_RECYCLE = 300
# libpq rounds connect_timeout below 2 s up to 2 s anyway.
_LIBPQ_MIN_TIMEOUT = 2
_MYSQL_MULTI_STATEMENTS = 1 << 16  # CLIENT_MULTI_STATEMENTS of the MySQL protocol
_RELEASE_LOCKS = {
    "postgresql": "SELECT pg_advisory_unlock_all()",
    "mysql": "SELECT RELEASE_ALL_LOCKS()",
    "mariadb": "SELECT RELEASE_ALL_LOCKS()",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}

# The platform may store an async driver; its sync sibling reaches the same server.
_SYNC_DRIVERS = {
    "asyncpg": "psycopg",
    "psycopg_async": "psycopg",
    "aiomysql": "pymysql",
    "asyncmy": "pymysql",
    "aiosqlite": "pysqlite",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306}


def sync_url(config: DatasourceConfig) -> URL:
    """The datasource's URL with its password, on the sync sibling of its driver."""
    url = config.sqlalchemy_url(with_password=True)
    driver = config.driver or DEFAULT_SQL_DRIVERS.get(config.dialect)
    if driver in _SYNC_DRIVERS:
        url = url.set(drivername=f"{config.dialect}+{_SYNC_DRIVERS[driver]}")
    return url


def probe_engine(config: DatasourceConfig, *, timeout: float) -> Engine:
    """An engine without a pool, for one connection that is tried and closed."""
    url = sync_url(config)
    seconds = max(1, math.ceil(timeout))
    return create_engine(
        url, poolclass=NullPool, connect_args=connect_args(url.get_driver_name(), seconds)
    )


def read_only_engine(config: DatasourceConfig, *, seconds: int, size: int) -> Engine:
    """A pooled engine for read-only work within ``seconds`` per statement.

    Every connection it makes is hardened for good: PostgreSQL sessions are read-only
    with a statement timeout (psycopg), SQLite connections are ``query_only``, MySQL
    connections never run several statements per call, and session-level locks are
    freed when a connection returns to the pool. Each use still wraps its statement in
    :func:`read_only`, which bounds it by the caller's deadline.

    The pool keeps as many connections as runs may be in flight.

    Connections are only opened when that many runs of the datasource overlap, and
    then they are worth keeping: an overflow connection closed after each run made
    most runs of a busy datasource open a new one (a new server process, on
    PostgreSQL), which cost more than the query itself.
    """
    url = sync_url(config)
    driver = url.get_driver_name()
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=size,
        max_overflow=0,
        pool_timeout=seconds,
        pool_pre_ping=True,
        pool_recycle=_POOL_RECYCLE,
        connect_args=connect_args(driver, seconds),
    )
    backend = url.get_backend_name()
    if backend == "sqlite":
        event.listen(engine, "connect", _query_only)
    if driver == "psycopg":
        event.listen(engine, "connect", _psycopg_session(seconds))
        event.listen(engine, "reset", _psycopg_reset(seconds))
    elif backend in _RELEASE_LOCKS:
        event.listen(engine, "reset", _lock_releaser(_RELEASE_LOCKS[backend]))
    if driver in ("pymysql", "mysqldb"):
        event.listen(engine, "do_connect", _single_statements)
    return engine


def connect_args(driver: str, seconds: int) -> dict[str, Any]:
    """The driver's own connect and socket timeouts, which free a thread stuck in it."""
    if driver in ("psycopg", "psycopg2"):
        return {"connect_timeout": max(_LIBPQ_MIN_TIMEOUT, seconds)}
    if driver in ("pymysql", "mysqldb"):
        # One second past the limit: the server's own statement limit should answer first.
        return {
            "connect_timeout": seconds,
            "read_timeout": seconds + 1,
            "write_timeout": seconds + 1,
        }
    if driver == "pysqlite":
        return {"timeout": seconds}
    return {}


def _query_only(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Set once per connection and never unset: this engine only ever serves monitors.
    dbapi_connection.execute("PRAGMA query_only = ON")


def _lock_releaser(statement: str) -> Callable[[DBAPIConnection, object, PoolResetState], None]:
    """A pool reset hook that frees session-level locks a query took.

    pg_advisory_lock() and GET_LOCK() outlive the rollback; without this, a pooled
    connection would hold the application's lock until the pool closed it. If the
    statement fails, the pool discards the connection, which frees the locks too.
    """

    def release(dbapi_connection: DBAPIConnection, _record: object, state: PoolResetState) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(statement)
        finally:
            cursor.close()
        # The statement began a transaction; the pool rolls back after this hook
        # only when nothing else already did.
        if state.transaction_was_reset:
            dbapi_connection.rollback()

    return release


def _psycopg_session(seconds: int) -> Callable[[psycopg.Connection[Any], object], None]:
    """Make a new psycopg connection read-only and time-limited for good.

    ``read_only`` is psycopg's own setting: every transaction then starts with BEGIN
    READ ONLY, which no SQL in a query can undo. The statement timeout is a session
    setting (this engine serves one whole-second limit), restored after every run by
    :func:`_psycopg_reset` in case a query changed it. Both spare each run the round
    trips of SET TRANSACTION READ ONLY and SET LOCAL statement_timeout, which cost
    more than a small monitor query itself.
    """

    def configure(dbapi_connection: psycopg.Connection[Any], _record: object) -> None:
        dbapi_connection.read_only = True
        _restore_psycopg_session(dbapi_connection, seconds)

    return configure


def _psycopg_reset(
    seconds: int,
) -> Callable[[psycopg.Connection[Any], object, PoolResetState], None]:
    """On return to the pool: end the transaction, free session-level locks (which
    outlive a rollback) and restore the session's limits, in one round trip."""

    def reset(
        dbapi_connection: psycopg.Connection[Any], _record: object, state: PoolResetState
    ) -> None:
        if not state.transaction_was_reset:
            dbapi_connection.rollback()
        _restore_psycopg_session(dbapi_connection, seconds)

    return reset


def _restore_psycopg_session(connection: psycopg.Connection[Any], seconds: int) -> None:
    # In autocommit the statement needs no BEGIN and no ROLLBACK of its own.
    connection.autocommit = True
    try:
        # standard_conforming_strings: backslashes in '...' are plain characters, as the
        # statement check reads them (sql_guard.py), whatever the server's default.
        connection.execute(
            "SELECT pg_advisory_unlock_all(), set_config('statement_timeout', %s, false), "
            "set_config('standard_conforming_strings', 'on', false)",
            (f"{seconds * 1000}ms",),
        )
    finally:
        connection.autocommit = False


def _single_statements(
    _dialect: object, _record: object, _cargs: list[Any], cparams: dict[str, Any]
) -> None:
    # A datasource's options may pass client_flag; several statements per call never.
    flags = int(cparams.get("client_flag", 0))
    cparams["client_flag"] = flags & ~_MYSQL_MULTI_STATEMENTS


# --- every statement ------------------------------------------------------------------


def remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


@contextlib.contextmanager
def read_only(conn: Connection, *, max_rows: int, deadline: float) -> Iterator[None]:
    """Make the next statement read-only and bounded by the deadline, on the server."""
    name = conn.dialect.name
    if name == "postgresql" and conn.dialect.driver == "psycopg":
        yield  # set on the connection itself (see _psycopg_session)
    elif name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {_ms(remaining(deadline))}")
        yield
    elif name in ("mysql", "mariadb"):
        # Session variables outlive the run on a pooled connection; every run sets its own.
        # sql_select_limit spares the server rows past the cap (an explicit LIMIT wins).
        cap = max_rows + 1
        if getattr(conn.dialect, "is_mariadb", False):
            limit = f"max_statement_time = {remaining(deadline):.3f}"
        else:
            limit = f"max_execution_time = {_ms(remaining(deadline))}"
        conn.exec_driver_sql(f"SET SESSION {limit}, sql_select_limit = {cap}")
        # Per transaction, unlike SET SESSION TRANSACTION READ ONLY, which would stick.
        conn.exec_driver_sql("START TRANSACTION READ ONLY")
        yield
    elif name == "sqlite":
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
    else:
        yield


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
