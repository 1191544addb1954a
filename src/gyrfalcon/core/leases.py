"""Claim due rows of a work table so that exactly one process handles each.

Used by the monitor scheduler and the notification deliverer (ADR 0004). A
claim is a plain conditional UPDATE that repeats the "due and not leased"
test: when two processes race for a row, the database serialises their
updates and re-checks the condition for the second one (PostgreSQL re-reads
the updated row, InnoDB updates read the latest committed version, SQLite has
one writer), so only one update touches it. This works alike on the three
databases, without ``SKIP LOCKED``.

A lease ends when its holder clears it, or at ``lease_until`` if the holder
died, so a crashed process delays work by at most one lease.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


@dataclass(frozen=True)
class LeaseColumns:
    """The work table's key, lease token and lease end columns."""

    key: InstrumentedAttribute[int]
    token: InstrumentedAttribute[str | None]
    until: InstrumentedAttribute[datetime | None]


async def claim(
    session: AsyncSession,
    columns: LeaseColumns,
    *,
    due: ColumnElement[bool],
    order_by: Any,
    now: datetime,
    lease: timedelta,
    limit: int,
) -> tuple[str, list[int]]:
    """Lease up to ``limit`` due rows; returns the lease token and the keys won.

    Commits: the lease must be visible to other processes before the work starts.
    """
    free = or_(columns.until.is_(None), columns.until < now)
    candidates = list(
        await session.scalars(select(columns.key).where(due, free).order_by(order_by).limit(limit))
    )
    token = str(uuid.uuid4())
    if not candidates:
        return token, []
    await session.execute(
        update(columns.key.class_)
        .where(columns.key.in_(candidates), due, free)
        .values({columns.token: token, columns.until: now + lease})
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    won = list(await session.scalars(select(columns.key).where(columns.token == token)))
    await session.commit()
    return token, won


def held(columns: LeaseColumns, key: int, token: str) -> ColumnElement[bool]:
    """The condition of an update only the lease holder may make."""
    return (columns.key == key) & (columns.token == token)
