"""``SCAN`` across the nodes the keys live on, a page at a time, never ``KEYS``.

A search's cursor is opaque to the client: base64url of each unfinished primary's own
SCAN cursor and a digest of the search, checked on the way back in, so a cursor cannot
be replayed against another pattern or a cluster whose primaries changed. One page
stops at the page size, or when it has examined its budget of keys or spent its time
(``cache_scan_budget_*``), and says which: a pattern that matches nothing ends in
bounded time instead of walking a million keys in one request.

The COUNT hint starts at the page size; then the share of keys that matched so far
says how many more to examine for the rest of the page (doubling while nothing
matched), up to ``cache_scan_count_max``: a pattern that matches most keys costs one
or two small calls and about a page of details, a rare one quickly reaches calls large
enough to get through the keyspace.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast

from redis.exceptions import RedisError

from gyrfalcon.connectors.redis import Node, Nodes
from gyrfalcon.core.errors import Conflict, InvalidInput

Clock = Callable[[], float]


class Stop(StrEnum):
    """Why a page ended before the scan was complete."""

    LIMIT = "limit"
    """The page has as many keys as asked."""
    KEYS = "keys"
    """It examined its budget of keys."""
    TIME = "time"
    """It spent its time budget."""


@dataclass(frozen=True)
class Budget:
    keys: int
    seconds: float
    count_max: int
    clock: Clock = time.monotonic


@dataclass
class ScanPage:
    keys: list[tuple[Node, bytes]]
    cursor: str | None
    """None once every primary was scanned to its end."""
    examined: int
    """Keys the SCAN calls were asked to look at (the COUNT hints, summed): an estimate."""
    stopped: Stop | None
    failures: dict[str, BaseException] = field(default_factory=dict)
    """Primaries that did not answer, and why: the page is partial without their keys."""


def search_digest(pattern: bytes, type_filter: str | None) -> str:
    return hashlib.sha256(pattern + b"\0" + (type_filter or "").encode()).hexdigest()[:16]


def _token(cursors: dict[str, int], digest: str) -> str:
    raw = json.dumps({"d": digest, "n": cursors}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def read_cursor(token: str | None, nodes: Nodes, digest: str) -> dict[str, int]:
    """Each unfinished primary's SCAN cursor, from a page's cursor (all at 0 for none)."""
    names = [node.name for node in nodes.nodes]
    if token is None:
        return dict.fromkeys(names, 0)
    try:
        state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cursors = {str(name): int(cursor) for name, cursor in state["n"].items()}
        same_search = state["d"] == digest
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInput("cursor", "not a cursor of this search: start again") from None
    if not same_search:
        raise InvalidInput("cursor", "the cursor belongs to another pattern: start again")
    if not set(cursors) <= set(names):
        raise Conflict(
            "The cluster's primaries changed since this search started; start it again.",
            title="The cluster changed",
        )
    return cursors


async def scan_page(
    nodes: Nodes,
    pattern: bytes,
    *,
    type_filter: str | None,
    cursor: str | None,
    limit: int,
    budget: Budget,
) -> ScanPage:
    digest = search_digest(pattern, type_filter)
    cursors = read_cursor(cursor, nodes, digest)
    by_name = {node.name: node for node in nodes.nodes}
    found: list[tuple[Node, bytes]] = []
    failures: dict[str, BaseException] = {}
    examined = 0
    count = min(max(limit, 10), budget.count_max)
    started = budget.clock()
    stopped: Stop | None = None
    for name in list(cursors):
        node = by_name[name]
        while name in cursors and stopped is None:
            try:
                following, keys = await node.client.scan(
                    cursors[name], match=pattern, count=count, _type=type_filter
                )
            except (RedisError, OSError) as exc:
                if len(nodes.nodes) == 1:
                    raise
                failures[name] = exc
                del cursors[name]
                break
            examined += count
            # The clients never decode replies: keys are bytes.
            found.extend((node, cast(bytes, key)) for key in keys)
            if following == 0:
                del cursors[name]
            else:
                cursors[name] = int(following)
            count = _next_count(limit - len(found), len(found), examined, count, budget)
            stopped = _stop(len(found), limit, examined, budget, budget.clock() - started)
        if stopped is not None:
            break
    if failures and len(failures) == len(nodes.nodes):
        raise next(iter(failures.values()))
    complete = not cursors
    return ScanPage(
        keys=found,
        cursor=None if complete else _token(cursors, digest),
        examined=examined,
        stopped=None if complete else stopped,
        failures=failures,
    )


def _next_count(needed: int, found: int, examined: int, count: int, budget: Budget) -> int:
    """The COUNT hint for the next call: what the matches so far say it takes to find
    the keys still needed (a tenth more), so a page asks for about its size in details;
    doubled while nothing matched yet."""
    if needed <= 0:
        return count
    if found == 0:
        return min(count * 2, budget.count_max)
    wanted = math.ceil(needed * examined / found * 1.1)
    return max(10, min(wanted, budget.count_max))


def _stop(found: int, limit: int, examined: int, budget: Budget, spent: float) -> Stop | None:
    if found >= limit:
        return Stop.LIMIT
    if examined >= budget.keys:
        return Stop.KEYS
    if spent >= budget.seconds:
        return Stop.TIME
    return None
