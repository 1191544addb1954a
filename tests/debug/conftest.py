"""Fixtures of the debug tests: the probe-SDK sample services (started once per test
process) and, per test, the catalog entries that point at them: the services with
their base URLs and a debug endpoint for each case a run can meet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support import probe_services as samples
from tests.support.receivers import refused_port

__all__ = ["refused_port"]

CHECKOUT_PARAMETERS = {
    "type": "object",
    "properties": {
        "order_id": {"type": "integer", "minimum": 1, "description": "The order to check out"},
        "db_delay_ms": {"type": "integer", "minimum": 0, "maximum": 5000},
    },
    "required": ["order_id"],
    "additionalProperties": False,
}
INVOICE_PARAMETERS = {
    "type": "object",
    "properties": {"customer": {"type": "string"}, "amount": {"type": "number"}},
}


@pytest.fixture(scope="session")
def probe_services() -> Iterator[samples.ProbeServices]:
    with samples.probe_services() as services:
        yield services


@dataclass(frozen=True)
class Endpoints:
    """The API paths of the debug endpoints the tests run."""

    billing_service: str
    checkout: str
    invoice: str
    malformed: str
    plain_json: str
    html: str
    otlp: str
    echo: str
    redirect_away: str
    hang: str
    down: str


async def _service(admin: httpx.AsyncClient, name: str, base_url: str) -> None:
    created = await admin.post(
        "/api/v1/services", json={"name": name, "team": "shop", "base_url": base_url}
    )
    assert created.status_code == 201, created.text


async def _endpoint(admin: httpx.AsyncClient, service: str, **body: Any) -> str:
    collection = f"/api/v1/services/{service}/debug-endpoints"
    saved = await admin.post(collection, json=body)
    assert saved.status_code == 201, saved.text
    return f"{collection}/{saved.json()['id']}"


@pytest.fixture
async def endpoints(
    admin: httpx.AsyncClient, probe_services: samples.ProbeServices, refused_port: int
) -> Endpoints:
    await _service(admin, "orders", probe_services.orders_url)
    await _service(admin, "billing", probe_services.billing_url)
    await _service(admin, "gone", f"http://127.0.0.1:{refused_port}")

    async def orders(name: str, path: str, **extra: Any) -> str:
        return await _endpoint(
            admin,
            "orders",
            name=name,
            path=path,
            auth="token",
            secret=samples.ORDERS_TOKEN,
            **extra,
        )

    return Endpoints(
        billing_service="billing",
        checkout=await orders("checkout", "/debug/checkout", parameters=CHECKOUT_PARAMETERS),
        invoice=await _endpoint(
            admin,
            "billing",
            name="invoice",
            path="/debug/invoice",
            method="POST",
            auth="hmac",
            secret=samples.BILLING_KEY,
            parameters=INVOICE_PARAMETERS,
        ),
        malformed=await orders("malformed", "/debug/malformed"),
        plain_json=await orders("plain", "/debug/plain"),
        html=await orders("html", "/debug/html"),
        otlp=await orders("otlp", "/debug/otlp"),
        echo=await orders("echo", "/debug/echo"),
        redirect_away=await orders("redirect-away", "/debug/redirect-away"),
        hang=await orders("hang", "/debug/hang", timeout_seconds=1),
        down=await _endpoint(admin, "gone", name="down", path="/debug/down"),
    )
