"""Issue 8.13 and 8.7: calls to a service stay under its base URL, through one guard, and
no error quotes a secret header.

The review's attacks: a debug endpoint path ``/../outside-debug`` sent ``OPTIONS
/outside-debug`` outside the ``/api`` base, ``//127.0.0.2:1/steal`` was accepted at save,
HTTP monitors accepted ``/..;/secret``; and a secret header ``"HdrLeak-7788\\n"`` came
back in a run's error, readable by a read-only user.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from gyrfalcon.catalog.models import DebugEndpoint
from gyrfalcon.connectors.service_urls import is_under, join_under, parse_base
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.db import Database
from gyrfalcon.monitors.models import Monitor
from tests.conftest import ON_SQLITE_ONLY
from tests.monitors.bodies import MONITORS
from tests.support.receivers import Receiver, serve_receiver

pytestmark = ON_SQLITE_ONLY

ESCAPES = ["/../outside-debug", "//127.0.0.2:1/steal", "/..;/secret", "/%2e%2e/x", "/./x"]


@pytest.fixture
def receiver() -> Any:
    with serve_receiver() as running:
        yield running


@pytest.fixture
async def api(admin: httpx.AsyncClient, receiver: Receiver) -> str:
    created = await admin.post(
        "/api/v1/services", json={"name": "ads", "base_url": f"{receiver.base_url}/api"}
    )
    assert created.status_code == 201, created.text
    return "/api/v1/services/ads"


@pytest.mark.parametrize("path", ESCAPES)
async def test_debug_endpoint_paths_that_leave_the_base_are_refused_at_save(
    admin: httpx.AsyncClient, api: str, path: str
) -> None:
    for call in (
        admin.post(f"{api}/debug-endpoints", json={"name": "chain", "path": path}),
        admin.post(f"{api}/debug-endpoints/test", json={"name": "chain", "path": path}),
    ):
        response = await call
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "path"


async def test_a_stored_escaping_path_is_refused_when_called(
    app: FastAPI, admin: httpx.AsyncClient, api: str, receiver: Receiver
) -> None:
    created = await admin.post(f"{api}/debug-endpoints", json={"name": "chain", "path": "/debug"})
    assert created.status_code == 201
    item = f"{api}/debug-endpoints/{created.json()['id']}"
    reached = await admin.post(f"{item}/test")
    assert reached.json()["ok"] is True, reached.text
    assert [r.path for r in receiver.requests] == ["/api/debug"]
    database: Database = app.state.database
    async with database.sessionmaker() as session:  # as if saved before the rule
        row = await session.get(DebugEndpoint, created.json()["id"])
        assert row is not None
        await session.execute(
            update(DebugEndpoint)
            .where(DebugEndpoint.id == row.id)
            .values(config={**row.config, "path": "/../outside-debug"})
        )
        await session.commit()
    receiver.requests.clear()
    refused = await admin.post(f"{item}/test")
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "path"
    assert receiver.requests == []


@pytest.mark.parametrize("path", [*ESCAPES, "/../apix"])
def test_join_under_keeps_every_call_under_the_base_path(path: str) -> None:
    """The call-time half of the guard, for every caller: the base's own path prefix
    (``/api``) holds on a segment boundary, and the save-time rules hold again."""
    base = parse_base("http://127.0.0.1:8080/api")
    with pytest.raises(ValueError, match="the path"):
        join_under(base, path)
    assert str(join_under(base, "/")) == "http://127.0.0.1:8080/api/"
    assert str(join_under(base, "/debug?x=1")) == "http://127.0.0.1:8080/api/debug?x=1"
    assert not is_under(httpx.URL("http://127.0.0.1:8080/apix"), base)
    assert not is_under(httpx.URL("http://127.0.0.1:8081/api/x"), base)


def _http_monitor(**http: Any) -> dict[str, Any]:
    return {
        "service": "ads",
        "name": "health",
        "type": "http",
        "http": {"method": "POST", "path": "/health", **http},
        "schedule": {"every_seconds": 60},
        "condition": {"value": "status_code", "operator": ">=", "threshold": 500},
    }


@pytest.mark.parametrize("path", ESCAPES)
async def test_http_monitor_paths_that_leave_the_base_are_refused(
    admin: httpx.AsyncClient, api: str, path: str
) -> None:
    response = await admin.post(MONITORS, json=_http_monitor(path=path))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "http.path"


@pytest.mark.parametrize("value", ["HdrLeak-7788\n", "a\r\nX-Injected: 1", " padded", "nul\x00"])
async def test_header_values_are_checked_at_save_without_quoting_them(
    admin: httpx.AsyncClient, api: str, value: str
) -> None:
    for field in ("headers", "secret_headers"):
        response = await admin.post(MONITORS, json=_http_monitor(**{field: {"X-Token": value}}))
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == f"http.{field}.X-Token"
        assert value.strip() not in response.text


async def test_a_stored_bad_secret_header_is_never_quoted_in_an_error(
    app: FastAPI, admin: httpx.AsyncClient, viewer: httpx.AsyncClient, api: str
) -> None:
    created = await admin.post(
        MONITORS, json=_http_monitor(secret_headers={"X-Token": "fine-for-now"})
    )
    assert created.status_code == 201, created.text
    box: SecretBox = app.state.context.secrets
    database: Database = app.state.database
    async with database.sessionmaker() as session:  # as if saved before the rule
        await session.execute(
            update(Monitor)
            .where(Monitor.id == created.json()["id"])
            .values(secrets=box.encrypt({"X-Token": "HdrLeak-7788\n"}))
        )
        await session.commit()
    ran = await admin.post(f"{MONITORS}/{created.json()['id']}/run")
    assert ran.status_code == 200, ran.text
    assert ran.json()["outcome"] == "error"
    seen = await viewer.get(f"{MONITORS}/{created.json()['id']}/results")
    for text in (ran.text, seen.text, (await viewer.get(MONITORS)).text):
        assert "HdrLeak" not in text
