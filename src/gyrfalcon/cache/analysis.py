"""What an instance holds, from a sample: memory by type, the top prefixes, the biggest
keys, the keys that never expire and how the TTLs spread.

The sample is the first ``cache_sample_keys`` keys ``SCAN`` returns under the instance's
prefix. SCAN walks the hash table, whose order has nothing to do with key names, so the
first keys it returns are a fair sample of the names, and reading them is bounded (no
``RANDOMKEY`` round trip per key, which also repeats keys). On a cluster each primary
gives its share in proportion to its ``DBSIZE``.
"""

from __future__ import annotations

import asyncio
import heapq
import math
from collections import Counter
from collections.abc import Iterable
from typing import cast

from redis.exceptions import RedisError

from gyrfalcon.cache.details import KeyDetails, read_details
from gyrfalcon.cache.schemas import Analysis, BigKey, Share
from gyrfalcon.cache.values import name_of
from gyrfalcon.connectors.redis import Node, Nodes

TOP = 20
BATCH = 1000
"""Keys whose details one pipeline reads: large enough for few round trips, small
enough that no single reply holds the server's output buffer for long."""
TTL_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under a minute", 60_000),
    ("1 minute to 1 hour", 3_600_000),
    ("1 hour to 1 day", 86_400_000),
    ("1 day to 1 week", 7 * 86_400_000),
    ("over a week", math.inf),
)
NO_TTL = "no expiry"


async def _sample_node(node: Node, pattern: bytes, wanted: int) -> tuple[list[bytes], bool]:
    """Up to ``wanted`` keys of the node, and whether its scan reached the end."""
    keys: list[bytes] = []
    cursor = 0
    while len(keys) < wanted:
        cursor, found = await node.client.scan(cursor, match=pattern, count=BATCH)
        keys.extend(cast(list[bytes], found))
        if int(cursor) == 0:
            return keys[:wanted], len(keys) <= wanted
    return keys[:wanted], False


async def analyse(
    nodes: Nodes, pattern: bytes, *, sample: int, delimiter: str
) -> tuple[Analysis, dict[str, BaseException]]:
    """The analysis, and the primaries that did not answer (the caller words why)."""
    failures: dict[str, BaseException] = {}
    sizes: dict[str, int] = {}
    for node in nodes.nodes:
        try:
            sizes[node.name] = int(await node.client.dbsize())
        except (RedisError, OSError) as exc:
            if len(nodes.nodes) == 1:
                raise
            failures[node.name] = exc
    total = sum(sizes.values())
    answering = [node for node in nodes.nodes if node.name in sizes]
    shares = {
        node.name: max(1, math.ceil(sample * sizes[node.name] / total)) if total else 1
        for node in answering
    }
    scanned = await asyncio.gather(
        *(_sample_node(node, pattern, shares[node.name]) for node in answering)
    )
    located = [
        (node, key) for node, (keys, _end) in zip(answering, scanned, strict=True) for key in keys
    ][:sample]
    details: list[KeyDetails] = []
    server_time = 0
    for start in range(0, len(located), BATCH):
        batch = located[start : start + BATCH]
        read = await read_details(batch, with_encoding=False, with_lengths=False)
        details.extend(read.keys)
        server_time = max(server_time, read.server_time_ms)
    lasting = [item for item in details if item.ttl_ms is None]
    analysis = Analysis(
        sampled=len(details),
        keys_total=total,
        whole=not failures and all(end for _keys, end in scanned),
        by_type=_shares((item.type, item) for item in details),
        prefixes=_top_prefixes(details, delimiter),
        biggest=[_big(item) for item in _biggest(details)],
        without_ttl=_share(NO_TTL, lasting),
        without_ttl_biggest=[_big(item) for item in _biggest(lasting)],
        ttl_buckets=_ttl_buckets(details),
        delimiter=delimiter,
        partial=bool(failures),
        failures={},
        server_time=server_time,
    )
    return analysis, failures


def _memory(item: KeyDetails) -> int:
    return item.memory or 0


def _share(name: str, items: list[KeyDetails]) -> Share:
    return Share(name=name, keys=len(items), memory=sum(_memory(item) for item in items))


def _shares(named: Iterable[tuple[str, KeyDetails]]) -> list[Share]:
    keys: Counter[str] = Counter()
    memory: Counter[str] = Counter()
    for name, item in named:
        keys[name] += 1
        memory[name] += _memory(item)
    return sorted(
        (Share(name=name, keys=count, memory=memory[name]) for name, count in keys.items()),
        key=lambda share: (-share.memory, -share.keys, share.name),
    )


def _folder(key: bytes, delimiter: bytes) -> str:
    head, found, _rest = key.rpartition(delimiter)
    if not found:
        return "(no prefix)"
    return name_of(head + delimiter).key


def _top_prefixes(details: list[KeyDetails], delimiter: str) -> list[Share]:
    separator = delimiter.encode()
    return _shares((_folder(item.key, separator), item) for item in details)[:TOP]


def _biggest(items: Iterable[KeyDetails]) -> list[KeyDetails]:
    return heapq.nlargest(TOP, items, key=_memory)


def _big(item: KeyDetails) -> BigKey:
    name = name_of(item.key)
    return BigKey(
        **name.model_dump(),
        type=item.type,
        size=item.memory,
        size_source=item.size_source,
        ttl_ms=item.ttl_ms,
    )


def _ttl_buckets(details: list[KeyDetails]) -> list[Share]:
    grouped: dict[str, list[KeyDetails]] = {name: [] for name, _limit in TTL_BUCKETS}
    grouped[NO_TTL] = []
    for item in details:
        if item.ttl_ms is None:
            grouped[NO_TTL].append(item)
            continue
        name = next(name for name, limit in TTL_BUCKETS if item.ttl_ms < limit)
        grouped[name].append(item)
    return [_share(name, items) for name, items in grouped.items()]
