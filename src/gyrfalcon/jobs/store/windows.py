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
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from redis.asyncio import Redis

from gyrfalcon.jobs.backends.base import BadReference
from gyrfalcon.jobs.schemas import EntryFilter
from gyrfalcon.jobs.store import scripts

Order = Literal["z", "zr", "l", "lr"]
_REACH = 500
"""How far from the rank it was seen at a member is looked for: jobs ahead of it run
or move, new ones arrive ahead of it or behind."""
_SAME_SCORE_MOST = 20_000
"""Members of one score a lookup looks at when the job is no longer near its rank
(gocraft/work scores in whole seconds: thousands of jobs may die in one)."""
STEP_BYTES = 8 * 1024 * 1024
"""Payload bytes one script call reads at most: 5,000 jobs of 1 KiB fit; jobs of a
megabyte each are read a few at a time, so no call stalls the server."""
_RANK_MOST = 2**53
_SCORE = re.compile(r"-?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|inf)", re.ASCII)
"""Scores as :func:`repr` writes them: a reference no page gave is refused."""
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
        """``rank~digest`` in a list; ``score~digest~rank`` in a sorted set, where the score
        finds it and the rank finds it fast among many of one score."""
        if self.score is None:
            return f"{self.rank}~{digest(self.raw)}"
        return f"{self.score!r}~{digest(self.raw)}~{self.rank}"


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


@dataclass(frozen=True)
class Reference:
    digest: str
    rank: int
    """Where it was seen, -1 when unknown."""
    score: float | None


def parse_ref(ref: str, *, scored: bool) -> Reference:
    """A reference a page of this view gave (see :attr:`Member.ref`), or BadReference."""
    parts = ref.split("~")
    bad = BadReference(f"'{ref}' is not a job reference of this view")
    if scored and len(parts) in (2, 3) and _SCORE.fullmatch(parts[0]):
        rank = parts[2] if len(parts) == 3 else "-1"
        if rank == "-1" or _rank(rank) is not None:
            return _checked(Reference(parts[1], int(rank), float(parts[0])), bad)
    if not scored and len(parts) == 2 and (seen := _rank(parts[0])) is not None:
        return _checked(Reference(parts[1], seen, None), bad)
    raise bad


def _rank(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and int(text) < _RANK_MOST else None


def _checked(reference: Reference, bad: BadReference) -> Reference:
    digits = reference.digest
    if len(digits) != 20 or not all(char in "0123456789abcdef" for char in digits):
        raise bad
    return reference


async def total(client: Redis, source: Source) -> int:
    return int(await (client.zcard(source.key) if source.sorted else client.llen(source.key)))


async def page(
    client: Redis, source: Source, position: int, limit: int
) -> tuple[list[Member], int]:
    """One page from ``position`` and the size of the whole set: ``limit`` members, or
    fewer when they are big (the page then ends where :data:`STEP_BYTES` ran out)."""
    _next_at, matches = await _step(client, source, position, limit, limit, ())
    return _members(matches), await total(client, source)


async def _step(
    client: Redis, source: Source, at: int, window: int, most: int, groups: Sequence[str]
) -> tuple[int, Any]:
    reply = await scripts.run(
        client,
        scripts.FILTER,
        [source.key],
        [at, window, most, source.order, STEP_BYTES, *groups],
    )
    return int(reply[0]), reply[1]


def _members(matches: list[Any]) -> list[Member]:
    triples = (matches[offset : offset + 3] for offset in range(0, len(matches), 3))
    return [Member(raw, float(score) if score else None, int(rank)) for raw, score, rank in triples]


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
    found: list[Member] = []
    at = position
    size = await total(client, source)
    while at < size and len(found) < limit:
        next_at, matches = await _step(client, source, at, window, limit - len(found), groups)
        found += _members(matches)
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
    size = await total(client, source)
    matched, at = 0, 0
    while at < size:
        next_at, window_count = await _step(client, source, at, window, 0, groups)
        matched += int(window_count)
        if next_at <= at:
            break
        at = next_at
        if time.monotonic() > deadline and at < size:
            return matched, at, size, False
    return matched, at, size, True


async def locate(client: Redis, source: Source, ref: str) -> Member | None:
    """The member ``ref`` names, if it is still there: near the rank it was seen at (jobs
    ahead of it may have run since), else among the members of its score; found by its
    digest inside Redis."""
    wanted = parse_ref(ref, scored=source.sorted)
    score = "" if wanted.score is None else repr(wanted.score)
    found = await scripts.run(
        client,
        scripts.LOCATE,
        [source.key],
        [source.order, wanted.rank, score, wanted.digest, _REACH, _SAME_SCORE_MOST, STEP_BYTES * 4],
    )
    if not found:
        return None
    raw, stored_score, rank = found
    return Member(raw, float(stored_score) if stored_score else None, int(rank))
