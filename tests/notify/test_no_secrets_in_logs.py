"""Issue 8.6: no secret in any log line, at any level, over a full run.

The review found Slack and webhook URLs (secrets as a whole) and HTTP monitor URLs
with their query strings in the log at the default INFO level. Here a real
``gyrfalcon serve`` runs at DEBUG while a user does everything that sends secrets:
channels tested and alerts delivered through the outbox to a local receiver standing
in for Slack and a webhook (Slack's servers cannot run here), a signed webhook, an
email channel and a datasource whose servers refuse, an HTTP monitor with a secret
header and a token in its query string, and a receiver that quotes the URL in its
error. Then every line of the server's log is searched for every secret.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.live_server import LiveServer, live_server
from tests.support.receivers import Receiver, free_port, serve_receiver

SLACK_PATH = "/hooks/SLACKSECRET-T000/B000/XyZ123"
WEBHOOK_PATH = "/wh/WEBHOOKSECRET-abc"
ECHO_PATH = "/echo/ECHOSECRET-hook-31"
SECRETS = [
    "SLACKSECRET-T000",
    "WEBHOOKSECRET-abc",
    "HMACSECRET-4242",
    "ECHOSECRET-hook-31",
    "SMTPSECRET-9911",
    "PGSECRET-5150",
    "HEADERSECRET-7777",
    "QUERYSECRET-5555",
]


def _client(server: LiveServer) -> httpx.Client:
    """A logged-in client; the caller closes it."""
    client = httpx.Client(base_url=server.url, timeout=30)
    client.post(
        "/api/v1/auth/login",
        json={"username": server.admin_username, "password": server.admin_password},
    ).raise_for_status()
    client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
    return client


# free_port(): a port nothing listens on, so the email server and database refuse.


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _do_everything(client: httpx.Client, receiver: Receiver) -> None:
    base = receiver.base_url
    channels = [
        _created(client.post("/api/v1/notification-channels", json=body))
        for body in (
            {"name": "slack", "type": "slack", "webhook_url": base + SLACK_PATH},
            {
                "name": "hook",
                "type": "webhook",
                "url": base + WEBHOOK_PATH,
                "hmac_secret": "HMACSECRET-4242",
            },
            {"name": "echo", "type": "webhook", "url": base + ECHO_PATH},
            {
                "name": "mail",
                "type": "email",
                "host": "127.0.0.1",
                "port": free_port(),
                "security": "none",
                "username": "alerts",
                "password": "SMTPSECRET-9911",
                "from_address": "alerts@example.com",
                "recipients": ["ops@example.com"],
            },
        )
    ]
    for channel in channels:
        client.post(f"/api/v1/notification-channels/{channel['id']}/test")
        client.post(f"/api/v1/notification-channels/{channel['id']}/send-test")
    _created(client.post("/api/v1/services", json={"name": "shop", "base_url": base}))
    datasource = _created(
        client.post(
            "/api/v1/services/shop/datasources",
            json={
                "name": "db",
                "url": f"postgresql://app:PGSECRET-5150@127.0.0.1:{free_port()}/x",
            },
        )
    )
    client.post(f"/api/v1/services/shop/datasources/{datasource['id']}/test")
    monitor = _created(
        client.post(
            "/api/v1/monitors",
            json={
                "service": "shop",
                "name": "health",
                "type": "http",
                "http": {
                    "method": "POST",
                    "path": "/status/503?token=QUERYSECRET-5555",
                    "secret_headers": {"Authorization": "Bearer HEADERSECRET-7777"},
                },
                "schedule": {"every_seconds": 3600},
                "condition": {"value": "status_code", "operator": ">=", "threshold": 500},
                "notify": {"channels": ["slack", "hook", "echo", "mail"]},
            },
        )
    )
    client.post(f"/api/v1/monitors/{monitor['id']}/run")
    # The outbox delivers the alert in the background: wait for it to reach Slack's
    # stand-in (bounded, so a broken deliverer fails the test instead of hanging it).
    for _attempt in range(600):
        if len(receiver.at(SLACK_PATH)) >= 2 and len(receiver.at(WEBHOOK_PATH)) >= 2:
            break
        time.sleep(0.1)
    assert len(receiver.at(SLACK_PATH)) >= 2, "the alert never reached the Slack receiver"


def test_a_full_run_at_debug_level_logs_no_secret(tmp_path: Path) -> None:
    with (
        serve_receiver() as receiver,
        live_server(tmp_path, settings={"GYRFALCON_LOG_LEVEL": "DEBUG"}) as server,
    ):
        client = _client(server)
        try:
            _do_everything(client, receiver)
        finally:
            client.close()
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "/api/v1/notification-channels" in log  # the log is there, and verbose
    leaked = [secret for secret in SECRETS if secret in log]
    assert leaked == [], [line for line in log.splitlines() if any(s in line for s in leaked)]
