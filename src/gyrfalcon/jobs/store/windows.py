"""Windows of a sorted set or list of job payloads: pages, filters, counts, lookups.

A position is a rank in the view's order (soonest first for scheduled and retry jobs,
newest first for dead ones, next to run first for a queue), so page *n* costs one
``ZRANGE``/``LRANGE`` of its own size whatever the set's size. A job's reference is
where it was seen and a digest of its exact bytes: an action finds those bytes again
with a bounded read and moves only them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import BadReference
from gyrfalcon.jobs.schemas import EntryFilter
from gyrfalcon.jobs.store import scripts

Order = Literal["z", "zr", "l", "lr"]
_SAME_SCORE_PAGE = 500
_SAME_SCORE_PAGES = 20
_LIST_REACH = 500
"""How far from its rank a list member is looked for: jobs ahead of it run, new ones
arrive behind (or, in a failed list, ahead)."""
_WINDOW_BYTES = 8 * 1024 * 1024
"""Payload bytes one filter step should read at most: 5,000 jobs of 1 KiB fit; jobs of a
megabyte each are read a few at a time instead of filling the server's memory."""
_FIRST_WINDOW = 256
_PLAIN = re.compile(r"[A-Za-z0-9 _.:/@#$%*+=,;!?()\[\]{}|~^'-]*")


@dataclass(frozen=True)
class Source:
    key: str
    order: Order

    @property
    def sorted(self) -> bool:
        return self.order in ("z", "zr")

    @property
    def kind(self) -> str:
        """How the move script finds a member: 'z' in a sorted set, 'l' in a list from the
        left, 'lr' from the right (where a list's view starts, so a job just seen is near)."""
        return "z" if self.sorted else self.order


@dataclass(frozen=True)
class Member:
    raw: bytes
    score: float | None
    rank: int

    @property
    def ref(self) -> str:
        where = repr(self.score) if self.score is not None else str(self.rank)
        return f"{where}~{digest(self.raw)}"


@dataclass(frozen=True)
class Fields:
    """Which payload fields hold a job's name and its id (dotted paths into the JSON), for
    exact filters in Redis; none when the system keeps no such field."""

    name: tuple[str, ...]
    id: tuple[str, ...]


@dataclass(frozen=True)
class Scan:
    members: list[Member]
    next_position: int | None
    scanned: int
    complete: bool


def digest(raw: bytes) -> str:
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:20]


def parse_ref(ref: str) -> tuple[str, str]:
    where, _, wanted = ref.partition("~")
    if not where or len(wanted) != 20:
        raise BadReference(f"'{ref}' is not a job reference of this view")
    return where, wanted


async def total(client: Redis, source: Source) -> int:
    return int(await (client.zcard(source.key) if source.sorted else client.llen(source.key)))


async def page(
    client: Redis, source: Source, position: int, limit: int
) -> tuple[list[Member], int]:
    """One page from ``position`` and the size of the whole set, in one round trip."""
    last = position + limit - 1
    async with client.pipeline(transaction=False) as pipe:
        if source.order == "z":
            pipe.zrange(source.key, position, last, withscores=True)
        elif source.order == "zr":
            pipe.zrevrange(source.key, position, last, withscores=True)
        elif source.order == "l":
            pipe.lrange(source.key, position, last)
        else:
            pipe.lrange(source.key, -(last + 1), -(position + 1))
        pipe.zcard(source.key) if source.sorted else pipe.llen(source.key)
        window, size = await pipe.execute()
    if source.sorted:
        return [
            Member(raw, float(score), position + offset)
            for offset, (raw, score) in enumerate(window)
        ], int(size)
    if source.order == "lr":
        window = list(reversed(window))
    return [Member(raw, None, position + offset) for offset, raw in enumerate(window)], int(size)


def filter_args(where: EntryFilter, fields: Fields) -> list[str]:
    """The needle groups of ``where`` for the filter script, exact fields first: they are
    cheap to rule out, and the text group lowers only the members that pass them."""
    groups: list[str] = []
    for value, names in ((where.id, fields.id), (where.name, fields.name)):
        if value is not None:
            groups += ["f", str(2 + len(names)), value, _plain(value), *names]
    if where.q is not None:
        needles = [needle for case in _cases(where.q) for needle in _encodings(case)]
        needles = list(dict.fromkeys(needles))
        groups += ["t", str(1 + len(needles)), "i", *needles]
    return groups


def _plain(value: str) -> str:
    """A needle an exact field value's JSON surely contains: the value itself when every
    writer encodes it as it is, else none (every member is decoded and compared)."""
    return value if _PLAIN.fullmatch(value) else ""


def _cases(text: str) -> list[str]:
    """The script lowers only ASCII letters of a payload (Lua's ``string.lower``), so a
    needle with other letters goes in the cases a writer most likely used: as typed, all
    lower, all upper, capitalized; each with its ASCII letters lowered."""
    if text.isascii():
        return [text.lower()]
    return list(
        dict.fromkeys(
            "".join(char.lower() if char.isascii() else char for char in case)
            for case in (text, text.lower(), text.upper(), text.capitalize())
        )
    )


def _encodings(text: str) -> list[str]:
    """``text`` as the job systems' JSON encoders may have written it: as is, with
    non-ASCII escaped (Python), and with HTML characters escaped too (Go)."""
    escaped = json.dumps(text)[1:-1]
    go = escaped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return list(dict.fromkeys((text, escaped, json.dumps(text, ensure_ascii=False)[1:-1], go)))


class _Windows:
    """The sizes of a filter's steps: small at first, then as many members as fit in
    :data:`_WINDOW_BYTES` by the sizes seen so far, never more than ``most``."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.size = min(most, _FIRST_WINDOW)

    def saw(self, read: int, size_bytes: int) -> None:
        if read:
            fits = int(_WINDOW_BYTES / max(1.0, size_bytes / read))
            self.size = max(1, min(self.most, fits, self.size * 4))


async def _step(
    client: Redis, source: Source, at: int, windows: _Windows, most: int, groups: Sequence[str]
) -> tuple[int, Any]:
    reply = await scripts.run(
        client, scripts.FILTER, [source.key], [at, windows.size, most, source.order, *groups]
    )
    windows.saw(int(reply[2]), int(reply[3]))
    return int(reply[0]), reply[1]


async def scan(
    client: Redis,
    source: Source,
    groups: Sequence[str],
    *,
    position: int,
    limit: int,
    window: int,
    budget_seconds: float,
) -> Scan:
    """Matches from ``position`` on, window by window, until ``limit`` are found, the set
    ends, or the time budget is spent (then ``complete`` is False)."""
    deadline = time.monotonic() + budget_seconds
    steps = _Windows(window)
    found: list[Member] = []
    at = position
    size = await total(client, source)
    while at < size and len(found) < limit:
        next_at, matches = await _step(client, source, at, steps, limit - len(found), groups)
        for offset in range(0, len(matches), 3):
            raw, score, rank = matches[offset : offset + 3]
            found.append(Member(raw, float(score) if score else None, int(rank)))
        if next_at <= at:
            break
        at = next_at
        if time.monotonic() > deadline and len(found) < limit and at < size:
            return Scan(found, at, at - position, complete=False)
    return Scan(found, at if at < size else None, at - position, complete=True)


async def count(
    client: Redis, source: Source, groups: Sequence[str], *, window: int, budget_seconds: float
) -> tuple[int, int, int, bool]:
    """How many members match, over the whole set or until the time budget is spent:
    (count, scanned, size, complete)."""
    deadline = time.monotonic() + budget_seconds
    steps = _Windows(window)
    size = await total(client, source)
    matched, at = 0, 0
    while at < size:
        next_at, window_count = await _step(client, source, at, steps, 0, groups)
        matched += int(window_count)
        if next_at <= at:
            break
        at = next_at
        if time.monotonic() > deadline and at < size:
            return matched, at, size, False
    return matched, at, size, True


async def locate(client: Redis, source: Source, ref: str) -> Member | None:
    """The member ``ref`` names, if it is still there: by its score in a sorted set,
    near its rank in a list (jobs ahead of it may have run since)."""
    where, wanted = parse_ref(ref)
    if source.sorted:
        try:
            score = float(where)
        except ValueError:
            raise BadReference(f"'{ref}' is not a job reference of this view") from None
        if not math.isfinite(score):
            raise BadReference(f"'{ref}' is not a job reference of this view")
        for offset in range(0, _SAME_SCORE_PAGE * _SAME_SCORE_PAGES, _SAME_SCORE_PAGE):
            batch = cast(
                list[bytes],
                await client.zrangebyscore(
                    source.key, repr(score), repr(score), start=offset, num=_SAME_SCORE_PAGE
                ),
            )
            for raw in batch:
                if digest(raw) == wanted:
                    return Member(raw, score, -1)
            if len(batch) < _SAME_SCORE_PAGE:
                break
        return None
    if not (where.isascii() and where.isdigit()):
        raise BadReference(f"'{ref}' is not a job reference of this view")
    rank = int(where)
    first = max(0, rank - _LIST_REACH)
    members, _size = await page(client, source, first, rank - first + _LIST_REACH)
    return next((member for member in members if digest(member.raw) == wanted), None)
