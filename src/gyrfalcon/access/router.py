"""``/api/v1``: permissions, roles, teams, users and directory group mappings."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from gyrfalcon.access import service as access
from gyrfalcon.access.granting import Granter
from gyrfalcon.access.schemas import (
    GroupMappingCreate,
    GroupMappingPage,
    GroupMappingRead,
    PermissionRead,
    RoleCreate,
    RolePage,
    RoleRead,
    RoleUpdate,
    TeamCreate,
    TeamPage,
    TeamRead,
    TeamUpdate,
    UserCreate,
    UserCreated,
    UserDetail,
    UserPage,
    UserUpdate,
)
from gyrfalcon.auth import service as auth
from gyrfalcon.auth.service import AuthSettings, PasswordLinkRead, PasswordReset, TokenPage
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.pagination import Pagination, paginate
from gyrfalcon.core.params import Id
from gyrfalcon.core.plugins import Module
from gyrfalcon.core.security import AUTHENTICATED, CurrentUser, require

router = APIRouter(tags=["access"])
# Who holds which role is not a per-service matter: managing it takes the permission
# on every service.
READ = Depends(require("access", "read", everywhere=True))
WRITE = Depends(require("access", "write", everywhere=True))


async def _granter(principal: CurrentUser, db: DbSession) -> Granter:
    return await access.granter_of(db, principal)


Caller = Annotated[Granter, Depends(_granter)]
"""Who changes access, with the grants they may hand on (nobody grants more)."""


def catalogue(request: Request) -> dict[str, list[str]]:
    modules: list[Module] = request.app.state.modules
    return {m.name: [p.action for p in m.permissions] for m in modules if m.permissions}


@router.get(
    "/permissions",
    dependencies=[Depends(AUTHENTICATED)],
    summary="Every module's permissions (what a grant may name)",
)
async def list_permissions(request: Request) -> list[PermissionRead]:
    modules: list[Module] = request.app.state.modules
    return [
        PermissionRead(
            module=m.name, module_title=m.title, action=p.action, description=p.description
        )
        for m in modules
        for p in m.permissions
    ]


@router.get("/roles", dependencies=[READ], summary="Roles and their grants")
async def list_roles(db: DbSession, page: Pagination) -> RolePage:
    found = await paginate(
        db, access.roles_statement(), page, lambda row: access.role_read(row[0]), RolePage
    )
    assert isinstance(found, RolePage)
    return found


@router.post(
    "/roles", status_code=status.HTTP_201_CREATED, dependencies=[WRITE], summary="Create a role"
)
async def create_role(
    body: RoleCreate, request: Request, db: DbSession, caller: Caller
) -> RoleRead:
    role = await access.create_role(db, body=body, catalogue=catalogue(request), granter=caller)
    return access.role_read(await access.get_role(db, role_id=role.id))


@router.get("/roles/{role_id}", dependencies=[READ], summary="One role")
async def get_role(role_id: Id, db: DbSession) -> RoleRead:
    return access.role_read(await access.get_role(db, role_id=role_id))


@router.patch("/roles/{role_id}", dependencies=[WRITE], summary="Change a role")
async def update_role(
    role_id: Id, body: RoleUpdate, request: Request, db: DbSession, caller: Caller
) -> RoleRead:
    role = await access.update_role(
        db, role_id=role_id, body=body, catalogue=catalogue(request), granter=caller
    )
    return access.role_read(role)


@router.delete(
    "/roles/{role_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Delete a role",
)
async def delete_role(role_id: Id, db: DbSession) -> None:
    await access.delete_role(db, role_id=role_id)


@router.get("/teams", dependencies=[READ], summary="Teams")
async def list_teams(db: DbSession, page: Pagination) -> TeamPage:
    rows = await paginate(db, access.teams_statement(), page, lambda row: row[0])
    return TeamPage(
        items=await access.teams_read(db, rows.items),
        total=rows.total,
        limit=rows.limit,
        offset=rows.offset,
    )


@router.post(
    "/teams", status_code=status.HTTP_201_CREATED, dependencies=[WRITE], summary="Create a team"
)
async def create_team(body: TeamCreate, db: DbSession, caller: Caller) -> TeamRead:
    return await access.team_read(db, await access.create_team(db, body=body, granter=caller))


@router.get("/teams/{team}", dependencies=[READ], summary="One team")
async def get_team(team: str, db: DbSession) -> TeamRead:
    return await access.team_read(db, await access.get_team(db, name=team))


@router.patch("/teams/{team}", dependencies=[WRITE], summary="Change a team")
async def update_team(team: str, body: TeamUpdate, db: DbSession, caller: Caller) -> TeamRead:
    updated = await access.update_team(db, name=team, body=body, granter=caller)
    return await access.team_read(db, updated)


@router.delete(
    "/teams/{team}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Delete a team",
)
async def delete_team(team: str, db: DbSession) -> None:
    await access.delete_team(db, name=team)


@router.get("/users", dependencies=[READ], summary="Search users")
async def list_users(
    db: DbSession,
    page: Pagination,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in username, display name or email")
    ] = None,
) -> UserPage:
    rows = await paginate(db, access.users_statement(q=q), page, lambda row: row[0])
    return UserPage(
        items=await access.users_read(db, rows.items),
        total=rows.total,
        limit=rows.limit,
        offset=rows.offset,
    )


def _link_read(request: Request, link: auth.IssuedLink) -> PasswordLinkRead:
    return PasswordLinkRead(
        url=link.url(request.app.state.settings.public_url), expires_at=link.expires_at
    )


def _link_lifetime(request: Request) -> timedelta:
    settings: AuthSettings = request.app.state.settings.section(AuthSettings)
    return timedelta(hours=settings.password_link_hours)


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    dependencies=[WRITE],
    summary="Create a local user, with an initial password or a set-password link",
    description="Directory users need no creating: they appear at their first login. "
    "Without `password` the answer carries a one-time link (`password_link`) that lets "
    "the user choose theirs, valid for GYRFALCON_PASSWORD_LINK_HOURS.",
)
async def create_user(
    body: UserCreate, request: Request, db: DbSession, caller: Caller
) -> UserCreated:
    settings: AuthSettings = request.app.state.settings.section(AuthSettings)
    user, link = await access.create_user(
        db,
        body=body,
        min_password_length=settings.password_min_length,
        granter=caller,
        link_lifetime=_link_lifetime(request),
    )
    detail = await access.user_detail(db, user, catalogue(request))
    return UserCreated(
        **detail.model_dump(), password_link=_link_read(request, link) if link else None
    )


@router.post(
    "/users/{user_id}/password-link",
    status_code=status.HTTP_201_CREATED,
    dependencies=[WRITE],
    summary="Make a one-time set-password link for a local user",
    description="It replaces any earlier link of the user and is shown only in this "
    "answer. Only an admin may make one for an admin.",
)
async def create_password_link(
    user_id: Id, request: Request, db: DbSession, caller: Caller
) -> PasswordLinkRead:
    link = await access.issue_password_link(
        db, user_id=user_id, lifetime=_link_lifetime(request), granter=caller
    )
    return _link_read(request, link)


@router.get(
    "/users/{user_id}",
    dependencies=[READ],
    summary="One user, with roles and effective permissions",
)
async def get_user(user_id: Id, request: Request, db: DbSession) -> UserDetail:
    user = await access.get_user(db, user_id=user_id)
    return await access.user_detail(db, user, catalogue(request))


@router.patch(
    "/users/{user_id}",
    dependencies=[WRITE],
    summary="Change a user: enable/disable, admin flag, roles given by hand",
)
async def update_user(
    user_id: Id, body: UserUpdate, request: Request, db: DbSession, caller: Caller
) -> UserDetail:
    user = await access.update_user(db, user_id=user_id, body=body, granter=caller)
    return await access.user_detail(db, user, catalogue(request))


@router.post(
    "/users/{user_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Reset a local user's password",
    description="The user's sessions end; API tokens keep working. The same rules as "
    "for one's own password apply.",
)
async def reset_password(
    user_id: Id, body: PasswordReset, request: Request, db: DbSession, caller: Caller
) -> None:
    settings: AuthSettings = request.app.state.settings.section(AuthSettings)
    await access.reset_password(
        db,
        user_id=user_id,
        password=body.password,
        min_length=settings.password_min_length,
        granter=caller,
    )


@router.get(
    "/users/{user_id}/tokens",
    response_model=TokenPage,
    dependencies=[READ],
    summary="A user's API tokens (admins only)",
)
async def list_user_tokens(
    user_id: Id, db: DbSession, page: Pagination, caller: Caller
) -> TokenPage:
    caller.ensure_admin("see another user's tokens")
    await access.get_user(db, user_id=user_id)
    return await auth.tokens_page(db, user_id=user_id, page=page)


@router.delete(
    "/users/{user_id}/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Revoke a user's API token (admins only)",
)
async def revoke_user_token(user_id: Id, token_id: Id, db: DbSession, caller: Caller) -> None:
    caller.ensure_admin("revoke another user's tokens")
    await auth.revoke_token(db, user_id=user_id, token_id=token_id)


@router.get(
    "/directory-group-mappings",
    dependencies=[READ],
    summary="Which directory (LDAP) groups give which roles",
)
async def list_mappings(request: Request, db: DbSession, page: Pagination) -> GroupMappingPage:
    found = await paginate(
        db,
        access.mappings_statement(),
        page,
        lambda row: access.mapping_read(row[0], row[1]),
        GroupMappingPage,
    )
    assert isinstance(found, GroupMappingPage)
    settings: AuthSettings = request.app.state.settings.section(AuthSettings)
    found.directory_enabled = settings.ldap_enabled
    return found


@router.post(
    "/directory-group-mappings",
    status_code=status.HTTP_201_CREATED,
    dependencies=[WRITE],
    summary="Map a directory group to a role",
)
async def create_mapping(
    body: GroupMappingCreate, db: DbSession, caller: Caller
) -> GroupMappingRead:
    return await access.create_mapping(db, body=body, granter=caller)


@router.delete(
    "/directory-group-mappings/{mapping_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[WRITE],
    summary="Remove a group mapping",
)
async def delete_mapping(mapping_id: Id, db: DbSession) -> None:
    await access.delete_mapping(db, mapping_id=mapping_id)
