"""Offset pagination shared by every list endpoint.

Both numbers are bounded: the offset reaches the database as a 64-bit integer, so a
larger one is a 422 here rather than an overflow in the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.core.params import MAX_DB_INT

T = TypeVar("T")
MAX_PAGE_SIZE = 500


class PageParams(BaseModel):
    limit: int = 50
    offset: int = 0


def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_INT, description="Items to skip")] = 0,
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
    statement: Select[*tuple[Any, ...]],
    params: PageParams,
    to_item: Callable[[Row[*tuple[Any, ...]]], T],
    page_model: type[Page[Any]] | None = None,
) -> Page[T]:
    """Runs ``statement`` for one page, with the total over the same filter; ``to_item``
    gets each result row (``row[0]`` is the entity of a plain ``select(Model)``).

    The total rides along as a window count, so a page costs one round trip; only a
    page past the end needs a separate count. ``page_model`` names the page type (e.g.
    ``ServicePage``) so the OpenAPI stays readable.
    """
    counted = statement.add_columns(func.count().over().label("_total"))
    rows: Sequence[Any] = (
        await session.execute(counted.limit(params.limit).offset(params.offset))
    ).all()
    if rows:
        total = int(rows[-1][-1])
    else:
        total = int(
            await session.scalar(
                select(func.count()).select_from(statement.order_by(None).subquery())
            )
            or 0
        )
    return (page_model or Page[T])(
        items=[to_item(row) for row in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )
