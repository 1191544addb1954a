"""Integers too large for a 64-bit column are a 422 naming the field, never a 500
(issue 8, item 11): the attacks below sent such numbers in a query, a path and a body."""

from __future__ import annotations

import httpx
import pytest

from gyrfalcon.core.errors import PROBLEM_MEDIA_TYPE
from gyrfalcon.core.params import MAX_DB_INT, MAX_ID

TOO_BIG = 2**63  # one past the largest 64-bit integer


def _assert_invalid(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert field in [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/audit?offset=99999999999999999999", "query.offset"),
        (f"/api/v1/audit?offset={TOO_BIG}", "query.offset"),
        (f"/api/v1/monitors/{TOO_BIG}", "path.monitor_id"),
        (f"/api/v1/audit/{TOO_BIG}", "path.record_id"),
        (f"/api/v1/roles/{TOO_BIG}", "path.role_id"),
        (f"/api/v1/kafka-clusters/{TOO_BIG}", "path.connection_id"),
        (f"/api/v1/roles/{MAX_ID + 1}", "path.role_id"),  # past the 32-bit id column
        ("/api/v1/users/0", "path.user_id"),
    ],
)
async def test_out_of_range_integers_in_paths_and_queries_are_rejected(
    admin: httpx.AsyncClient, path: str, field: str
) -> None:
    _assert_invalid(await admin.get(path), field)


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/monitors/{MAX_ID}",
        f"/api/v1/audit/{MAX_ID}",
        f"/api/v1/roles/{MAX_ID}",
        f"/api/v1/notification-channels/{MAX_ID}",
    ],
)
async def test_the_largest_id_reaches_the_database_and_is_simply_not_found(
    admin: httpx.AsyncClient, path: str
) -> None:
    response = await admin.get(path)
    assert response.status_code == 404, response.text


async def test_the_largest_offset_pages_past_the_end(admin: httpx.AsyncClient) -> None:
    response = await admin.get(f"/api/v1/audit?offset={MAX_DB_INT}")
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


async def test_out_of_range_ids_inside_bodies_are_rejected(admin: httpx.AsyncClient) -> None:
    _assert_invalid(
        await admin.post(
            "/api/v1/directory-group-mappings", json={"group": "ops", "role_id": TOO_BIG}
        ),
        "role_id",
    )
    _assert_invalid(
        await admin.post("/api/v1/teams", json={"name": "ops", "roles": [MAX_ID + 1]}),
        "roles.0",
    )
