"""The message store on PostgreSQL: the SQL store over tables partitioned by day of the
message time (the migration makes them so), with the days managed here.

Each retention round adds the partitions of yesterday, today and the days to come (a
message older than that, consumed from the start of a topic, waits in the DEFAULT
partition), and drops the days every subscription's retention has passed: a whole day
goes with one ``DROP TABLE`` instead of millions of deleted rows, which is what makes
retention cheap at high volumes. A subscription that keeps less than the longest
retention, and a deleted one, lose their rows in the SQL store's bounded batches.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.messages.store.base import INDEX_COLUMNS, IndexRow, MessageRow
from gyrfalcon.messages.store.sql import SqlMessageStore

_logger = logging.getLogger(__name__)
TABLES = ("kafka_messages", "kafka_message_index")
DAYS_AHEAD = 3
_DAY_TABLE = re.compile(r"^kafka_messages_d(\d{8})$")
_LOCK_TIMEOUT = "2s"
"""Adding or dropping a day waits this long at most for the locks it needs, then tries
again next round, rather than queueing readers and writers behind it."""


def day_of(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y%m%d")


def _start_ms(day: datetime) -> int:
    return int(day.timestamp() * 1000)


class PartitionedPostgresStore(SqlMessageStore):
    async def _begin_ingest(self, session: AsyncSession) -> None:
        """An ingest commit does not wait for its WAL to reach the disk. A crash of the
        database then loses the last fraction of a second of batches, rows and positions
        together, and the consumer reads them from Kafka again: still exactly once, and
        no wait for a disk flush per batch."""
        await session.execute(text("SET LOCAL synchronous_commit = off"))

    async def _insert(
        self, session: AsyncSession, rows: list[MessageRow], index: list[IndexRow]
    ) -> None:
        """COPY rather than INSERT: the rows go to PostgreSQL as they are, several times
        faster than bound multi-row INSERTs, in the same transaction as the positions."""
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        if rows:
            await driver.copy_records_to_table(
                "kafka_messages",
                records=rows,
                columns=MessageRow._fields,
            )
        if index:
            await driver.copy_records_to_table(
                "kafka_message_index", records=index, columns=INDEX_COLUMNS
            )

    async def prepare(self, *, now_ms: int, keep_days: int) -> int:
        today = datetime.fromtimestamp(now_ms / 1000, tz=UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        existing = await self._days()
        for ahead in range(-1, DAYS_AHEAD + 1):
            day = today + timedelta(days=ahead)
            if day.strftime("%Y%m%d") not in existing:
                await self._create(day)
        cutoff = (today - timedelta(days=keep_days)).strftime("%Y%m%d")
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
        """A new day: made as a table of its own, then attached. ATTACH takes a lock that
        lets writes go on (CREATE TABLE ... PARTITION OF would stop every insert into
        the messages while it waits for running ones)."""
        name = day.strftime("%Y%m%d")
        low, high = _start_ms(day), _start_ms(day + timedelta(days=1))
        try:
            async with self._sessionmaker() as session, session.begin():
                await session.execute(text(f"SET LOCAL lock_timeout = '{_LOCK_TIMEOUT}'"))
                for table in TABLES:
                    await session.execute(
                        text(
                            f"CREATE TABLE IF NOT EXISTS {table}_d{name} "
                            f"(LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                        )
                    )
                    await session.execute(
                        text(
                            f"ALTER TABLE {table} ATTACH PARTITION {table}_d{name} "
                            f"FOR VALUES FROM ({low}) TO ({high})"
                        )
                    )
        except DBAPIError as exc:
            # Busy (next round tries again), or rows of that day already wait in the
            # DEFAULT partition (a producer's clock far ahead): they go with the batches.
            _logger.warning("cannot add the message partition of %s yet: %s", name, exc.orig)

    async def _drop(self, name: str) -> int:
        """Drop a day: counted first (a scan, with no lock held against writers), dropped,
        and its counts taken off the positions. A write to a day past every retention
        between the count and the drop would leave the stored count one high."""
        async with self._sessionmaker() as session:
            # The table's name is built here from a date's eight digits.
            counting = f'SELECT subscription_id, "partition", count(*) FROM kafka_messages_d{name}'  # noqa: S608
            rows = await session.execute(text(f"{counting} GROUP BY 1, 2"))
            counts = {(row[0], row[1]): row[2] for row in rows}
        try:
            async with self._sessionmaker() as session, session.begin():
                # DROP holds the messages' table for an instant (DETACH ... CONCURRENTLY
                # is not allowed beside a DEFAULT partition); the lock timeout keeps
                # writers from queueing behind it when it cannot have the table at once.
                await session.execute(text(f"SET LOCAL lock_timeout = '{_LOCK_TIMEOUT}'"))
                for table in TABLES:
                    await session.execute(text(f"DROP TABLE IF EXISTS {table}_d{name}"))
        except DBAPIError as exc:
            _logger.warning("cannot drop the message partition of %s yet: %s", name, exc.orig)
            return 0
        async with self._sessionmaker() as session, session.begin():
            for (subscription_id, partition), count in counts.items():
                await session.execute(
                    text(
                        "UPDATE message_positions SET stored = stored - :count "
                        "WHERE subscription_id = :s AND partition = :p"
                    ),
                    {"count": count, "s": subscription_id, "p": partition},
                )
        _logger.info("dropped the stored messages of %s", name)
        return sum(counts.values())
