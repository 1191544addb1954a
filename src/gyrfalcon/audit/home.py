"""The audit log's part of the home page: the latest changes the caller may read."""

from __future__ import annotations

from sqlalchemy import func, select

from gyrfalcon.audit.models import AuditRecord
from gyrfalcon.audit.service import list_statement
from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.home.service import TileContent, TileItem

# What is worth a line on the home page: changes, not sign-ins (those are in the log).
_NOT_CHANGES = ("auth.login", "auth.logout", "auth.login_failed")


class RecentChangesTile:
    key = "audit.recent"
    module = "audit"
    title = "Recent changes"
    empty = "Nothing has changed yet."
    link = "/audit"
    feed = True
    badge = False
    order = 90

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        statement = list_statement(
            scope=await viewer.scope(self.module),
            teams_of_services=await viewer.authorizer.teams_by_service(session=viewer.session),
        ).where(AuditRecord.action.not_in(_NOT_CHANGES))
        total = await viewer.session.scalar(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )
        rows = await viewer.session.scalars(statement.limit(limit))
        return TileContent(total=total or 0, items=[_item(record) for record in rows])


def _item(record: AuditRecord) -> TileItem:
    return TileItem(
        title=f"{record.object_type.replace('_', ' ')} {record.object_name}".strip(),
        link=f"/audit/{record.id}",
        service=record.service,
        detail=f"{record.action} by {record.actor_name}",
        since=record.at,
    )
