"""``/api/v1/schemas``, ``/api/v1/subscriptions`` and ``/api/v1/messages``: thin routes
over the messages services."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from gyrfalcon.core.db import DbSession
from gyrfalcon.core.params import Id
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import Principal, ServiceScope, authorizer_of, granted_scope, require
from gyrfalcon.messages import message_routes, proto_schemas, subscriptions
from gyrfalcon.messages.schemas import (
    FieldRead,
    SchemaFiles,
    SchemaRead,
    SchemaUpload,
    SchemaUploaded,
    SchemaVersionRead,
    SubscriptionDefinition,
    SubscriptionFields,
    SubscriptionRead,
    SubscriptionUpdate,
    TopicRead,
    ValueFormat,
)
from gyrfalcon.messages.settings import MessagesSettings

router = APIRouter(tags=["messages"])
router.include_router(message_routes.router)
READ = Depends(require("messages", "read"))
WRITE = Depends(require("messages", "write"))
Writer = Annotated[Principal, WRITE]
ServiceFilter = Annotated[str | None, Query(max_length=63, description="Only this service's")]
MessageType = Annotated[
    str,
    Path(
        min_length=1,
        max_length=500,
        pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$",
        description="A message type's full name, e.g. shop.OrderEvent",
    ),
]
Version = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="The latest if left out")]


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def _settings(request: Request) -> MessagesSettings:
    return _context(request).settings.section(MessagesSettings)


async def _read_scope(request: Request, db: DbSession, principal: Principal) -> ServiceScope:
    return await authorizer_of(request).scope(principal, "messages", "read", session=db)


def _stale_after(request: Request) -> timedelta:
    return subscriptions.stale_after(_settings(request))


# --- schemas ------------------------------------------------------------------------------


@router.get(
    "/schemas", dependencies=[READ], summary="Protobuf schemas of the services in your scope"
)
async def list_schemas(
    request: Request, db: DbSession, service: ServiceFilter = None
) -> list[SchemaRead]:
    return await proto_schemas.list_schemas(db, scope=granted_scope(request), service=service)


@router.post(
    "/schemas",
    status_code=status.HTTP_201_CREATED,
    summary="Upload .proto files: a new schema, or the next version of one of the same name",
    description="The files are compiled at once; when they do not compile the answer is a "
    "422 whose `errors` give each problem's file, line and column. Subscriptions decoding "
    "with the schema take the new version within seconds.",
)
async def upload_schema(
    body: SchemaUpload, request: Request, db: DbSession, _writer: Writer
) -> SchemaUploaded:
    return await proto_schemas.upload(
        db,
        body=body,
        scope=granted_scope(request),
        timeout=_settings(request).messages_compile_timeout_seconds,
    )


@router.get("/schemas/{schema_id}", dependencies=[READ], summary="One schema")
async def get_schema(request: Request, db: DbSession, schema_id: Id) -> SchemaRead:
    return await proto_schemas.get_schema(db, schema_id=schema_id, scope=granted_scope(request))


@router.delete(
    "/schemas/{schema_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a schema with its versions; refused while a subscription decodes with it",
)
async def delete_schema(request: Request, db: DbSession, schema_id: Id, _writer: Writer) -> None:
    await proto_schemas.delete_schema(db, schema_id=schema_id, scope=granted_scope(request))


@router.get(
    "/schemas/{schema_id}/versions",
    dependencies=[READ],
    summary="A schema's versions, newest first",
)
async def list_versions(request: Request, db: DbSession, schema_id: Id) -> list[SchemaVersionRead]:
    return await proto_schemas.list_versions(db, schema_id=schema_id, scope=granted_scope(request))


@router.get(
    "/schemas/{schema_id}/files", dependencies=[READ], summary="The .proto files of a version"
)
async def schema_files(
    request: Request, db: DbSession, schema_id: Id, version: Version = None
) -> SchemaFiles:
    found = await proto_schemas.get_version(
        db, schema_id=schema_id, version=version, scope=granted_scope(request)
    )
    return SchemaFiles(version=found.version, files=found.files)


@router.get(
    "/schemas/{schema_id}/message-types/{message_type}/fields",
    dependencies=[READ],
    summary="The fields of one of a schema's message types, as paths (for indexing and filters)",
)
async def schema_fields(
    request: Request,
    db: DbSession,
    schema_id: Id,
    message_type: MessageType,
    version: Version = None,
) -> list[FieldRead]:
    found = await proto_schemas.get_version(
        db, schema_id=schema_id, version=version, scope=granted_scope(request)
    )
    return proto_schemas.fields_of(found, message_type)


# --- subscriptions ------------------------------------------------------------------------


@router.get(
    "/topics",
    dependencies=[WRITE],
    summary="The topics of a Kafka cluster of the catalog, to subscribe to",
    description="Asks the cluster: a 502 says why when it does not answer in time. Needs "
    "the messages write permission, as subscribing does.",
)
async def list_topics(
    request: Request,
    db: DbSession,
    cluster: Annotated[str, Query(min_length=1, max_length=100, description="The cluster's name")],
) -> list[TopicRead]:
    return await subscriptions.cluster_topics(
        db,
        cluster=cluster,
        box=_context(request).secrets,
        timeout=_settings(request).messages_timeout_seconds,
    )


async def _subscription_read(
    request: Request, db: DbSession, located: subscriptions.Located
) -> SubscriptionRead:
    status_of = await subscriptions.statuses(db, [located], stale_after=_stale_after(request))
    return subscriptions.to_read(located, status_of[located.subscription.id])


@router.get(
    "/subscriptions",
    dependencies=[READ],
    summary="Subscriptions of the services in your scope, with their status and lag",
)
async def list_subscriptions(
    request: Request, db: DbSession, service: ServiceFilter = None
) -> list[SubscriptionRead]:
    found = await subscriptions.list_located(db, scope=granted_scope(request), service=service)
    status_of = await subscriptions.statuses(db, found, stale_after=_stale_after(request))
    return [subscriptions.to_read(item, status_of[item.subscription.id]) for item in found]


@router.post(
    "/subscriptions",
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe a service to a topic; a worker starts consuming it within seconds",
)
async def create_subscription(
    body: SubscriptionDefinition, request: Request, db: DbSession, writer: Writer
) -> SubscriptionRead:
    subscription_id = await subscriptions.create(
        db,
        body,
        write_scope=granted_scope(request),
        read_scope=await _read_scope(request, db, writer),
        box=_context(request).secrets,
        timeout=_settings(request).messages_timeout_seconds,
    )
    located = await subscriptions.get_within(
        db, subscription_id=subscription_id, scope=granted_scope(request)
    )
    return await _subscription_read(request, db, located)


@router.get("/subscriptions/{subscription_id}", dependencies=[READ], summary="One subscription")
async def get_subscription(
    request: Request, db: DbSession, subscription_id: Id
) -> SubscriptionRead:
    located = await subscriptions.get_within(
        db, subscription_id=subscription_id, scope=granted_scope(request)
    )
    return await _subscription_read(request, db, located)


@router.patch(
    "/subscriptions/{subscription_id}",
    summary="Change a subscription; another cluster or topic starts it afresh",
)
async def update_subscription(
    body: SubscriptionUpdate,
    request: Request,
    db: DbSession,
    subscription_id: Id,
    writer: Writer,
) -> SubscriptionRead:
    read_scope = await _read_scope(request, db, writer)
    located = await subscriptions.get_within(db, subscription_id=subscription_id, scope=read_scope)
    await subscriptions.update(
        db,
        located,
        body.model_dump(exclude_unset=True, mode="json"),
        write_scope=granted_scope(request),
        read_scope=read_scope,
        box=_context(request).secrets,
        timeout=_settings(request).messages_timeout_seconds,
    )
    return await get_subscription(request, db, subscription_id)


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a subscription; its stored messages are purged in the background",
)
async def delete_subscription(
    request: Request, db: DbSession, subscription_id: Id, writer: Writer
) -> Response:
    located = await subscriptions.get_within(
        db, subscription_id=subscription_id, scope=await _read_scope(request, db, writer)
    )
    await subscriptions.remove(db, located, write_scope=granted_scope(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/subscriptions/{subscription_id}/fields",
    dependencies=[READ],
    summary="What the message browser can filter a subscription's messages by",
)
async def subscription_fields(
    request: Request, db: DbSession, subscription_id: Id
) -> SubscriptionFields:
    located = await subscriptions.get_within(
        db, subscription_id=subscription_id, scope=granted_scope(request)
    )
    row = located.subscription
    fields: list[FieldRead] = []
    if row.value_format == ValueFormat.PROTOBUF and row.schema_id and row.message_type:
        version = await proto_schemas.get_version(
            db, schema_id=row.schema_id, version=None, scope=granted_scope(request)
        )
        fields = proto_schemas.fields_of(version, row.message_type)
    return SubscriptionFields(indexed=list(row.indexed_fields), fields=fields)
