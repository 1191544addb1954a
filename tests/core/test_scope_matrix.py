"""Every route that reaches into one service answers 404 to a caller whose grants stop at
another service: the same answer as for a service that does not exist.

The matrix is generated from the app's routes, beside the 401/403 walker in
``test_route_guards.py``. Each path parameter is declared here as belonging to a
service (the test makes such an object in a service the caller cannot reach) or as
global; a new route with an undeclared parameter fails the test until someone says
which it is, so the coming modules' routes are covered by construction.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from gyrfalcon.core.routes import api_routes
from gyrfalcon.jobs.store.windows import digest
from tests.conftest import ON_SQLITE_ONLY, add_user, login
from tests.core.test_route_guards import _requirements
from tests.messages.stored import FakeRecord, store_records
from tests.monitors.bodies import MONITORS, unpaid_monitor

pytestmark = ON_SQLITE_ONLY

HOME, AWAY = "home", "away"

# The connections that live under a service, each with a body that saves one.
SERVICE_CONNECTIONS: dict[str, dict[str, object]] = {
    "datasources": {"name": "main", "url": "postgresql://postgres@127.0.0.1:5432/postgres"},
    "redis": {"name": "cache", "url": "redis://127.0.0.1:6379/0", "read_only": False},
    "job-backends": {"name": "jobs", "type": "sidekiq", "url": "redis://127.0.0.1:6379/0"},
    "debug-endpoints": {"name": "chain", "path": "/debug/chain"},
}

# Path parameters that name something of its own, not of a service.
GLOBAL_PARAMETERS = {
    "role_id",
    "team",
    "user_id",
    "token_id",
    "mapping_id",
    "record_id",
    "channel_id",
}

Objects = dict[str, dict[str, str]]
"""For each service, the value of each service-owned path parameter."""


async def _service_objects(app: FastAPI, admin: httpx.AsyncClient, service: str) -> dict[str, str]:
    created = await admin.post(
        "/api/v1/services", json={"name": service, "base_url": "http://127.0.0.1:9"}
    )
    assert created.status_code == 201, created.text
    values = {"service": service, **await _jobs(service)}
    for kind, body in SERVICE_CONNECTIONS.items():
        body = {**body, "namespace": values["namespace"]} if kind == "job-backends" else body
        saved = await admin.post(f"/api/v1/services/{service}/{kind}", json=body)
        assert saved.status_code == 201, saved.text
        values[f"{kind}:connection_id"] = str(saved.json()["id"])
    monitor = await admin.post(MONITORS, json=unpaid_monitor(service=service))
    assert monitor.status_code == 201, monitor.text
    values["monitor_id"] = str(monitor.json()["id"])
    values["backend_id"] = values["job-backends:connection_id"]
    values.update(await _debug_run(admin, service, values["debug-endpoints:connection_id"]))
    values.update(await _cache(admin, service, values))
    return {**values, **await _messages(app, admin, service)}


async def _cache(admin: httpx.AsyncClient, service: str, values: dict[str, str]) -> dict[str, str]:
    """The service's Redis instance, a key in it (the namespace's dead set) and a bulk
    delete of keys that do not exist (no worker runs here, so it stays running)."""
    instance_id = values["redis:connection_id"]
    bulk = await admin.post(
        f"/api/v1/services/{service}/redis/{instance_id}/bulk-deletes",
        json={"pattern": f"{values['namespace']}:nothing-*", "max_keys": 1},
    )
    assert bulk.status_code == 202, bulk.text
    key = base64.urlsafe_b64encode(f"{values['namespace']}:cached".encode()).rstrip(b"=")
    return {"instance_id": instance_id, "key": key.decode(), "job_id": str(bulk.json()["id"])}


async def _messages(app: FastAPI, admin: httpx.AsyncClient, service: str) -> dict[str, str]:
    """A schema, a subscription on a cluster that does not answer (saved all the same,
    its status says so) and one stored message, for the messages routes."""
    schema = await admin.post(
        "/api/v1/schemas",
        json={"service": service, "name": "events", "files": {"e.proto": _PROTO}},
    )
    assert schema.status_code == 201, schema.text
    schema_id = schema.json()["schema"]["id"]
    subscription = await admin.post(
        "/api/v1/subscriptions",
        json={
            "service": service,
            "name": "events",
            "cluster": "scope-bus",
            "topic": "events",
            "schema_id": schema_id,
            "message_type": "scope.Event",
            "indexed_fields": ["id"],
        },
    )
    assert subscription.status_code == 201, subscription.text
    subscription_id = subscription.json()["id"]
    await store_records(
        app, subscription.json(), [FakeRecord(offset=0, value=b"\n\x02e1", key=b"e1")]
    )
    return {
        "schema_id": str(schema_id),
        "message_type": "scope.Event",
        "subscription_id": str(subscription_id),
        "partition": "0",
        "offset": "0",
    }


async def _debug_run(admin: httpx.AsyncClient, service: str, endpoint_id: str) -> dict[str, str]:
    """A run of the service's debug endpoint (its base URL refuses: a failed call, stored)."""
    run = await admin.post(
        f"/api/v1/services/{service}/debug-endpoints/{endpoint_id}/run", json={"parameters": {}}
    )
    assert run.status_code == 201, run.text
    run_id = str(run.json()["id"])
    return {"endpoint_id": endpoint_id, "run_id": run_id, "other_id": run_id}


_PROTO = 'syntax = "proto3";\npackage scope;\nmessage Event { string id = 1; }\n'


async def _jobs(service: str) -> dict[str, str]:
    """A dead job and a queued one in a Sidekiq namespace of the service's own, so the
    job routes have a real job to read on the home service."""
    namespace = f"gyrtest-scope-{service}-{uuid.uuid4().hex[:8]}"
    job = b'{"class":"HardJob","args":[1],"jid":"abc","queue":"default"}'
    async with Redis(host="127.0.0.1", port=6379) as client:
        await client.zadd(f"{namespace}:dead", {job: 1700000000.5})
        await client.lpush(f"{namespace}:queue:default", job)
        await client.expire(f"{namespace}:dead", 3600)
        await client.expire(f"{namespace}:queue:default", 3600)
        await client.set(f"{namespace}:cached", "a cached value", ex=3600)
    return {
        "namespace": namespace,
        "job_set": "dead",
        "action": "retry",
        "queue": "default",
        "ref": f"{1700000000.5!r}~{digest(job)}",
        "queue-ref": f"0~{digest(job)}",
    }


@pytest.fixture
async def objects(app: FastAPI, admin: httpx.AsyncClient) -> Objects:
    cluster = await admin.post(
        "/api/v1/kafka-clusters", json={"name": "scope-bus", "bootstrap_servers": ["127.0.0.1:9"]}
    )
    assert cluster.status_code == 201, cluster.text
    return {service: await _service_objects(app, admin, service) for service in (HOME, AWAY)}


@pytest.fixture
async def home_only(app: FastAPI, admin: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A user holding every action of every module, on the home service only."""
    permissions = (await admin.get("/api/v1/permissions")).json()
    grants = [
        {"module": p["module"], "action": p["action"], "scope": "services", "targets": [HOME]}
        for p in permissions
    ]
    role = await admin.post("/api/v1/roles", json={"name": "home-all", "grants": grants})
    assert role.status_code == 201, role.text
    await add_user(app, "homebody", admin=False, roles=("home-all",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await login(client, "homebody")
        yield client


def _parameter_value(path: str, name: str, values: dict[str, str]) -> str | None:
    """The value for ``{name}`` in ``path`` if it belongs to a service, else None."""
    name = name.removesuffix(":path")
    if name == "ref" and "/queues/" in path:
        return values["queue-ref"]
    if name == "connection_id":
        kind = re.match(r"/api/v1/services/\{service\}/([^/]+)/", path)
        return values[f"{kind.group(1)}:connection_id"] if kind else None
    if name in values:
        return values[name]
    assert name in GLOBAL_PARAMETERS, (
        f"{path}: say whether {{{name}}} belongs to a service (add it to the objects this "
        "test makes) or is global (GLOBAL_PARAMETERS)"
    )
    return None


def _fill(path: str, values: dict[str, str]) -> str | None:
    """``path`` pointed at the objects in ``values``; None when nothing in it is a service's."""
    names = re.findall(r"\{([^}]+)\}", path)
    filled = {name: _parameter_value(path, name, values) for name in names}
    if not any(value is not None for value in filled.values()):
        return None
    return re.sub(r"\{([^}]+)\}", lambda m: filled[m.group(1)] or "1", path)


async def test_every_route_into_another_service_answers_404(
    app: FastAPI, objects: Objects, home_only: httpx.AsyncClient
) -> None:
    checked: list[str] = []
    for flat in api_routes(app.routes):
        if not flat.route.include_in_schema or _requirements(flat.route)[0].module is None:
            continue
        away, home = _fill(flat.path, objects[AWAY]), _fill(flat.path, objects[HOME])
        if away is None or home is None:
            continue
        for method in sorted(flat.methods):
            refused = await home_only.request(method, away, json={})
            assert refused.status_code == 404, f"{method} {flat.path}: {refused.text}"
            if method == "GET":
                # The same route on the caller's own service works, so the 404 above
                # is the scope's doing, not a wrong fixture.
                allowed = await home_only.request(method, home)
                assert allowed.status_code == 200, f"{method} {flat.path}: {allowed.text}"
            checked.append(f"{method} {flat.path}")
    assert len(checked) >= 40
    assert any(path.endswith("{monitor_id}") for path in checked)


@pytest.mark.parametrize("path", [MONITORS, f"{MONITORS}/preview"])
async def test_a_body_naming_another_service_answers_404(
    objects: Objects, home_only: httpx.AsyncClient, path: str
) -> None:
    refused = await home_only.post(path, json=unpaid_monitor(service=AWAY, name="elsewhere"))
    assert refused.status_code == 404, refused.text
