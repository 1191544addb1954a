"""The debug module's part of the home page: endpoints whose last run failed."""

from __future__ import annotations

from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.debug import service as debug
from gyrfalcon.home.service import TileContent, TileItem


class FailingEndpointsTile:
    key = "debug.failing"
    module = "debug"
    title = "Debug endpoints whose last run failed"
    empty = "The last run of every debug endpoint went through."
    link = "/debug"
    feed = False
    badge = False
    order = 45

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        found = await debug.endpoint_statuses(viewer.session, await viewer.scope(self.module))
        failing = [item for item in found if item.last_run is not None and item.last_run.failed]
        failing.sort(
            key=lambda item: item.last_run.started_at if item.last_run else 0, reverse=True
        )
        return TileContent(
            total=len(failing),
            items=[
                TileItem(
                    title=f"{item.service}/{item.name}",
                    link=f"/catalog/services/{item.service}?tab=debug&endpoint={item.id}",
                    severity="error",
                    service=item.service,
                    detail=item.last_run.message if item.last_run else "",
                    since=item.last_run.started_at if item.last_run else None,
                )
                for item in failing[:limit]
            ],
        )
