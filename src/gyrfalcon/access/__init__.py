"""Access control: teams, roles with per-service grants, users' roles, directory groups."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.access.authorizer import RoleAuthorizer
from gyrfalcon.access.home import InviteUserStep
from gyrfalcon.access.router import router
from gyrfalcon.access.service import sync_directory_roles
from gyrfalcon.access.settings import AccessSettings
from gyrfalcon.auth.service import DirectoryGroup, User
from gyrfalcon.core.plugins import AppContext, Module, NavEntry, PermissionSpec
from gyrfalcon.home.service import CHECKLIST


def _install(app: FastAPI, context: AppContext) -> None:
    configured = context.settings.section(AccessSettings).ldap_group_roles

    async def sync_roles_at_login(
        session: AsyncSession, user: User, groups: Sequence[DirectoryGroup]
    ) -> None:
        names = [group.dn for group in groups] + [group.name for group in groups]
        await sync_directory_roles(session, user_id=user.id, groups=names, configured=configured)

    app.state.authorizer = RoleAuthorizer()
    app.state.on_directory_login = sync_roles_at_login


module = Module(
    name="access",
    title="Users & access",
    description="Users, teams and roles: who may read and change what, per service.",
    router=router,
    permissions=(
        PermissionSpec("read", "See users, teams, roles and group mappings"),
        PermissionSpec("write", "Manage users' access, teams, roles and group mappings"),
    ),
    nav=NavEntry(title="Users & access", path="/access", icon="TeamOutlined", order=90),
    setup=_install,
    models=("gyrfalcon.access.models",),
    settings=AccessSettings,
    contributes={CHECKLIST: (InviteUserStep(),)},
)
