"""The jobs' part of the home page: services with dead or retrying jobs, or whose job
backends cannot be counted, from the sampler's last counts."""

from __future__ import annotations

from urllib.parse import quote

from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.home.service import TileContent, TileItem
from gyrfalcon.jobs import overview
from gyrfalcon.jobs.schemas import FailureCounts


class FailedJobsTile:
    key = "jobs.failures"
    module = "jobs"
    title = "Dead and retrying jobs"
    empty = "No service has dead or retrying jobs."
    link = "/jobs"
    feed = False
    badge = True
    order = 20

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        found = await overview.across_services(viewer.session, await viewer.scope(self.module))
        failing = [row for row in found.services if row.dead or row.retry or row.unreachable]
        failing.sort(key=lambda row: (-row.unreachable, -row.dead, -row.retry, row.service))
        return TileContent(total=len(failing), items=[_item(row) for row in failing[:limit]])


def _item(row: FailureCounts) -> TileItem:
    parts = [f"{row.dead} dead", f"{row.retry} retrying"]
    if row.unreachable:
        parts.insert(0, f"{row.unreachable} of {row.backends} backends not answering")
    return TileItem(
        title=row.service,
        link=f"/jobs/{quote(row.service, safe='')}",
        severity="error" if row.unreachable else "critical" if row.dead else "warning",
        service=row.service,
        detail=", ".join(parts),
        since=row.sampled_at,
    )
