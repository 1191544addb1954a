"""What the home page and the sidebar badges read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["critical", "warning", "info", "error"]


class TileItem(BaseModel):
    title: str
    link: str = Field(description="The console page that shows it")
    severity: Severity | None = None
    service: str | None = None
    detail: str = Field(default="", description="Why it is here, in a line")
    since: datetime | None = Field(default=None, description="Since when (or when it happened)")


class TileContent(BaseModel):
    total: int = Field(description="How many there are; the tile shows the first few")
    items: list[TileItem]


class TileRead(TileContent):
    key: str
    module: str
    title: str
    empty: str = Field(description="What the tile says when it has nothing")
    link: str = Field(description="The page with all of them")
    feed: bool = Field(description="A feed of what happened (recent changes), not things to act on")


class ChecklistStepRead(BaseModel):
    key: str
    title: str
    description: str
    link: str
    done: bool


class HomeRead(BaseModel):
    tiles: list[TileRead] = Field(description="The tiles the caller may read, attention first")
    checklist: list[ChecklistStepRead] = Field(
        description="Getting-started steps the caller may do; empty once every one is done"
    )


class Badge(BaseModel):
    module: str
    count: int = Field(description="How many things of the module need attention")
