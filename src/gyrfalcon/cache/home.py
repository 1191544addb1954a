"""The cache's part of the home page: Redis instances whose last connection test
failed (the catalog's scheduled tests keep that fresh, so the tile asks no Redis)."""

from __future__ import annotations

from gyrfalcon.cache import instances
from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.home.service import TileContent, TileItem


class UnreachableInstancesTile:
    key = "cache.unreachable"
    module = "cache"
    title = "Redis instances not answering"
    empty = "Every Redis instance answered its last test."
    link = "/cache"
    feed = False
    badge = True
    order = 35

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        found = await instances.in_scope(viewer.session, await viewer.scope(self.module))
        failing = [item for item in found if item.test_ok is False]
        return TileContent(
            total=len(failing),
            items=[
                TileItem(
                    title=f"{item.service}/{item.name}",
                    link=f"/cache?service={item.service}&instance={item.id}",
                    severity="error",
                    service=item.service,
                    detail=item.test_message or "the last test failed",
                    since=item.tested_at,
                )
                for item in failing[:limit]
            ],
        )
