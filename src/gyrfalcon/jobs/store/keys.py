"""Key prefixes and bounded reads of the small index sets job systems keep."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

INDEX_MAX = 2000
"""Most members read from an index set (queues, processes, pools): more is a system no
page could show, and reading them all would be an unbounded read."""


_EMPTY: dict[str, Any] = {
    "HGETALL": {},
    "LLEN": 0,
    "ZCARD": 0,
    "SCARD": 0,
    "LRANGE": [],
    "ZRANGE": [],
    "ZREVRANGE": [],
    "XREVRANGE": [],
}
"""What a command answers for a key that does not exist; others answer None."""


async def each(pipe: Pipeline) -> list[Any]:
    """The replies of a pipeline that reads one key per listed item (a process, a queue,
    a job), where a key of the wrong type reads as a missing one: one bad key among
    hundreds must not take the whole view down, and the item then shows as gone."""
    commands = [tuple(command) for command, _options in pipe.command_stack]
    replies = await pipe.execute(raise_on_error=False)
    return [
        _missing(command) if isinstance(reply, ResponseError) else reply
        for command, reply in zip(commands, replies, strict=True)
    ]


def _missing(command: tuple[Any, ...]) -> Any:
    name = str(command[0]).upper()
    if name == "HMGET":
        fields = command[2:]
        return [None] * (
            len(fields[0]) if len(fields) == 1 and isinstance(fields[0], list) else len(fields)
        )
    empty = _EMPTY.get(name)
    return type(empty)() if empty is not None else None


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
