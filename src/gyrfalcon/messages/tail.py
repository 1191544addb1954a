"""The live tail of a subscription as server-sent events: every message stored after
the tail began, in arrival order per partition, read from the store by offset."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable

from gyrfalcon.messages import reading, search
from gyrfalcon.messages.store.base import MessageStore

_BATCH = 200
_EVENT_ID = re.compile(r"^\d{1,10}:\d{1,19}(,\d{1,10}:\d{1,19})*$")


def resume_point(last_event_id: str | None) -> dict[int, int] | None:
    """The partitions' next offsets from a ``Last-Event-ID``; None when there is none or
    it is not one this tail gave (the tail then starts from now)."""
    if not last_event_id or len(last_event_id) > 20_000 or not _EVENT_ID.match(last_event_id):
        return None
    pairs = (part.split(":") for part in last_event_id.split(","))
    return {int(partition): int(offset) for partition, offset in pairs}


def _event_id(next_offsets: dict[int, int]) -> str:
    return ",".join(f"{partition}:{offset}" for partition, offset in sorted(next_offsets.items()))


async def events(
    store: MessageStore,
    plan: search.Plan,
    versions: search.Versions,
    *,
    resume: dict[int, int] | None = None,
    disconnected: Callable[[], Awaitable[bool]],
    poll_seconds: float,
    heartbeat_every: int,
) -> AsyncIterator[str]:
    """SSE frames: ``message`` events with a summary each, a comment now and then so
    proxies keep the stream open, until the client goes away."""
    (subscription_id,) = plan.query.subscription_ids
    offsets = await store.positions([subscription_id])
    next_offsets = {partition: offset for (_sid, partition), offset in offsets.items()}
    next_offsets.update(resume or {})
    yield "event: ready\ndata: {}\n\n"
    quiet = 0
    while not await disconnected():
        rows = await store.from_offsets(subscription_id, next_offsets, limit=_BATCH)
        await versions.need({r.schema_version_id for r in rows if r.schema_version_id})
        for row in rows:
            next_offsets[row.partition] = max(next_offsets.get(row.partition, 0), row.offset + 1)
            reader = plan.reader(row.subscription_id, versions)
            decoded = reading.decode(reader, row)
            if plan.match is not None and (decoded.value is None or not plan.match(decoded.value)):
                continue
            summary = search.summary(plan, reader, row, decoded)
            where = _event_id(next_offsets)
            yield f"event: message\nid: {where}\ndata: {summary.model_dump_json()}\n\n"
        if rows:
            quiet = 0
            continue
        quiet += 1
        if quiet % heartbeat_every == 0:
            yield ": still here\n\n"
        # A partition without a position when the tail began holds only newer messages.
        for _sid, partition in await store.positions([subscription_id]):
            next_offsets.setdefault(partition, 0)
        await asyncio.sleep(poll_seconds)
