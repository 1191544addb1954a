"""Issue 8.3: a corpus of attempts to get past the statement check, per dialect, run
against the real servers.

The review wrote files on the MariaDB host with ``SELECT 'pwn' INTO #x\\nOUTFILE ...``
and ``SELECT 'pwn2' --1 INTO OUTFILE ...``, and ran the hidden part of
``SELECT 1 --1 /*!, SLEEP(0) */\\n, 2``: the checker's comment rules were not the
server's. Every attempt here goes through the real check (statement check included)
against the real server; afterwards the rows of ``t`` are counted over an admin
connection, the tables of the database are listed, and the directory the attempts aim
their files at must still be empty. A control test shows that the server would write
such a file if the statement check let it through, so the file checks are real.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from gyrfalcon.monitors.checks import sql
from gyrfalcon.monitors.checks.base import CheckError, Limits
from gyrfalcon.monitors.checks.sql import SqlCheck
from gyrfalcon.monitors.checks.sql_guard import validate_query
from tests.conftest import _mariadb_admin, sqlite_policy_for_tests
from tests.monitors.conftest import WATCHED_ROWS, WatchedDatabase

# {out} is a file in a directory the database server may write to.
MARIADB_BYPASSES = [
    "SELECT 'pwn' INTO #x\nOUTFILE '{out}'",
    "SELECT 'pwn2' --1 INTO OUTFILE '{out}'\nLINES TERMINATED BY '\\n'",
    "SELECT 1 --1 /*!, SLEEP(0) */\n, 2",
    "SELECT 'x' /*! INTO OUTFILE '{out}' */",
    "SELECT 'x' /*!50000 INTO OUTFILE '{out}' */",
    "SELECT 'x' /*M!100000 INTO OUTFILE '{out}' */",
    "SELECT 'x' INTO/**/OUTFILE '{out}'",
    "SELECT 'x' INTO DUMPFILE '{out}'",
    "SELECT 'x' into outfile '{out}'",
    "SELECT 'a\\' INTO OUTFILE ''{out}'' -- '",
    'SELECT "a\\" INTO OUTFILE \'{out}\' -- "',
    "SELECT 1 -- x\r INTO OUTFILE '{out}'",
    "SELECT 1 #\n; CREATE TABLE t2 (id int)",
    "SELECT 1 /* /* */ ; CREATE TABLE t2 (id int); /* */",
    "SELECT 1;\nCREATE TABLE t2 (id int)",
    "SELECT 'x' INTO @stolen",
    "/*!CREATE TABLE t2 (id int) */ SELECT 1",
]
POSTGRES_BYPASSES = [
    "SELECT 1 /* /* */ ; DELETE FROM t; /* */",
    "SELECT $$ ' $$; DELETE FROM t; --'",
    "SELECT $a$;$a$; DELETE FROM t",
    "SELECT E'\\''; DELETE FROM t; --'",
    "SELECT '\\'; DELETE FROM t; --'",
    "SELECT 1 --x\n; DELETE FROM t",
    "SELECT * INTO t2 FROM t",
    "SELECT 1 -- hidden\r; DELETE FROM t",
    "COPY t TO '{out}'",
]
SQLITE_BYPASSES = [
    "SELECT [a'] ; DELETE FROM t; ['b] FROM t",
    "SELECT 1; DELETE FROM t",
    "SELECT 'x' /* unterminated",
    "ATTACH DATABASE '{out}' AS stolen",
]
# Legitimate queries that read the same everywhere keep working, on every server.
STILL_ACCEPTED = [
    "SELECT '--' AS dashes, '#' AS hash, '/*!' AS bang, '$$' AS dollars",
    "SELECT 'it''s' AS quote -- a comment with a space\n",
    "SELECT 1 AS one /* a plain comment */",
    "SELECT count(*) AS n FROM t WHERE name <> 'x;y'",
]


@pytest.fixture
def out_dir() -> Iterator[Path]:
    """A directory the database server's own user may write to (its files are owned by it)."""
    path = Path(tempfile.mkdtemp(prefix="gyr-outfile-"))
    path.chmod(0o777)
    yield path
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


def _tables(db: WatchedDatabase) -> set[str]:
    if db.dialect == "mariadb":
        with _mariadb_admin() as conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s",
                (db.database,),
            )
            return {row[0] for row in cursor.fetchall()}
    return set()


async def _attempt(check: SqlCheck, db: WatchedDatabase, query: str) -> str:
    keys = {"postgresql": 71, "mariadb": 72, "sqlite": 73}
    with pytest.raises(CheckError) as raised:
        await check.run(
            db.config,
            cache_key=(keys[db.dialect], "bypass"),
            query=query,
            limits=Limits(timeout=5.0),
        )
    return raised.value.message


@pytest.fixture(scope="module")
async def check() -> AsyncIterator[SqlCheck]:
    sql_check = SqlCheck(max_workers=2, sqlite=sqlite_policy_for_tests())
    yield sql_check
    sql_check.close()


@pytest.mark.parametrize("attempt", MARIADB_BYPASSES)
async def test_mariadb_bypasses_write_nothing(
    check: SqlCheck, watched_mariadb: WatchedDatabase, out_dir: Path, attempt: str
) -> None:
    tables = _tables(watched_mariadb)
    query = attempt.format(out=out_dir / "stolen.txt")
    with pytest.raises(ValueError):
        validate_query(query, "mariadb")
    await _attempt(check, watched_mariadb, query)
    assert list(out_dir.iterdir()) == []
    assert watched_mariadb.count_rows() == WATCHED_ROWS
    assert _tables(watched_mariadb) == tables


@pytest.mark.parametrize("attempt", POSTGRES_BYPASSES)
async def test_postgres_bypasses_write_nothing(
    check: SqlCheck, watched_postgres: WatchedDatabase, out_dir: Path, attempt: str
) -> None:
    query = attempt.format(out=out_dir / "stolen.txt")
    with pytest.raises(ValueError):
        validate_query(query, "postgresql")
    await _attempt(check, watched_postgres, query)
    assert list(out_dir.iterdir()) == []
    assert watched_postgres.count_rows() == WATCHED_ROWS


@pytest.mark.parametrize("attempt", SQLITE_BYPASSES)
async def test_sqlite_bypasses_write_nothing(
    check: SqlCheck, watched_sqlite: WatchedDatabase, out_dir: Path, attempt: str
) -> None:
    query = attempt.format(out=out_dir / "stolen.db")
    with pytest.raises(ValueError):
        validate_query(query, "sqlite")
    await _attempt(check, watched_sqlite, query)
    assert list(out_dir.iterdir()) == []
    assert watched_sqlite.count_rows() == WATCHED_ROWS


@pytest.mark.parametrize("query", STILL_ACCEPTED)
@pytest.mark.parametrize("dialect", ["postgresql", "mariadb", "sqlite"])
async def test_plain_reads_still_run_everywhere(
    check: SqlCheck,
    watched_postgres: WatchedDatabase,
    watched_mariadb: WatchedDatabase,
    watched_sqlite: WatchedDatabase,
    dialect: str,
    query: str,
) -> None:
    db = {"postgresql": watched_postgres, "mariadb": watched_mariadb}.get(dialect, watched_sqlite)
    observation = await check.run(
        db.config, cache_key=(74, dialect), query=query, limits=Limits(timeout=5.0)
    )
    assert observation.first_row


async def test_control_the_server_writes_the_file_when_the_check_is_skipped(
    check: SqlCheck,
    watched_mariadb: WatchedDatabase,
    out_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the statement check the read-only transaction does not stop the write:
    the check is the guard, and the empty directory above proves something."""
    monkeypatch.setattr(sql, "validate_query", lambda query, _dialect=None: query)
    target = out_dir / "control.txt"
    with contextlib.suppress(CheckError):  # whatever the check makes of no rows
        await check.run(
            watched_mariadb.config,
            cache_key=(75, "control"),
            query=f"SELECT 'written' INTO OUTFILE '{target}'",
            limits=Limits(timeout=5.0),
        )
    assert target.read_text() == "written\n"
    os.unlink(target)


@pytest.mark.parametrize(
    ("dialect", "accepted"),
    [("postgresql", True), ("sqlite", True), ("mariadb", False), ("mysql", False), (None, True)],
)
def test_backslashes_in_quotes_depend_on_the_dialect(dialect: str | None, accepted: bool) -> None:
    query = "SELECT 'C:\\dir' AS path"
    if accepted:
        assert validate_query(query, dialect) == query
    else:
        with pytest.raises(ValueError, match="backslashes inside quotes"):
            validate_query(query, dialect)


async def test_saving_checks_the_query_with_the_datasource_dialect(
    admin: httpx.AsyncClient,
) -> None:
    """The schema cannot know the dialect; the save looks the datasource up and does."""
    assert (await admin.post("/api/v1/services", json={"name": "shop"})).status_code == 201
    created = await admin.post(
        "/api/v1/services/shop/datasources",
        json={"name": "main", "url": "mysql://reader@127.0.0.1:3306/shop"},
    )
    assert created.status_code == 201, created.text
    monitor = {
        "service": "shop",
        "name": "paths",
        "type": "sql",
        "datasource": "main",
        "query": "SELECT count(*) FROM files WHERE path LIKE 'C:\\%'",
        "schedule": {"every_seconds": 60},
        "condition": {"value": "first_cell", "operator": ">", "threshold": 0},
    }
    refused = await admin.post("/api/v1/monitors", json=monitor)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "query"
    bypass = {**monitor, "query": "SELECT 'pwn' INTO #x\nOUTFILE '/tmp/x1'"}
    refused = await admin.post("/api/v1/monitors", json=bypass)
    assert refused.status_code == 422
    assert "'#'" in refused.json()["errors"][0]["message"]
