"""``/api/v1/messages``: browse and search, detail, raw value, export, live tail and
replay of stored messages; thin routes over ``search``, ``reading``, ``export``,
``tail`` and ``replay``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from gyrfalcon.audit import service as audit
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import NotFound
from gyrfalcon.core.params import MAX_DB_INT, MAX_ID, Id, Timestamp
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import Principal, authorizer_of, granted_scope, require
from gyrfalcon.messages import export, filters, reading, replay, search, subscriptions, tail
from gyrfalcon.messages.schemas import (
    TOPIC_PATTERN,
    MessageDetail,
    MessagePage,
    ReplayRequest,
    ReplayResult,
)
from gyrfalcon.messages.search import CURSOR_PATTERN
from gyrfalcon.messages.settings import MessagesSettings
from gyrfalcon.messages.store.base import MessageRow, MessageStore
from gyrfalcon.messages.store.registry import store_of

router = APIRouter(tags=["messages"])
READ = Depends(require("messages", "read"))
EXPORT = Depends(require("messages", "export"))
WRITE = Depends(require("messages", "write"))
SHOWN_BYTES = 256 * 1024
"""A detail shows the value's first 256 KiB as hex and base64; the raw route gives all."""
MESSAGE = "/messages/{subscription_id}/{partition}/{offset}"
Partition = Annotated[int, Path(ge=0, le=MAX_ID, description="The Kafka partition")]
Offset = Annotated[int, Path(ge=0, le=MAX_DB_INT, description="The offset in the partition")]


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def _settings(request: Request) -> MessagesSettings:
    return _context(request).settings.section(MessagesSettings)


def _store(request: Request) -> MessageStore:
    return store_of(_context(request))


def _versions(request: Request) -> search.Versions:
    return search.Versions(_context(request).database.sessionmaker)


def _search(
    service: Annotated[str | None, Query(max_length=63, description="A service's name")] = None,
    subscription: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="A subscription id")
    ] = None,
    topic: Annotated[str | None, Query(pattern=TOPIC_PATTERN)] = None,
    since: Annotated[Timestamp | None, Query(description="Messages at or after (ISO 8601)")] = None,
    until: Annotated[Timestamp | None, Query(description="Messages before (ISO 8601)")] = None,
    partition: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    offset_min: Annotated[int | None, Query(ge=0, le=MAX_DB_INT)] = None,
    offset_max: Annotated[int | None, Query(ge=0, le=MAX_DB_INT)] = None,
    key: Annotated[
        str | None, Query(min_length=1, max_length=200, description="The key, exactly")
    ] = None,
    header: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Messages with this header")
    ] = None,
    header_value: Annotated[
        str | None, Query(max_length=200, description="...whose value is exactly this")
    ] = None,
    field: Annotated[
        str | None, Query(min_length=1, max_length=200, description="An indexed field")
    ] = None,
    value: Annotated[str | None, Query(max_length=200, description="Its value")] = None,
    match: Annotated[
        str, Query(pattern="^(exact|prefix)$", description="exact or prefix")
    ] = "exact",
    where: Annotated[
        str | None,
        Query(
            max_length=20_000,
            description='A JSON list of filters on decoded fields: [{"field": "order.total.units", '
            '"op": "gt", "value": "100"}]; op is eq, ne, contains, prefix, gt, gte, lt, lte, '
            "exists or missing",
        ),
    ] = None,
) -> search.Search:
    return search.Search(
        service=service,
        subscription_id=subscription,
        topic=topic,
        since=since,
        until=until,
        partition=partition,
        offset_min=offset_min,
        offset_max=offset_max,
        key=key,
        header=(header, header_value) if header else None,
        field=field,
        value=value,
        prefix=match == "prefix",
        where=tuple(filters.parse(where)),
    )


SearchParams = Annotated[search.Search, Depends(_search)]


@router.get(
    "/messages",
    dependencies=[READ],
    summary="Stored messages, newest first, by service, subscription, time, key, header, "
    "indexed field or a filter on decoded fields",
)
async def search_messages(
    request: Request,
    db: DbSession,
    params: SearchParams,
    after: Annotated[
        str | None,
        Query(pattern=CURSOR_PATTERN, description="The 'next' of the page before"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagePage:
    plan = await search.plan(db, params, scope=granted_scope(request))
    return await search.page(
        _store(request),
        plan,
        _versions(request),
        after=search.decode_cursor(after),
        limit=limit,
        budget=_settings(request).messages_scan_budget,
    )


@router.get(
    "/messages/export",
    dependencies=[EXPORT],
    summary="Download a search's messages as JSON lines or CSV (the export permission)",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}, "text/csv": {}}}},
)
async def export_messages(
    request: Request,
    db: DbSession,
    params: SearchParams,
    format: export.ExportFormat = export.ExportFormat.JSONL,
    limit: Annotated[int, Query(ge=1, le=1_000_000, description="Messages at most")] = 100_000,
) -> StreamingResponse:
    plan = await search.plan(db, params, scope=granted_scope(request))
    audit.record(
        db,
        action="messages.export",
        object_type="messages",
        object_name=", ".join(
            f"{target.service}/{target.subscription.name}" for target in plan.targets.values()
        )[:300],
        service=params.service,
        after={"format": format.value, "limit": limit, **str_params(request)},
    )
    await db.commit()
    body = export.lines(_store(request), plan, _versions(request), form=format, limit=limit)
    suffix = "jsonl" if format == export.ExportFormat.JSONL else "csv"
    return StreamingResponse(
        body,
        media_type=export.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="messages.{suffix}"'},
    )


def str_params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k not in ("format", "limit")}


@router.get(
    "/messages/tail",
    dependencies=[READ],
    summary="The live tail of one subscription, as server-sent events",
    description="A `message` event for every message stored after the tail began (with "
    "the filters, when given), as in a search page; a comment line keeps the stream open. "
    "Each event's id is where the tail stands: a client that reconnects with it as "
    "`Last-Event-ID` (as EventSource does) goes on from there, missing nothing.",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def tail_messages(
    request: Request,
    db: DbSession,
    subscription: Annotated[int, Query(ge=1, le=MAX_ID, description="The subscription")],
    where: Annotated[str | None, Query(max_length=20_000)] = None,
) -> StreamingResponse:
    params = search.Search(subscription_id=subscription, where=tuple(filters.parse(where)))
    plan = await search.plan(db, params, scope=granted_scope(request))
    stream = tail.events(
        _store(request),
        plan,
        _versions(request),
        resume=tail.resume_point(request.headers.get("last-event-id")),
        disconnected=request.is_disconnected,
        poll_seconds=0.5,
        heartbeat_every=30,
    )
    return StreamingResponse(
        stream,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _message(
    request: Request, db: DbSession, subscription_id: int, partition: int, offset: int
) -> tuple[subscriptions.Located, MessageRow]:
    located = await subscriptions.get_within(
        db, subscription_id=subscription_id, scope=granted_scope(request)
    )
    row = await _store(request).get(subscription_id, partition, offset)
    if row is None:
        raise NotFound(f"No stored message at partition {partition}, offset {offset}.")
    return located, row


@router.get(MESSAGE, dependencies=[READ], summary="One stored message, decoded")
async def get_message(
    request: Request,
    db: DbSession,
    subscription_id: Id,
    partition: Partition,
    offset: Offset,
    version: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="Decode with this version of the schema instead"),
    ] = None,
) -> MessageDetail:
    located, row = await _message(request, db, subscription_id, partition, offset)
    versions = _versions(request)
    version_id = await search.version_id_of(db, located, version) if version else None
    await versions.need({vid for vid in (row.schema_version_id, version_id) if vid})
    plan = search.of_one(located)
    reader = plan.reader(subscription_id, versions)
    decoded = reading.decode(reader, row, version_id=version_id)
    summary = search.summary(plan, reader, row, decoded)
    shown = row.value[:SHOWN_BYTES] if row.value is not None else None
    return MessageDetail(
        **summary.model_dump(),
        headers=reading.headers_of(row),
        decoded=decoded.value,
        decoded_with=decoded.version,
        key_base64=export.base64_of(row.key) if row.key is not None else None,
        value_base64=export.base64_of(shown) if shown is not None else None,
        value_hex=shown.hex() if shown is not None else None,
        shown_bytes=len(shown) if shown is not None else 0,
        cut=row.value is not None and row.value_size > len(row.value),
        indexed=await _store(request).indexed(subscription_id, partition, offset),
    )


@router.get(
    f"{MESSAGE}/value",
    dependencies=[READ],
    summary="The stored value's bytes, whole",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def message_value(
    request: Request, db: DbSession, subscription_id: Id, partition: Partition, offset: Offset
) -> Response:
    _located, row = await _message(request, db, subscription_id, partition, offset)
    return Response(
        row.value or b"",
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{row.topic}-{partition}-{offset}.bin"'
        },
    )


@router.post(
    f"{MESSAGE}/replay",
    summary="Publish a stored message again, as it was or edited, to its topic or another",
    description="Needs the write permission on the subscription's service; audited.",
)
async def replay_message(
    request: Request,
    db: DbSession,
    subscription_id: Id,
    partition: Partition,
    offset: Offset,
    body: ReplayRequest,
    writer: Annotated[Principal, WRITE],
) -> ReplayResult:
    readable = await authorizer_of(request).scope(writer, "messages", "read", session=db)
    located = await subscriptions.get_within(db, subscription_id=subscription_id, scope=readable)
    if not granted_scope(request).allows(located.service, located.team):
        raise NotFound(f"No subscription with id {subscription_id}.")
    row = await _store(request).get(subscription_id, partition, offset)
    if row is None:
        raise NotFound(f"No stored message at partition {partition}, offset {offset}.")
    return await replay.replay(
        db,
        located,
        row,
        body,
        box=_context(request).secrets,
        timeout=_settings(request).messages_timeout_seconds,
    )
