"""The access module's getting-started step: someone besides the first admin."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.auth.service import User


class InviteUserStep:
    key = "access.user"
    title = "Invite a user"
    description = "Create a local account or let LDAP users in, and give them a role."
    link = "/access/users"
    order = 50
    module = "access"
    action = "write"

    async def done(self, session: AsyncSession) -> bool:
        users = await session.scalar(select(func.count(User.id)))
        return (users or 0) > 1
