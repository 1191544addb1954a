"""Services of the catalog: the microservices Gyrfalcon watches."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Label, Row, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog.dependents import DependentSource, describe_all, remove_all
from gyrfalcon.catalog.health import (
    CATALOG_REVISION,
    health_by_service,
    needs_attention,
    with_signals,
)
from gyrfalcon.catalog.models import (
    Datasource,
    DebugEndpoint,
    JobBackend,
    RedisInstance,
    Service,
    ServiceConnectionMixin,
)
from gyrfalcon.catalog.schemas import (
    ConnectionCounts,
    Link,
    ServiceCreate,
    ServiceDeletion,
    ServicePage,
    ServiceRead,
    ServiceSignal,
    ServiceUpdate,
)
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.db import flush_or_conflict
from gyrfalcon.core.errors import Conflict, Forbidden, NotFound
from gyrfalcon.core.pagination import PageParams
from gyrfalcon.core.revisions import bump, cache_for
from gyrfalcon.core.security import EVERYTHING, ServiceScope, Viewer

COUNTED: dict[str, type[ServiceConnectionMixin]] = {
    "datasources": Datasource,
    "redis": RedisInstance,
    "job_backends": JobBackend,
    "debug_endpoints": DebugEndpoint,
}


BaseUrlChangeHook = Callable[[AsyncSession, Service], Awaitable[None]]
"""Called in the transaction that gives a service another base URL. A module that keeps
secrets it sends to that URL (an HTTP monitor's secret headers) drops them there: a
secret must not follow its service to an address nobody entered it for. Modules
install theirs in ``app.state.on_base_url_change`` (a list) from their setup hook."""


@dataclass(frozen=True)
class _Entry:
    read: ServiceRead
    haystack: str


def _matches(entry: _Entry, *, q: str | None, team: str | None) -> bool:
    return (not q or q.lower() in entry.haystack) and (not team or entry.read.team == team)


def _signalled(
    entry: _Entry, signals: dict[str, list[ServiceSignal]], *, attention: bool
) -> ServiceRead | None:
    read = with_signals(entry.read, signals)
    return read if not attention or needs_attention(read) else None


async def _catalog(session: AsyncSession) -> list[_Entry]:
    """Every service with its connection counts, in name order, cached per process.

    Listing and searching the catalog is the most frequent read of the console (the
    UI, every module's service picker, automation); serving it from memory costs no
    database round trip, and the catalog revision keeps it current.
    """

    async def load() -> list[_Entry]:
        rows = await session.execute(_with_counts(select(Service).order_by(Service.name)))
        health = await health_by_service(session, COUNTED)
        entries = []
        for row in rows:
            read = _row_to_read(row)
            read.health = health.get(read.id, read.health)
            words = (read.name, read.display_name, read.description, read.team or "", *read.tags)
            entries.append(_Entry(read, "\n".join(words).lower()))
        return entries

    entries: list[_Entry] = await cache_for(session, CATALOG_REVISION).get(session, "all", load)
    return entries


def _count_of(attribute: str, model: type[ServiceConnectionMixin]) -> Label[int]:
    return (
        select(func.count())
        .where(model.service_id == Service.id)
        .correlate(Service)
        .scalar_subquery()
        .label(attribute)
    )


def _with_counts(statement: Select[Service]) -> Select[Any]:
    """Adds each connection kind's count as a column: the list, the catalog's hottest
    read, then costs one round trip."""
    return statement.add_columns(*(_count_of(a, m) for a, m in COUNTED.items()))


def _row_to_read(row: Row[Any]) -> ServiceRead:
    service: Service = row[0]
    counts = ConnectionCounts(**{attribute: row._mapping[attribute] for attribute in COUNTED})
    return _to_read(service, counts)


def _to_read(service: Service, counts: ConnectionCounts) -> ServiceRead:
    return ServiceRead(
        id=service.id,
        name=service.name,
        display_name=service.display_name,
        team=service.team,
        description=service.description,
        base_url=service.base_url,
        links=[Link.model_validate(link) for link in service.links],
        tags=service.tags,
        created_at=service.created_at,
        updated_at=service.updated_at,
        connections=counts,
    )


async def list_services(
    session: AsyncSession,
    *,
    q: str | None,
    team: str | None,
    page: PageParams,
    scope: ServiceScope = EVERYTHING,
    signals: dict[str, list[ServiceSignal]] | None = None,
    attention: bool = False,
) -> ServicePage:
    """The services matching the search that ``scope`` lets the caller see, with their
    ``signals``; with ``attention``, only those failing a test or signalling something."""
    candidates = (
        _signalled(entry, signals or {}, attention=attention)
        for entry in await _catalog(session)
        if _matches(entry, q=q, team=team) and scope.allows(entry.read.name, entry.read.team)
    )
    matches = [read for read in candidates if read is not None]
    return ServicePage(
        items=matches[page.offset : page.offset + page.limit],
        total=len(matches),
        limit=page.limit,
        offset=page.offset,
    )


def _by_name(name: str) -> Select[Service]:
    return select(Service).where(Service.name == name)


async def get_service(session: AsyncSession, *, name: str) -> Service:
    service = await session.scalar(_by_name(name))
    if service is None:
        raise NotFound(f"No service named '{name}'.")
    return service


async def read_service(
    session: AsyncSession, *, name: str, signals: dict[str, list[ServiceSignal]] | None = None
) -> ServiceRead:
    for entry in await _catalog(session):
        if entry.read.name == name:
            return with_signals(entry.read, signals or {})
    raise NotFound(f"No service named '{name}'.")


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    if "base_url" in data and data["base_url"] is not None:
        data["base_url"] = str(data["base_url"]).rstrip("/")
    if "links" in data and data["links"] is not None:
        data["links"] = [
            {"title": link["title"], "url": str(link["url"])} for link in data["links"]
        ]
    return data


def _audited(service: ServiceRead) -> dict[str, Any]:
    return {
        "object_type": "service",
        "object_id": service.id,
        "object_name": service.name,
        "service": service.name,
    }


def _ensure_within(scope: ServiceScope, name: str, team: str | None) -> None:
    if not scope.allows(name, team):
        owner = f"of team '{team}'" if team else "without a team"
        raise Forbidden(f"Your write permission does not reach a service {owner}.")


async def teams_by_service(session: AsyncSession) -> dict[str, str | None]:
    """Every service's team, for filtering records that name services."""
    return {entry.read.name: entry.read.team for entry in await _catalog(session)}


async def team_of(session: AsyncSession, *, name: str) -> str | None:
    """The team owning service ``name`` (None when it has none or does not exist)."""
    for entry in await _catalog(session):
        if entry.read.name == name:
            return entry.read.team
    return None


async def create_service(
    session: AsyncSession, *, body: ServiceCreate, scope: ServiceScope = EVERYTHING
) -> ServiceRead:
    _ensure_within(scope, body.name, body.team)
    if await session.scalar(select(Service.id).where(Service.name == body.name)) is not None:
        raise Conflict(f"A service named '{body.name}' already exists.")
    service = Service(**_columns(body.model_dump(mode="json")))
    service.display_name = service.display_name or body.name
    session.add(service)
    await bump(session, CATALOG_REVISION)
    await flush_or_conflict(session, f"A service named '{body.name}' already exists.")
    created = _to_read(service, ConnectionCounts())
    audit.record(session, action="service.create", **_audited(created), after=created)
    await session.commit()
    return created


async def update_service(
    session: AsyncSession,
    *,
    name: str,
    body: ServiceUpdate,
    scope: ServiceScope = EVERYTHING,
    on_base_url_change: Sequence[BaseUrlChangeHook] = (),
) -> ServiceRead:
    service = await get_service(session, name=name)
    before = await read_service(session, name=name)
    if "team" in body.model_fields_set:
        _ensure_within(scope, name, body.team)  # handing it to a team outside one's reach
    for field_name, value in _columns(body.model_dump(mode="json", exclude_unset=True)).items():
        if field_name in ("links", "tags", "description", "display_name") and value is None:
            value = [] if field_name in ("links", "tags") else ""
        setattr(service, field_name, value)
    if service.base_url != before.base_url:
        await _forget_debug_secrets(session, service)
        for hook in on_base_url_change:
            await hook(session, service)
    await bump(session, CATALOG_REVISION)
    await session.flush()
    after = _to_read(service, before.connections)
    after.health = before.health
    audit.record(session, action="service.update", **_audited(after), before=before, after=after)
    await session.commit()
    return after


async def _forget_debug_secrets(session: AsyncSession, service: Service) -> None:
    """Drop the tokens and HMAC keys of the service's debug endpoints: they were entered
    for the old base URL, and a run sends them to whatever the base URL is now."""
    await session.execute(
        update(DebugEndpoint).where(DebugEndpoint.service_id == service.id).values(secrets=None)
    )


async def deletion_of(
    session: AsyncSession, *, name: str, sources: Sequence[DependentSource]
) -> ServiceDeletion:
    """What deleting service ``name`` would delete with it."""
    service = await get_service(session, name=name)
    return ServiceDeletion(service=name, groups=await describe_all(session, service, sources))


async def delete_service(
    session: AsyncSession,
    *,
    name: str,
    sources: Sequence[DependentSource],
    box: SecretBox,
    viewer: Viewer | None = None,
) -> None:
    """Delete the service and everything under it, each object with its audit record.

    With a ``viewer``, every module whose objects go with it must grant them write on
    the service: deleting a service is no way round a missing monitors permission."""
    service = await get_service(session, name=name)
    before = await read_service(session, name=name)
    groups = await describe_all(session, service, sources)
    if viewer is not None:
        for group in groups:
            if not (await viewer.scope(group.module, "write")).allows(name, service.team):
                raise Forbidden(
                    f"Deleting '{name}' also deletes its {group.label} ({group.count}): that "
                    f"takes the {group.module} write permission for '{name}'; ask an admin."
                )
    await remove_all(session, service, sources, box=box)
    await session.delete(service)
    await bump(session, CATALOG_REVISION)
    removed = {group.label: group.count for group in groups}
    snapshot = {**before.model_dump(mode="json"), "deleted_with_it": removed}
    audit.record(session, action="service.delete", **_audited(before), before=snapshot)
    await session.commit()
