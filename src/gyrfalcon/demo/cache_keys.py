"""What a demo sample service caches in Redis, under its name as key prefix: keys of
every type, with TTLs from seconds to none, the way services really cache.

The row copies are the point of the Cache page's story: each row is cached once, with
an hour's TTL, and not written again when the database changes it (the sample breaks
and repairs rows in turns), so after a cycle some copies are stale: the database says
one thing and the cache another, which is what an engineer comes to the Cache page to
find out.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import Integer, String, select
from sqlalchemy.engine import Connection

from gyrfalcon.demo.samples import Sample

ROWS_CACHED = 20
ROW_TTL_SECONDS = 3600
RECENT_KEPT = 50
EVENTS_KEPT = 200


def first_rows(sample: Sample, connection: Connection) -> list[dict[str, Any]]:
    """The sample's first rows as the service would cache them."""
    table = sample.table
    key = next(iter(table.primary_key.columns))
    rows = connection.execute(select(table).order_by(key).limit(ROWS_CACHED)).mappings()
    return [dict(row) for row in rows]


def _identity(sample: Sample, row: dict[str, Any]) -> str:
    key = next(iter(sample.table.primary_key.columns))
    return str(row[key.name])


def _first_column(sample: Sample, kind: type) -> str | None:
    primary = {column.name for column in sample.table.primary_key.columns}
    for column in sample.table.columns:
        if column.name not in primary and isinstance(column.type, kind):
            return column.name
    return None


async def write(
    client: Redis, sample: Sample, rows: Sequence[dict[str, Any]], status: dict[str, Any], ttl: int
) -> None:
    """One round of the service's caching, in one pipelined round trip."""
    prefix = f"{sample.name}:"
    now = time.time()
    pipe = client.pipeline(transaction=False)
    pipe.set(f"{prefix}status", json.dumps(status), ex=ttl)
    for row in rows:
        # Cached once and left alone: the copy goes stale when the row changes.
        pipe.set(
            f"{prefix}row:{_identity(sample, row)}", json.dumps(row), ex=ROW_TTL_SECONDS, nx=True
        )
    pipe.hset(
        f"{prefix}stats",
        mapping={"rows": str(status.get("rows", 0)), "updated_at": f"{now:.0f}"},
    )
    pipe.lpush(f"{prefix}recent", json.dumps({"at": round(now), "status": status.get("status")}))
    pipe.ltrim(f"{prefix}recent", 0, RECENT_KEPT - 1)
    pipe.expire(f"{prefix}recent", 86_400)
    label = _first_column(sample, String)
    if label is not None:
        pipe.sadd(f"{prefix}names", *{str(row[label]) for row in rows} or {"none"})
    score = _first_column(sample, Integer)
    if score is not None and rows:
        pipe.zadd(
            f"{prefix}top",
            {_identity(sample, row): float(row[score]) for row in rows},
        )
        pipe.expire(f"{prefix}top", 600)
    pipe.xadd(
        f"{prefix}events",
        {"kind": "tick", "rows": str(status.get("rows", 0))},
        maxlen=EVENTS_KEPT,
        approximate=True,
    )
    # A flag that comes and goes within a minute, for a TTL seen counting down.
    pipe.set(f"{prefix}flag:maintenance", "off", ex=45, nx=True)
    await pipe.execute()
