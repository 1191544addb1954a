"""A preview can borrow a saved monitor's secret headers only for that monitor's service.

The attack this blocks: the editor's preview fills in the stored secret headers of
``?monitor_id=``; with the body naming another service (another base URL, perhaps one
the caller points at a listener), the stored ``Authorization`` would leave for there.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import ON_SQLITE_ONLY
from tests.monitors.bodies import MONITORS
from tests.support.receivers import serve_receiver

pytestmark = ON_SQLITE_ONLY


def _stored_token_monitor() -> dict[str, Any]:
    """An HTTP monitor of service 'api' with a stored secret Authorization header."""
    return {
        "service": "api",
        "name": "health",
        "type": "http",
        "http": {
            "method": "POST",
            "path": "/health",
            "secret_headers": {"Authorization": "Bearer stored-s3cret"},
        },
        "schedule": {"every_seconds": 60},
        "condition": {"value": "status_code", "operator": ">=", "threshold": 500},
    }


async def test_stored_secret_headers_do_not_follow_a_preview_to_another_service(
    admin: httpx.AsyncClient,
) -> None:
    with serve_receiver() as home, serve_receiver() as elsewhere:
        for name, receiver in (("api", home), ("other", elsewhere)):
            created = await admin.post(
                "/api/v1/services", json={"name": name, "base_url": receiver.base_url}
            )
            assert created.status_code == 201, created.text
        body = _stored_token_monitor()
        monitor = await admin.post(MONITORS, json=body)
        assert monitor.status_code == 201, monitor.text
        moved = {**body, "service": "other", "http": {**body["http"], "secret_headers": {}}}
        preview = await admin.post(
            f"{MONITORS}/preview", json=moved, params={"monitor_id": monitor.json()["id"]}
        )
        assert preview.status_code == 422, preview.text
        assert preview.json()["errors"] == [
            {"field": "monitor_id", "message": "that monitor belongs to another service"}
        ]
        assert elsewhere.requests == []


async def test_a_new_base_url_drops_the_secret_headers_of_the_service_monitors(
    admin: httpx.AsyncClient,
) -> None:
    """A user with catalog write only could otherwise point the service at a listener
    and collect the secret headers that monitors' owners entered for the real one."""
    with serve_receiver() as home, serve_receiver() as listener:
        created = await admin.post(
            "/api/v1/services", json={"name": "api", "base_url": home.base_url}
        )
        assert created.status_code == 201, created.text
        body = _stored_token_monitor()
        monitor = (await admin.post(MONITORS, json=body)).json()
        described = await admin.patch("/api/v1/services/api", json={"description": "same url"})
        assert described.status_code == 200
        kept = await admin.get(f"{MONITORS}/{monitor['id']}")
        assert kept.json()["http"]["secret_headers"] == ["Authorization"]

        moved = await admin.patch("/api/v1/services/api", json={"base_url": listener.base_url})
        assert moved.status_code == 200, moved.text
        dropped = await admin.get(f"{MONITORS}/{monitor['id']}")
        assert dropped.json()["http"]["secret_headers"] == []
        ran = await admin.post(f"{MONITORS}/{monitor['id']}/run")
        assert ran.status_code == 200
        assert [r.headers.get("Authorization") for r in listener.at("/health")] == [None]
        history = await admin.get(
            "/api/v1/audit", params={"object_type": "monitor", "action": "monitor.update"}
        )
        assert history.json()["items"], "the dropped secret headers are audited"
