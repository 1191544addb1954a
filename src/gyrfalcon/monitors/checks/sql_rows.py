"""One SQL monitor run in a worker thread: the statement, read-only and bounded, and its
rows counted up to the cap with the first few kept (JSON-safe) for the sample."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import psycopg
import pymysql
from sqlalchemy.engine import Connection, Engine

from gyrfalcon.connectors.sql.engines import read_only
from gyrfalcon.connectors.sql.sqlite_files import require_sqlite_file
from gyrfalcon.core.jsonsafe import json_safe
from gyrfalcon.monitors.checks.base import Limits

# Rows fetched per round trip while counting up to max_rows.
_CHUNK = 500
_SHORT_BYTES = 64
_MYSQL_INTERRUPTED = 1317  # ER_QUERY_INTERRUPTED, the answer to KILL QUERY


@dataclass
class Rows:
    columns: list[str]
    rows: list[list[Any]]
    """The first rows read (JSON-safe), as many as the sample and first_row need."""
    count: int
    capped: bool


def read_rows(engine: Engine, query: str, limits: Limits, deadline: float) -> Rows:
    if engine.dialect.name == "sqlite":
        require_sqlite_file(engine.url.database)
    with engine.connect() as conn:
        try:
            with read_only(conn, max_rows=limits.max_rows, deadline=deadline):
                if conn.dialect.driver == "psycopg":
                    return _read_psycopg(conn, query, limits)
                return _read_generic(conn, query, limits)
        finally:
            conn.rollback()


def _read_psycopg(conn: Connection, query: str, limits: Limits) -> Rows:
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
    return Rows(columns, rows, count, capped)


def _describe(raw: psycopg.Connection[Any], query: str) -> list[str]:
    # An empty stream never carries the row description; parsing the statement does,
    # without running it.
    encoding = raw.info.encoding
    pgconn = raw.pgconn
    if pgconn.prepare(b"", query.encode(encoding)).status != psycopg.pq.ExecStatus.COMMAND_OK:
        return []
    result = pgconn.describe_prepared(b"")
    return [(result.fname(i) or b"").decode(encoding) for i in range(result.nfields)]


def _read_generic(conn: Connection, query: str, limits: Limits) -> Rows:
    # no_parameters: the DB-API must not read '%' in the query as a placeholder.
    # stream_results: a server-side cursor, so rows past the cap are not all loaded.
    options = conn.execution_options(
        no_parameters=True, stream_results=conn.dialect.supports_server_side_cursors
    )
    result = options.exec_driver_sql(query)
    ended = False
    try:
        if not result.returns_rows:
            return Rows([], [], 0, False)
        columns = list(result.keys())
        rows, count, capped = _collect(iter(result), limits)
        if capped and conn.dialect.name in ("mysql", "mariadb"):
            ended = _end_mysql_statement(conn)
    finally:
        if ended:
            _finish_killed(result.cursor)
            conn.invalidate()
        result.close()
    return Rows(columns, rows, count, capped)


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


def _cell(value: Any) -> Any:
    """One sampled cell as JSON: numbers stay numbers where that loses nothing (a Decimal
    that a float holds exactly; integral ones become ints), short binary values are
    hex and long ones only their size; the rest as ``core.jsonsafe`` renders it."""
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # '+00:00' as the database's own drivers spell UTC
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
