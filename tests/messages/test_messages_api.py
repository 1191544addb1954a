"""``/api/v1/messages``: search by every filter, keyset paging, the scan budget, detail
decoded on read (with another schema version too), export under its own permission."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import _logged_in
from tests.messages.conftest import order_event, shop_files, upload_shop
from tests.messages.stored import FakeRecord, store_records

BASE_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z
INDEXED = ["order.id", "customer.email", "kind"]


@pytest.fixture
async def subscription(
    admin: httpx.AsyncClient, topic: Callable[..., str], service: str, cluster: str
) -> dict[str, Any]:
    schema_id = (await upload_shop(admin, service))["schema"]["id"]
    response = await admin.post(
        "/api/v1/subscriptions",
        json={
            "service": service,
            "name": "order-events",
            "cluster": cluster,
            "topic": topic(partitions=2),
            "schema_id": schema_id,
            "message_type": "shop.OrderEvent",
            "indexed_fields": INDEXED,
        },
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _events(schema: bytes, count: int) -> list[FakeRecord]:
    records = []
    for i in range(count):
        event = order_event(
            schema,
            kind=1 + i % 3,
            order={"id": f"o-{i:04d}", "total": {"currency": "EUR", "units": i * 10}},
            customer={"email": f"buyer{i % 7}@example.com"},
            labels={"channel": "web" if i % 2 else "app"},
        )
        records.append(
            FakeRecord(
                offset=i // 2,
                partition=i % 2,
                timestamp=BASE_MS + i * 1000,
                key=f"o-{i:04d}".encode(),
                value=event.SerializeToString(),
                headers=(("trace-id", f"t-{i}".encode()),),
            )
        )
    return records


async def _search(admin: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await admin.get("/api/v1/messages", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def test_every_filter_finds_what_it_names(
    app: FastAPI, admin: httpx.AsyncClient, subscription: dict[str, Any], shop_schema: bytes
) -> None:
    await store_records(app, subscription, _events(shop_schema, 60))
    sid = subscription["id"]

    def keys(page: dict[str, Any]) -> list[str]:
        return [item["key"] for item in page["items"]]

    newest = await _search(admin, subscription=sid, limit=3)
    assert keys(newest) == ["o-0059", "o-0058", "o-0057"]
    assert newest["items"][0]["preview"].startswith('{"kind":"SHIPPED"')
    assert keys(await _search(admin, subscription=sid, key="o-0007")) == ["o-0007"]
    assert keys(await _search(admin, subscription=sid, header="trace-id", header_value="t-9")) == [
        "o-0009"
    ]
    with_header = await _search(admin, subscription=sid, header="trace-id", limit=200)
    assert len(with_header["items"]) == 60
    assert (await _search(admin, subscription=sid, header="no-such-header"))["items"] == []
    by_field = await _search(admin, subscription=sid, field="order.id", value="o-0042")
    assert keys(by_field) == ["o-0042"]
    prefix = await _search(admin, subscription=sid, field="order.id", value="o-001", match="prefix")
    assert keys(prefix) == [f"o-00{n}" for n in range(19, 9, -1)]
    by_email = await _search(
        admin, service="orders", field="customer.email", value="buyer3@example.com"
    )
    assert keys(by_email) == [f"o-{n:04d}" for n in range(59, -1, -1) if n % 7 == 3]
    window = await _search(
        admin, subscription=sid, since="2026-01-01T00:00:10Z", until="2026-01-01T00:00:13Z"
    )
    assert keys(window) == ["o-0012", "o-0011", "o-0010"]
    one_partition = await _search(admin, subscription=sid, partition=1, offset_min=3, offset_max=4)
    assert keys(one_partition) == ["o-0009", "o-0007"]
    enum = await _search(admin, subscription=sid, field="kind", value="SHIPPED", limit=200)
    assert len(enum["items"]) == 20
    where = json.dumps([{"field": "order.total.units", "op": "gte", "value": "550"}])
    assert keys(await _search(admin, subscription=sid, where=where)) == [
        "o-0059",
        "o-0058",
        "o-0057",
        "o-0056",
        "o-0055",
    ]
    contains = json.dumps(
        [
            {"field": "labels.channel", "op": "eq", "value": "app"},
            {"field": "customer.email", "op": "contains", "value": "BUYER6"},
        ]
    )
    assert keys(await _search(admin, subscription=sid, where=contains)) == [
        f"o-{n:04d}" for n in range(59, -1, -1) if n % 7 == 6 and n % 2 == 0
    ]
    missing = json.dumps([{"field": "iban", "op": "missing"}])
    assert len((await _search(admin, subscription=sid, where=missing, limit=200))["items"]) == 60


async def test_keyset_pages_neither_skip_nor_repeat(
    app: FastAPI, admin: httpx.AsyncClient, subscription: dict[str, Any], shop_schema: bytes
) -> None:
    records = _events(shop_schema, 125)
    # Ties on time across partitions: the order still holds.
    records = [
        FakeRecord(**{**r.__dict__, "timestamp": BASE_MS + (i // 4) * 1000})
        for i, r in enumerate(records)
    ]
    await store_records(app, subscription, records)
    seen: list[tuple[int, int]] = []
    after = None
    while True:
        params: dict[str, Any] = {"subscription": subscription["id"], "limit": 50}
        if after:
            params["after"] = after
        page = await _search(admin, **params)
        seen.extend((item["partition"], item["offset"]) for item in page["items"])
        after = page["next"]
        if after is None:
            break
    assert len(seen) == 125 and len(set(seen)) == 125


async def test_a_filter_answers_within_its_scan_budget(
    app: FastAPI,
    admin: httpx.AsyncClient,
    subscription: dict[str, Any],
    shop_schema: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(app.state.context.settings.__pydantic_extra__, "messages_scan_budget", 100)
    await store_records(app, subscription, _events(shop_schema, 250))
    where = json.dumps([{"field": "order.id", "op": "eq", "value": "o-0000"}])
    first = await _search(admin, subscription=subscription["id"], where=where)
    assert (first["items"], first["scanned"], first["complete"]) == ([], 100, False)
    found: list[str] = []
    after = first["next"]
    while after:
        page = await _search(admin, subscription=subscription["id"], where=where, after=after)
        found.extend(item["key"] for item in page["items"])
        after = page["next"]
    assert found == ["o-0000"]


async def test_bad_searches_get_a_clear_answer(
    admin: httpx.AsyncClient, subscription: dict[str, Any]
) -> None:
    sid = subscription["id"]
    cases = [
        ({"field": "order.lines.sku", "value": "x"}, "not an indexed field"),
        (
            {"where": json.dumps([{"field": "order.nope", "value": "1"}])},
            "has no field 'order.nope'",
        ),
        ({"where": "not json"}, "JSON list"),
        ({"where": json.dumps([{"field": "kind", "op": "like", "value": "1"}])}, "where"),
        ({"where": json.dumps([{"field": "kind", "op": "gt"}])}, "compares with a value"),
        ({"after": "12.x"}, "after"),
        ({"after": "9999999999999999999.1.1.1"}, "'next' of the page before"),
        ({"since": "yesterday"}, "since"),
    ]
    for params, expected in cases:
        response = await admin.get("/api/v1/messages", params={"subscription": sid, **params})
        assert response.status_code == 422, (params, response.text)
        assert expected in response.text, (params, response.text)
    unknown = await admin.get("/api/v1/messages", params={"subscription": 999999})
    assert unknown.status_code == 404


async def test_detail_decodes_on_read_and_with_another_version(
    app: FastAPI,
    admin: httpx.AsyncClient,
    subscription: dict[str, Any],
    shop_schema: bytes,
    service: str,
) -> None:
    event = order_event(shop_schema, kind=2, order={"id": "o-1"}, iban="DE00")
    await store_records(
        app,
        subscription,
        [
            FakeRecord(0, event.SerializeToString(), key=b"o-1", headers=(("bin", b"\xff\x00"),)),
            FakeRecord(1, b"\x0a\xff\xff", key=b"bad"),
        ],
    )
    files = shop_files()
    files["shop/order.proto"] = files["shop/order.proto"].replace(
        "string iban = 7;", "int64 iban = 7;"
    )
    second = await admin.post(
        "/api/v1/schemas", json={"service": service, "name": "shop", "files": files}
    )
    assert second.status_code == 201, second.text
    url = f"/api/v1/messages/{subscription['id']}/0/0"
    detail = (await admin.get(url)).json()
    assert detail["decoded"]["order"]["id"] == "o-1"
    assert detail["decoded"]["iban"] == "DE00"
    assert detail["decoded"]["kind"] == "PAID"
    assert detail["decoded_with"] == 1
    assert detail["headers"] == [{"name": "bin", "value": None, "base64": "/wA="}]
    assert detail["value_hex"] == event.SerializeToString().hex()
    assert detail["indexed"]["order.id"] == ["o-1"]
    other = (await admin.get(url, params={"version": 2})).json()
    assert other["decoded_with"] == 2
    # Version 2 reads field 7 as a number: the stored text is an unknown field to it.
    assert other["decoded"]["order"]["id"] == "o-1" and "iban" not in other["decoded"]
    bad = (await admin.get(f"/api/v1/messages/{subscription['id']}/0/1")).json()
    assert bad["decoded"] is None and bad["decode_error"]
    assert bad["value_base64"] == "Cv//"
    raw = await admin.get(f"/api/v1/messages/{subscription['id']}/0/1/value")
    assert raw.content == b"\x0a\xff\xff"
    assert (await admin.get(f"/api/v1/messages/{subscription['id']}/0/9")).status_code == 404
    assert (await admin.get(url, params={"version": 7})).status_code == 404


async def test_export_needs_its_own_permission(
    app: FastAPI,
    admin: httpx.AsyncClient,
    viewer: httpx.AsyncClient,
    subscription: dict[str, Any],
    shop_schema: bytes,
) -> None:
    await store_records(app, subscription, _events(shop_schema, 30))
    params = {"subscription": subscription["id"], "field": "kind", "value": "PAID"}
    assert (await viewer.get("/api/v1/messages", params=params)).status_code == 200
    refused = await viewer.get("/api/v1/messages/export", params=params)
    assert refused.status_code == 403
    assert "messages export permission" in refused.text
    role = await admin.post(
        "/api/v1/roles",
        json={
            "name": "exporter",
            "grants": [{"module": "messages", "action": "export", "scope": "all"}],
        },
    )
    assert role.status_code == 201, role.text
    async with _logged_in(app, "exporter", admin=False, roles=("Viewer", "exporter")) as exporter:
        lines = await exporter.get("/api/v1/messages/export", params=params)
        assert lines.status_code == 200, lines.text
        assert lines.headers["content-type"].startswith("application/x-ndjson")
        documents = [json.loads(line) for line in lines.text.splitlines()]
        assert len(documents) == 10
        assert {d["value"]["kind"] for d in documents} == {"PAID"}
        table = await exporter.get("/api/v1/messages/export", params={**params, "format": "csv"})
        rows = list(csv.DictReader(io.StringIO(table.text)))
        assert len(rows) == 10 and json.loads(rows[0]["value"])["kind"] == "PAID"
    records = (await admin.get("/api/v1/audit", params={"action": "messages.export"})).json()
    assert records["total"] == 2


async def test_values_no_database_takes_as_text_are_stored_all_the_same(
    app: FastAPI,
    admin: httpx.AsyncClient,
    topic: Callable[..., str],
    service: str,
    cluster: str,
) -> None:
    """NUL in a key or header (PostgreSQL refuses it in text) and a lone surrogate in a
    JSON value's indexed field (not UTF-8): the batch is stored, the values searchable."""
    response = await admin.post(
        "/api/v1/subscriptions",
        json={
            "service": service,
            "name": "json",
            "cluster": cluster,
            "topic": topic(),
            "value_format": "json",
            "indexed_fields": ["id"],
        },
    )
    assert response.status_code == 201, response.text
    subscription = response.json()
    await store_records(
        app,
        subscription,
        [
            FakeRecord(
                0, b'{"id": "a\\ud800b"}', key=b"nul\x00key", headers=(("h\x00", b"v\x00"),)
            ),
            FakeRecord(1, b'{"id": "plain"}', key=b"plain"),
        ],
    )
    page = await _search(admin, subscription=subscription["id"], limit=10)
    assert len(page["items"]) == 2
    found = await _search(admin, subscription=subscription["id"], key="nul\ufffdkey")
    assert [item["offset"] for item in found["items"]] == [0]
