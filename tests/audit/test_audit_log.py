"""Every change through the API leaves an audit record in the same transaction, with
full snapshots, secrets masked, a field-level diff, and visibility by scope."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from gyrfalcon.audit import service as audit
from gyrfalcon.audit.diff import diff
from gyrfalcon.audit.models import AuditRecord
from gyrfalcon.core.db import Database
from tests.conftest import ADMIN_PASSWORD, add_user, login


async def _records(client: httpx.AsyncClient, **filters: str) -> list[dict[str, object]]:
    response = await client.get("/api/v1/audit", params=filters)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


async def test_service_changes_are_recorded_with_snapshots_and_diff(
    admin: httpx.AsyncClient,
) -> None:
    await admin.post("/api/v1/services", json={"name": "orders", "tags": ["a"]})
    await admin.patch(
        "/api/v1/services/orders",
        json={
            "team": "commerce",
            "tags": ["a", "b"],
            "links": [{"title": "Runbook", "url": "https://wiki.example.com/o"}],
        },
    )
    await admin.delete("/api/v1/services/orders")

    records = await _records(admin, object_type="service")
    assert [r["action"] for r in records] == ["service.delete", "service.update", "service.create"]
    assert {r["actor_name"] for r in records} == {"root-admin"}
    assert all(r["service"] == "orders" and r["request_id"] for r in records)

    update = (await admin.get(f"/api/v1/audit/{records[1]['id']}")).json()
    assert update["before"]["team"] is None and update["after"]["team"] == "commerce"
    changes = {c["path"]: c for c in update["changes"]}
    assert changes["team"] == {"path": "team", "change": "changed", "old": None, "new": "commerce"}
    assert changes["tags.1"]["change"] == "added" and changes["tags.1"]["new"] == "b"
    assert changes["links.0"]["change"] == "added"
    assert "updated_at" in changes

    deleted = (await admin.get(f"/api/v1/audit/{records[0]['id']}")).json()
    assert deleted["after"] is None and deleted["before"]["name"] == "orders"


async def test_secrets_are_masked_in_snapshots(admin: httpx.AsyncClient) -> None:
    await admin.post("/api/v1/services", json={"name": "orders"})
    await admin.post(
        "/api/v1/services/orders/datasources",
        json={"name": "main", "url": "postgresql://u:hunter2@127.0.0.1/db"},
    )
    record = (await _records(admin, action="datasource.create"))[0]
    detail = await admin.get(f"/api/v1/audit/{record['id']}")
    assert "hunter2" not in detail.text
    assert detail.json()["after"]["password"] == audit.SECRET_MARKER


async def test_a_refused_change_leaves_no_record(app: FastAPI, admin: httpx.AsyncClient) -> None:
    await admin.post("/api/v1/services", json={"name": "orders"})
    assert (await admin.post("/api/v1/services", json={"name": "orders"})).status_code == 409
    me = (await admin.get("/api/v1/auth/me")).json()
    assert (
        await admin.patch(f"/api/v1/users/{me['id']}", json={"is_admin": False})
    ).status_code == 409
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action.in_(["service.create", "user.update"]))
        )
    assert count == 1


async def test_logins_logouts_and_tokens_are_recorded(
    app: FastAPI, anonymous: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    failed = await anonymous.post(
        "/api/v1/auth/login", json={"username": "root-admin", "password": "nope"}
    )
    assert failed.status_code == 401
    token = (await admin.post("/api/v1/auth/tokens", json={"name": "ci"})).json()
    await admin.delete(f"/api/v1/auth/tokens/{token['id']}")
    actions = [r["action"] for r in await _records(admin)]
    assert actions[:4] == ["token.revoke", "token.create", "auth.login_failed", "auth.login"]
    failure = next(r for r in await _records(admin, action="auth.login_failed"))
    assert failure["actor_kind"] == "anonymous" and failure["object_name"] == "root-admin"
    created = (
        await admin.get(f"/api/v1/audit/{(await _records(admin, action='token.create'))[0]['id']}")
    ).json()
    assert token["token"] not in str(created)

    await admin.post("/api/v1/auth/logout")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as again:
        await again.post(
            "/api/v1/auth/login", json={"username": "root-admin", "password": ADMIN_PASSWORD}
        )
        assert (await _records(again, action="auth.logout"))[0]["actor_name"] == "root-admin"


async def test_records_are_visible_by_scope_and_cannot_be_changed(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    for name, team in (("orders", "commerce"), ("billing", "payments")):
        await admin.post("/api/v1/services", json={"name": name, "team": team})
    role = await admin.post(
        "/api/v1/roles",
        json={
            "name": "payments-audit",
            "grants": [
                {"module": "audit", "action": "read", "scope": "teams", "targets": ["payments"]}
            ],
        },
    )
    user_id = await add_user(app, "auditor", admin=False)
    await admin.patch(f"/api/v1/users/{user_id}", json={"roles": [role.json()["id"]]})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as auditor:
        await login(auditor, "auditor")
        seen = await _records(auditor)
        assert {r["service"] for r in seen} == {"billing"}
        hidden = next(r for r in await _records(admin, service="orders"))
        assert (await auditor.get(f"/api/v1/audit/{hidden['id']}")).status_code == 404
        assert (await auditor.delete(f"/api/v1/audit/{seen[0]['id']}")).status_code == 405
        assert (await admin.patch(f"/api/v1/audit/{seen[0]['id']}", json={})).status_code == 405
        # The filter pickers offer only what the scope shows: no "orders", no login events.
        facets = (await auditor.get("/api/v1/audit/facets")).json()
        assert facets["services"] == ["billing"]
        assert facets["actions"] == ["service.create"]
    everything = (await admin.get("/api/v1/audit/facets")).json()
    assert everything["services"] == ["billing", "orders"]
    assert {"auth.login", "service.create", "user.update"} <= set(everything["actions"])
    assert {"service", "user"} <= set(everything["object_types"])
    assert {"auditor", "root-admin"} <= set(everything["actors"])


async def test_filters(admin: httpx.AsyncClient) -> None:
    await admin.post("/api/v1/services", json={"name": "orders"})
    await admin.post("/api/v1/services", json={"name": "billing"})
    assert len(await _records(admin, service="billing")) == 1
    assert len(await _records(admin, actor="nobody")) == 0
    first = (await _records(admin, object_type="service"))[-1]
    by_id = await _records(admin, object_type="service", object_id=str(first["object_id"]))
    assert [r["object_name"] for r in by_id] == ["orders"]
    assert len(await _records(admin, since="2999-01-01T00:00:00Z")) == 0


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"a": 1}, {"a": 1}, []),
        (
            {"a": {"b": [1, 2]}},
            {"a": {"b": [1, 3, 4]}},
            [("a.b.1", "changed", 2, 3), ("a.b.2", "added", None, 4)],
        ),
        (
            {"a": 1, "gone": True},
            {"a": 1, "new": "x"},
            [("gone", "removed", True, None), ("new", "added", None, "x")],
        ),
        ({"a": {"b": 1}}, {"a": None}, [("a", "changed", {"b": 1}, None)]),
    ],
)
def test_diff_reports_nested_paths(
    before: dict[str, object], after: dict[str, object], expected: list[tuple[object, ...]]
) -> None:
    assert [(c.path, c.change, c.old, c.new) for c in diff(before, after)] == expected


async def test_retention_removes_only_records_older_than_the_setting(
    app: FastAPI, admin: httpx.AsyncClient
) -> None:
    await admin.post("/api/v1/services", json={"name": "orders"})
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        oldest = await session.scalar(select(AuditRecord).order_by(AuditRecord.id))
        assert oldest is not None
        oldest.at = oldest.at - timedelta(days=40)
        await session.commit()
        removed = await audit.purge_older_than(session, days=30)
        left = await session.scalar(select(func.count()).select_from(AuditRecord))
    assert removed == 1 and left and left >= 1
