"""The SQL check: one read-only statement on a watched database, within hard limits.

Production safety comes in layers, because no single one holds on every database:

1. :func:`~gyrfalcon.monitors.checks.sql_guard.validate_query` lets through exactly
   one statement that starts like a read (SELECT, WITH ...), lexed the way every
   supported server lexes it (``sql_guard.py``). On MySQL/MariaDB it is the only guard
   against DDL, which commits implicitly and runs even inside a read-only
   transaction, and against ``INTO OUTFILE``.
2. The driver runs one statement only: psycopg through the extended protocol
   (PostgreSQL refuses several commands there), PyMySQL without the
   MULTI_STATEMENTS capability, sqlite3 by its own rule.
3. The statement runs in a read-only transaction that is always rolled back
   (PostgreSQL, MySQL/MariaDB) or on a connection with ``PRAGMA query_only``
   (SQLite), so writes hidden in CTEs, functions or sequences are refused by the
   database itself. Other dialects get best effort only: a transaction that is
   rolled back, nothing more.
4. The database stops the statement at the deadline (``statement_timeout``,
   ``max_statement_time``/``max_execution_time``, an SQLite progress handler),
   driver socket timeouts free the thread, and ``asyncio.wait_for`` answers the
   caller on time even if a driver ignores both.

None of this stops side effects outside the database (``dblink``, ``lo_export``,
server-side functions with their own connections): the datasource's account
should itself be read-only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, cast

import psycopg
import pymysql
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import PoolResetState, QueuePool

from gyrfalcon.catalog.schemas import DatasourceConfig
from gyrfalcon.catalog.testers.errors import CheckFailed, Target, describe, redact, timed_out
from gyrfalcon.catalog.testers.sql import (
    DEFAULT_PORTS,
    classify,
    require_sqlite_file,
    sync_url,
)
from gyrfalcon.core.jsonsafe import json_safe
from gyrfalcon.monitors.checks.base import CheckError, Limits, Observation
from gyrfalcon.monitors.checks.sql_guard import validate_query

# The executor answers the caller this long after the limit when the database's
# own statement timeout, which fires at the limit, did not free the thread.
_GRACE = 0.5
_POOL_RECYCLE = 300
# Rows fetched per round trip while counting up to max_rows.
_CHUNK = 500
_ELLIPSIS = "…"
_SHORT_BYTES = 64
# libpq rounds connect_timeout below 2 s up to 2 s anyway.
_LIBPQ_MIN_TIMEOUT = 2
# PostgreSQL SQLSTATEs and MySQL/MariaDB error numbers the check words itself.
_PG_READ_ONLY = "25006"
_PG_CANCELED = "57014"
_MYSQL_READ_ONLY = 1792
_MYSQL_INTERRUPTED = 1317  # ER_QUERY_INTERRUPTED, the answer to KILL QUERY
_MYSQL_TIMEOUTS = frozenset({1969, 3024})  # MariaDB max_statement_time, MySQL max_execution_time
_MYSQL_CLIENT_ERRORS = range(2000, 3000)  # raised by the driver, not by the server
_MYSQL_DRIVER_MODULES = ("pymysql", "MySQLdb")
_MYSQL_MULTI_STATEMENTS = 1 << 16  # CLIENT_MULTI_STATEMENTS of the MySQL protocol
_RELEASE_LOCKS = {
    "postgresql": "SELECT pg_advisory_unlock_all()",
    "mysql": "SELECT RELEASE_ALL_LOCKS()",
    "mariadb": "SELECT RELEASE_ALL_LOCKS()",
}


@dataclass
class _Rows:
    columns: list[str]
    rows: list[list[Any]]
    """The first rows read (JSON-safe), as many as the sample and first_row need."""
    count: int
    capped: bool


class SqlCheck:
    """Runs SQL monitors on a bounded pool of threads with cached, per-datasource engines.

    Each engine is keyed by the caller's ``cache_key`` ``(datasource_id, version)``:
    an edited datasource gets a new engine and the old one is disposed. Within a
    version there is one engine per whole-second timeout, because the driver's
    connect and socket timeouts are fixed when a connection is made and pooled
    connections serve later runs.
    """

    def __init__(self, *, max_workers: int) -> None:
        self._max_workers = max_workers
        self._executor = ThreadPoolExecutor(max_workers, thread_name_prefix="gyrfalcon-sql-check")
        self._engines: dict[tuple[tuple[int, object], int], Engine] = {}
        self._lock = threading.Lock()

    async def run(
        self,
        datasource: DatasourceConfig,
        *,
        cache_key: tuple[int, object],
        query: str,
        limits: Limits,
    ) -> Observation:
        """Run ``query`` once; the observation, or CheckError with one sentence."""
        try:
            statement = validate_query(query, datasource.dialect)
        except ValueError as exc:
            raise CheckError(str(exc)) from exc
        password = datasource.password.get_secret_value() if datasource.password else ""
        target = Target(
            host=datasource.host,
            port=datasource.port or DEFAULT_PORTS.get(datasource.dialect),
            secrets=(password,),
        )
        deadline = time.monotonic() + limits.timeout
        loop = asyncio.get_running_loop()
        try:
            engine = self._engine(datasource, cache_key, max(1, math.ceil(limits.timeout)))
            work = partial(_observe, engine, statement, limits, deadline)
            read = await asyncio.wait_for(
                loop.run_in_executor(self._executor, work), limits.timeout + _GRACE
            )
        except TimeoutError as exc:
            raise CheckError(timed_out(limits.timeout)) from exc
        except CheckFailed as exc:
            raise CheckError(redact(exc.message, target.secrets)) from exc
        except Exception as exc:
            classify = partial(_classify_failure, datasource, limits.timeout)
            raise CheckError(
                describe(exc, target, timeout=limits.timeout, classify=classify)
            ) from exc
        return _observation(read, limits)

    def close(self) -> None:
        """Dispose every engine; threads stuck in a driver are left to their socket timeouts."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            engines = list(self._engines.values())
            self._engines.clear()
        for engine in engines:
            engine.dispose()

    def _engine(
        self, datasource: DatasourceConfig, cache_key: tuple[int, object], seconds: int
    ) -> Engine:
        with self._lock:
            engine = self._engines.get((cache_key, seconds))
            if engine is not None:
                return engine
            stale = [k for k in self._engines if k[0][0] == cache_key[0] and k[0] != cache_key]
            replaced = [self._engines.pop(key) for key in stale]
            engine = _create_engine(datasource, seconds=seconds, size=self._max_workers)
            self._engines[(cache_key, seconds)] = engine
        for old in replaced:
            # Closing pooled connections may wait on the network: not on the event loop.
            self._executor.submit(old.dispose)
        return engine


# --- engines -----------------------------------------------------------------------------


def _create_engine(config: DatasourceConfig, *, seconds: int, size: int) -> Engine:
    """An engine whose pool keeps as many connections as runs may be in flight.

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
        connect_args=_connect_args(driver, seconds),
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


def _connect_args(driver: str, seconds: int) -> dict[str, Any]:
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


# --- one run, in a worker thread -----------------------------------------------------------


def _observe(engine: Engine, query: str, limits: Limits, deadline: float) -> _Rows:
    if engine.dialect.name == "sqlite":
        require_sqlite_file(engine.url.database)
    with engine.connect() as conn:
        try:
            with _read_only(conn, limits=limits, deadline=deadline):
                if conn.dialect.driver == "psycopg":
                    return _read_psycopg(conn, query, limits)
                return _read_generic(conn, query, limits)
        finally:
            conn.rollback()


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


@contextlib.contextmanager
def _read_only(conn: Connection, *, limits: Limits, deadline: float) -> Iterator[None]:
    """Make the next statement read-only and bounded by the deadline, on the server."""
    name = conn.dialect.name
    if name == "postgresql" and conn.dialect.driver == "psycopg":
        yield  # set on the connection itself (see _psycopg_session)
    elif name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {_ms(_remaining(deadline))}")
        yield
    elif name in ("mysql", "mariadb"):
        # Session variables outlive the run on a pooled connection; every run sets its own.
        # sql_select_limit spares the server rows past the cap (an explicit LIMIT wins).
        cap = limits.max_rows + 1
        if getattr(conn.dialect, "is_mariadb", False):
            limit = f"max_statement_time = {_remaining(deadline):.3f}"
        else:
            limit = f"max_execution_time = {_ms(_remaining(deadline))}"
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


def _read_psycopg(conn: Connection, query: str, limits: Limits) -> _Rows:
    # stream() uses the extended protocol, so PostgreSQL refuses a second statement,
    # and reads in chunks; closing it early cancels the rest of the query.
    raw = conn.connection.dbapi_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor:
        # Typed as Iterator, but a generator: closing it is what cancels.
        stream = cast(Generator[Sequence[Any], None, None], cursor.stream(query, size=_CHUNK))
        try:
            rows, count, capped = _collect(stream, limits)
        finally:
            stream.close()
        described = cursor.description
    columns = [c.name for c in described] if described else _describe(raw, query)
    return _Rows(columns, rows, count, capped)


def _describe(raw: psycopg.Connection[Any], query: str) -> list[str]:
    # An empty stream never carries the row description; parsing the statement does,
    # without running it.
    encoding = raw.info.encoding
    pgconn = raw.pgconn
    if pgconn.prepare(b"", query.encode(encoding)).status != psycopg.pq.ExecStatus.COMMAND_OK:
        return []
    result = pgconn.describe_prepared(b"")
    return [(result.fname(i) or b"").decode(encoding) for i in range(result.nfields)]


def _read_generic(conn: Connection, query: str, limits: Limits) -> _Rows:
    # no_parameters: the DB-API must not read '%' in the query as a placeholder.
    # stream_results: a server-side cursor, so rows past the cap are not all loaded.
    options = conn.execution_options(
        no_parameters=True, stream_results=conn.dialect.supports_server_side_cursors
    )
    result = options.exec_driver_sql(query)
    ended = False
    try:
        if not result.returns_rows:
            return _Rows([], [], 0, False)
        columns = list(result.keys())
        rows, count, capped = _collect(iter(result), limits)
        if capped and conn.dialect.name in ("mysql", "mariadb"):
            ended = _end_mysql_statement(conn)
    finally:
        if ended:
            _finish_killed(result.cursor)
            conn.invalidate()
        result.close()
    return _Rows(columns, rows, count, capped)


def _finish_killed(cursor: Any) -> None:
    """Read a killed statement's result up to the server's "interrupted" error.

    PyMySQL ends an unbuffered result quietly only for timeouts; for ER_QUERY_INTERRUPTED
    it raises and would try to read again on every later close. The connection is
    invalidated right after, so marking the result finished here is safe.
    """
    try:
        cursor.close()
    except pymysql.err.OperationalError as exc:
        if exc.args[0] != _MYSQL_INTERRUPTED:
            raise
        cursor._result.unbuffered_active = False
        cursor.connection = None


def _end_mysql_statement(conn: Connection) -> bool:
    """Stop a capped statement on the server; True when it was asked to stop.

    Closing a MySQL result reads every remaining row first (the protocol has no way to
    cancel a result in flight), so a 20-million-row query with its own LIMIT ran to its
    end to report the cap. ``KILL QUERY`` from a second, unpooled connection ends the
    statement at once; the caller then drops the streaming connection rather than
    pooling it, so no later run meets what is left of the result.
    """
    raw = conn.connection.dbapi_connection
    thread_id = getattr(raw, "thread_id", None)
    if thread_id is None:
        return False
    engine = conn.engine
    cargs, cparams = engine.dialect.create_connect_args(engine.url)
    killer = engine.dialect.connect(*cargs, **cparams)
    try:
        with contextlib.closing(killer.cursor()) as cursor:
            cursor.execute(f"KILL QUERY {int(thread_id())}")
    finally:
        killer.close()
    return True


def _collect(rows: Iterator[Sequence[Any]], limits: Limits) -> tuple[list[list[Any]], int, bool]:
    """Count up to max_rows rows, keeping the first few; capped when one more exists."""
    keep = max(1, limits.sample_rows)
    kept: list[list[Any]] = []
    count = 0
    for row in rows:
        if count == limits.max_rows:
            return kept, count, True
        if count < keep:
            kept.append([_cell(value) for value in row])
        count += 1
    return kept, count, False


# --- errors ----------------------------------------------------------------------------


def _classify_failure(config: DatasourceConfig, timeout: float, exc: BaseException) -> str | None:
    """Connection failures as the connection tester words them, else the database's words."""
    return classify(config, exc) or _refused_statement(exc, timeout)


def _refused_statement(exc: BaseException, timeout: float) -> str | None:
    """The database's own sentence for a statement it refused; None for connection failures."""
    if isinstance(exc, psycopg.Error):
        if exc.sqlstate is None:  # raised by libpq, not by the server
            return None
        text = exc.diag.message_primary or _first_line(str(exc))
        if exc.sqlstate == _PG_CANCELED and "statement timeout" in text:
            return timed_out(timeout)
        return _wrote(text) if exc.sqlstate == _PG_READ_ONLY else text
    if type(exc).__module__.startswith(_MYSQL_DRIVER_MODULES):
        code = exc.args[0] if exc.args else None
        if not isinstance(code, int) or code in _MYSQL_CLIENT_ERRORS:
            return None
        text = _first_line(str(exc.args[1])) if len(exc.args) > 1 else str(code)
        if code in _MYSQL_TIMEOUTS:
            return timed_out(timeout)
        return _wrote(text) if code == _MYSQL_READ_ONLY else text
    if isinstance(exc, sqlite3.Error):
        text = _first_line(str(exc))
        if text == "interrupted":  # by the progress handler, at the deadline
            return timed_out(timeout)
        return _wrote(text) if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY" else text
    return None


def _wrote(message: str) -> str:
    return f"the query tried to write: {message}"


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


# --- JSON-safe values and the sample -----------------------------------------------------


def _cell(value: Any) -> Any:
    """One sampled cell as JSON: numbers stay numbers where that loses nothing (a Decimal
    that a float holds exactly; integral ones become ints), short binary values are
    hex and long ones only their size; the rest as ``core.jsonsafe`` renders it."""
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return f"0x{data.hex()}" if len(data) <= _SHORT_BYTES else f"<{len(data)} bytes>"
    return json_safe(value)


def _decimal(value: Decimal) -> int | float | str:
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    return number if Decimal(repr(number)) == value else str(value)


def _observation(read: _Rows, limits: Limits) -> Observation:
    rows = [list(row) for row in read.rows[: limits.sample_rows]]
    sample: dict[str, Any] = {
        "columns": read.columns,
        "rows": rows,
        "truncated": read.capped or read.count > len(rows),
    }
    _fit(sample, limits.sample_bytes)
    return Observation(
        columns=read.columns,
        first_row=read.rows[0] if read.rows else None,
        row_count=read.count,
        rows_capped=read.capped,
        sample=sample,
    )


def _size(sample: dict[str, Any]) -> int:
    # ASCII-escaped, so never less than the UTF-8 bytes the sample is stored as.
    return len(json.dumps(sample))


def _fit(sample: dict[str, Any], max_bytes: int) -> None:
    """Drop trailing rows until the sample fits; cut the cells of a lone row that does not."""
    rows: list[list[Any]] = sample["rows"]
    while len(rows) > 1 and _size(sample) > max_bytes:
        rows.pop()
        sample["truncated"] = True
    if not rows or _size(sample) <= max_bytes:
        return
    sample["truncated"] = True
    # Nested JSON becomes text so that it can be cut like any long value.
    row = [json.dumps(cell) if isinstance(cell, dict | list) else cell for cell in rows[0]]
    rows[0] = row
    ellipsis = len(json.dumps(_ELLIPSIS)) - 2
    while (excess := _size(sample) - max_bytes) > 0:
        longest = max(
            (i for i, cell in enumerate(row) if isinstance(cell, str) and len(cell) > 1),
            key=lambda i: len(row[i]),
            default=None,
        )
        if longest is None:
            # Nothing left to cut (hundreds of columns): the sample keeps the header only.
            sample["rows"] = []
            return
        cell = row[longest]
        room = len(json.dumps(cell)) - excess - ellipsis
        row[longest] = cell[: _longest_prefix(cell, room)] + _ELLIPSIS


def _longest_prefix(text: str, room: int) -> int:
    """How many characters of ``text`` fit in ``room`` characters of JSON, quotes included.

    Escapes make a character take up to 12 JSON characters, so the cut is searched
    for rather than computed.
    """
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(json.dumps(text[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    return low
