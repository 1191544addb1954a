"""Offset pagination shared by every list endpoint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
MAX_PAGE_SIZE = 500


class PageParams(BaseModel):
    limit: int = 50
    offset: int = 0


def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Pagination = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    params: PageParams,
    to_item: Callable[[Any], T],
) -> Page[T]:
    """Runs ``statement`` for one page plus a count over the same filter."""
    total = await session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())
    )
    rows: Sequence[Any] = (
        await session.scalars(statement.limit(params.limit).offset(params.offset))
    ).all()
    return Page[T](
        items=[to_item(row) for row in rows],
        total=total or 0,
        limit=params.limit,
        offset=params.offset,
    )
