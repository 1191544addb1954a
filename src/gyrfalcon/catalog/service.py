"""Services of the catalog: the microservices Gyrfalcon watches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, String, cast, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

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
    ServicePage,
    ServiceRead,
    ServiceUpdate,
)
from gyrfalcon.core.db import commit_or_conflict
from gyrfalcon.core.errors import Conflict, NotFound
from gyrfalcon.core.pagination import PageParams, paginate

_COUNTED: dict[str, type[ServiceConnectionMixin]] = {
    "datasources": Datasource,
    "redis": RedisInstance,
    "job_backends": JobBackend,
    "debug_endpoints": DebugEndpoint,
}


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_statement(*, q: str | None, team: str | None) -> Select[Service]:
    statement = select(Service).order_by(Service.name)
    if q:
        pattern = f"%{_escape_like(q.lower())}%"
        statement = statement.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        Service.name,
                        Service.display_name,
                        Service.description,
                        Service.team,
                        cast(Service.tags, String),
                    )
                )
            )
        )
    if team:
        statement = statement.where(Service.team == team)
    return statement


async def _connection_counts(
    session: AsyncSession, service_ids: Iterable[int]
) -> dict[int, ConnectionCounts]:
    ids = list(service_ids)
    counts = {service_id: ConnectionCounts() for service_id in ids}
    if not ids:
        return counts
    # One round trip for all kinds: the list is the catalog's hottest read.
    per_kind = union_all(
        *(
            select(literal(attribute).label("kind"), model.service_id, func.count().label("n"))
            .where(model.service_id.in_(ids))
            .group_by(model.service_id)
            for attribute, model in _COUNTED.items()
        )
    )
    for attribute, service_id, count in await session.execute(select(per_kind.subquery())):
        setattr(counts[service_id], attribute, count)
    return counts


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
    session: AsyncSession, *, q: str | None, team: str | None, page: PageParams
) -> ServicePage:
    rows = await paginate(session, search_statement(q=q, team=team), page, lambda row: row)
    counts = await _connection_counts(session, (row.id for row in rows.items))
    return ServicePage(
        items=[_to_read(row, counts[row.id]) for row in rows.items],
        total=rows.total,
        limit=rows.limit,
        offset=rows.offset,
    )


async def get_service(session: AsyncSession, *, name: str) -> Service:
    service = await session.scalar(select(Service).where(Service.name == name))
    if service is None:
        raise NotFound(f"No service named '{name}'.")
    return service


async def read_service(session: AsyncSession, *, name: str) -> ServiceRead:
    service = await get_service(session, name=name)
    counts = await _connection_counts(session, [service.id])
    return _to_read(service, counts[service.id])


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    if "base_url" in data and data["base_url"] is not None:
        data["base_url"] = str(data["base_url"]).rstrip("/")
    if "links" in data and data["links"] is not None:
        data["links"] = [
            {"title": link["title"], "url": str(link["url"])} for link in data["links"]
        ]
    return data


async def create_service(session: AsyncSession, *, body: ServiceCreate) -> ServiceRead:
    if await session.scalar(select(Service.id).where(Service.name == body.name)) is not None:
        raise Conflict(f"A service named '{body.name}' already exists.")
    service = Service(**_columns(body.model_dump(mode="json")))
    service.display_name = service.display_name or body.name
    session.add(service)
    await commit_or_conflict(session, f"A service named '{body.name}' already exists.")
    return _to_read(service, ConnectionCounts())


async def update_service(session: AsyncSession, *, name: str, body: ServiceUpdate) -> ServiceRead:
    service = await get_service(session, name=name)
    for field_name, value in _columns(body.model_dump(mode="json", exclude_unset=True)).items():
        if field_name in ("links", "tags", "description", "display_name") and value is None:
            value = [] if field_name in ("links", "tags") else ""
        setattr(service, field_name, value)
    await session.commit()
    return await read_service(session, name=name)


async def delete_service(session: AsyncSession, *, name: str) -> None:
    service = await get_service(session, name=name)
    await session.delete(service)
    await session.commit()
