"""Browse and search the stored messages: which subscriptions a search covers, the
store query it becomes, and pages decoded on read and filtered within a scan budget.

Indexed values (the key, headers, a subscription's indexed fields) are index range
scans in the store; a structured filter on any other decoded field is evaluated here on
decoded rows, a bounded number per page, answering "looked at N, go on from here" rather
than holding the database (the jobs module's filters work the same way).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gyrfalcon.core.errors import InvalidInput, NotFound
from gyrfalcon.core.params import MAX_DB_INT, MAX_ID
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.messages import filters, proto_schemas, reading, subscriptions
from gyrfalcon.messages.consumer.decoding import HEADER_FIELD, KEY_FIELD
from gyrfalcon.messages.models import MessageSchemaVersion
from gyrfalcon.messages.schemas import MessagePage, MessageSummary, ValueFormat
from gyrfalcon.messages.store.base import Cursor, IndexMatch, MessageRow, MessageStore, Query

CURSOR_PATTERN = r"^(-?\d{1,19})\.(\d{1,10})\.(\d{1,10})\.(\d{1,19})$"
_CURSOR = re.compile(CURSOR_PATTERN)
_CHUNK = 200


@dataclass(frozen=True)
class Search:
    service: str | None = None
    subscription_id: int | None = None
    topic: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    partition: int | None = None
    offset_min: int | None = None
    offset_max: int | None = None
    key: str | None = None
    header: tuple[str, str | None] | None = None
    """A header's name and its value exactly, or None for any value (has the header)."""
    field: str | None = None
    value: str | None = None
    prefix: bool = False
    where: tuple[filters.FieldFilter, ...] = ()


def encode_cursor(row: MessageRow) -> str:
    return f"{row.timestamp_ms}.{row.subscription_id}.{row.partition}.{row.offset}"


def decode_cursor(raw: str | None) -> Cursor | None:
    if raw is None:
        return None
    match = _CURSOR.match(raw)
    parts = [int(part) for part in match.groups()] if match else []
    limits = (MAX_DB_INT, MAX_ID, MAX_ID, MAX_DB_INT)
    if not parts or any(abs(part) > limit for part, limit in zip(parts, limits, strict=True)):
        raise InvalidInput("after", "give back the 'next' of the page before, as it came")
    return Cursor(*parts)


class Versions:
    """Schema versions' descriptor sets, read once per search or stream."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self.known: dict[int, tuple[int, bytes]] = {}

    async def need(self, ids: set[int]) -> None:
        missing = {vid for vid in ids if vid not in self.known}
        if missing:
            async with self._sessionmaker() as session:
                self.known.update(await reading.load_versions(session, missing))


@dataclass
class Plan:
    """A search ready to run: the store query and how to read and filter its rows."""

    query: Query
    targets: dict[int, subscriptions.Located]
    match: Callable[[Any], bool] | None

    def reader(self, subscription_id: int, versions: Versions) -> reading.Reader:
        row = self.targets[subscription_id].subscription
        return reading.Reader(row.value_format, row.key_format, row.message_type, versions.known)


def of_one(located: subscriptions.Located) -> Plan:
    """A plan reading one subscription's messages, unfiltered (a message's detail)."""
    subscription_id = located.subscription.id
    return Plan(Query((subscription_id,)), {subscription_id: located}, None)


async def plan(session: AsyncSession, search: Search, *, scope: ServiceScope) -> Plan:
    """The subscriptions the search covers (within ``scope``) and its store query; a 422
    for a field that is not indexed or does not exist."""
    if search.subscription_id is not None:
        located = [
            await subscriptions.get_within(
                session, subscription_id=search.subscription_id, scope=scope
            )
        ]
    else:
        located = await subscriptions.list_located(session, scope=scope, service=search.service)
    if search.topic is not None:
        located = [item for item in located if item.subscription.topic == search.topic]
    if search.service is not None:
        located = [item for item in located if item.service == search.service]
    matches: list[IndexMatch] = []
    if search.key is not None:
        matches.append(IndexMatch(KEY_FIELD, search.key))
    if search.header is not None:
        name, value = search.header
        field = f"{HEADER_FIELD}{name}"
        matches.append(IndexMatch(field, value or "", prefix=value is None))
    if search.field is not None:
        if search.value is None:
            raise InvalidInput("value", "give the value to look for in the indexed field")
        located = _indexing(located, search.field)
        matches.append(IndexMatch(search.field, search.value, prefix=search.prefix))
    where = list(search.where)
    if where:
        await _check_filters(session, located, where, scope)
    query = Query(
        subscription_ids=tuple(item.subscription.id for item in located),
        since_ms=_ms(search.since),
        until_ms=_ms(search.until),
        partition=search.partition,
        offset_min=search.offset_min,
        offset_max=search.offset_max,
        matches=tuple(matches),
    )
    targets = {item.subscription.id: item for item in located}
    return Plan(query, targets, filters.matcher(where) if where else None)


def _indexing(located: list[subscriptions.Located], path: str) -> list[subscriptions.Located]:
    indexing = [item for item in located if path in item.subscription.indexed_fields]
    if located and not indexing:
        indexed = sorted({p for item in located for p in item.subscription.indexed_fields})
        hint = f" (indexed: {', '.join(indexed)})" if indexed else ""
        raise InvalidInput(
            "field",
            f"'{path}' is not an indexed field of these subscriptions{hint}; filter on it with "
            "'where', or add it to a subscription's indexed fields",
        )
    return indexing


async def _check_filters(
    session: AsyncSession,
    located: list[subscriptions.Located],
    where: list[filters.FieldFilter],
    scope: ServiceScope,
) -> None:
    known: set[str] = set()
    for item in located:
        row = item.subscription
        if row.value_format != ValueFormat.PROTOBUF or not row.schema_id or not row.message_type:
            return  # JSON and friends have no schema to check a path against
        version = await proto_schemas.get_version(
            session, schema_id=row.schema_id, version=None, scope=scope
        )
        known.update(f.path for f in proto_schemas.fields_of(version, row.message_type))
    if located:
        filters.check_fields(where, known)


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def summary(
    plan_: Plan, reader: reading.Reader, row: MessageRow, decoded: reading.Decoded
) -> MessageSummary:
    target = plan_.targets[row.subscription_id]
    return MessageSummary(
        subscription_id=row.subscription_id,
        partition=row.partition,
        offset=row.offset,
        service=target.service,
        subscription=target.subscription.name,
        topic=row.topic,
        timestamp=datetime.fromtimestamp(row.timestamp_ms / 1000, tz=UTC),
        key=reading.key_of(reader, row),
        size=row.value_size,
        schema_version=decoded.version,
        decode_error=decoded.error or row.decode_error,
        preview=reading.preview(decoded, row),
    )


async def matching(
    store: MessageStore,
    plan_: Plan,
    versions: Versions,
    *,
    after: Cursor | None,
    budget: int | None,
) -> AsyncIterator[tuple[MessageSummary | None, MessageRow, reading.Decoded]]:
    """Every row the store gives for the plan, newest first from ``after``, with its
    summary when it matches (None when a filter rules it out); ends when the store has
    no more or ``budget`` rows were looked at."""
    if not plan_.query.subscription_ids:
        return
    cursor, scanned = after, 0
    while True:
        rows = await store.page(plan_.query, after=cursor, limit=_CHUNK)
        await versions.need({r.schema_version_id for r in rows if r.schema_version_id})
        for row in rows:
            scanned += 1
            cursor = Cursor(row.timestamp_ms, row.subscription_id, row.partition, row.offset)
            reader = plan_.reader(row.subscription_id, versions)
            decoded = reading.decode(reader, row)
            wanted = plan_.match is None or (
                decoded.value is not None and plan_.match(decoded.value)
            )
            yield (summary(plan_, reader, row, decoded) if wanted else None), row, decoded
            if budget is not None and scanned >= budget:
                return
        if len(rows) < _CHUNK:
            return


async def page(
    store: MessageStore,
    plan_: Plan,
    versions: Versions,
    *,
    after: Cursor | None,
    limit: int,
    budget: int,
) -> MessagePage:
    items: list[MessageSummary] = []
    scanned = 0
    last: MessageRow | None = None
    async for item, row, _decoded in matching(store, plan_, versions, after=after, budget=budget):
        scanned += 1
        last = row
        if item is not None:
            items.append(item)
            if len(items) == limit:
                return MessagePage(
                    items=items, next=encode_cursor(row), scanned=scanned, complete=True
                )
    exhausted = scanned < budget
    return MessagePage(
        items=items,
        next=None if exhausted or last is None else encode_cursor(last),
        scanned=scanned,
        complete=exhausted,
    )


async def version_id_of(session: AsyncSession, located: subscriptions.Located, number: int) -> int:
    """The id of version ``number`` of the subscription's schema, to decode with it."""
    schema_id = located.subscription.schema_id
    found = (
        await session.scalar(
            select(MessageSchemaVersion.id).where(
                MessageSchemaVersion.schema_id == schema_id, MessageSchemaVersion.version == number
            )
        )
        if schema_id
        else None
    )
    if found is None:
        raise NotFound(f"The subscription's schema has no version {number}.")
    return found
