"""The monitors API: definitions and their validation, scope, run now, preview, history,
alerts, and monitors as code, on each platform database.

The watched database is a SQLite file made per test (the PostgreSQL and MariaDB
safety of the SQL check is proven in test_sql_check.py); HTTP monitors call a
real local HTTP server.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import add_user, login
from tests.monitors.bodies import MONITORS, unpaid_monitor
from tests.support.receivers import serve_receiver


async def test_create_read_and_list(admin: httpx.AsyncClient, shop: str) -> None:
    created = await admin.post(MONITORS, json=unpaid_monitor())
    assert created.status_code == 201, created.text
    monitor = created.json()
    assert monitor["state"] == "PENDING"
    assert monitor["datasource"] == "main" and monitor["condition_text"] == "first cell > 0"
    assert monitor["next_run_at"] is not None

    listed = await admin.get(MONITORS, params={"service": "shop", "q": "unpaid"})
    assert [m["name"] for m in listed.json()["items"]] == ["unpaid-orders"]
    assert (await admin.get(MONITORS, params={"state": "OK"})).json()["total"] == 0
    again = await admin.post(MONITORS, json=unpaid_monitor())
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"query": "DELETE FROM orders"}, "query"),
        ({"query": "SELECT 1; DROP TABLE orders"}, "query"),
        ({"datasource": None}, "datasource"),
        ({"datasource": "nope"}, "datasource"),
        ({"schedule": {"every_seconds": 5}}, "schedule.every_seconds"),
        ({"schedule": {"cron": "61 * * * *"}}, "schedule.cron"),
        ({"schedule": {"cron": "0 * * * *", "timezone": "Mars/Base"}}, "schedule.timezone"),
        ({"schedule": {"every_seconds": 60, "cron": "* * * * *"}}, "schedule.every_seconds"),
        ({"condition": {"operator": ">", "threshold": "red"}}, "condition.threshold"),
        ({"condition": {"value": "status_code", "threshold": 500}}, "condition"),
        ({"condition": {"value": "column"}}, "condition.column"),
        ({"timeout_seconds": 0}, "timeout_seconds"),
        ({"notify": {"channels": ["nope"]}}, "notify.channels"),
        ({"notify": {"emails": ["a@example.com"]}}, "notify.emails"),
        ({"type": "http"}, "http"),
    ],
)
async def test_bad_definitions_name_the_field(
    admin: httpx.AsyncClient, shop: str, changes: dict[str, Any], field: str
) -> None:
    response = await admin.post(MONITORS, json=unpaid_monitor(**changes))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [error["field"] for error in response.json()["errors"]], response.text


async def test_unknown_service_is_404(admin: httpx.AsyncClient, shop: str) -> None:
    response = await admin.post(MONITORS, json=unpaid_monitor(service="nope"))
    assert response.status_code == 404


async def test_run_now_stores_the_result_with_sample_and_alerts(
    admin: httpx.AsyncClient, shop: str
) -> None:
    monitor = (
        await admin.post(
            MONITORS,
            json=unpaid_monitor(
                query="SELECT id, status, amount FROM orders WHERE status = 'unpaid' ORDER BY id",
                condition={"kind": "any_rows"},
            ),
        )
    ).json()
    run = await admin.post(f"{MONITORS}/{monitor['id']}/run")
    assert run.status_code == 200, run.text
    result = run.json()
    assert (result["outcome"], result["state"], result["trigger"]) == ("fail", "ALERTING", "manual")
    assert result["sample"]["columns"] == ["id", "status", "amount"]
    assert result["sample"]["rows"] == [[2, "unpaid", 25.5], [3, "unpaid", 4.5]]

    after = (await admin.get(f"{MONITORS}/{monitor['id']}")).json()
    assert after["state"] == "ALERTING" and after["last_value"] == 2
    results = (await admin.get(f"{MONITORS}/{monitor['id']}/results")).json()
    assert results["total"] == 1 and results["items"][0]["id"] == result["id"]
    events = (await admin.get(f"{MONITORS}/{monitor['id']}/events")).json()
    assert [e["kind"] for e in events["items"]] == ["alerting"]
    assert events["items"][0]["message"] == "any row returned holds (value 2 rows)"
    alerts = (await admin.get("/api/v1/alerts")).json()
    assert [a["monitor"]["name"] for a in alerts["items"]] == ["unpaid-orders"]


async def test_bad_sql_at_run_time_is_error_with_the_reason(
    admin: httpx.AsyncClient, shop: str
) -> None:
    monitor = (
        await admin.post(MONITORS, json=unpaid_monitor(query="SELECT count(*) FROM invoices"))
    ).json()
    result = (await admin.post(f"{MONITORS}/{monitor['id']}/run")).json()
    assert (result["outcome"], result["state"]) == ("error", "ERROR")
    assert "no such table: invoices" in result["error"]
    shown = (await admin.get(f"{MONITORS}/{monitor['id']}")).json()
    assert "no such table" in shown["last_error"]


async def test_preview_runs_without_storing(admin: httpx.AsyncClient, shop: str) -> None:
    preview = await admin.post(f"{MONITORS}/preview", json=unpaid_monitor())
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["outcome"], body["state"], body["value"]) == ("fail", "ALERTING", 2)
    assert body["sample"]["rows"] == [[2]]
    assert (await admin.get(MONITORS)).json()["total"] == 0
    waiting = await admin.post(
        f"{MONITORS}/preview",
        json=unpaid_monitor(condition={"operator": ">", "threshold": 0, "consecutive": 3}),
    )
    assert waiting.json()["state"] == "PENDING"


async def test_schedule_preview_lists_next_runs(admin: httpx.AsyncClient) -> None:
    response = await admin.post(
        f"{MONITORS}/schedule-preview",
        json={"schedule": {"cron": "*/15 * * * *", "timezone": "Asia/Tokyo"}},
    )
    assert response.status_code == 200, response.text
    runs = response.json()["next_runs"]
    assert len(runs) == 5 and all(
        r.endswith(("00:00Z", "15:00Z", "30:00Z", "45:00Z")) for r in runs
    )


async def test_patch_applies_and_disable_pauses(admin: httpx.AsyncClient, shop: str) -> None:
    monitor = (await admin.post(MONITORS, json=unpaid_monitor())).json()
    item = f"{MONITORS}/{monitor['id']}"
    changed = await admin.patch(item, json={"condition": {"operator": ">", "threshold": 5}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["condition_text"] == "first cell > 5"
    assert (await admin.post(f"{item}/run")).json()["outcome"] == "pass"

    paused = (await admin.patch(item, json={"enabled": False})).json()
    assert (paused["state"], paused["next_run_at"]) == ("PAUSED", None)
    resumed = (await admin.patch(item, json={"enabled": True})).json()
    assert resumed["state"] == "PENDING" and resumed["next_run_at"] is not None
    kinds = [e["kind"] for e in (await admin.get(f"{item}/events")).json()["items"]]
    assert kinds[:2] == ["resumed", "paused"]

    bad = await admin.patch(item, json={"query": "UPDATE orders SET status = 'paid'"})
    assert bad.status_code == 422
    history = (await admin.get("/api/v1/audit", params={"object_type": "monitor"})).json()
    assert [r["action"] for r in history["items"]][:3] == [
        "monitor.update",
        "monitor.update",
        "monitor.update",
    ]
    assert (await admin.delete(item)).status_code == 204
    assert (await admin.get(item)).status_code == 404


async def test_mute_and_acknowledge(admin: httpx.AsyncClient, shop: str) -> None:
    monitor = (await admin.post(MONITORS, json=unpaid_monitor())).json()
    item = f"{MONITORS}/{monitor['id']}"
    refused = await admin.post(f"{item}/acknowledge")
    assert refused.status_code == 409 and "only ALERTING or ERROR" in refused.json()["detail"]
    await admin.post(f"{item}/run")
    acknowledged = (await admin.post(f"{item}/acknowledge")).json()
    assert acknowledged["acknowledged_by"] == "root-admin"
    past = await admin.post(f"{item}/mute", json={"until": "2020-01-01T00:00:00Z"})
    assert past.status_code == 422
    muted = (await admin.post(f"{item}/mute", json={"until": "2099-01-01T00:00:00Z"})).json()
    assert muted["muted_until"].startswith("2099-01-01")
    alert = (await admin.get("/api/v1/alerts")).json()["items"][0]
    assert alert["muted"] and alert["acknowledged"]
    unmuted = (await admin.delete(f"{item}/mute")).json()
    assert unmuted["muted_until"] is None


async def test_scope_hides_other_services_monitors(
    app: FastAPI, admin: httpx.AsyncClient, shop: str
) -> None:
    monitor = (await admin.post(MONITORS, json=unpaid_monitor())).json()
    role = await admin.post(
        "/api/v1/roles",
        json={
            "name": "Billing monitors",
            "grants": [
                {
                    "module": "monitors",
                    "action": "write",
                    "scope": "services",
                    "targets": ["billing"],
                }
            ],
        },
    )
    assert role.status_code == 201, role.text
    await add_user(app, "billing-dev", admin=False, roles=("Billing monitors",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await login(client, "billing-dev")
        assert (await client.get(MONITORS)).json()["total"] == 0
        assert (await client.get(f"{MONITORS}/{monitor['id']}")).status_code == 404
        assert (await client.post(f"{MONITORS}/{monitor['id']}/run")).status_code == 404
        assert (await client.post(MONITORS, json=unpaid_monitor(name="x"))).status_code == 404


async def test_viewer_reads_but_cannot_run(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient, shop: str
) -> None:
    monitor = (await admin.post(MONITORS, json=unpaid_monitor())).json()
    assert (await viewer.get(f"{MONITORS}/{monitor['id']}")).status_code == 200
    assert (await viewer.post(f"{MONITORS}/{monitor['id']}/run")).status_code == 403
    assert (await viewer.post(f"{MONITORS}/preview", json=unpaid_monitor())).status_code == 403


async def test_export_and_apply_round_trip(admin: httpx.AsyncClient, shop: str) -> None:
    await admin.post(MONITORS, json=unpaid_monitor())
    exported = await admin.get(f"{MONITORS}/export")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith(
        "application/yaml"
    )
    text = exported.text
    assert "name: unpaid-orders" in text

    same = (await admin.post(f"{MONITORS}/apply", json={"yaml": text})).json()
    assert (same["created"], same["updated"], same["unchanged"]) == (0, 0, 1)

    changed_text = text.replace("threshold: 0", "threshold: 3") + (
        "- service: shop\n  name: big-orders\n  type: sql\n  datasource: main\n"
        "  query: SELECT count(*) FROM orders WHERE amount > 20\n"
        "  schedule: {cron: '0 * * * *'}\n  condition: {threshold: 5}\n"
    )
    dry = (
        await admin.post(f"{MONITORS}/apply", json={"yaml": changed_text, "dry_run": True})
    ).json()
    assert (dry["created"], dry["updated"]) == (1, 1)
    update = next(m for m in dry["monitors"] if m["action"] == "update")
    assert update["changes"] == [
        {"path": "condition.threshold", "change": "changed", "old": 0.0, "new": 3.0}
    ]
    assert (await admin.get(MONITORS)).json()["total"] == 1  # a dry run changes nothing

    applied = (await admin.post(f"{MONITORS}/apply", json={"yaml": changed_text})).json()
    assert (applied["created"], applied["updated"]) == (1, 1)
    again = (await admin.post(f"{MONITORS}/apply", json={"yaml": changed_text})).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("monitors: [", "yaml"),
        ("- a\n- b\n", "yaml"),
        ("monitors:\n- service: shop\n  name: x\n  type: sql\n", "monitors.0.schedule"),
    ],
)
async def test_apply_refuses_bad_files(
    admin: httpx.AsyncClient, shop: str, text: str, field: str
) -> None:
    response = await admin.post(f"{MONITORS}/apply", json={"yaml": text})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]], response.text


async def test_preview_of_a_saved_http_monitor_uses_its_secret_headers(
    admin: httpx.AsyncClient,
) -> None:
    """The editor previews without knowing stored secrets: the API fills them in."""
    with serve_receiver() as receiver:
        created = await admin.post(
            "/api/v1/services", json={"name": "api", "base_url": receiver.base_url}
        )
        assert created.status_code == 201, created.text
        body: dict[str, Any] = {
            "service": "api",
            "name": "health",
            "type": "http",
            "http": {
                "method": "POST",
                "path": "/health",
                "secret_headers": {"Authorization": "Bearer s3cret"},
            },
            "schedule": {"every_seconds": 60},
            "condition": {"value": "status_code", "operator": ">=", "threshold": 500},
        }
        monitor = await admin.post(MONITORS, json=body)
        assert monitor.status_code == 201, monitor.text
        assert monitor.json()["http"]["secret_headers"] == ["Authorization"]
        assert "s3cret" not in monitor.text
        unsent = {**body, "http": {**body["http"], "secret_headers": {}}}
        removed = {**body, "http": {**body["http"], "secret_headers": {"Authorization": ""}}}

        async def sent_authorization(definition: dict[str, Any], **query: Any) -> str | None:
            receiver.requests.clear()
            preview = await admin.post(f"{MONITORS}/preview", json=definition, params=query)
            assert preview.status_code == 200, preview.text
            assert preview.json()["outcome"] == "pass"
            return receiver.at("/health")[-1].headers.get("Authorization")

        assert await sent_authorization(unsent, monitor_id=monitor.json()["id"]) == "Bearer s3cret"
        assert await sent_authorization(removed, monitor_id=monitor.json()["id"]) is None
        assert await sent_authorization(unsent) is None
