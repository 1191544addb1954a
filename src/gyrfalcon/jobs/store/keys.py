"""Key prefixes and bounded reads of the small index sets job systems keep."""

from __future__ import annotations

from redis.asyncio import Redis

INDEX_MAX = 2000
"""Most members read from an index set (queues, processes, pools): more is a system no
page could show, and reading them all would be an unbounded read."""


def colon_prefix(namespace: str) -> str:
    """``ns`` becomes ``ns:``, as redis-namespace (Sidekiq, Resque) and gocraft/work's
    ``redisNamespacePrefix`` (redis.go) do; empty or already ``...:`` stays."""
    return namespace if not namespace or namespace.endswith(":") else f"{namespace}:"


async def members(client: Redis, key: str, most: int = INDEX_MAX) -> list[str]:
    """Up to ``most`` members of a set with ``SSCAN`` (never ``SMEMBERS`` on a set that
    may be huge), as text, sorted."""
    found: set[str] = set()
    cursor = 0
    while True:
        cursor, batch = await client.sscan(key, cursor, count=500)
        found.update(_text(item) for item in batch)
        if cursor == 0 or len(found) >= most:
            break
    return sorted(found)[:most]


def text(value: bytes | str | None) -> str | None:
    return None if value is None else _text(value)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", errors="backslashreplace") if isinstance(value, bytes) else value
