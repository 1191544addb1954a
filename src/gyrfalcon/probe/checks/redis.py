"""Checks of a Redis server through a redis-py client, sync or asyncio."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gyrfalcon.probe.checks.base import DEFAULT_TIMEOUT, Check
from gyrfalcon.probe.spans import current_span

if TYPE_CHECKING:
    from redis import Redis
    from redis.asyncio import Redis as AsyncRedis


def redis_ping(
    client: Redis | AsyncRedis, *, name: str = "redis PING", timeout: float = DEFAULT_TIMEOUT
) -> Check:
    """PING the server. ``timeout`` bounds the wait; the client's own ``socket_timeout``
    bounds a sync client's thread."""
    from redis.asyncio import Redis as AsyncRedis

    def check(call: Callable[[], Any]) -> Check:
        return Check(name=name, call=call, kind="cache", target=server_of(client), timeout=timeout)

    if isinstance(client, AsyncRedis):
        async_client = client

        async def ping_async() -> bool:
            return bool(await async_client.ping())

        return check(ping_async)

    sync_client = client

    def ping() -> bool:
        return bool(sync_client.ping())

    return check(ping)


def redis_get(
    client: Redis | AsyncRedis,
    key: str,
    *,
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Check:
    """GET ``key``: whether it exists and its length go in the span, its value does not
    (it may be large or private)."""
    from redis.asyncio import Redis as AsyncRedis

    def check(call: Callable[[], Any]) -> Check:
        return Check(
            name=name or f"redis GET {key}",
            call=call,
            kind="cache",
            target=server_of(client),
            timeout=timeout,
            attributes={"key": key},
        )

    def describe(value: Any) -> bool:
        attributes = current_span().attributes
        attributes["found"] = value is not None
        if value is not None:
            attributes["length"] = len(value)
        return value is not None

    if isinstance(client, AsyncRedis):
        async_client = client

        async def get_async() -> bool:
            return describe(await async_client.get(key))

        return check(get_async)

    sync_client = client

    def get() -> bool:
        return describe(sync_client.get(key))

    return check(get)


def server_of(client: Redis | AsyncRedis) -> str | None:
    """host:port/db (or the socket path) from the client's pool, without the password."""
    pool = getattr(client, "connection_pool", None)
    options: dict[str, Any] = getattr(pool, "connection_kwargs", {})
    database = options.get("db", 0)
    if options.get("path"):
        return f"unix:{options['path']}/{database}"
    if options.get("host"):
        return f"{options['host']}:{options.get('port', 6379)}/{database}"
    return None
