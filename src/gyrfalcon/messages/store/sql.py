"""The message store in the platform database, through SQLAlchemy Core (the ORM's unit
of work would cost more than the write itself at ingest rates).

One transaction per batch: it first touches the batch's position rows (a write, so it
holds them against another worker, and on SQLite takes the one write lock at once rather
than failing to upgrade a read), reads the stored next offsets, keeps only records at or
after them, inserts rows and index rows, and moves the positions. A batch that a worker
killed midway did not commit left nothing; a batch of a worker that lost its partitions
finds them moved on by the new owner and stores nothing twice.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gyrfalcon.core.orm import utcnow
from gyrfalcon.messages.models import IndexedValue, Position, StoredMessage
from gyrfalcon.messages.store.base import (
    INDEX_COLUMNS,
    Batch,
    Cursor,
    IndexMatch,
    IndexRow,
    MessageRow,
    PartitionKey,
    Query,
    Written,
)

_MESSAGES = cast(Table, StoredMessage.__table__)
_INDEX = cast(Table, IndexedValue.__table__)
_POSITIONS = cast(Table, Position.__table__)
_STATEMENT_BYTES = 4 * 1024 * 1024
_PREFIX_END = "\U0010ffff"
"""Above every character: values with a prefix are those from the prefix up to it."""


def _row(record: Any) -> MessageRow:
    return MessageRow(*(getattr(record, name) for name in MessageRow._fields))


class SqlMessageStore:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, concurrent_writes: int = 1
    ) -> None:
        self._sessionmaker = sessionmaker
        self.concurrent_writes = concurrent_writes

    # --- positions ------------------------------------------------------------------------

    async def positions(self, subscription_ids: list[int]) -> dict[PartitionKey, int]:
        if not subscription_ids:
            return {}
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(Position.subscription_id, Position.partition, Position.next_offset).where(
                    Position.subscription_id.in_(subscription_ids)
                )
            )
            return {(row[0], row[1]): row[2] for row in rows}

    async def start(self, positions: dict[PartitionKey, int]) -> None:
        if not positions:
            return
        async with self._sessionmaker() as session, session.begin():
            statement = _insert_ignoring_existing(_POSITIONS, session)
            await session.execute(
                statement,
                [
                    {
                        "subscription_id": s,
                        "partition": p,
                        "next_offset": o,
                        "stored": 0,
                        "worker": "",
                    }
                    for (s, p), o in positions.items()
                ],
            )

    # --- ingest ---------------------------------------------------------------------------

    async def write(self, batch: Batch) -> Written:
        keys = sorted(batch.next_offsets)
        if not keys:
            return Written(0, 0)
        async with self._sessionmaker() as session, session.begin():
            await self._begin_ingest(session)
            held = tuple_(_POSITIONS.c.subscription_id, _POSITIONS.c.partition).in_(keys)
            await session.execute(update(_POSITIONS).where(held).values(checked_at=utcnow()))
            stored = {
                (row[0], row[1]): (row[2], row[3])
                for row in await session.execute(
                    select(
                        _POSITIONS.c.subscription_id,
                        _POSITIONS.c.partition,
                        _POSITIONS.c.next_offset,
                        _POSITIONS.c.last_message_ms,
                    ).where(held)
                )
            }

            def fresh(subscription_id: int, partition: int, offset: int) -> bool:
                position = stored.get((subscription_id, partition))
                return position is not None and offset >= position[0]

            rows = [r for r in batch.rows if fresh(r.subscription_id, r.partition, r.offset)]
            index = [i for i in batch.index if fresh(i[0], i[4], i[5])]
            await self._insert(session, rows, index)
            await self._move(session, batch, stored, rows)
        return Written(stored=len(rows), skipped=len(batch.rows) - len(rows))

    async def _begin_ingest(self, session: AsyncSession) -> None:
        """What an engine sets up for an ingest transaction (nothing, by default)."""

    async def _insert(
        self, session: AsyncSession, rows: list[MessageRow], index: list[IndexRow]
    ) -> None:
        for chunk in _by_size(rows):
            await session.execute(insert(_MESSAGES), [r._asdict() for r in chunk])
        if index:
            await session.execute(
                insert(_INDEX), [dict(zip(INDEX_COLUMNS, i, strict=True)) for i in index]
            )

    async def _move(
        self,
        session: AsyncSession,
        batch: Batch,
        stored: dict[PartitionKey, tuple[int, int | None]],
        rows: list[MessageRow],
    ) -> None:
        counts = Counter((r.subscription_id, r.partition) for r in rows)
        newest: dict[PartitionKey, int] = {}
        for r in rows:
            key = (r.subscription_id, r.partition)
            newest[key] = max(newest.get(key, r.timestamp_ms), r.timestamp_ms)
        changes = []
        for key, (next_offset, last_ms) in stored.items():
            candidates = [ms for ms in (last_ms, newest.get(key)) if ms is not None]
            changes.append(
                {
                    "s": key[0],
                    "p": key[1],
                    "next": max(next_offset, batch.next_offsets[key]),
                    "count": counts.get(key, 0),
                    "last": max(candidates) if candidates else None,
                    "end": batch.end_offsets.get(key),
                    "worker": batch.worker,
                }
            )
        await session.execute(
            update(_POSITIONS)
            .where(
                _POSITIONS.c.subscription_id == bindparam("s"),
                _POSITIONS.c.partition == bindparam("p"),
            )
            .values(
                next_offset=bindparam("next"),
                stored=_POSITIONS.c.stored + bindparam("count"),
                last_message_ms=bindparam("last"),
                end_offset=func.coalesce(bindparam("end"), _POSITIONS.c.end_offset),
                worker=bindparam("worker"),
            ),
            changes,
        )

    async def record_ends(self, ends: dict[PartitionKey, int]) -> None:
        """The partitions' ends as last seen, for the lag of partitions with nothing new."""
        if not ends:
            return
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(_POSITIONS)
                .where(
                    _POSITIONS.c.subscription_id == bindparam("s"),
                    _POSITIONS.c.partition == bindparam("p"),
                )
                .values(end_offset=bindparam("end"), checked_at=utcnow()),
                # In key order, as a write takes the same rows: two transactions that
                # lock rows in opposite orders deadlock on MySQL.
                [{"s": s, "p": p, "end": end} for (s, p), end in sorted(ends.items())],
            )

    # --- reads ----------------------------------------------------------------------------

    async def page(self, query: Query, *, after: Cursor | None, limit: int) -> list[MessageRow]:
        async with self._sessionmaker() as session:
            dialect = session.get_bind().dialect.name
            found: list[Iterable[MessageRow]] = []
            for subscription_id in sorted(set(query.subscription_ids)):
                statement = _one_subscription(query, subscription_id, after, limit, dialect)
                found.append([_row(r) for r in await session.execute(statement)])
        merged = heapq.merge(*found, key=_order, reverse=True)
        return [row for _, row in zip(range(limit), merged, strict=False)]

    async def from_offsets(
        self, subscription_id: int, offsets: dict[int, int], *, limit: int
    ) -> list[MessageRow]:
        found: list[MessageRow] = []
        async with self._sessionmaker() as session:
            for partition, offset in sorted(offsets.items()):
                rows = await session.execute(
                    select(_MESSAGES)
                    .where(
                        _MESSAGES.c.subscription_id == subscription_id,
                        _MESSAGES.c.partition == partition,
                        _MESSAGES.c.offset >= offset,
                    )
                    .order_by(_MESSAGES.c.offset)
                    .limit(limit)
                )
                found.extend(_row(row) for row in rows)
        return found

    async def get(self, subscription_id: int, partition: int, offset: int) -> MessageRow | None:
        async with self._sessionmaker() as session:
            found = (
                await session.execute(
                    select(_MESSAGES).where(
                        _MESSAGES.c.subscription_id == subscription_id,
                        _MESSAGES.c.partition == partition,
                        _MESSAGES.c.offset == offset,
                    )
                )
            ).first()
        return None if found is None else _row(found)

    async def indexed(
        self, subscription_id: int, partition: int, offset: int
    ) -> dict[str, list[str]]:
        message = await self.get(subscription_id, partition, offset)
        if message is None:
            return {}
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(_INDEX.c.field, _INDEX.c.value)
                .where(
                    _INDEX.c.subscription_id == subscription_id,
                    _INDEX.c.timestamp_ms == message.timestamp_ms,
                    _INDEX.c.partition == partition,
                    _INDEX.c.offset == offset,
                )
                .order_by(_INDEX.c.field, _INDEX.c.value)
            )
            values: dict[str, list[str]] = {}
            for field, value in rows:
                values.setdefault(field, []).append(value)
            return values

    # --- retention ------------------------------------------------------------------------

    async def prepare(self, *, now_ms: int, keep_days: int) -> int:
        return 0  # plain tables: every purge is a batched delete

    async def purge(self, subscription_id: int, *, before_ms: int, limit: int) -> int:
        async with self._sessionmaker() as session, session.begin():
            doomed = list(
                await session.execute(
                    select(_MESSAGES.c.partition, _MESSAGES.c.offset)
                    .where(
                        _MESSAGES.c.subscription_id == subscription_id,
                        _MESSAGES.c.timestamp_ms < before_ms,
                    )
                    .order_by(_MESSAGES.c.timestamp_ms)
                    .limit(limit)
                )
            )
            removed = 0
            by_partition: dict[int, list[int]] = {}
            for partition, offset in doomed:
                by_partition.setdefault(partition, []).append(offset)
            for partition, offsets in sorted(by_partition.items()):
                result = await session.execute(
                    delete(_MESSAGES).where(
                        _MESSAGES.c.subscription_id == subscription_id,
                        _MESSAGES.c.partition == partition,
                        _MESSAGES.c.offset.in_(offsets),
                    )
                )
                # What this delete removed, not what was selected: another worker may
                # have purged some of them first.
                went = int(getattr(result, "rowcount", 0) or 0)
                removed += went
                if went:
                    await session.execute(
                        update(_POSITIONS)
                        .where(
                            _POSITIONS.c.subscription_id == subscription_id,
                            _POSITIONS.c.partition == partition,
                        )
                        .values(stored=_POSITIONS.c.stored - went)
                    )
            return len(doomed)

    async def purge_index(self, subscription_id: int, *, before_ms: int, limit: int) -> int:
        async with self._sessionmaker() as session, session.begin():
            return await self._purge_index(session, subscription_id, before_ms, limit)

    async def _purge_index(
        self, session: AsyncSession, subscription_id: int, before_ms: int, limit: int
    ) -> int:
        columns = [
            _INDEX.c[name] for name in ("field", "value", "timestamp_ms", "partition", "offset")
        ]
        doomed = list(
            await session.execute(
                select(*columns)
                .where(
                    _INDEX.c.subscription_id == subscription_id, _INDEX.c.timestamp_ms < before_ms
                )
                .limit(limit)
            )
        )
        if doomed:
            await session.execute(
                delete(_INDEX).where(
                    _INDEX.c.subscription_id == subscription_id,
                    tuple_(*columns).in_([tuple(row) for row in doomed]),
                )
            )
        return len(doomed)


def _by_size(rows: list[MessageRow]) -> Iterable[list[MessageRow]]:
    """The rows in statements of about ``_STATEMENT_BYTES`` at most: one multi-row INSERT
    of many big values would pass MySQL's ``max_allowed_packet`` (16 MiB on MariaDB)."""
    chunk: list[MessageRow] = []
    size = 0
    for row in rows:
        weight = len(row.value or b"") + len(row.key or b"")
        if chunk and size + weight > _STATEMENT_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += weight
    if chunk:
        yield chunk


def _order(row: MessageRow) -> tuple[int, int, int, int]:
    return (row.timestamp_ms, row.subscription_id, row.partition, row.offset)


def _insert_ignoring_existing(table: Any, session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return mysql.insert(table).prefix_with("IGNORE")


def _one_subscription(
    query: Query, subscription_id: int, after: Cursor | None, limit: int, dialect: str
) -> Select[Any]:
    """One subscription's newest-first slice, through the index table when the query
    matches indexed values (its primary key is the access path), else through the
    messages' own (subscription, time, partition, offset) index."""
    if query.matches:
        first, *others = query.matches
        order = _INDEX.c
        statement = (
            select(_MESSAGES)
            .join(
                _INDEX,
                and_(
                    _INDEX.c.subscription_id == _MESSAGES.c.subscription_id,
                    _INDEX.c.partition == _MESSAGES.c.partition,
                    _INDEX.c.offset == _MESSAGES.c.offset,
                ),
            )
            .where(_INDEX.c.subscription_id == subscription_id, *_matching(_INDEX, first))
        )
        for other in others:
            also = _INDEX.alias()
            statement = statement.where(
                select(also.c.offset)
                .where(
                    also.c.subscription_id == _MESSAGES.c.subscription_id,
                    also.c.timestamp_ms == _MESSAGES.c.timestamp_ms,
                    also.c.partition == _MESSAGES.c.partition,
                    also.c.offset == _MESSAGES.c.offset,
                    *_matching(also, other),
                )
                .exists()
            )
    else:
        order = _MESSAGES.c
        statement = select(_MESSAGES).where(_MESSAGES.c.subscription_id == subscription_id)
    conditions: list[ColumnElement[bool]] = []
    if query.since_ms is not None:
        conditions.append(order.timestamp_ms >= query.since_ms)
    if query.until_ms is not None:
        conditions.append(order.timestamp_ms < query.until_ms)
    if query.partition is not None:
        conditions.append(order.partition == query.partition)
    if query.offset_min is not None:
        conditions.append(order.offset >= query.offset_min)
    if query.offset_max is not None:
        conditions.append(order.offset <= query.offset_max)
    if after is not None:
        conditions.append(_before(order, subscription_id, after, dialect))
    return (
        statement.where(*conditions)
        .order_by(order.timestamp_ms.desc(), order.partition.desc(), order.offset.desc())
        .limit(limit)
    )


def _matching(table: Any, match: IndexMatch) -> list[ColumnElement[bool]]:
    if match.prefix:
        value = [table.c.value >= match.value, table.c.value < match.value + _PREFIX_END]
    else:
        value = [table.c.value == match.value]
    return [table.c.field == match.field, *value]


def _before(columns: Any, subscription_id: int, after: Cursor, dialect: str) -> ColumnElement[bool]:
    """Rows of ``subscription_id`` that come after ``after`` in the newest-first order of
    (time, subscription, partition, offset)."""
    ts, partition, offset = columns.timestamp_ms, columns.partition, columns.offset
    if subscription_id < after.subscription_id:
        return cast(ColumnElement[bool], ts <= after.timestamp_ms)
    if subscription_id > after.subscription_id:
        return cast(ColumnElement[bool], ts < after.timestamp_ms)
    if dialect in ("mysql", "mariadb"):
        # MySQL plans a row comparison as a scan; the expanded form is a range.
        return or_(
            ts < after.timestamp_ms,
            and_(
                ts == after.timestamp_ms,
                or_(
                    partition < after.partition,
                    and_(partition == after.partition, offset < after.offset),
                ),
            ),
        )
    return tuple_(ts, partition, offset) < (after.timestamp_ms, after.partition, after.offset)
