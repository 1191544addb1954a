"""Bounded integer types for ids and counts that reach the database.

A number larger than its column sent in a path, a query or a body would overflow in
the database driver (a 500) instead of meeting a plain "no such object". These types
reject it at the edge as a 422 naming the field. ``tests/core/test_route_guards.py``
checks that every route's integer parameters carry such a bound, so a new route
cannot forget it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Field

MAX_ID = 2**31 - 1
"""The largest object id: every table keys its rows by a 32-bit INTEGER column (the
common auto-increment type of SQLite, PostgreSQL and MySQL)."""

MAX_DB_INT = 2**63 - 1
"""The largest 64-bit integer, what the databases take for counts such as OFFSET."""

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="The object's id")]
"""An object id in a route's path."""

DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An object id inside a request body or query (e.g. a role id in a list)."""


_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _iso_8601_only(value: object) -> object:
    """Pydantic reads a bare number as seconds since 1970; the API documents an ISO 8601
    date-time, so ``until=1`` is a mistake to name rather than a moment in 1970."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and _NUMBER.fullmatch(value)
    ):
        raise ValueError("expected an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z")
    return value


def _utc_if_naive(value: datetime) -> datetime:
    # A date or a time without zone means UTC, as everywhere in the API; the columns
    # refuse naive values, so one must not reach them.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


Timestamp = Annotated[datetime, BeforeValidator(_iso_8601_only), AfterValidator(_utc_if_naive)]
"""A date-time in a query or a body, written in ISO 8601 only; UTC if no zone given."""
