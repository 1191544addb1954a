"""Protobuf schemas: upload (a new version each time), list, read, fields, delete.

A schema belongs to a service, like everything in the console, and is versioned: an
upload of the same service and name compiles the files and adds the next version, so
messages stored with an older version stay readable with it (ADR 0007).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog import service as catalog
from gyrfalcon.core.actor import current_actor
from gyrfalcon.core.db import commit_or_conflict
from gyrfalcon.core.errors import Conflict, InvalidInput, NotFound, ProblemError
from gyrfalcon.core.security import EVERYTHING, ServiceScope
from gyrfalcon.messages.models import MessageSchema, MessageSchemaVersion, Subscription
from gyrfalcon.messages.protos import compiler, descriptors
from gyrfalcon.messages.schemas import (
    CompileError,
    FieldRead,
    SchemaRead,
    SchemaUpload,
    SchemaUploaded,
    SchemaVersionRead,
)


def _not_found(schema_id: int) -> NotFound:
    return NotFound(f"No schema with id {schema_id}.")


def compile_failed(failure: compiler.CompileFailed) -> ProblemError:
    errors = [
        {
            "field": f"files.{error.file}" if error.file else "files",
            "message": str(error),
            "file": error.file,
            "line": error.line,
            "column": error.column,
        }
        for error in failure.errors
    ]
    count = len(errors)
    summary = f"The schema does not compile ({count} error{'s' if count != 1 else ''}): "
    return ProblemError(
        summary + "; ".join(str(error) for error in failure.errors[:3]),
        status=422,
        title="Schema does not compile",
        errors=errors,
    )


def _diagnostic(diagnostic: compiler.Diagnostic) -> CompileError:
    return CompileError(
        file=diagnostic.file,
        line=diagnostic.line,
        column=diagnostic.column,
        message=diagnostic.message,
    )


def version_read(
    row: MessageSchemaVersion, warnings: Sequence[compiler.Diagnostic] = ()
) -> SchemaVersionRead:
    return SchemaVersionRead(
        version=row.version,
        files=sorted(row.files),
        message_types=row.message_types,
        created_at=row.created_at,
        created_by=row.created_by,
        warnings=[_diagnostic(d) for d in warnings],
    )


async def _reads(session: AsyncSession, rows: list[tuple[MessageSchema, str]]) -> list[SchemaRead]:
    ids = [schema.id for schema, _ in rows]
    if not ids:
        return []
    newer = aliased(MessageSchemaVersion)
    newest = (
        select(func.max(newer.version))
        .where(newer.schema_id == MessageSchemaVersion.schema_id)
        .scalar_subquery()
    )
    latest = {
        version.schema_id: version
        for version in await session.scalars(
            select(MessageSchemaVersion).where(
                MessageSchemaVersion.schema_id.in_(ids), MessageSchemaVersion.version == newest
            )
        )
    }
    counts = {
        row[0]: row[1]
        for row in await session.execute(
            select(MessageSchemaVersion.schema_id, func.count())
            .where(MessageSchemaVersion.schema_id.in_(ids))
            .group_by(MessageSchemaVersion.schema_id)
        )
    }
    users: dict[int, list[str]] = {}
    for schema_id, service, name in await session.execute(
        select(Subscription.schema_id, catalog.Service.name, Subscription.name)
        .join(catalog.Service, catalog.Service.id == Subscription.service_id)
        .where(Subscription.schema_id.in_(ids))
        .order_by(catalog.Service.name, Subscription.name)
    ):
        if schema_id is not None:
            users.setdefault(schema_id, []).append(f"{service}/{name}")
    reads = []
    for schema, service in rows:
        version = latest.get(schema.id)
        reads.append(
            SchemaRead(
                id=schema.id,
                service=service,
                name=schema.name,
                description=schema.description,
                latest_version=version.version if version else 0,
                message_types=version.message_types if version else [],
                versions=counts.get(schema.id, 0),
                used_by=users.get(schema.id, []),
                updated_at=schema.updated_at,
            )
        )
    return reads


def _in_scope(scope: ServiceScope) -> Select[MessageSchema, str]:
    statement = select(MessageSchema, catalog.Service.name).join(
        catalog.Service, catalog.Service.id == MessageSchema.service_id
    )
    if not scope.everything:
        statement = statement.where(
            catalog.Service.name.in_(scope.services) | catalog.Service.team.in_(scope.teams)
        )
    return statement


async def list_schemas(
    session: AsyncSession, *, scope: ServiceScope, service: str | None
) -> list[SchemaRead]:
    statement = _in_scope(scope).order_by(catalog.Service.name, MessageSchema.name)
    if service:
        statement = statement.where(catalog.Service.name == service)
    return await _reads(session, [(row[0], row[1]) for row in await session.execute(statement)])


async def get_schema(session: AsyncSession, *, schema_id: int, scope: ServiceScope) -> SchemaRead:
    row = (await session.execute(_in_scope(scope).where(MessageSchema.id == schema_id))).first()
    if row is None:
        raise _not_found(schema_id)
    return (await _reads(session, [(row[0], row[1])]))[0]


async def get_version(
    session: AsyncSession, *, schema_id: int, version: int | None, scope: ServiceScope
) -> MessageSchemaVersion:
    """One version (the latest when ``version`` is None) of a schema in ``scope``."""
    await get_schema(session, schema_id=schema_id, scope=scope)
    statement = select(MessageSchemaVersion).where(MessageSchemaVersion.schema_id == schema_id)
    if version is None:
        statement = statement.order_by(MessageSchemaVersion.version.desc()).limit(1)
    else:
        statement = statement.where(MessageSchemaVersion.version == version)
    found = await session.scalar(statement)
    if found is None:
        raise NotFound(f"Schema {schema_id} has no version {version}.")
    return found


async def list_versions(
    session: AsyncSession, *, schema_id: int, scope: ServiceScope
) -> list[SchemaVersionRead]:
    await get_schema(session, schema_id=schema_id, scope=scope)
    rows = await session.scalars(
        select(MessageSchemaVersion)
        .where(MessageSchemaVersion.schema_id == schema_id)
        .order_by(MessageSchemaVersion.version.desc())
    )
    return [version_read(row) for row in rows]


def fields_of(version: MessageSchemaVersion, message_type: str) -> list[FieldRead]:
    try:
        descriptor = descriptors.descriptor_of(version.descriptor_set, message_type)
    except descriptors.UnknownMessageType:
        raise _unknown_type(message_type, version) from None
    return [
        FieldRead(path=f.path, type=f.type, repeated=f.repeated, indexable=f.indexable)
        for f in descriptors.field_tree(descriptor)
    ]


def _unknown_type(message_type: str, version: MessageSchemaVersion) -> InvalidInput:
    known = ", ".join(version.message_types[:20]) or "none"
    return InvalidInput(
        "message_type",
        f"version {version.version} of the schema has no message type '{message_type}' "
        f"(it has: {known})",
    )


def check_type(version: MessageSchemaVersion, message_type: str) -> None:
    """A 422 naming the types there are when ``message_type`` is not one of them."""
    if message_type not in version.message_types:
        raise _unknown_type(message_type, version)


async def upload(
    session: AsyncSession, *, body: SchemaUpload, scope: ServiceScope, timeout: float
) -> SchemaUploaded:
    service = await catalog.get_service(session, name=body.service)
    if not scope.allows(service.name, service.team):
        raise NotFound(f"No service named '{body.service}'.")
    try:
        compiled = await compiler.compile_files(body.files, timeout=timeout)
    except compiler.CompileFailed as failure:
        raise compile_failed(failure) from None
    types = descriptors.message_types(compiled.descriptor_set, set(body.files))
    if not types:
        raise InvalidInput("files", "the files declare no message type")
    schema = await session.scalar(
        select(MessageSchema).where(
            MessageSchema.service_id == service.id, MessageSchema.name == body.name
        )
    )
    if schema is None:
        schema = MessageSchema(service_id=service.id, name=body.name, description=body.description)
        session.add(schema)
        await session.flush()
        number = 1
    else:
        schema.description = body.description or schema.description
        last = await session.scalar(
            select(func.max(MessageSchemaVersion.version)).where(
                MessageSchemaVersion.schema_id == schema.id
            )
        )
        number = (last or 0) + 1
    version = MessageSchemaVersion(
        schema_id=schema.id,
        version=number,
        files=body.files,
        descriptor_set=compiled.descriptor_set,
        message_types=types,
        created_by=current_actor().name,
    )
    session.add(version)
    audit.record(
        session,
        action="schema.upload",
        object_type="schema",
        object_id=schema.id,
        object_name=f"{service.name}/{schema.name}",
        service=service.name,
        after={"version": number, "files": sorted(body.files), "message_types": types},
    )
    await commit_or_conflict(
        session, f"Another upload of schema '{body.name}' came first; upload again."
    )
    read = await get_schema(session, schema_id=schema.id, scope=scope)
    return SchemaUploaded(schema_=read, version=version_read(version, compiled.warnings))


async def delete_schema(session: AsyncSession, *, schema_id: int, scope: ServiceScope) -> None:
    read = await get_schema(session, schema_id=schema_id, scope=scope)
    if read.used_by:
        raise Conflict(
            f"Schema '{read.name}' decodes subscription(s) {', '.join(read.used_by[:10])}; "
            "give them another schema or delete them first."
        )
    await remove_schema(session, schema_id=schema_id, read=read)
    await session.commit()


async def remove_schema(
    session: AsyncSession, *, schema_id: int, read: SchemaRead | None = None
) -> None:
    """Delete the schema and its versions with an audit record, in the caller's
    transaction; subscriptions that decode with it are left without a schema."""
    if read is None:
        read = await get_schema(session, schema_id=schema_id, scope=EVERYTHING)
    await session.execute(delete(MessageSchema).where(MessageSchema.id == schema_id))
    audit.record(
        session,
        action="schema.delete",
        object_type="schema",
        object_id=schema_id,
        object_name=f"{read.service}/{read.name}",
        service=read.service,
        before={"versions": read.versions, "message_types": read.message_types},
    )
