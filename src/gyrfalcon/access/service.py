"""Roles, teams, users' roles, directory group mappings, and the authorization they give.

Every change bumps the ``access`` revision so each process drops its compiled
grants at once (here) or within the staleness bound (elsewhere); changes to a
user's admin flag or activity also bump ``auth``, whose cache holds principals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.access.granting import Granter
from gyrfalcon.access.grants import CompiledGrants
from gyrfalcon.access.models import (
    DirectoryGroupMapping,
    Grant,
    Role,
    Team,
    TeamMember,
    TeamRole,
    UserRole,
)
from gyrfalcon.access.schemas import (
    ANY,
    EffectivePermission,
    GrantBody,
    GroupMappingCreate,
    GroupMappingRead,
    HeldRole,
    RoleCreate,
    RoleRead,
    RoleSource,
    RoleUpdate,
    ScopeKind,
    TeamCreate,
    TeamRead,
    TeamUpdate,
    UserCreate,
    UserDetail,
    UserRead,
    UserUpdate,
)
from gyrfalcon.audit import service as audit
from gyrfalcon.auth import service as auth
from gyrfalcon.auth.service import AUTH_REVISION, User
from gyrfalcon.core.db import flush_or_conflict
from gyrfalcon.core.errors import Conflict, InvalidInput, NotFound
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.revisions import bump, cache_for
from gyrfalcon.core.security import Principal

ACCESS_REVISION = "access"
ADMIN_ROLE = "Admin"
Catalogue = Mapping[str, Iterable[str]]
"""Module name → its actions, from the module registry."""


# --- authorization ----------------------------------------------------------------------


async def _role_ids_of(session: AsyncSession, user_id: int) -> set[int]:
    direct = select(UserRole.role_id).where(UserRole.user_id == user_id)
    via_teams = (
        select(TeamRole.role_id)
        .join(TeamMember, TeamMember.team_id == TeamRole.team_id)
        .where(TeamMember.user_id == user_id)
    )
    return set(await session.scalars(direct.union(via_teams)))


async def compiled_grants(session: AsyncSession, user_id: int) -> CompiledGrants:
    """The user's grants, compiled and cached per process until access changes."""

    async def load() -> CompiledGrants:
        role_ids = await _role_ids_of(session, user_id)
        if not role_ids:
            return CompiledGrants()
        grants = await session.scalars(select(Grant).where(Grant.role_id.in_(role_ids)))
        return CompiledGrants.of(grants)

    compiled: CompiledGrants = await cache_for(session, ACCESS_REVISION).get(session, user_id, load)
    return compiled


async def granter_of(session: AsyncSession, principal: Principal) -> Granter:
    """The caller of a change to access, with the grants they may hand on."""
    if principal.is_admin:
        return Granter(is_admin=True, held=CompiledGrants())
    return Granter(is_admin=False, held=await compiled_grants(session, principal.user_id))


async def _ensure_may_give(
    session: AsyncSession, granter: Granter, roles: Iterable[Role], *, to: str
) -> None:
    for role in roles:
        await granter.ensure_holds(session, role.grants, giving=f"role '{role.name}' to {to}")


# --- validation -------------------------------------------------------------------------


def _check_grants(grants: list[GrantBody], catalogue: Catalogue) -> None:
    for index, grant in enumerate(grants):
        if grant.module != ANY and grant.module not in catalogue:
            known = ", ".join(sorted(catalogue))
            raise InvalidInput(f"grants.{index}.module", f"unknown module (known: {known}, *)")
        actions = set(catalogue.get(grant.module, ())) if grant.module != ANY else None
        if grant.action != ANY and actions is not None and grant.action not in actions:
            raise InvalidInput(
                f"grants.{index}.action",
                f"'{grant.module}' has no action '{grant.action}' "
                f"(it has: {', '.join(sorted(actions))}, *)",
            )


async def _roles_by_id(session: AsyncSession, ids: list[int], field: str) -> list[Role]:
    roles = list(await session.scalars(select(Role).where(Role.id.in_(ids)))) if ids else []
    missing = sorted(set(ids) - {role.id for role in roles})
    if missing:
        raise InvalidInput(field, f"unknown role id(s): {', '.join(map(str, missing))}")
    return roles


async def _users_by_name(session: AsyncSession, names: list[str], field: str) -> list[User]:
    users = list(await session.scalars(select(User).where(User.username.in_(names))))
    missing = sorted(set(names) - {user.username for user in users})
    if missing:
        raise InvalidInput(field, f"unknown user(s): {', '.join(missing)}")
    return users


async def _ensure_an_admin_remains(session: AsyncSession) -> None:
    """Refuses a change that would leave nobody able to manage access."""
    await session.flush()
    admin_role = select(Role.id).where(Role.name == ADMIN_ROLE, Role.builtin.is_(True))
    holders = or_(
        User.is_admin.is_(True),
        User.id.in_(select(UserRole.user_id).where(UserRole.role_id.in_(admin_role))),
        User.id.in_(
            select(TeamMember.user_id)
            .join(TeamRole, TeamRole.team_id == TeamMember.team_id)
            .where(TeamRole.role_id.in_(admin_role))
        ),
    )
    count = await session.scalar(
        select(func.count()).select_from(User).where(User.is_active.is_(True), holders)
    )
    if not count:
        await session.rollback()
        raise Conflict(
            "This would leave no active administrator: make someone else an admin (or give "
            "them the Admin role) first.",
            title="Last administrator",
        )


# --- roles ------------------------------------------------------------------------------


def role_read(role: Role) -> RoleRead:
    return RoleRead(
        id=role.id,
        name=role.name,
        description=role.description,
        builtin=role.builtin,
        grants=[
            GrantBody.model_construct(
                module=g.module, action=g.action, scope=ScopeKind(g.scope), targets=list(g.targets)
            )
            for g in role.grants
        ],
        created_at=role.created_at,
    )


def roles_statement() -> Select[Role]:
    return select(Role).order_by(Role.builtin.desc(), Role.name)


async def get_role(session: AsyncSession, *, role_id: int) -> Role:
    role = await session.get(Role, role_id)
    if role is None:
        raise NotFound(f"No role with id {role_id}.")
    return role


def _grant_rows(grants: list[GrantBody]) -> list[Grant]:
    return [
        Grant(module=g.module, action=g.action, scope=g.scope.value, targets=sorted(g.targets))
        for g in grants
    ]


async def create_role(
    session: AsyncSession, *, body: RoleCreate, catalogue: Catalogue, granter: Granter
) -> Role:
    _check_grants(body.grants, catalogue)
    await granter.ensure_holds(session, body.grants, giving=f"role '{body.name}'")
    if await session.scalar(select(Role.id).where(Role.name == body.name)) is not None:
        raise Conflict(f"A role named '{body.name}' already exists.")
    role = Role(name=body.name, description=body.description, grants=_grant_rows(body.grants))
    session.add(role)
    await bump(session, ACCESS_REVISION)
    await flush_or_conflict(session, f"A role named '{body.name}' already exists.")
    audit.record(session, action="role.create", **_audited_role(role), after=role_read(role))
    await session.commit()
    return role


def _audited_role(role: Role) -> dict[str, Any]:
    return {"object_type": "role", "object_id": role.id, "object_name": role.name}


def _refuse_builtin(role: Role) -> None:
    if role.builtin:
        raise Conflict(f"'{role.name}' is a built-in role and cannot be changed or deleted.")


async def update_role(
    session: AsyncSession,
    *,
    role_id: int,
    body: RoleUpdate,
    catalogue: Catalogue,
    granter: Granter,
) -> Role:
    role = await get_role(session, role_id=role_id)
    _refuse_builtin(role)
    before = role_read(role)
    if body.name is not None and body.name != role.name:
        if await session.scalar(select(Role.id).where(Role.name == body.name)) is not None:
            raise Conflict(f"A role named '{body.name}' already exists.")
        role.name = body.name
    if body.description is not None:
        role.description = body.description
    if body.grants is not None:
        _check_grants(body.grants, catalogue)
        # Everyone holding the role gets the new grants.
        await granter.ensure_holds(session, body.grants, giving=f"role '{role.name}'")
        role.grants = _grant_rows(body.grants)
    await bump(session, ACCESS_REVISION)
    await flush_or_conflict(session, f"A role named '{role.name}' already exists.")
    await session.refresh(role, ["grants"])
    after = role_read(role)
    audit.record(session, action="role.update", **_audited_role(role), before=before, after=after)
    await session.commit()
    return role


async def delete_role(session: AsyncSession, *, role_id: int) -> None:
    role = await get_role(session, role_id=role_id)
    _refuse_builtin(role)
    before = role_read(role)
    await session.delete(role)
    await bump(session, ACCESS_REVISION)
    audit.record(session, action="role.delete", **_audited_role(role), before=before)
    await _ensure_an_admin_remains(session)
    await session.commit()


# --- teams ------------------------------------------------------------------------------


async def teams_read(session: AsyncSession, teams: Sequence[Team]) -> list[TeamRead]:
    """The teams with their members and roles, in two queries whatever their number."""
    ids = [team.id for team in teams]
    members: defaultdict[int, list[str]] = defaultdict(list)
    roles: defaultdict[int, list[int]] = defaultdict(list)
    if ids:
        for team_id, username in await session.execute(
            select(TeamMember.team_id, User.username)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id.in_(ids))
            .order_by(User.username)
        ):
            members[team_id].append(username)
        for team_id, role_id in await session.execute(
            select(TeamRole.team_id, TeamRole.role_id)
            .where(TeamRole.team_id.in_(ids))
            .order_by(TeamRole.role_id)
        ):
            roles[team_id].append(role_id)
    return [
        TeamRead(
            id=team.id,
            name=team.name,
            display_name=team.display_name,
            description=team.description,
            members=members[team.id],
            roles=roles[team.id],
            created_at=team.created_at,
        )
        for team in teams
    ]


async def team_read(session: AsyncSession, team: Team) -> TeamRead:
    return (await teams_read(session, [team]))[0]


def teams_statement() -> Select[Team]:
    return select(Team).order_by(Team.name)


async def get_team(session: AsyncSession, *, name: str) -> Team:
    team = await session.scalar(select(Team).where(Team.name == name))
    if team is None:
        raise NotFound(f"No team named '{name}'.")
    return team


async def _set_team_links(
    session: AsyncSession,
    team: Team,
    *,
    members: list[str] | None,
    roles: list[int] | None,
    granter: Granter,
) -> None:
    """Members and roles of a team. New members get the team's roles and new roles reach
    every member, so the caller must hold what either change hands out."""
    current_roles = set(
        await session.scalars(select(TeamRole.role_id).where(TeamRole.team_id == team.id))
    )
    if roles is not None:
        found = await _roles_by_id(session, roles, "roles")
        added = [role for role in found if role.id not in current_roles]
        await _ensure_may_give(session, granter, added, to=f"team '{team.name}'")
        await session.execute(delete(TeamRole).where(TeamRole.team_id == team.id))
        session.add_all(TeamRole(team_id=team.id, role_id=role.id) for role in found)
        current_roles = {role.id for role in found}
    if members is not None:
        users = await _users_by_name(session, members, "members")
        present = set(
            await session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team.id))
        )
        joining = [user for user in users if user.id not in present]
        if joining and current_roles:
            names = ", ".join(user.username for user in joining)
            team_roles = await _roles_by_id(session, sorted(current_roles), "roles")
            await _ensure_may_give(session, granter, team_roles, to=names)
        for user in joining:
            if user.is_admin:
                granter.ensure_admin("change an admin's teams")
        await session.execute(delete(TeamMember).where(TeamMember.team_id == team.id))
        session.add_all(TeamMember(team_id=team.id, user_id=user.id) for user in users)


async def create_team(session: AsyncSession, *, body: TeamCreate, granter: Granter) -> Team:
    if await session.scalar(select(Team.id).where(Team.name == body.name)) is not None:
        raise Conflict(f"A team named '{body.name}' already exists.")
    team = Team(
        name=body.name, display_name=body.display_name or body.name, description=body.description
    )
    session.add(team)
    await session.flush()
    await _set_team_links(session, team, members=body.members, roles=body.roles, granter=granter)
    await bump(session, ACCESS_REVISION)
    await flush_or_conflict(session, f"A team named '{body.name}' already exists.")
    after = await team_read(session, team)
    audit.record(session, action="team.create", **_audited_team(team), after=after)
    await session.commit()
    return team


def _audited_team(team: Team) -> dict[str, Any]:
    return {"object_type": "team", "object_id": team.id, "object_name": team.name}


async def update_team(
    session: AsyncSession, *, name: str, body: TeamUpdate, granter: Granter
) -> Team:
    team = await get_team(session, name=name)
    before = await team_read(session, team)
    if body.display_name is not None:
        team.display_name = body.display_name
    if body.description is not None:
        team.description = body.description
    await _set_team_links(session, team, members=body.members, roles=body.roles, granter=granter)
    await bump(session, ACCESS_REVISION)
    await _ensure_an_admin_remains(session)
    after = await team_read(session, team)
    audit.record(session, action="team.update", **_audited_team(team), before=before, after=after)
    await session.commit()
    return team


async def delete_team(session: AsyncSession, *, name: str) -> None:
    team = await get_team(session, name=name)
    before = await team_read(session, team)
    await session.delete(team)
    await bump(session, ACCESS_REVISION)
    await _ensure_an_admin_remains(session)
    audit.record(session, action="team.delete", **_audited_team(team), before=before)
    await session.commit()


# --- users ------------------------------------------------------------------------------


def users_statement(*, q: str | None) -> Select[User]:
    statement = select(User).order_by(User.username)
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            or_(
                func.lower(User.username).like(pattern),
                func.lower(User.display_name).like(pattern),
                func.lower(func.coalesce(User.email, "")).like(pattern),
            )
        )
    return statement


async def users_read(session: AsyncSession, users: Sequence[User]) -> list[UserRead]:
    """The users with their teams and the roles they hold (directly, through a team or
    from the directory), in three queries whatever the number of users."""
    ids = [user.id for user in users]
    if not ids:
        return []
    teams_of: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
    for user_id, team_id, team_name in await session.execute(
        select(TeamMember.user_id, Team.id, Team.name)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.user_id.in_(ids))
        .order_by(Team.name)
    ):
        teams_of[user_id].append((team_id, team_name))
    held: defaultdict[int, list[HeldRole]] = defaultdict(list)
    for user_id, role_id, role_name, source in await session.execute(
        select(UserRole.user_id, Role.id, Role.name, UserRole.source)
        .join(Role, Role.id == UserRole.role_id)
        .where(UserRole.user_id.in_(ids))
        .order_by(Role.name)
    ):
        held[user_id].append(HeldRole(id=role_id, name=role_name, source=RoleSource(source)))
    team_ids = {team_id for teams in teams_of.values() for team_id, _name in teams}
    roles_of_team: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
    if team_ids:
        for team_id, role_id, role_name in await session.execute(
            select(TeamRole.team_id, Role.id, Role.name)
            .join(Role, Role.id == TeamRole.role_id)
            .where(TeamRole.team_id.in_(team_ids))
            .order_by(Role.name)
        ):
            roles_of_team[team_id].append((role_id, role_name))
    reads = []
    for user in users:
        roles = list(held[user.id])
        for team_id, team_name in teams_of[user.id]:
            roles += [
                HeldRole(id=role_id, name=role_name, source=RoleSource.TEAM, via=team_name)
                for role_id, role_name in roles_of_team[team_id]
            ]
        reads.append(
            UserRead(
                id=user.id,
                username=user.username,
                display_name=user.display_name,
                email=user.email,
                source=user.source,
                is_admin=user.is_admin,
                is_active=user.is_active,
                created_at=user.created_at,
                last_login_at=user.last_login_at,
                teams=[name for _id, name in teams_of[user.id]],
                roles=roles,
            )
        )
    return reads


async def user_read(session: AsyncSession, user: User) -> UserRead:
    return (await users_read(session, [user]))[0]


async def user_detail(session: AsyncSession, user: User, catalogue: Catalogue) -> UserDetail:
    read = await user_read(session, user)
    compiled = await compiled_grants(session, user.id)
    permissions = []
    for module, actions in catalogue.items():
        for action in actions:
            scope = compiled.scope(module, action)
            if user.is_admin or scope.everything:
                permissions.append(
                    EffectivePermission(
                        module=module, action=action, everything=True, services=[], teams=[]
                    )
                )
            elif not scope.is_empty:
                permissions.append(
                    EffectivePermission(
                        module=module,
                        action=action,
                        everything=False,
                        services=sorted(scope.services),
                        teams=sorted(scope.teams),
                    )
                )
    return UserDetail(**read.model_dump(), permissions=permissions)


async def get_user(session: AsyncSession, *, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    return user


async def create_user(
    session: AsyncSession,
    *,
    body: UserCreate,
    min_password_length: int,
    granter: Granter,
    link_lifetime: timedelta,
) -> tuple[User, auth.IssuedLink | None]:
    """A local account made in the console or the API, with the roles given to it: only
    an admin makes an admin, and nobody gives a role they do not hold. Without a
    password it gets a one-time set-password link instead."""
    if body.is_admin:
        granter.ensure_admin("make someone an admin")
    roles = await _roles_by_id(session, body.roles, "roles")
    await _ensure_may_give(session, granter, roles, to=f"user '{body.username}'")
    user = await auth.create_user(
        session,
        username=body.username,
        password=body.password,
        is_admin=body.is_admin,
        display_name=body.display_name,
        email=body.email,
        min_password_length=min_password_length,
        commit=False,
    )
    session.add_all(UserRole(user_id=user.id, role_id=role.id) for role in roles)
    await bump(session, ACCESS_REVISION)
    after = await user_read(session, user)
    audit.record(
        session,
        action="user.create",
        object_type="user",
        object_id=user.id,
        object_name=user.username,
        after=after,
    )
    link = None
    if body.password is None:
        link = await auth.issue_password_link(
            session, user=user, lifetime=link_lifetime, now=utcnow()
        )
    await session.commit()
    return user, link


async def issue_password_link(
    session: AsyncSession, *, user_id: int, lifetime: timedelta, granter: Granter
) -> auth.IssuedLink:
    """A new one-time set-password link for a local account (replacing any earlier one).
    Only an admin may make one for an admin: it hands over the account."""
    user = await get_user(session, user_id=user_id)
    if user.is_admin:
        granter.ensure_admin("make a set-password link for an admin")
    link = await auth.issue_password_link(session, user=user, lifetime=lifetime, now=utcnow())
    await session.commit()
    return link


async def reset_password(
    session: AsyncSession, *, user_id: int, password: str, min_length: int, granter: Granter
) -> None:
    """An admin's reset of a local account's password; it ends the account's sessions.
    Only an admin may reset an admin's password (it would hand over the account)."""
    user = await get_user(session, user_id=user_id)
    if user.is_admin:
        granter.ensure_admin("reset an admin's password")
    await auth.set_password(
        session, user=user, password=password, min_length=min_length, action="user.password_reset"
    )


async def update_user(
    session: AsyncSession, *, user_id: int, body: UserUpdate, granter: Granter
) -> User:
    user = await get_user(session, user_id=user_id)
    if user.is_admin:
        granter.ensure_admin("change an admin's account")
    before = await user_read(session, user)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True, exclude={"roles"})
    if "is_admin" in changes:
        granter.ensure_admin("make someone an admin or take it away")
    for field_name, value in changes.items():
        if value is None:
            raise InvalidInput(field_name, "must not be null")
        setattr(user, field_name, value)
    if body.roles is not None:
        roles = await _roles_by_id(session, body.roles, "roles")
        held = set(
            await session.scalars(
                select(UserRole.role_id).where(
                    UserRole.user_id == user.id, UserRole.source == "manual"
                )
            )
        )
        added = [role for role in roles if role.id not in held]
        await _ensure_may_give(session, granter, added, to=f"user '{user.username}'")
        await session.execute(
            delete(UserRole).where(UserRole.user_id == user.id, UserRole.source == "manual")
        )
        session.add_all(UserRole(user_id=user.id, role_id=role.id) for role in roles)
    await bump(session, ACCESS_REVISION)
    if {"is_active", "is_admin"} & changes.keys():
        await bump(session, AUTH_REVISION)  # cached principals carry both
    await _ensure_an_admin_remains(session)
    after = await user_read(session, user)
    audit.record(
        session,
        action="user.update",
        object_type="user",
        object_id=user.id,
        object_name=user.username,
        before=before,
        after=after,
    )
    await session.commit()
    return user


# --- directory groups -------------------------------------------------------------------


def mappings_statement() -> Select[DirectoryGroupMapping, str]:
    return (
        select(DirectoryGroupMapping, Role.name)
        .join(Role, Role.id == DirectoryGroupMapping.role_id)
        .order_by(DirectoryGroupMapping.group, Role.name)
    )


def mapping_read(mapping: DirectoryGroupMapping, role_name: str) -> GroupMappingRead:
    return GroupMappingRead(
        id=mapping.id, group=mapping.group, role_id=mapping.role_id, role_name=role_name
    )


async def create_mapping(
    session: AsyncSession, *, body: GroupMappingCreate, granter: Granter
) -> GroupMappingRead:
    role = (await _roles_by_id(session, [body.role_id], "role_id"))[0]
    await _ensure_may_give(session, granter, [role], to=f"directory group '{body.group}'")
    mapping = DirectoryGroupMapping(group=body.group, role_id=role.id)
    session.add(mapping)
    await bump(session, ACCESS_REVISION)
    await flush_or_conflict(session, f"'{body.group}' is already mapped to '{role.name}'.")
    created = mapping_read(mapping, role.name)
    audit.record(session, action="group_mapping.create", **_audited_mapping(created), after=created)
    await session.commit()
    return created


def _audited_mapping(mapping: GroupMappingRead) -> dict[str, Any]:
    return {"object_type": "group_mapping", "object_id": mapping.id, "object_name": mapping.group}


async def delete_mapping(session: AsyncSession, *, mapping_id: int) -> None:
    mapping = await session.get(DirectoryGroupMapping, mapping_id)
    if mapping is None:
        raise NotFound(f"No group mapping with id {mapping_id}.")
    role_name = await session.scalar(select(Role.name).where(Role.id == mapping.role_id))
    before = mapping_read(mapping, role_name or "")
    await session.delete(mapping)
    await bump(session, ACCESS_REVISION)
    audit.record(session, action="group_mapping.delete", **_audited_mapping(before), before=before)
    await session.commit()


async def sync_directory_roles(
    session: AsyncSession,
    *,
    user_id: int,
    groups: Iterable[str],
    configured: Mapping[str, str] | None = None,
) -> None:
    """Replaces the user's directory-given roles with those its groups map to; roles
    given by hand or through teams are untouched. ``groups`` holds each group's DN and
    name, so a mapping may name either; ``configured`` adds the mappings from settings
    (group → role name). The caller commits (with the login it is part of)."""
    names = {group.lower() for group in groups}
    mapped = {
        role_id
        for group, role_id in await session.execute(
            select(DirectoryGroupMapping.group, DirectoryGroupMapping.role_id)
        )
        if group.lower() in names
    }
    wanted_roles = {role for group, role in (configured or {}).items() if group.lower() in names}
    if wanted_roles:
        mapped |= set(await session.scalars(select(Role.id).where(Role.name.in_(wanted_roles))))
    current = set(
        await session.scalars(
            select(UserRole.role_id).where(
                UserRole.user_id == user_id, UserRole.source == "directory"
            )
        )
    )
    if current == mapped:
        return
    await session.execute(
        delete(UserRole).where(UserRole.user_id == user_id, UserRole.source == "directory")
    )
    session.add_all(
        UserRole(user_id=user_id, role_id=role_id, source="directory") for role_id in mapped
    )
    await bump(session, ACCESS_REVISION)
