"""``/api/v1/services/{service}/redis/{instance_id}/...`` and ``/api/v1/cache``: thin
routes over the cache service, one per view and action of a service's Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from gyrfalcon.cache import bulk, instances, keynames
from gyrfalcon.cache import service as cache
from gyrfalcon.cache.schemas import (
    Analysis,
    BulkDeleteRead,
    BulkDeleteRequest,
    InstanceSummary,
    KeyInfo,
    KeyPage,
    MatchCount,
    ResumeRequest,
    TtlChange,
    ValueOrder,
    ValuePage,
)
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.errors import InvalidInput
from gyrfalcon.core.params import MAX_ID, Id
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import CurrentUser, authorizer_of, granted_scope, require

router = APIRouter(tags=["cache"])
READ = Depends(require("cache", "read"))
WRITE = Depends(require("cache", "write"))
INSTANCE = "/services/{service}/redis/{instance_id}"
KEY = INSTANCE + "/keys/{key}"
RedisType = Literal["string", "hash", "list", "set", "zset", "stream"]
Pattern = Annotated[
    str,
    Query(
        max_length=1000,
        description="A glob (*, ?, [abc], \\ escapes) under the instance's key prefix; "
        "without a glob, one key looked up directly; empty: every key",
    ),
]
Cursor = Annotated[
    str | None, Query(max_length=4000, description="The `cursor` of the page before")
]


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


async def _located(request: Request, db: DbSession, service: str, instance_id: Id) -> cache.Located:
    return await cache.locate(
        db, _context(request).secrets, service=service, instance_id=instance_id
    )


Located = Annotated[cache.Located, Depends(_located)]


def _key(
    key: Annotated[
        str, Path(max_length=90_000, description="The key's bytes as base64url, unpadded")
    ],
) -> bytes:
    return keynames.decode(key)


Key = Annotated[bytes, Depends(_key)]


@router.get("/cache/instances", dependencies=[READ], summary="The Redis instances in your scope")
async def list_instances(
    request: Request,
    db: DbSession,
    service: Annotated[str | None, Query(max_length=63)] = None,
) -> list[InstanceSummary]:
    return await instances.in_scope(db, granted_scope(request), service=service)


@router.get(INSTANCE + "/keys", dependencies=[READ], summary="Keys matching a pattern, a page")
async def search_keys(
    request: Request,
    located: Located,
    pattern: Pattern = "*",
    type: Annotated[RedisType | None, Query(description="Only keys of this type")] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Keys per page, at least")] = 100,
) -> KeyPage:
    return await cache.search(
        located,
        _context(request).settings,
        pattern=pattern,
        type_filter=type,
        cursor=cursor,
        limit=limit,
    )


@router.get(
    INSTANCE + "/keys-count",
    dependencies=[READ],
    summary="How many keys match (a bulk delete's dry run), within one scan budget",
)
async def count_keys(
    request: Request, located: Located, pattern: Pattern = "*", cursor: Cursor = None
) -> MatchCount:
    return await cache.count(located, _context(request).settings, pattern=pattern, cursor=cursor)


@router.get(KEY, dependencies=[READ], summary="One key: type, TTL, size, encoding, length")
async def get_key(request: Request, located: Located, key: Key) -> KeyInfo:
    return await cache.one_key(located, _context(request).settings, key)


@router.get(KEY + "/value", dependencies=[READ], summary="A page of a key's value")
async def get_value(
    request: Request,
    db: DbSession,
    located: Located,
    key: Key,
    user: CurrentUser,
    after: Annotated[
        str | None, Query(max_length=100, description="The `next` of the page before")
    ] = None,
    order: Annotated[ValueOrder, Query(description="A sorted set's order by score")] = "asc",
    schema: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="Decode a string with this uploaded schema"),
    ] = None,
    schema_version: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Its latest if none")
    ] = None,
    message_type: Annotated[
        str | None, Query(max_length=300, description="The message type, e.g. shop.Order")
    ] = None,
) -> ValuePage:
    protobuf = None
    if schema is not None:
        if not message_type:
            raise InvalidInput("message_type", "name the message type to decode the value as")
        scope = await authorizer_of(request).scope(user, "messages", "read", session=db)
        protobuf = cache.ProtobufChoice(schema, schema_version, message_type, scope)
    return await cache.value(
        db,
        located,
        _context(request).settings,
        key,
        after=after,
        order=order,
        protobuf=protobuf,
    )


@router.get(
    KEY + "/download",
    dependencies=[READ],
    summary="A string value as a file, streamed",
    response_class=StreamingResponse,
)
async def download_value(request: Request, located: Located, key: Key) -> StreamingResponse:
    chunks = cache.download(located, _context(request).settings, key)
    # The first chunk is read before answering: a failure is a problem, not a cut file.
    first = await anext(chunks, b"")

    async def body() -> AsyncIterator[bytes]:
        yield first
        async for chunk in chunks:
            yield chunk

    name = keynames.display(key)[0].replace('"', "_")[:100]
    return StreamingResponse(
        body(),
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}.bin"'},
    )


def _ascii(name: str) -> str:
    return "".join(char if char.isascii() and char.isprintable() else "_" for char in name)


@router.delete(KEY, dependencies=[WRITE], summary="Delete a key (UNLINK)")
async def delete_key(request: Request, db: DbSession, located: Located, key: Key) -> KeyInfo:
    return await cache.delete_key(db, located, _context(request).settings, key)


@router.put(KEY + "/ttl", dependencies=[WRITE], summary="Set a key's TTL, or remove it")
async def set_ttl(
    request: Request, db: DbSession, located: Located, key: Key, change: TtlChange
) -> KeyInfo:
    return await cache.set_ttl(db, located, _context(request).settings, key, seconds=change.seconds)


@router.get(INSTANCE + "/analysis", dependencies=[READ], summary="What a sample of keys holds")
async def analyse(
    request: Request,
    located: Located,
    pattern: Pattern = "*",
    delimiter: Annotated[str, Query(min_length=1, max_length=4)] = ":",
) -> Analysis:
    return await cache.analysis(
        located, _context(request).settings, pattern=pattern, delimiter=delimiter
    )


@router.post(
    INSTANCE + "/bulk-deletes",
    dependencies=[WRITE],
    status_code=202,
    summary="Delete every key matching a pattern, in the background",
)
async def start_bulk_delete(
    db: DbSession, located: Located, body: BulkDeleteRequest, user: CurrentUser
) -> BulkDeleteRead:
    return await bulk.start(
        db, located, pattern=body.pattern, max_keys=body.max_keys, user=user.username
    )


@router.get(INSTANCE + "/bulk-deletes", dependencies=[READ], summary="The recent bulk deletes")
async def list_bulk_deletes(db: DbSession, located: Located) -> list[BulkDeleteRead]:
    return await bulk.recent(db, located)


@router.get(INSTANCE + "/bulk-deletes/{job_id}", dependencies=[READ], summary="A bulk delete")
async def get_bulk_delete(db: DbSession, located: Located, job_id: Id) -> BulkDeleteRead:
    return await bulk.get(db, located, job_id)


@router.post(INSTANCE + "/bulk-deletes/{job_id}/cancel", dependencies=[WRITE], summary="Stop it")
async def cancel_bulk_delete(db: DbSession, located: Located, job_id: Id) -> BulkDeleteRead:
    return await bulk.cancel(db, located, job_id)


@router.post(
    INSTANCE + "/bulk-deletes/{job_id}/resume",
    dependencies=[WRITE],
    summary="Go on from where it stopped",
)
async def resume_bulk_delete(
    db: DbSession, located: Located, job_id: Id, body: ResumeRequest
) -> BulkDeleteRead:
    return await bulk.resume(db, located, job_id, max_keys=body.max_keys)
