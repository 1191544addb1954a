"""Watched databases for the monitor tests: a throwaway database per session on the
machine's PostgreSQL and MariaDB, and an SQLite file, each holding table ``t``.

``t`` has three rows. A separate admin connection counts them, so a test can prove
that a monitor's query left them alone. Both servers also hold a function ``evil()``
that deletes from ``t``, to show that a write hidden behind a SELECT is refused too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from gyrfalcon.connectors.sql.config import DatasourceConfig
from tests.conftest import (
    PG_ADMIN_DSN,
    _create_mariadb,
    _create_postgres,
    _drop_mariadb,
    _drop_postgres,
    _mariadb_admin,
)
from tests.support.shop import shop, shop_db

__all__ = ["shop", "shop_db"]

WATCHED_ROWS = 3


@dataclass(frozen=True)
class WatchedDatabase:
    dialect: str
    config: DatasourceConfig
    count_rows: Callable[[], int]
    """Rows in ``t``, read over an admin connection of its own."""
    database: str


@pytest.fixture(scope="session")
def watched_postgres() -> Iterator[WatchedDatabase]:
    name, url = _create_postgres()
    dsn = PG_ADMIN_DSN.replace("dbname=postgres", f"dbname={name}")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL)")
        conn.execute("INSERT INTO t VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma')")
        conn.execute("CREATE SEQUENCE s")
        conn.execute(
            "CREATE FUNCTION evil() RETURNS int LANGUAGE plpgsql "
            "AS $$ BEGIN DELETE FROM t; RETURN 1; END $$"
        )

    def count_rows() -> int:
        with psycopg.connect(dsn) as conn:
            row = conn.execute("SELECT count(*) FROM t").fetchone()
            assert row is not None
            return int(row[0])

    yield WatchedDatabase("postgresql", DatasourceConfig(name="pg", url=url), count_rows, name)
    _drop_postgres(name)


@pytest.fixture(scope="session")
def watched_mariadb() -> Iterator[WatchedDatabase]:
    name, url = _create_mariadb()
    with _mariadb_admin() as conn, conn.cursor() as cursor:
        cursor.execute(f"USE `{name}`")
        cursor.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)")
        cursor.execute("INSERT INTO t VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma')")
        cursor.execute(
            "CREATE FUNCTION evil() RETURNS INT MODIFIES SQL DATA "
            "BEGIN DELETE FROM t; RETURN 1; END"
        )

    def count_rows() -> int:
        with _mariadb_admin() as conn, conn.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM `{name}`.t")
            row = cursor.fetchone()
            assert row is not None
            return int(row[0])

    yield WatchedDatabase("mariadb", DatasourceConfig(name="maria", url=url), count_rows, name)
    _drop_mariadb(name)


@pytest.fixture(scope="session")
def watched_sqlite(tmp_path_factory: pytest.TempPathFactory) -> WatchedDatabase:
    path = tmp_path_factory.mktemp("watched") / "watched.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        conn.execute("INSERT INTO t VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma')")
    conn.close()

    def count_rows() -> int:
        with sqlite3.connect(path) as admin:
            count = int(admin.execute("SELECT count(*) FROM t").fetchone()[0])
        admin.close()
        return count

    config = DatasourceConfig(name="lite", dialect="sqlite", database=str(path))
    return WatchedDatabase("sqlite", config, count_rows, str(Path(path)))
