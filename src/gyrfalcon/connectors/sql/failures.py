"""SQL failures in an engineer's words: refused logins and refused statements."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

import psycopg

from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.engines import DEFAULT_PORTS
from gyrfalcon.core.failures import Target, auth_failed, timed_out, unknown_database

# PostgreSQL SQLSTATEs and MySQL/MariaDB error numbers worded here.
_PG_READ_ONLY = "25006"
_PG_CANCELED = "57014"
_MYSQL_READ_ONLY = 1792
_MYSQL_TIMEOUTS = frozenset({1969, 3024})  # MariaDB max_statement_time, MySQL max_execution_time
_MYSQL_CLIENT_ERRORS = range(2000, 3000)  # raised by the driver, not by the server
_MYSQL_DRIVER_MODULES = ("pymysql", "MySQLdb")


def target(config: DatasourceConfig) -> Target:
    password = config.password.get_secret_value() if config.password else ""
    return Target(
        host=config.host,
        port=config.port or DEFAULT_PORTS.get(config.dialect),
        secrets=(password,),
    )


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


def classify_login(config: DatasourceConfig, exc: BaseException) -> str | None:
    """A refused login or unknown database, worded; None for anything else."""
    code = exc.args[0] if exc.args else None
    if type(exc).__module__.startswith(("pymysql", "MySQLdb", "mariadb")) and isinstance(code, int):
        rule = _MYSQL_CODES.get(code)
        return rule(config) if rule else None
    text = str(exc)
    return next((rule(config) for pattern, rule in _PG_RULES if pattern.search(text)), None)


def classify_statement(exc: BaseException, timeout: float) -> str | None:
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
