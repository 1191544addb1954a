"""Connection definitions refuse what cannot work with a 422 naming the field: Redis
URLs as redis-py reads them, SASL without its mechanism or user, channel URLs that
are not http(s), and e-mail addresses that are not addresses."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ON_SQLITE_ONLY

pytestmark = ON_SQLITE_ONLY

REDIS = "/api/v1/services/orders/redis"
KAFKA = "/api/v1/kafka-clusters"
CHANNELS = "/api/v1/notification-channels"


@pytest.fixture
async def orders(admin: httpx.AsyncClient) -> None:
    created = await admin.post("/api/v1/services", json={"name": "orders"})
    assert created.status_code == 201, created.text


def _fields(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {error["field"]: error["message"] for error in response.json()["errors"]}


@pytest.mark.usefixtures("orders")
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://cache:6379", "expected redis://host:port/db"),
        ("unix:///var/run/redis.sock", "expected redis://host:port/db"),
        ("redis://cache:port/0", "Port could not be cast to integer"),
        ("redis://", "name the host"),
    ],
)
async def test_a_bad_redis_url_is_refused(admin: httpx.AsyncClient, url: str, message: str) -> None:
    fields = _fields(await admin.post(REDIS, json={"name": "cache", "url": url}))
    assert message in fields["url"]


@pytest.mark.usefixtures("orders")
async def test_a_redis_url_fills_the_fields_and_keeps_the_password_apart(
    admin: httpx.AsyncClient,
) -> None:
    created = await admin.post(
        REDIS, json={"name": "cache", "url": "rediss://app:p%40ss@cache.internal:6380/4"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    address = (body["host"], body["port"], body["db"], body["tls"])
    assert address == ("cache.internal", 6380, 4, True)
    assert body["username"] == "app" and body["password_set"] is True
    assert "p@ss" not in created.text and "p%40ss" not in created.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"security_protocol": "SASL_PLAINTEXT"}, "sasl_username"),
        ({"security_protocol": "SASL_SSL", "sasl_mechanism": "PLAIN"}, "sasl_username"),
        ({"bootstrap_servers": ["kafka"]}, "bootstrap_servers"),
    ],
)
async def test_incomplete_kafka_settings_are_refused(
    admin: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    sent = {"name": "events", "bootstrap_servers": ["127.0.0.1:9092"], **body}
    assert field in _fields(await admin.post(KAFKA, json=sent))


async def test_complete_sasl_settings_are_saved(admin: httpx.AsyncClient) -> None:
    created = await admin.post(
        KAFKA,
        json={
            "name": "events",
            "bootstrap_servers": ["127.0.0.1:9092"],
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_username": "gyrfalcon",
            "sasl_password": "kafka-pw",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["sasl_password_set"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "webhook", "url": "ftp://hooks.example.com/x"}, "url"),
        ({"type": "webhook", "url": "hooks.example.com/x"}, "url"),
        ({"type": "slack", "webhook_url": "javascript:alert(1)"}, "webhook_url"),
        (
            {"type": "email", "host": "smtp.example.com", "from_address": "not-an-address"},
            "from_address",
        ),
        (
            {
                "type": "email",
                "host": "smtp.example.com",
                "from_address": "gyrfalcon@example.com",
                "recipients": ["ops@example.com", "two@@example.com"],
            },
            "recipients.1",
        ),
    ],
)
async def test_bad_channel_addresses_are_refused(
    admin: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    fields = _fields(await admin.post(CHANNELS, json={"name": "ops", **body}))
    # A channel's fields are reported under its type, e.g. "webhook.url".
    assert f"{body['type']}.{field}" in fields, fields
