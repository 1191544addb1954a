"""The SQL check against real PostgreSQL, MariaDB and SQLite databases.

The safety tests run every attempt to write through the check and then count the
rows of ``t`` over a separate admin connection: a check that raised but wrote
anyway would still fail here.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest

from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.monitors.checks import sql
from gyrfalcon.monitors.checks.base import CheckError, Limits, Observation
from gyrfalcon.monitors.checks.sql import SqlCheck
from gyrfalcon.monitors.checks.sql_guard import validate_query
from tests.conftest import PG_ADMIN_DSN, _mariadb_admin, sqlite_policy_for_tests
from tests.monitors.conftest import WATCHED_ROWS, WatchedDatabase

TIMEOUT = 5.0
_KEYS = {"postgresql": 1, "mariadb": 2, "sqlite": 3}


@pytest.fixture(scope="session")
async def check() -> AsyncIterator[SqlCheck]:
    sql_check = SqlCheck(max_workers=4, sqlite=sqlite_policy_for_tests())
    yield sql_check
    sql_check.close()


@pytest.fixture(params=["postgresql", "mariadb"])
def server(
    request: pytest.FixtureRequest,
    watched_postgres: WatchedDatabase,
    watched_mariadb: WatchedDatabase,
) -> WatchedDatabase:
    return watched_postgres if request.param == "postgresql" else watched_mariadb


@pytest.fixture(params=["postgresql", "mariadb", "sqlite"])
def any_db(
    request: pytest.FixtureRequest,
    watched_postgres: WatchedDatabase,
    watched_mariadb: WatchedDatabase,
    watched_sqlite: WatchedDatabase,
) -> WatchedDatabase:
    return {"postgresql": watched_postgres, "mariadb": watched_mariadb}.get(
        request.param, watched_sqlite
    )


@pytest.fixture
def unchecked_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lets every query past validate_query, to show what the database layer does alone."""
    monkeypatch.setattr(sql, "validate_query", lambda query, _dialect=None: query)


async def _run(
    check: SqlCheck,
    db: WatchedDatabase,
    query: str,
    *,
    config: DatasourceConfig | None = None,
    key: tuple[int, object] | None = None,
    **limits: Any,
) -> Observation:
    return await check.run(
        config or db.config,
        cache_key=key or (_KEYS[db.dialect], "v1"),
        query=query,
        limits=replace(Limits(timeout=TIMEOUT), **limits),
    )


async def _refused(check: SqlCheck, db: WatchedDatabase, query: str) -> str:
    with pytest.raises(CheckError) as raised:
        await _run(check, db, query)
    assert db.count_rows() == WATCHED_ROWS
    return raised.value.message


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- validate_query ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT 1;", "SELECT 1"),
        ("  select 1 ;; ", "select 1"),
        ("-- why\nSELECT 1; -- done", "-- why\nSELECT 1"),
        ("WITH a AS (SELECT 1) SELECT * FROM a", "WITH a AS (SELECT 1) SELECT * FROM a"),
        ("(SELECT 1) UNION (SELECT 2)", "(SELECT 1) UNION (SELECT 2)"),
        ("VALUES (1)", "VALUES (1)"),
        ("TABLE t", "TABLE t"),
        ("show tables", "show tables"),
        ("EXPLAIN SELECT 1", "EXPLAIN SELECT 1"),
        ("SELECT ';' AS semicolon", "SELECT ';' AS semicolon"),
    ],
)
def test_validate_query_accepts_one_read(query: str, expected: str) -> None:
    assert validate_query(query) == expected


_ONE = "only one statement is allowed; remove everything after the first ';'"
_READS = "only read statements (SELECT, WITH ...) are allowed, not "


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "the query is empty"),
        ("  ;  ", "the query is empty"),
        ("-- nothing\n/* here */", "the query is empty"),
        ("SELECT 1; SELECT 2", _ONE),
        ("DELETE FROM t", f"{_READS}DELETE"),
        ("/* hi */ update t set id = 1", f"{_READS}UPDATE"),
        ("/*!CREATE TABLE x */ SELECT 1", "executable comments (/*! ... */) are not allowed"),
        (
            "SELECT * INTO OUTFILE '/tmp/x' FROM t",
            "SELECT ... INTO is not allowed (INTO OUTFILE writes files)",
        ),
        ("((", "only read statements (SELECT, WITH ...) are allowed, not ("),
    ],
)
def test_validate_query_refuses(query: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        validate_query(query)
    assert str(raised.value) == message


# --- nothing is written ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "INSERT INTO t VALUES (4, 'delta')",
        "UPDATE t SET name = 'x'",
        "DELETE FROM t",
        "DROP TABLE t",
        "CREATE TABLE t2 (id int)",
        "SELECT 1; DELETE FROM t",
        "SELECT 1; COMMIT; DELETE FROM t",
    ],
)
async def test_writes_are_refused(check: SqlCheck, server: WatchedDatabase, query: str) -> None:
    await _refused(check, server, query)


async def test_write_in_a_function_is_refused(check: SqlCheck, server: WatchedDatabase) -> None:
    message = await _refused(check, server, "SELECT evil()")
    assert message.startswith("the query tried to write: ")


@pytest.mark.usefixtures("unchecked_parser")
@pytest.mark.parametrize(
    "query", ["INSERT INTO t VALUES (4, 'delta')", "UPDATE t SET name = 'x'", "DELETE FROM t"]
)
async def test_the_database_refuses_writes_the_parser_missed(
    check: SqlCheck, any_db: WatchedDatabase, query: str
) -> None:
    message = await _refused(check, any_db, query)
    assert message.startswith("the query tried to write: "), message


@pytest.mark.usefixtures("unchecked_parser")
@pytest.mark.parametrize("query", ["SELECT 1; DELETE FROM t", "SELECT 1; COMMIT; DELETE FROM t"])
async def test_the_driver_runs_one_statement_only(
    check: SqlCheck, any_db: WatchedDatabase, query: str
) -> None:
    await _refused(check, any_db, query)


@pytest.mark.usefixtures("unchecked_parser")
async def test_mariadb_options_cannot_turn_on_multi_statements(
    check: SqlCheck, watched_mariadb: WatchedDatabase
) -> None:
    # With CLIENT_MULTI_STATEMENTS (65536) the COMMIT would end the read-only
    # transaction and the DDL would run.
    options = {**watched_mariadb.config.options, "client_flag": "65538"}
    config = watched_mariadb.config.model_copy(update={"options": options})
    with pytest.raises(CheckError):
        await _run(
            check,
            watched_mariadb,
            "SELECT 1; COMMIT; CREATE TABLE t2 (id int)",
            config=config,
            key=(96, "v1"),
        )
    with _mariadb_admin() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s",
            (watched_mariadb.database,),
        )
        assert cursor.fetchone() == (1,)


async def test_postgres_refuses_a_write_in_a_cte(
    check: SqlCheck, watched_postgres: WatchedDatabase
) -> None:
    message = await _refused(
        check, watched_postgres, "WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d"
    )
    # PostgreSQL names the statement as a whole, which the CTE makes a write.
    assert message == "the query tried to write: cannot execute SELECT in a read-only transaction"


async def test_postgres_refuses_nextval(check: SqlCheck, watched_postgres: WatchedDatabase) -> None:
    message = await _refused(check, watched_postgres, "SELECT nextval('s')")
    assert message.startswith("the query tried to write: cannot execute nextval()"), message
    observation = await _run(check, watched_postgres, "SELECT is_called FROM s")
    assert observation.first_row == [False]


@pytest.mark.usefixtures("unchecked_parser")
async def test_postgres_runs_what_it_parses_not_what_a_mysql_reader_sees(
    check: SqlCheck, watched_postgres: WatchedDatabase
) -> None:
    # A MySQL reader takes the backslash for an escape and sees one string; PostgreSQL
    # sees three statements, and the extended protocol refuses them. (The statement
    # check refuses backslashes in quotes for this very reason.)
    message = await _refused(check, watched_postgres, "SELECT '\\'; DELETE FROM t; --'")
    assert "multiple commands" in message


async def test_postgres_refuses_ddl_even_past_the_parser(
    check: SqlCheck, watched_postgres: WatchedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MariaDB would run these (DDL commits implicitly): there validate_query is the guard.
    monkeypatch.setattr(sql, "validate_query", lambda query, _dialect=None: query)
    for query in ("DROP TABLE t", "CREATE TABLE t2 (id int)"):
        message = await _refused(check, watched_postgres, query)
        assert message.startswith("the query tried to write: "), message


def _lock_is_free(db: WatchedDatabase) -> bool:
    if db.dialect == "postgresql":
        # Advisory locks belong to a database: ask from inside the watched one.
        with psycopg.connect(PG_ADMIN_DSN.replace("dbname=postgres", f"dbname={db.database}")) as c:
            row = c.execute("SELECT pg_try_advisory_lock(4242)").fetchone()
            return row is not None and row[0] is True
    with _mariadb_admin() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT IS_FREE_LOCK(%s)", (db.database,))
        return cursor.fetchone() == (1,)


async def test_session_locks_are_released(check: SqlCheck, server: WatchedDatabase) -> None:
    # Such a lock outlives the rollback; the pooled connection must not keep it.
    query = (
        "SELECT pg_advisory_lock(4242)"
        if server.dialect == "postgresql"
        else f"SELECT GET_LOCK('{server.database}', 1)"
    )
    await _run(check, server, query)
    assert _lock_is_free(server)


async def test_pooled_connections_are_left_idle(
    check: SqlCheck, watched_postgres: WatchedDatabase
) -> None:
    await _run(check, watched_postgres, "SELECT count(*) FROM t")
    with psycopg.connect(PG_ADMIN_DSN) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state <> 'idle'",
            (watched_postgres.database,),
        ).fetchone()
    assert row == (0,)


# --- time limits -------------------------------------------------------------------------


def _running_sleeps(db: WatchedDatabase) -> int:
    if db.dialect == "postgresql":
        with psycopg.connect(PG_ADMIN_DSN) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND state = 'active' AND query LIKE 'SELECT pg_sleep(10)%%'",
                (db.database,),
            ).fetchone()
            assert row is not None
            return int(row[0])
    with _mariadb_admin() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.PROCESSLIST "
            "WHERE DB = %s AND INFO LIKE 'SELECT SLEEP(10)%%'",
            (db.database,),
        )
        result = cursor.fetchone()
        assert result is not None
        return int(result[0])


async def test_a_slow_query_is_stopped_on_the_server(
    check: SqlCheck, server: WatchedDatabase
) -> None:
    query = "SELECT pg_sleep(10)" if server.dialect == "postgresql" else "SELECT SLEEP(10)"
    with pytest.raises(CheckError) as raised:
        await _run(check, server, query, timeout=2)
    assert raised.value.message == "timed out after 2 s"
    for _ in range(10):
        if _running_sleeps(server) == 0:
            break
        await asyncio.sleep(0.1)
    assert _running_sleeps(server) == 0


async def test_a_slow_sqlite_query_is_interrupted(
    check: SqlCheck, watched_sqlite: WatchedDatabase
) -> None:
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
    with pytest.raises(CheckError, match=r"^timed out after 1 s$"):
        await _run(check, watched_sqlite, endless, timeout=1)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """Accepts connections (from the backlog) and never answers: a hung server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


async def test_a_hung_server_still_gets_an_answer_on_time(
    check: SqlCheck, silent_port: int
) -> None:
    config = DatasourceConfig(
        name="hung", url=f"postgresql://postgres@127.0.0.1:{silent_port}/postgres"
    )
    with pytest.raises(CheckError, match=r"^timed out after 1 s$"):
        await check.run(config, cache_key=(90, "v1"), query="SELECT 1", limits=Limits(timeout=1))


# --- observations ------------------------------------------------------------------------


async def test_count(check: SqlCheck, any_db: WatchedDatabase) -> None:
    observation = await _run(check, any_db, "SELECT count(*) AS n FROM t;")
    assert observation.columns == ["n"]
    assert observation.first_row == [3]
    assert observation.row_count == 1
    assert not observation.rows_capped
    assert observation.sample == {"columns": ["n"], "rows": [[3]], "truncated": False}


async def test_named_columns_and_rows(check: SqlCheck, any_db: WatchedDatabase) -> None:
    observation = await _run(
        check,
        any_db,
        "SELECT id, name AS label, 'a%' AS pct FROM t WHERE name LIKE '%a' ORDER BY id",
    )
    assert observation.columns == ["id", "label", "pct"]
    assert observation.sample["rows"] == [[1, "alpha", "a%"], [2, "beta", "a%"], [3, "gamma", "a%"]]
    assert observation.first_row == [1, "alpha", "a%"]


async def test_an_empty_result_still_names_its_columns(
    check: SqlCheck, any_db: WatchedDatabase
) -> None:
    observation = await _run(check, any_db, "SELECT id, name FROM t WHERE id < 0")
    assert observation.columns == ["id", "name"]
    assert observation.first_row is None
    assert observation.row_count == 0
    assert observation.sample == {"columns": ["id", "name"], "rows": [], "truncated": False}


async def test_postgres_values_are_json_safe(
    check: SqlCheck, watched_postgres: WatchedDatabase
) -> None:
    observation = await _run(
        check,
        watched_postgres,
        "SELECT 12.50::numeric AS price, 42::numeric AS whole, "
        "12345678901234567890.123::numeric AS big, 'NaN'::numeric AS nan, "
        "'2024-05-06 07:08:09+00'::timestamptz AS at, '2024-05-06'::date AS day, "
        "NULL AS nothing, '\\x0102ff'::bytea AS raw, decode(repeat('ab', 100), 'hex') AS blob, "
        "'00000000-0000-0000-0000-000000000001'::uuid AS id, "
        "'{\"a\": [1, 2.5]}'::jsonb AS doc, ARRAY[1, 2] AS arr, 'infinity'::float8 AS inf",
    )
    assert observation.first_row == [
        12.5,
        42,
        "12345678901234567890.123",
        "NaN",
        "2024-05-06T07:08:09+00:00",
        "2024-05-06",
        None,
        "0x0102ff",
        "<100 bytes>",
        "00000000-0000-0000-0000-000000000001",
        {"a": [1, 2.5]},
        [1, 2],
        "inf",
    ]
    json.dumps(observation.sample, allow_nan=False)


async def test_mariadb_values_are_json_safe(
    check: SqlCheck, watched_mariadb: WatchedDatabase
) -> None:
    observation = await _run(
        check,
        watched_mariadb,
        "SELECT SUM(id) AS total, CAST(12.5 AS DECIMAL(10, 2)) AS price, "
        "CAST('2024-05-06 07:08:09' AS DATETIME) AS at, NULL AS nothing, "
        "X'0102FF' AS raw, CONCAT('a', CHAR(0 USING utf8mb4), 'b') AS nul FROM t",
    )
    assert observation.first_row == [6, 12.5, "2024-05-06T07:08:09", None, "0x0102ff", "a\ufffdb"]


async def test_row_cap(check: SqlCheck, watched_postgres: WatchedDatabase) -> None:
    # In the select list the series streams, so this proves that the rest is never produced.
    capped = await _run(
        check, watched_postgres, "SELECT generate_series(1, 1000000000) AS g", max_rows=10
    )
    assert (capped.row_count, capped.rows_capped) == (10, True)
    assert capped.sample["truncated"] is True
    exact = await _run(
        check, watched_postgres, "SELECT g FROM generate_series(1, 10) g", max_rows=10
    )
    assert (exact.row_count, exact.rows_capped) == (10, False)


async def test_row_cap_with_explicit_limit_on_mariadb(
    check: SqlCheck, watched_mariadb: WatchedDatabase
) -> None:
    observation = await _run(
        check, watched_mariadb, "SELECT seq FROM seq_1_to_100000 LIMIT 100000", max_rows=10
    )
    assert (observation.row_count, observation.rows_capped) == (10, True)
    assert observation.first_row == [1]


async def test_mariadb_stops_a_capped_statement_on_the_server(
    check: SqlCheck, watched_mariadb: WatchedDatabase
) -> None:
    """A billion rows with their own LIMIT: reading every one to close the result would
    outlast the time limit (the run would end in 'timed out'); the capped statement is
    killed on the server instead, and the datasource's pool keeps serving."""
    marker = "capped-marker-8c41"
    observation = await _run(
        check,
        watched_mariadb,
        f"SELECT seq, '{marker}' AS m FROM seq_1_to_1000000000 LIMIT 1000000000",
        max_rows=10,
    )
    assert (observation.row_count, observation.rows_capped) == (10, True)
    assert await _statement_ends(marker), "the capped statement still runs on the server"
    again = await _run(check, watched_mariadb, "SELECT count(*) FROM t")
    assert again.first_row == [WATCHED_ROWS]


async def _statement_ends(marker: str) -> bool:
    """Whether the server's process list drops the statement (KILL QUERY takes effect
    when the statement next checks for it); waits up to 30 s, which only a broken fix
    would use up."""
    for _attempt in range(300):
        with _mariadb_admin() as conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.PROCESSLIST "
                "WHERE INFO LIKE %s AND INFO NOT LIKE %s",
                (f"%{marker}%", "%PROCESSLIST%"),
            )
            row = cursor.fetchone()
        if row == (0,):
            return True
        await asyncio.sleep(0.1)
    return False


async def test_sample_keeps_the_first_rows(check: SqlCheck, any_db: WatchedDatabase) -> None:
    observation = await _run(check, any_db, "SELECT id FROM t ORDER BY id", sample_rows=2)
    assert observation.row_count == 3
    assert observation.sample == {"columns": ["id"], "rows": [[1], [2]], "truncated": True}


async def test_sample_stays_within_its_bytes(
    check: SqlCheck, watched_postgres: WatchedDatabase
) -> None:
    observation = await _run(
        check,
        watched_postgres,
        "SELECT g, repeat('x', 50) AS filler FROM generate_series(1, 20) g",
        sample_bytes=300,
    )
    rows = observation.sample["rows"]
    assert 1 < len(rows) < 20
    assert rows == [[i + 1, "x" * 50] for i in range(len(rows))]
    assert observation.sample["truncated"] is True
    assert len(json.dumps(observation.sample)) <= 300


async def test_a_huge_cell_is_cut(check: SqlCheck, watched_postgres: WatchedDatabase) -> None:
    observation = await _run(
        check, watched_postgres, "SELECT 1 AS id, repeat('é', 10000) AS text", sample_bytes=500
    )
    [[identifier, text]] = observation.sample["rows"]
    assert identifier == 1
    assert text.startswith("éé") and text.endswith("…")
    assert observation.sample["truncated"] is True
    assert len(json.dumps(observation.sample)) <= 500
    assert observation.first_row == [1, "é" * 10000]


async def test_show(check: SqlCheck, server: WatchedDatabase) -> None:
    query = "SHOW server_version" if server.dialect == "postgresql" else "SHOW TABLES"
    observation = await _run(check, server, query)
    assert observation.row_count == 1


# --- failures ----------------------------------------------------------------------------


async def test_unknown_table(check: SqlCheck, any_db: WatchedDatabase) -> None:
    with pytest.raises(CheckError) as raised:
        await _run(check, any_db, "SELECT * FROM nope")
    expected = {
        "postgresql": 'relation "nope" does not exist',
        "mariadb": f"Table '{any_db.database}.nope' doesn't exist",
        "sqlite": "no such table: nope",
    }
    assert raised.value.message == expected[any_db.dialect]


async def test_bad_query_is_refused_before_connecting(
    check: SqlCheck, watched_postgres: WatchedDatabase
) -> None:
    with pytest.raises(CheckError, match=r"^the query is empty$"):
        await _run(check, watched_postgres, "-- only a comment")


async def test_connection_refused(check: SqlCheck, server: WatchedDatabase) -> None:
    port = _free_port()
    config = server.config.model_copy(update={"port": port})
    with pytest.raises(CheckError) as raised:
        await _run(check, server, "SELECT 1", config=config, key=(91, port))
    assert raised.value.message == f"connection refused by 127.0.0.1:{port}"


async def test_unknown_database(check: SqlCheck, server: WatchedDatabase) -> None:
    config = server.config.model_copy(update={"database": "gyr_no_such_db"})
    with pytest.raises(CheckError) as raised:
        await _run(check, server, "SELECT 1", config=config, key=(92, server.dialect))
    assert raised.value.message == "database 'gyr_no_such_db' does not exist"


async def test_missing_sqlite_file_is_not_created(check: SqlCheck, tmp_path: Path) -> None:
    path = str(tmp_path / "missing.db")
    config = DatasourceConfig(name="lite", dialect="sqlite", database=path)
    with pytest.raises(CheckError, match=r"^SQLite file '.*missing\.db' does not exist$"):
        await check.run(config, cache_key=(93, "v1"), query="SELECT 1", limits=Limits(timeout=2))
    assert not (tmp_path / "missing.db").exists()


async def test_the_password_is_never_shown(check: SqlCheck) -> None:
    # The server trusts every local login, so the message names the database: the password.
    secret = "hunter2-secret"
    config = DatasourceConfig(
        name="pg", url=f"postgresql://postgres:{secret}@127.0.0.1:5432/{secret}"
    )
    with pytest.raises(CheckError) as raised:
        await check.run(config, cache_key=(94, "v1"), query="SELECT 1", limits=Limits(timeout=2))
    assert raised.value.message == "database '***' does not exist"


async def test_an_edited_datasource_gets_a_new_engine(
    check: SqlCheck, watched_postgres: WatchedDatabase
) -> None:
    key = 95
    await _run(check, watched_postgres, "SELECT 1", key=(key, "v1"))
    moved = watched_postgres.config.model_copy(update={"database": "gyr_no_such_db"})
    with pytest.raises(CheckError, match="does not exist"):
        await _run(check, watched_postgres, "SELECT 1", config=moved, key=(key, "v2"))
    observation = await _run(check, watched_postgres, "SELECT 2", key=(key, "v3"))
    assert observation.first_row == [2]
