"""``POST /notification-channels/{id}/send-test``: a real example alert through the channel,
its failures as answers, and bad requests refused with the field named."""

from __future__ import annotations

import httpx

from gyrfalcon.notify.templates import DEFAULT_EMAIL_TEXT, DEFAULT_SUMMARY, TEMPLATE_VARIABLES
from tests.conftest import ON_SQLITE_ONLY
from tests.support.receivers import SmtpServers, free_port

pytestmark = ON_SQLITE_ONLY

CHANNELS = "/api/v1/notification-channels"


async def _email_channel(admin: httpx.AsyncClient, port: int, **extra: object) -> int:
    created = await admin.post(
        CHANNELS,
        json={
            "name": "mail",
            "type": "email",
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "from_address": "gyrfalcon@example.com",
            **extra,
        },
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


async def test_send_test_mails_the_example_alert(
    admin: httpx.AsyncClient, smtp_servers: SmtpServers
) -> None:
    smtp_servers.mailbox.mails.clear()
    channel = await _email_channel(
        admin,
        smtp_servers.plain,
        recipients=["ops@example.com"],
        subject_template="TEST {{ monitor }} is {{ state }}",
    )
    sent = await admin.post(f"{CHANNELS}/{channel}/send-test")
    assert sent.status_code == 200, sent.text
    assert sent.json()["ok"] is True
    assert "delivered to ops@example.com" in sent.json()["message"]
    [mail] = smtp_servers.mailbox.mails
    assert mail.rcpt_tos == ["ops@example.com"]
    assert mail.message["Subject"].startswith("TEST ") and "ALERTING" in mail.message["Subject"]

    other = await admin.post(f"{CHANNELS}/{channel}/send-test", json={"to": ["dev@example.com"]})
    assert other.json()["ok"] is True and smtp_servers.mailbox.mails[-1].rcpt_tos == [
        "dev@example.com"
    ]


async def test_send_test_failures_and_bad_requests(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    port = free_port()  # nothing listens there
    channel = await _email_channel(admin, port)
    no_one = await admin.post(f"{CHANNELS}/{channel}/send-test")
    assert no_one.status_code == 422
    assert no_one.json()["errors"][0]["field"] == "to"

    down = await admin.post(f"{CHANNELS}/{channel}/send-test", json={"to": ["a@example.com"]})
    assert down.status_code == 200
    assert down.json() | {"latency_ms": 0} == {
        "ok": False,
        "message": f"connection refused by 127.0.0.1:{port}",
        "latency_ms": 0,
    }
    assert (await admin.post(f"{CHANNELS}/999/send-test")).status_code == 404
    assert (await viewer.post(f"{CHANNELS}/{channel}/send-test")).status_code == 403


async def test_template_defaults_list_every_variable(viewer: httpx.AsyncClient) -> None:
    response = await viewer.get("/api/v1/notification-templates")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["summary"] == DEFAULT_SUMMARY and body["email_text"] == DEFAULT_EMAIL_TEXT
    assert {v["name"] for v in body["variables"]} == TEMPLATE_VARIABLES
