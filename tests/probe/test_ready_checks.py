"""The ready-made checks against the real services of the machine: PostgreSQL through
SQLAlchemy's sync and async engines, Redis (DB 12) through redis-py's sync and asyncio
clients, an HTTP server started here, and S3's path when boto3 is missing."""

from __future__ import annotations

import inspect
import json
import sys
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import redis
import redis.asyncio
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine

from gyrfalcon import probe
from gyrfalcon.probe import checks
from tests.probe.servers import status_server
from tests.probe.validation import by_name, valid_trace

# PostgreSQL trusts local connections, so a password in the URL is accepted and ignored:
# it is there to show that it never reaches the trace.
PASSWORD = "pg-secret-7f3a"
PG_SYNC = f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:5432/postgres"
PG_ASYNC = f"postgresql+asyncpg://postgres:{PASSWORD}@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/12"


def traced_json(trace: probe.Trace) -> dict[str, object]:
    text = json.dumps(trace.to_dict())
    assert PASSWORD not in text
    return valid_trace(json.loads(text))


async def test_sql_query_on_sync_and_async_engines() -> None:
    sync_engine = create_engine(PG_SYNC)
    async_engine = create_async_engine(PG_ASYNC)
    try:
        with probe.Trace("orders") as trace:
            results = await probe.gather(
                checks.sql_query(sync_engine, name="sync select"),
                checks.sql_query(
                    async_engine, "SELECT n FROM generate_series(1, 3) AS n", name="async rows"
                ),
                checks.sql_query(async_engine, "SELECT * FROM no_such_table", name="missing"),
            )
        assert [result.status for result in results] == ["ok", "ok", "error"]
        assert [result.value for result in results[:2]] == [1, 3]
        spans = by_name(traced_json(trace))
        select = spans["sync select"]
        assert (select["kind"], select["target"]) == ("db", "127.0.0.1:5432/postgres")
        assert select["attributes"] == {"db.system": "postgresql", "sql": "SELECT 1", "rows": 1}
        assert spans["async rows"]["attributes"]["rows"] == 3
        assert 'relation "no_such_table" does not exist' in spans["missing"]["error"]
        (from_thread,) = probe.run_checks(checks.sql_query(sync_engine))
        assert (from_thread.name, from_thread.value) == ("postgresql query", 1)
    finally:
        sync_engine.dispose()
        await async_engine.dispose()


def test_sql_target_of_a_file_database_keeps_no_credentials() -> None:
    engine = create_engine("sqlite:///probe-check.db?timeout=5")
    check = checks.sql_query(engine)
    assert check.target == "sqlite:///probe-check.db"
    engine.dispose()


@pytest.fixture
def redis_key() -> Iterator[str]:
    key = f"probe-test:{uuid.uuid4().hex}"
    client = redis.Redis.from_url(REDIS_URL)
    client.set(key, "hello")
    yield key
    client.delete(key)
    client.close()


@pytest.fixture
async def async_redis() -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


async def test_redis_ping_and_get_with_sync_and_asyncio_clients(
    redis_key: str, async_redis: redis.asyncio.Redis
) -> None:
    sync_client = redis.Redis.from_url(REDIS_URL)
    with probe.Trace("orders") as trace:
        results = await probe.gather(
            checks.redis_ping(sync_client, name="sync ping"),
            checks.redis_ping(async_redis, name="async ping"),
            checks.redis_get(sync_client, redis_key, name="sync get"),
            checks.redis_get(async_redis, f"{redis_key}:absent", name="async get"),
        )
    sync_client.close()
    assert [result.status for result in results] == ["ok"] * 4
    assert [result.value for result in results] == [True, True, True, False]
    spans = by_name(traced_json(trace))
    assert spans["sync ping"]["target"] == spans["async get"]["target"] == "127.0.0.1:6379/12"
    assert spans["sync ping"]["kind"] == "cache"
    assert spans["sync get"]["attributes"] == {"key": redis_key, "found": True, "length": 5}
    assert spans["async get"]["attributes"] == {"key": f"{redis_key}:absent", "found": False}


def test_redis_against_a_port_nobody_listens_on_is_an_error() -> None:
    from tests.support.receivers import free_port

    client = redis.Redis(host="127.0.0.1", port=free_port(), db=12, socket_connect_timeout=5)
    (result,) = probe.run_checks(checks.redis_ping(client, timeout=30))
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("ConnectionError")


@pytest.fixture(scope="module")
def http_base() -> Iterator[str]:
    with status_server() as base:
        yield base


@pytest.mark.parametrize("client", ["httpx", "urllib"])
async def test_http_get_judges_the_status(
    http_base: str, client: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if client == "urllib":
        monkeypatch.setitem(sys.modules, "httpx", None)  # as if httpx were not installed
    host = http_base.removeprefix("http://")
    made = [
        checks.http_get(f"http://user:pw@{host}/status/200?token=abc", name="fine"),
        checks.http_get(f"{http_base}/status/503", name="down"),
        checks.http_get(f"{http_base}/status/302", name="moved"),
        checks.http_get(f"{http_base}/status/404", name="expected 404", expect={404}),
    ]
    assert inspect.iscoroutinefunction(made[0].call) == (client == "httpx")
    with probe.Trace("orders") as trace:
        results = await probe.gather(*made)

    assert [(result.status, result.error) for result in results] == [
        ("ok", None),
        ("error", "HTTP 503"),
        ("ok", None),
        ("ok", None),
    ]
    text = json.dumps(trace.to_dict())
    assert "pw" not in text and "token=abc" not in text
    spans = by_name(valid_trace(json.loads(text)))
    assert (spans["fine"]["kind"], spans["fine"]["target"]) == ("http", f"{http_base}/status/200")
    assert spans["down"]["attributes"] == {"status": 503}
    assert spans["moved"]["attributes"] == {"status": 302}  # answered, not followed


def test_http_get_takes_only_http_urls() -> None:
    with pytest.raises(ValueError, match="http"):
        checks.http_get("file:///etc/passwd")


def test_s3_without_boto3_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # `import boto3` raises ImportError
    with probe.Trace("orders") as trace:
        (result,) = probe.run_checks(checks.s3_head_bucket(None, "invoices"))
    assert (result.status, result.error) == ("skipped", "boto3 is not installed")
    (span,) = valid_trace(trace.to_dict())["spans"]
    assert (span["kind"], span["target"], span["status"]) == ("storage", "s3://invoices", "skipped")
    assert trace.to_dict()["status"] == "skipped"
