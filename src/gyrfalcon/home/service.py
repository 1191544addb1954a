"""The home page's public face: the tiles and getting-started steps modules contribute.

A module adds a tile to the home page by contributing a :class:`Tile` to
:data:`HOME_TILES` (monitors alerting, services failing their tests, recent changes;
later dead jobs or subscriptions in error), and a step of the getting-started
checklist by contributing a :class:`ChecklistStep` to :data:`CHECKLIST`. A tile is
shown only to callers who may read its module somewhere, and a tile marked ``badge``
also counts on its module's sidebar entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core.plugins import Registry
from gyrfalcon.core.security import Viewer
from gyrfalcon.home.schemas import (
    Badge,
    ChecklistStepRead,
    HomeRead,
    TileContent,
    TileItem,
    TileRead,
)

HOME_TILES = "home.tiles"
CHECKLIST = "home.checklist"

__all__ = [
    "CHECKLIST",
    "HOME_TILES",
    "ChecklistStep",
    "Tile",
    "TileContent",
    "TileItem",
    "badges",
    "home",
]


class Tile(Protocol):
    key: str
    module: str
    """Whose read permission a caller needs; a badge shows on this module's entry."""
    title: str
    empty: str
    link: str
    feed: bool
    """A feed of what happened (recent changes) rather than things to act on: the home
    page shows it after them, full width."""
    badge: bool
    """Whether the tile's total counts on the module's sidebar badge (things to act on,
    not a feed like recent changes)."""
    order: int

    async def content(self, viewer: Viewer, registry: Registry, *, limit: int) -> TileContent:
        """The first ``limit`` items, most urgent first, within the viewer's read scope of
        the module (never empty when this is called), and the total."""
        ...


class ChecklistStep(Protocol):
    key: str
    title: str
    description: str
    link: str
    order: int
    module: str
    action: str
    """The permission the step takes: it is offered only to callers who hold it."""

    async def done(self, session: AsyncSession) -> bool: ...


async def _readable(viewer: Viewer, tiles: Iterable[Tile], *, badges_only: bool) -> list[Tile]:
    readable = []
    for tile in sorted(tiles, key=lambda tile: tile.order):
        if badges_only and not tile.badge:
            continue
        if not (await viewer.scope(tile.module)).is_empty:
            readable.append(tile)
    return readable


async def home(viewer: Viewer, registry: Registry, *, limit: int) -> HomeRead:
    tiles = []
    for tile in await _readable(viewer, registry.contributions(HOME_TILES), badges_only=False):
        content = await tile.content(viewer, registry, limit=limit)
        tiles.append(
            TileRead(
                key=tile.key,
                module=tile.module,
                title=tile.title,
                empty=tile.empty,
                link=tile.link,
                feed=tile.feed,
                total=content.total,
                items=content.items,
            )
        )
    return HomeRead(tiles=tiles, checklist=await _checklist(viewer, registry))


async def _checklist(viewer: Viewer, registry: Registry) -> list[ChecklistStepRead]:
    steps: list[ChecklistStep] = sorted(
        registry.contributions(CHECKLIST), key=lambda step: step.order
    )
    offered = []
    for step in steps:
        if (await viewer.scope(step.module, step.action)).is_empty:
            continue
        offered.append(
            ChecklistStepRead(
                key=step.key,
                title=step.title,
                description=step.description,
                link=step.link,
                done=await step.done(viewer.session),
            )
        )
    return [] if all(step.done for step in offered) else offered


async def badges(viewer: Viewer, registry: Registry) -> list[Badge]:
    counts: dict[str, int] = {}
    for tile in await _readable(viewer, registry.contributions(HOME_TILES), badges_only=True):
        content = await tile.content(viewer, registry, limit=0)
        counts[tile.module] = counts.get(tile.module, 0) + content.total
    return [Badge(module=module, count=count) for module, count in counts.items() if count]
