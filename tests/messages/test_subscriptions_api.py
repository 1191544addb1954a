"""``/api/v1/subscriptions``: what a subscription must name and how it is checked, its
status before any worker takes it up, edits, deletes and scopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import ON_SQLITE_ONLY, _logged_in
from tests.messages.conftest import upload_shop

pytestmark = ON_SQLITE_ONLY


@pytest.fixture
async def schema_id(admin: httpx.AsyncClient, service: str) -> int:
    uploaded = await upload_shop(admin, service)
    found: int = uploaded["schema"]["id"]
    return found


def _body(service: str, cluster: str, topic: str, schema_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "service": service,
        "name": "order-events",
        "cluster": cluster,
        "topic": topic,
        "schema_id": schema_id,
        "message_type": "shop.OrderEvent",
        "indexed_fields": ["order.id", "labels.region"],
        **extra,
    }


async def test_a_subscription_is_created_with_its_status(
    admin: httpx.AsyncClient, service: str, cluster: str, topic: Callable[..., str], schema_id: int
) -> None:
    name = topic()
    response = await admin.post(
        "/api/v1/subscriptions", json=_body(service, cluster, name, schema_id)
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["cluster"], created["topic"], created["schema_name"]) == (cluster, name, "shop")
    assert created["status"] == {
        "state": "starting",
        "error": None,
        "stored": 0,
        "last_message_at": None,
        "lag": None,
        "partitions": [],
        "updated_at": None,
    }
    listed = (await admin.get("/api/v1/subscriptions", params={"service": service})).json()
    assert [item["id"] for item in listed] == [created["id"]]
    fields = (await admin.get(f"/api/v1/subscriptions/{created['id']}/fields")).json()
    assert fields["indexed"] == ["order.id", "labels.region"]
    assert "order.total.units" in [field["path"] for field in fields["fields"]]
    schema = (await admin.get(f"/api/v1/schemas/{schema_id}")).json()
    assert schema["used_by"] == [f"{service}/order-events"]
    in_use = await admin.delete(f"/api/v1/schemas/{schema_id}")
    assert in_use.status_code == 409 and "order-events" in in_use.text


async def test_a_clusters_topics_are_listed_for_subscribing(
    admin: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    cluster: str,
    topic: Callable[..., str],
    refused_port: int,
) -> None:
    name = topic(partitions=3)
    listed = await admin.get("/api/v1/topics", params={"cluster": cluster})
    assert listed.status_code == 200, listed.text
    assert {"name": name, "partitions": 3} in listed.json()
    assert not any(item["name"].startswith("__") for item in listed.json())
    assert (await viewer.get("/api/v1/topics", params={"cluster": cluster})).status_code == 403
    unknown = await admin.get("/api/v1/topics", params={"cluster": "nowhere"})
    assert unknown.status_code == 422
    down = await admin.post(
        "/api/v1/kafka-clusters",
        json={"name": "down", "bootstrap_servers": [f"127.0.0.1:{refused_port}"]},
    )
    assert down.status_code == 201
    refused = await admin.get("/api/v1/topics", params={"cluster": "down"})
    assert refused.status_code == 502
    assert "does not answer" in refused.json()["detail"]


async def test_what_is_wrong_with_a_subscription_is_said(
    admin: httpx.AsyncClient, service: str, cluster: str, topic: Callable[..., str], schema_id: int
) -> None:
    name = topic()
    cases = [
        (_body(service, cluster, "no-such-topic", schema_id), "topic", "no topic 'no-such-topic'"),
        (_body(service, "nowhere", name, schema_id), "cluster", "no Kafka cluster named"),
        (
            _body(service, cluster, name, schema_id, message_type="shop.Nope"),
            "message_type",
            "shop.Nope",
        ),
        (
            _body(service, cluster, name, schema_id, indexed_fields=["order.nope"]),
            "indexed_fields.0",
            "has no field 'nope'",
        ),
        (
            _body(service, cluster, name, schema_id, indexed_fields=["order"]),
            "indexed_fields.0",
            "ends at a message",
        ),
        (_body(service, cluster, name, 999999), "schema_id", "no schema with id"),
        (
            {**_body(service, cluster, name, schema_id), "schema_id": None},
            "schema_id",
            "needs the schema",
        ),
        (
            _body(service, cluster, name, schema_id, start_from="timestamp"),
            "start_at",
            "start_from is 'timestamp'",
        ),
        (
            {
                **_body(service, cluster, name, schema_id),
                "value_format": "text",
                "schema_id": None,
                "message_type": None,
            },
            "indexed_fields",
            "has no fields",
        ),
        (_body(service, cluster, "bad topic!", schema_id), "topic", ""),
    ]
    for body, field, message in cases:
        response = await admin.post("/api/v1/subscriptions", json=body)
        assert response.status_code == 422, (body, response.text)
        errors = response.json()["errors"]
        assert any(e["field"] == field and message in e["message"] for e in errors), response.text
    assert (await admin.get("/api/v1/subscriptions")).json() == []


async def test_edits_are_checked_audited_and_a_new_topic_starts_afresh(
    app: FastAPI,
    admin: httpx.AsyncClient,
    service: str,
    cluster: str,
    topic: Callable[..., str],
    schema_id: int,
) -> None:
    first, second = topic(), topic()
    created = (
        await admin.post("/api/v1/subscriptions", json=_body(service, cluster, first, schema_id))
    ).json()
    url = f"/api/v1/subscriptions/{created['id']}"
    paused = await admin.patch(url, json={"enabled": False, "retention_days": 30})
    assert paused.status_code == 200, paused.text
    assert paused.json()["status"]["state"] == "paused"
    assert paused.json()["retention_days"] == 30
    bad = await admin.patch(url, json={"indexed_fields": ["order.nope"]})
    assert bad.status_code == 422
    unknown = await admin.patch(url, json={"service": "elsewhere"})
    assert unknown.status_code == 422
    moved = await admin.patch(url, json={"topic": second})
    assert moved.json()["topic"] == second
    records = (await admin.get("/api/v1/audit", params={"object_type": "subscription"})).json()
    assert [r["action"] for r in records["items"]][:3] == [
        "subscription.update",
        "subscription.update",
        "subscription.create",
    ]
    assert (await admin.delete(url)).status_code == 204
    assert (await admin.get(url)).status_code == 404


async def test_a_reader_cannot_change_and_others_cannot_see(
    app: FastAPI,
    admin: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    service: str,
    cluster: str,
    topic: Callable[..., str],
    schema_id: int,
) -> None:
    created = (
        await admin.post("/api/v1/subscriptions", json=_body(service, cluster, topic(), schema_id))
    ).json()
    assert (await viewer.get(f"/api/v1/subscriptions/{created['id']}")).status_code == 200
    assert (
        await viewer.patch(f"/api/v1/subscriptions/{created['id']}", json={"enabled": False})
    ).status_code == 403
    assert (await viewer.delete(f"/api/v1/subscriptions/{created['id']}")).status_code == 403
    other = await admin.post("/api/v1/services", json={"name": "billing", "team": "money"})
    assert other.status_code == 201
    role = await admin.post(
        "/api/v1/roles",
        json={
            "name": "billing-messages",
            "grants": [
                {
                    "module": "messages",
                    "action": "read",
                    "scope": "services",
                    "targets": ["billing"],
                },
                {
                    "module": "messages",
                    "action": "write",
                    "scope": "services",
                    "targets": ["billing"],
                },
            ],
        },
    )
    assert role.status_code == 201, role.text
    async with _logged_in(app, "biller", admin=False, roles=("billing-messages",)) as biller:
        assert (await biller.get("/api/v1/subscriptions")).json() == []
        assert (await biller.get(f"/api/v1/subscriptions/{created['id']}")).status_code == 404
        assert (
            await biller.get("/api/v1/messages", params={"subscription": created["id"]})
        ).status_code == 404
        sneaky = await biller.post(
            "/api/v1/subscriptions",
            json={**_body("billing", cluster, topic(), schema_id), "name": "copy"},
        )
        assert sneaky.status_code == 422 and "schema_id" in sneaky.text
        assert (await biller.delete(f"/api/v1/subscriptions/{created['id']}")).status_code == 404


async def test_a_deleted_service_takes_its_subscriptions_and_schemas_along(
    admin: httpx.AsyncClient, service: str, cluster: str, topic: Callable[..., str], schema_id: int
) -> None:
    created = (
        await admin.post("/api/v1/subscriptions", json=_body(service, cluster, topic(), schema_id))
    ).json()
    preview = (await admin.get(f"/api/v1/services/{service}/deletion")).json()
    kinds = {group["kind"]: group for group in preview["groups"]}
    assert kinds["subscriptions"]["names"] == ["order-events"]
    assert kinds["schemas"]["names"] == ["shop"]
    deleted = await admin.delete(f"/api/v1/services/{service}")
    assert deleted.status_code == 204, deleted.text
    assert (await admin.get(f"/api/v1/subscriptions/{created['id']}")).status_code == 404
    actions = [r["action"] for r in (await admin.get("/api/v1/audit")).json()["items"]]
    assert "subscription.delete" in actions and "schema.delete" in actions


async def test_the_home_tile_names_subscriptions_in_error(
    admin: httpx.AsyncClient, service: str, topic: Callable[..., str], schema_id: int
) -> None:
    """A cluster that refuses connections: the subscription is saved (its topic cannot be
    checked) and, with no worker reporting, it shows as starting, not yet in trouble."""
    down = await admin.post(
        "/api/v1/kafka-clusters", json={"name": "down", "bootstrap_servers": ["127.0.0.1:9"]}
    )
    assert down.status_code == 201
    created = await admin.post(
        "/api/v1/subscriptions", json=_body(service, "down", "anything", schema_id)
    )
    assert created.status_code == 201, created.text
    home = (await admin.get("/api/v1/home")).json()
    tile = next(t for t in home["tiles"] if t["key"] == "messages.trouble")
    assert tile["total"] == 0
    deleted_cluster = await admin.delete(f"/api/v1/kafka-clusters/{down.json()['id']}")
    assert deleted_cluster.status_code == 204
    home = (await admin.get("/api/v1/home")).json()
    tile = next(t for t in home["tiles"] if t["key"] == "messages.trouble")
    assert tile["total"] == 1
    assert "cluster was deleted" in tile["items"][0]["detail"]
