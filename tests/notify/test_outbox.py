"""The notification outbox end to end: a monitor alerts, the notification is queued in
the same transaction, and the deliverer sends it with retries, exactly once.

Slack's and webhook receivers' servers cannot run here: a local HTTP server stands
in for them (``tests/support/receivers.py``); mail goes to a real aiosmtpd server.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from gyrfalcon.core.db import Database
from gyrfalcon.core.leases import claim
from gyrfalcon.core.orm import utcnow
from gyrfalcon.core.plugins import AppContext
from gyrfalcon.notify.channels.webhooks import SIGNATURE_HEADER, sign
from gyrfalcon.notify.deliverer import LEASE, Deliverer
from gyrfalcon.notify.models import Notification
from gyrfalcon.notify.senders.base import DELIVERY_HEADER
from tests.monitors.bodies import MONITORS, unpaid_monitor
from tests.support.receivers import SmtpServers, free_port, serve_receiver

HMAC_SECRET = "hook-secret-42"


def deliverer(app: FastAPI, clock: Callable[[], datetime] = utcnow, **settings: Any) -> Deliverer:
    context: AppContext = app.state.context
    quick = {"notification_retry_seconds": 0.05, "notification_retry_max_seconds": 0.2}
    changed = context.settings.model_copy(update={**quick, **settings})
    return Deliverer(
        AppContext(settings=changed, database=context.database, secrets=context.secrets),
        clock=clock,
    )


class MovableClock:
    """The real time plus however far a test has moved it on."""

    def __init__(self) -> None:
        self.ahead = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.ahead


async def add_webhook(admin: httpx.AsyncClient, url: str, name: str = "hook") -> None:
    created = await admin.post(
        "/api/v1/notification-channels",
        json={"name": name, "type": "webhook", "url": url, "hmac_secret": HMAC_SECRET},
    )
    assert created.status_code == 201, created.text


async def alerting_monitor(
    admin: httpx.AsyncClient, name: str = "unpaid-orders", **notify: Any
) -> int:
    body = unpaid_monitor(name=name, notify={"channels": ["hook"], **notify})
    created = await admin.post(MONITORS, json=body)
    assert created.status_code == 201, created.text
    monitor_id: int = created.json()["id"]
    run = (await admin.post(f"{MONITORS}/{monitor_id}/run")).json()
    assert run["state"] == "ALERTING", run
    return monitor_id


async def notifications(admin: httpx.AsyncClient, monitor_id: int) -> list[dict[str, Any]]:
    events = (await admin.get(f"{MONITORS}/{monitor_id}/events")).json()["items"]
    return [n for event in events for n in event["notifications"]]


async def deliver_until_settled(
    worker: Deliverer, admin: httpx.AsyncClient, monitor_id: int
) -> None:
    for _ in range(100):
        await worker.deliver_due()
        if all(n["status"] != "pending" for n in await notifications(admin, monitor_id)):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("notifications still pending")


async def test_a_down_receiver_is_retried_and_gets_the_alert_once(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, shop_db: Path
) -> None:
    port = free_port()
    await add_webhook(admin, f"http://127.0.0.1:{port}/hook")
    monitor_id = await alerting_monitor(admin)
    worker = deliverer(app)

    assert await worker.deliver_due() == 1  # nothing listens yet
    [queued] = await notifications(admin, monitor_id)
    assert queued["status"] == "pending" and queued["attempts"] == 1
    assert queued["last_error"] == f"connection refused by 127.0.0.1:{port}"

    with serve_receiver(port) as receiver:
        await deliver_until_settled(worker, admin, monitor_id)
        [request] = receiver.at("/hook")
        body = request.json()
        assert body["event"] == "alerting" and body["state"] == "ALERTING"
        assert body["service"] == "shop" and body["value"] == 2
        assert body["condition"] == "first cell > 0"
        assert body["message"] == "[ALERTING] shop/unpaid-orders: first cell > 0 (value 2)"
        assert body["link"].endswith(f"/monitors/{monitor_id}")
        assert body["sample"] == {"columns": ["unpaid"], "rows": [[2]], "truncated": False}
        assert request.headers[SIGNATURE_HEADER] == sign(request.body, HMAC_SECRET)
        assert request.headers[DELIVERY_HEADER].startswith("gyrfalcon-notification-")

        [sent] = await notifications(admin, monitor_id)
        assert (sent["status"], sent["attempts"]) == ("sent", 2)
        assert [a["ok"] for a in sent["attempt_log"]] == [False, True]
        assert "connection refused" in sent["attempt_log"][0]["message"]

        # Recovery is announced the same way.
        with sqlite3.connect(shop_db) as conn:
            conn.execute("UPDATE orders SET status = 'paid'")
        assert (await admin.post(f"{MONITORS}/{monitor_id}/run")).json()["state"] == "OK"
        await deliver_until_settled(worker, admin, monitor_id)
        recovered = receiver.at("/hook")[-1].json()
        assert (recovered["event"], recovered["previous_state"]) == ("recovered", "ALERTING")
        assert len(receiver.at("/hook")) == 2


async def test_nothing_is_lost_or_sent_twice_across_a_restart(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, http_receiver: Any
) -> None:
    path = f"/restart-{free_port()}"
    await add_webhook(admin, f"{http_receiver.base_url}{path}")
    ids = [await alerting_monitor(admin, name=f"m{i}") for i in range(5)]

    # A process claims the whole outbox and dies before sending anything.
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        _token, won = await claim(
            session,
            LEASE,
            due=Notification.status == "pending",
            order_by=Notification.id,
            now=utcnow(),
            lease=timedelta(minutes=5),
            limit=100,
        )
    assert len(won) == 5
    survivor = deliverer(app)
    assert await survivor.deliver_due() == 0  # the dead process's lease still holds

    # A process stopped gracefully finishes what it started.
    async with database.sessionmaker() as session:
        await session.execute(
            update(Notification).values(lease_until=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    stop = asyncio.Event()
    first = asyncio.create_task(deliverer(app).run(stop))
    await asyncio.sleep(0)
    stop.set()
    await first
    for monitor_id in ids:
        await deliver_until_settled(survivor, admin, monitor_id)

    received = http_receiver.at(path)
    deliveries = [request.headers[DELIVERY_HEADER] for request in received]
    assert len(received) == 5 and len(set(deliveries)) == 5


async def test_email_alert_reaches_channel_and_monitor_recipients(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, smtp_servers: SmtpServers
) -> None:
    smtp_servers.mailbox.mails.clear()  # ids restart with each platform database
    created = await admin.post(
        "/api/v1/notification-channels",
        json={
            "name": "mail",
            "type": "email",
            "host": "127.0.0.1",
            "port": smtp_servers.plain,
            "security": "none",
            "from_address": "gyrfalcon@example.com",
            "recipients": ["ops@example.com"],
        },
    )
    assert created.status_code == 201, created.text
    body = unpaid_monitor(notify={"channels": ["mail"], "emails": ["dev@example.com"]})
    monitor_id = (await admin.post(MONITORS, json=body)).json()["id"]
    await admin.post(f"{MONITORS}/{monitor_id}/run")
    await deliver_until_settled(deliverer(app), admin, monitor_id)

    [sent] = await notifications(admin, monitor_id)
    mails = smtp_servers.mailbox.with_message_id(f"<gyrfalcon-notification-{sent['id']}@gyrfalcon>")
    assert len(mails) == 1
    mail = mails[0]
    assert sorted(mail.rcpt_tos) == ["dev@example.com", "ops@example.com"]
    assert mail.message["Subject"] == "[ALERTING] shop/unpaid-orders: first cell > 0 (value 2)"
    text = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert "Service:    shop" in text and f"/monitors/{monitor_id}" in text


async def test_hopeless_and_overdue_notifications_fail_with_the_reason(
    app: FastAPI, admin: httpx.AsyncClient, shop: str, http_receiver: Any
) -> None:
    await add_webhook(admin, f"{http_receiver.base_url}/gone")
    monitor_id = await alerting_monitor(admin)
    await deliver_until_settled(deliverer(app), admin, monitor_id)
    [gone] = await notifications(admin, monitor_id)
    assert (gone["status"], gone["attempts"]) == ("failed", 1)
    assert "404" in gone["last_error"]

    channel_id = (await admin.get("/api/v1/notification-channels")).json()["items"][0]["id"]
    moved = await admin.patch(
        f"/api/v1/notification-channels/{channel_id}",
        json={"url": f"{http_receiver.base_url}/status/503"},
    )
    assert moved.status_code == 200, moved.text
    overdue = await alerting_monitor(admin, name="overdue")
    database: Database = app.state.database
    async with database.sessionmaker() as session:
        deadline = utcnow() + timedelta(minutes=10)
        await session.execute(
            update(Notification).where(Notification.status == "pending").values(deadline=deadline)
        )
        await session.commit()
    clock = MovableClock()
    worker = deliverer(app, clock=clock)
    assert await worker.deliver_due() == 1
    [retrying] = await notifications(admin, overdue)
    assert (retrying["status"], retrying["attempts"]) == ("pending", 1)
    clock.ahead = timedelta(minutes=10)  # the retry comes due after the deadline
    await deliver_until_settled(worker, admin, overdue)
    [given_up] = await notifications(admin, overdue)
    assert (given_up["status"], given_up["attempts"]) == ("failed", 2)
    assert given_up["last_error"].endswith("(gave up at the deadline)")
