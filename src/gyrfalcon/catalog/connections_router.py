"""Routers for every connection kind, built from the kind's declaration.

Per-service kinds live under ``/services/{service}/<kind>``, global ones at
``/<kind>``. Each gets list, create, read, update, delete, test of a saved
connection and test of an unsaved definition (the form's "Test" button).

The endpoint functions are defined inside the factory so their body types are
the kind's own models; that is why this module does not postpone annotations.
"""

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Depends, Request, status

from gyrfalcon.catalog import connections
from gyrfalcon.catalog import services as catalog
from gyrfalcon.catalog.kinds import ConnectionKind
from gyrfalcon.catalog.models import Service
from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.pagination import Pagination, paginate
from gyrfalcon.core.params import Id
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.core.security import require
from gyrfalcon.core.settings import Settings

READ = Depends(require("catalog", "read"))


def _context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def _box(request: Request) -> SecretBox:
    return _context(request).secrets


def _settings(request: Request) -> Settings:
    return _context(request).settings


def kind_router(kind: ConnectionKind) -> APIRouter:
    prefix = f"/services/{{service}}/{kind.path}" if kind.service_scoped else f"/{kind.path}"
    router = APIRouter(prefix=prefix, tags=[kind.path])
    definition = kind.definition
    update = kind.update
    read = kind.read
    page_model = kind.page
    # A global object (a Kafka cluster, a channel) serves every service: changing it takes
    # the write permission on all of them.
    WRITE = Depends(require("catalog", "write", everywhere=not kind.service_scoped))

    async def scoped_owner(service: str, db: DbSession) -> Service | None:
        return await catalog.get_service(db, name=service)

    async def no_owner() -> Service | None:
        return None

    Owner = Depends(scoped_owner if kind.service_scoped else no_owner)

    def as_read(row: Any, owner_service: Service | None, request: Request) -> Any:
        return connections.to_read(
            kind, row, _box(request), owner_service.name if owner_service else None
        )

    @router.get("", response_model=page_model, dependencies=[READ], summary=f"List {kind.label}s")
    async def list_connections(
        request: Request, db: DbSession, page: Pagination, owner_service: Service | None = Owner
    ) -> Any:
        return await paginate(
            db,
            connections.list_statement(kind, owner_service),
            page,
            lambda row: as_read(row[0], owner_service, request),
            page_model,
        )

    @router.post(
        "",
        response_model=read,
        status_code=status.HTTP_201_CREATED,
        dependencies=[WRITE],
        summary=f"Add a {kind.label}",
    )
    async def create_connection(
        body: definition,  # type: ignore[valid-type]
        request: Request,
        db: DbSession,
        owner_service: Service | None = Owner,
    ) -> Any:
        row = await connections.create_connection(
            db,
            kind,
            box=_box(request),
            settings=_settings(request),
            service=owner_service,
            definition=body,
        )
        return as_read(row, owner_service, request)

    @router.post("/test", dependencies=[WRITE], summary=f"Try an unsaved {kind.label}")
    async def test_unsaved(
        body: definition,  # type: ignore[valid-type]
        request: Request,
        owner_service: Service | None = Owner,
    ) -> ConnectionTestResult:
        return await connections.test_definition(
            kind,
            body,
            settings=_settings(request),
            base_url=owner_service.base_url if owner_service else None,
        )

    @router.get(
        "/{connection_id}", response_model=read, dependencies=[READ], summary=f"One {kind.label}"
    )
    async def get_connection(
        connection_id: Id, request: Request, db: DbSession, owner_service: Service | None = Owner
    ) -> Any:
        row = await connections.get_connection(
            db, kind, service=owner_service, connection_id=connection_id
        )
        return as_read(row, owner_service, request)

    @router.patch(
        "/{connection_id}",
        response_model=read,
        dependencies=[WRITE],
        summary=f"Change a {kind.label}",
    )
    async def update_connection(
        connection_id: Id,
        body: update,  # type: ignore[valid-type]
        request: Request,
        db: DbSession,
        owner_service: Service | None = Owner,
    ) -> Any:
        row = await connections.get_connection(
            db, kind, service=owner_service, connection_id=connection_id
        )
        row = await connections.update_connection(
            db,
            kind,
            box=_box(request),
            settings=_settings(request),
            service=owner_service,
            row=row,
            patch=body,
        )
        return as_read(row, owner_service, request)

    @router.delete(
        "/{connection_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        dependencies=[WRITE],
        summary=f"Remove a {kind.label}",
    )
    async def delete_connection(
        connection_id: Id, request: Request, db: DbSession, owner_service: Service | None = Owner
    ) -> None:
        row = await connections.get_connection(
            db, kind, service=owner_service, connection_id=connection_id
        )
        await connections.delete_connection(
            db, kind, box=_box(request), service=owner_service, row=row
        )

    @router.post(
        "/{connection_id}/test",
        dependencies=[WRITE],
        summary=f"Test a saved {kind.label}, optionally with unsaved changes",
        description="With a body (the same as a PATCH), the changes are applied to the saved "
        "definition for this test only: an edit form can be tried before it is saved, "
        "with the stored secrets it does not repeat. A test sends the stored secrets to the "
        "connection's address, so it takes the write permission a save would take; when the "
        "changes move the connection (another host, port, URL or TLS setting), the stored "
        "secrets are left out unless the body enters them again. Without a body the "
        "result is kept as the connection's last test (`last_test`), which its service's "
        "health shows; a test of unsaved changes is not kept.",
    )
    async def test_saved(
        connection_id: Id,
        request: Request,
        db: DbSession,
        changes: update | None = None,  # type: ignore[valid-type]
        owner_service: Service | None = Owner,
    ) -> ConnectionTestResult:
        row = await connections.get_connection(
            db, kind, service=owner_service, connection_id=connection_id
        )
        if changes is None:
            return await connections.test_saved(
                db,
                kind,
                box=_box(request),
                settings=_settings(request),
                service=owner_service,
                row=row,
                now=utcnow(),
            )
        saved = connections.load_definition(kind, row, _box(request), changes=changes)
        return await connections.test_definition(
            kind,
            saved,
            settings=_settings(request),
            base_url=owner_service.base_url if owner_service else None,
        )

    return router


def connections_router(kinds: Iterable[ConnectionKind]) -> APIRouter:
    router = APIRouter()
    for kind in kinds:
        router.include_router(kind_router(kind))
    return router
