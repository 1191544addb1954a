"""Writing records into the store as a consumer would, without a broker in between, for
the tests of search, detail, export and retention (the consumer's own tests go through
a real broker)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from gyrfalcon.messages.consumer.decoding import Decoder, SchemaVersion
from gyrfalcon.messages.models import MessageSchemaVersion
from gyrfalcon.messages.store.base import Batch
from gyrfalcon.messages.store.registry import store_of


@dataclass(frozen=True)
class FakeRecord:
    """The parts of a consumed record ingest reads."""

    offset: int
    value: bytes | None
    key: bytes | None = None
    timestamp: int = 1_767_225_600_000  # 2026-01-01T00:00:00Z
    partition: int = 0
    topic: str = "orders"
    headers: Sequence[tuple[str, bytes]] = field(default_factory=tuple)


async def store_records(
    app: FastAPI, subscription: dict[str, Any], records: Sequence[FakeRecord]
) -> None:
    context = app.state.context
    schema = None
    if subscription["schema_id"]:
        async with context.database.sessionmaker() as session:
            row = await session.scalar(
                select(MessageSchemaVersion)
                .where(MessageSchemaVersion.schema_id == subscription["schema_id"])
                .order_by(MessageSchemaVersion.version.desc())
                .limit(1)
            )
            assert row is not None
            schema = SchemaVersion(row.id, row.version, row.descriptor_set)
    decoder = Decoder(
        subscription["id"],
        value_format=subscription["value_format"],
        key_format=subscription["key_format"],
        indexed_fields=subscription["indexed_fields"],
        message_type=subscription["message_type"],
        schema=schema,
        max_value_bytes=1024 * 1024,
    )
    store = store_of(context)
    partitions = {record.partition for record in records}
    await store.start({(subscription["id"], p): 0 for p in partitions})
    batch = Batch()
    for record in records:
        row, index = decoder.decode(record)
        batch.rows.append(row)
        batch.index.extend(index)
        key = (subscription["id"], record.partition)
        batch.next_offsets[key] = max(batch.next_offsets.get(key, 0), record.offset + 1)
    await store.write(batch)
