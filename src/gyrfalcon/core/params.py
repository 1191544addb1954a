"""Bounded integer types for ids and counts that reach the database.

A number larger than its column sent in a path, a query or a body would overflow in
the database driver (a 500) instead of meeting a plain "no such object". These types
reject it at the edge as a 422 naming the field. ``tests/core/test_route_guards.py``
checks that every route's integer parameters carry such a bound, so a new route
cannot forget it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**31 - 1
"""The largest object id: every table keys its rows by a 32-bit INTEGER column (the
common auto-increment type of SQLite, PostgreSQL and MySQL)."""

MAX_DB_INT = 2**63 - 1
"""The largest 64-bit integer, what the databases take for counts such as OFFSET."""

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="The object's id")]
"""An object id in a route's path."""

DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An object id inside a request body or query (e.g. a role id in a list)."""
