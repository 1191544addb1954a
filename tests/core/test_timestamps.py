"""A date-time parameter takes ISO 8601 only (issue 8, item 15: schemathesis saw
``until=1`` accepted as a moment in 1970, a wrong type the API documents as invalid)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from pydantic import ValidationError

from gyrfalcon.core.errors import PROBLEM_MEDIA_TYPE
from gyrfalcon.monitors.schemas import MuteRequest


@pytest.mark.parametrize("value", ["1", "1700000000", "-5", "1.5", "1e400"])
async def test_a_number_is_not_a_date_time(admin: httpx.AsyncClient, value: str) -> None:
    for name in ("since", "until"):
        response = await admin.get("/api/v1/audit", params={name: value})
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        error = response.json()["errors"][0]
        assert error["field"] == f"query.{name}"
        assert "ISO 8601" in error["message"]


async def test_iso_8601_still_works_and_a_bare_date_means_utc(
    admin: httpx.AsyncClient,
) -> None:
    response = await admin.get(
        "/api/v1/audit", params={"since": "2026-01-01T00:00:00Z", "until": "2026-12-31"}
    )
    assert response.status_code == 200, response.text


def test_a_mute_until_a_number_is_rejected_and_a_naive_time_is_utc() -> None:
    with pytest.raises(ValidationError, match="ISO 8601"):
        MuteRequest.model_validate({"until": 1700000000})
    until = MuteRequest.model_validate({"until": "2026-05-01T08:00:00"}).until
    assert until == datetime(2026, 5, 1, 8, tzinfo=UTC)
