"""Recording and reading the audit log.

``record`` adds the entry to the caller's session, so it commits or rolls back with
the change it describes: a change that rolls back leaves no record, one that commits
always has one. Events that change nothing (a failed login) use ``record_event``,
which commits on its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, delete, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gyrfalcon.audit.diff import FieldChange as FieldChange
from gyrfalcon.audit.diff import diff as diff
from gyrfalcon.audit.models import AuditRecord
from gyrfalcon.audit.schemas import AuditDetail, AuditFacets, AuditRead
from gyrfalcon.core.actor import Actor, current_actor
from gyrfalcon.core.errors import NotFound
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.requestid import current_request_id
from gyrfalcon.core.security import ServiceScope

SECRET_MARKER = "********"  # noqa: S105 - shown in place of a secret, not one
Snapshot = dict[str, Any]


def snapshot(value: BaseModel | None) -> Snapshot | None:
    """An object's full state as the API shows it, with each secret that is set shown
    as a marker (the API never holds the secret itself)."""
    if value is None:
        return None
    dumped: Snapshot = value.model_dump(mode="json")
    for key, is_set in list(dumped.items()):
        if key.endswith("_set") and is_set is True:
            dumped[key.removesuffix("_set")] = SECRET_MARKER
    return dumped


def record(
    session: AsyncSession,
    *,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    object_name: str = "",
    service: str | None = None,
    before: BaseModel | Snapshot | None = None,
    after: BaseModel | Snapshot | None = None,
    actor: Actor | None = None,
) -> None:
    """Adds an entry for ``action`` to the session; the acting user, their address and
    the request id come from the request unless ``actor`` is given."""
    actor = actor or current_actor()
    session.add(
        AuditRecord(
            at=utcnow(),
            actor_kind=actor.kind,
            actor_user_id=actor.user_id,
            actor_name=actor.name,
            credential_id=actor.credential_id,
            source_address=actor.address,
            request_id=current_request_id(),
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            object_name=object_name[:300],
            service=service,
            before=before if isinstance(before, dict) or before is None else snapshot(before),
            after=after if isinstance(after, dict) or after is None else snapshot(after),
        )
    )


async def record_event(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    action: str,
    object_type: str,
    object_name: str = "",
    actor: Actor | None = None,
) -> None:
    """Records an event in a transaction of its own (there is no change to commit it with,
    e.g. a failed login)."""
    async with sessionmaker() as session:
        record(
            session, action=action, object_type=object_type, object_name=object_name, actor=actor
        )
        await session.commit()


def list_statement(
    *,
    scope: ServiceScope,
    teams_of_services: dict[str, str | None],
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    service: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[AuditRecord]:
    statement = (
        select(AuditRecord)
        .where(_visible(scope, teams_of_services))
        .order_by(AuditRecord.at.desc(), AuditRecord.id.desc())
    )
    filters = {
        AuditRecord.actor_name: actor,
        AuditRecord.action: action,
        AuditRecord.object_type: object_type,
        AuditRecord.object_id: object_id,
        AuditRecord.service: service,
    }
    for column, value in filters.items():
        if value is not None:
            statement = statement.where(column == value)
    if since is not None:
        statement = statement.where(AuditRecord.at >= since)
    if until is not None:
        statement = statement.where(AuditRecord.at < until)
    return statement


def _visible(scope: ServiceScope, teams_of_services: dict[str, str | None]) -> ColumnElement[bool]:
    """Records of services the caller's scope reaches; platform-wide ones need it all."""
    if scope.everything:
        return true()
    visible = [name for name, team in teams_of_services.items() if scope.allows(name, team)]
    return AuditRecord.service.in_(visible)


FACET_LIMIT = 500


async def facets(
    session: AsyncSession, *, scope: ServiceScope, teams_of_services: dict[str, str | None]
) -> AuditFacets:
    """The distinct actors, actions, object types and services the caller may see."""
    where = _visible(scope, teams_of_services)

    async def distinct(column: Any) -> list[str]:
        statement = (
            select(column)
            .where(where, column.is_not(None), column != "")
            .distinct()
            .order_by(column)
            .limit(FACET_LIMIT)
        )
        return list((await session.scalars(statement)).all())

    return AuditFacets(
        actors=await distinct(AuditRecord.actor_name),
        actions=await distinct(AuditRecord.action),
        object_types=await distinct(AuditRecord.object_type),
        services=await distinct(AuditRecord.service),
    )


def to_read(row: AuditRecord) -> AuditRead:
    return AuditRead.model_validate(row)


async def get_detail(
    session: AsyncSession, *, record_id: int, scope: ServiceScope, team: str | None
) -> AuditDetail:
    row = await session.get(AuditRecord, record_id)
    visible = row is not None and (
        scope.everything or (row.service is not None and scope.allows(row.service, team))
    )
    if row is None or not visible:
        raise NotFound(f"No audit record with id {record_id}.")
    return AuditDetail(
        **to_read(row).model_dump(),
        before=row.before,
        after=row.after,
        changes=diff(row.before or {}, row.after or {}),
    )


async def purge_older_than(session: AsyncSession, *, days: int) -> int:
    result = await session.execute(
        delete(AuditRecord).where(AuditRecord.at < utcnow() - timedelta(days=days))
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


async def service_of(session: AsyncSession, *, record_id: int) -> str | None:
    service: str | None = await session.scalar(
        select(AuditRecord.service).where(AuditRecord.id == record_id)
    )
    return service
