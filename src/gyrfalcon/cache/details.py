"""What a page shows per key, in one pipelined round trip per primary and one more for
the lengths: type, TTL and the absolute expiry (from the server's clock, not the
console's), memory, encoding and length.

``MEMORY USAGE`` is Redis's estimate (it samples 5 elements of an aggregate); where the
command is refused (an ACL without it, a renamed command) the size falls back to the
length (``STRLEN`` for a string) and says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gyrfalcon.connectors.redis import Node

LENGTH_COMMANDS = {
    "string": "STRLEN",
    "hash": "HLEN",
    "list": "LLEN",
    "set": "SCARD",
    "zset": "ZCARD",
    "stream": "XLEN",
}


class SizeSource(StrEnum):
    MEMORY = "memory"
    """Bytes, from MEMORY USAGE."""
    LENGTH = "length"
    """MEMORY USAGE was refused: the length (bytes of a string, elements otherwise)."""


@dataclass
class KeyDetails:
    key: bytes
    node: str
    type: str
    ttl_ms: int | None
    """Milliseconds left; None for a key without expiry."""
    expires_at_ms: int | None
    """When it expires by the server's clock (epoch milliseconds)."""
    memory: int | None
    size_source: SizeSource | None
    encoding: str | None
    length: int | None


@dataclass
class Details:
    keys: list[KeyDetails]
    server_time_ms: int
    """The server's clock when the details were read: the UI counts TTLs down from it."""
    vanished: int
    """Keys the scan found that expired or were deleted before their details were read."""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None or isinstance(value, Exception) else _text(value)


def _number(value: Any) -> int | None:
    return None if value is None or isinstance(value, Exception) else int(value)


async def _node_details(
    node: Node, keys: list[bytes], *, with_encoding: bool, with_lengths: bool
) -> tuple[list[KeyDetails], int, int]:
    pipe = node.client.pipeline(transaction=False)
    for key in keys:
        pipe.type(key)
        pipe.pttl(key)
        pipe.execute_command("MEMORY USAGE", key)
        if with_encoding:
            pipe.execute_command("OBJECT ENCODING", key)
    pipe.time()
    answers = await pipe.execute(raise_on_error=False)
    seconds, micros = answers[-1]
    now_ms = int(seconds) * 1000 + int(micros) // 1000
    width = 4 if with_encoding else 3
    found: list[KeyDetails] = []
    vanished = 0
    for index, key in enumerate(keys):
        kind, pttl, memory, *rest = answers[index * width : (index + 1) * width]
        kind = _text(kind)
        if isinstance(pttl, Exception):
            raise pttl
        if kind == "none" or int(pttl) == -2:
            vanished += 1
            continue
        ttl = int(pttl) if int(pttl) >= 0 else None
        encoding = rest[0] if rest else None
        found.append(
            KeyDetails(
                key=key,
                node=node.name,
                type=kind,
                ttl_ms=ttl,
                expires_at_ms=now_ms + ttl if ttl is not None else None,
                memory=_number(memory),
                size_source=SizeSource.MEMORY if _number(memory) is not None else None,
                encoding=_optional_text(encoding),
                length=None,
            )
        )
    # Without lengths asked for, only the keys whose size MEMORY USAGE refused need one.
    await _lengths(node, [item for item in found if with_lengths or item.memory is None])
    return found, now_ms, vanished


async def _lengths(node: Node, found: list[KeyDetails]) -> None:
    measurable = [item for item in found if item.type in LENGTH_COMMANDS]
    if not measurable:
        return
    pipe = node.client.pipeline(transaction=False)
    for item in measurable:
        pipe.execute_command(LENGTH_COMMANDS[item.type], item.key)
    for item, length in zip(measurable, await pipe.execute(raise_on_error=False), strict=True):
        item.length = _number(length)
        if item.memory is None and item.length is not None:
            item.memory, item.size_source = item.length, SizeSource.LENGTH


async def read_details(
    located: Iterable[tuple[Node, bytes]], *, with_encoding: bool = True, with_lengths: bool = True
) -> Details:
    """The details of the keys, in the order given, read per primary at once; an
    analysis leaves out what it does not show (encoding, length)."""
    order: list[tuple[Node, bytes]] = list(located)
    by_node: dict[str, tuple[Node, list[bytes]]] = {}
    for node, key in order:
        by_node.setdefault(node.name, (node, []))[1].append(key)
    results = await asyncio.gather(
        *(
            _node_details(node, keys, with_encoding=with_encoding, with_lengths=with_lengths)
            for node, keys in by_node.values()
        )
    )
    found = {(item.node, item.key): item for items, _now, _gone in results for item in items}
    return Details(
        keys=[found[(node.name, key)] for node, key in order if (node.name, key) in found],
        server_time_ms=max((now for _items, now, _gone in results), default=0),
        vanished=sum(gone for _items, _now, gone in results),
    )
