"""The message store on PostgreSQL: the SQL store over tables partitioned by day of the
message time (the migration makes them so), with the days managed here.

Each retention round creates the partitions of the days to come (and back to the
longest retention, so old messages consumed from the start of a topic land in a day of
their own), and drops the days every subscription's retention has passed: a whole day
goes with one ``DROP TABLE`` instead of millions of deleted rows, which is what makes
retention cheap at high volumes. A subscription that keeps less than the longest
retention, and a deleted one, lose their rows in the SQL store's bounded batches.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.messages.store.sql import SqlMessageStore

_logger = logging.getLogger(__name__)
TABLES = ("kafka_messages", "kafka_message_index")
DAYS_AHEAD = 3
_DAY_TABLE = re.compile(r"^kafka_messages_d(\d{8})$")
_DROP_LOCK_TIMEOUT = "2s"
"""Dropping a day waits this long at most for readers to let go of the table, then
tries again next round, rather than queueing every reader behind it."""


def day_of(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y%m%d")


def _start_ms(day: datetime) -> int:
    return int(day.timestamp() * 1000)


class PartitionedPostgresStore(SqlMessageStore):
    async def prepare(self, *, now_ms: int, keep_days: int) -> int:
        today = datetime.fromtimestamp(now_ms / 1000, tz=UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        first = today - timedelta(days=keep_days)
        days = [first + timedelta(days=n) for n in range(keep_days + DAYS_AHEAD + 1)]
        existing = await self._days()
        for day in days:
            if day.strftime("%Y%m%d") not in existing:
                await self._create(day)
        cutoff = day_of(_start_ms(first))
        dropped = 0
        for name in sorted(existing):
            if name < cutoff:
                dropped += await self._drop(name)
        return dropped

    async def _days(self) -> set[str]:
        async with self._sessionmaker() as session:
            rows = await session.execute(
                text(
                    "SELECT child.relname FROM pg_inherits "
                    "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
                    "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
                    "WHERE parent.relname = 'kafka_messages'"
                )
            )
            return {match[1] for (name,) in rows if (match := _DAY_TABLE.match(name))}

    async def _create(self, day: datetime) -> None:
        name = day.strftime("%Y%m%d")
        low, high = _start_ms(day), _start_ms(day + timedelta(days=1))
        try:
            async with self._sessionmaker() as session, session.begin():
                for table in TABLES:
                    await session.execute(
                        text(
                            f"CREATE TABLE IF NOT EXISTS {table}_d{name} PARTITION OF {table} "
                            f"FOR VALUES FROM ({low}) TO ({high})"
                        )
                    )
        except DBAPIError as exc:
            # Rows of that day already wait in the DEFAULT partition (a producer's clock
            # far ahead): they stay there and go with the batched purge.
            _logger.warning("cannot create the message partition of %s: %s", name, exc.orig)

    async def _drop(self, name: str) -> int:
        try:
            async with self._sessionmaker() as session, session.begin():
                await session.execute(text(f"SET LOCAL lock_timeout = '{_DROP_LOCK_TIMEOUT}'"))
                counts = await self._counts(session, f"kafka_messages_d{name}")
                for table in TABLES:
                    await session.execute(text(f"DROP TABLE IF EXISTS {table}_d{name}"))
                for (subscription_id, partition), count in counts.items():
                    await session.execute(
                        text(
                            "UPDATE message_positions SET stored = stored - :count "
                            "WHERE subscription_id = :s AND partition = :p"
                        ),
                        {"count": count, "s": subscription_id, "p": partition},
                    )
        except DBAPIError as exc:
            _logger.warning("cannot drop the message partition of %s yet: %s", name, exc.orig)
            return 0
        _logger.info("dropped the stored messages of %s", name)
        return sum(counts.values())

    async def _counts(self, session: AsyncSession, table: str) -> dict[tuple[int, int], int]:
        # Inside the dropping transaction: a late write to that day waits, so the stored
        # counts lose exactly what the drop takes.
        await session.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        rows = await session.execute(
            # The table's name is built here from a date's eight digits.
            text(f'SELECT subscription_id, "partition", count(*) FROM {table} GROUP BY 1, 2')  # noqa: S608
        )
        return {(row[0], row[1]): row[2] for row in rows}
