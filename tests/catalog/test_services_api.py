"""The service catalog API on every platform database: CRUD, search, validation, 409s."""

from __future__ import annotations

import httpx


async def _create(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    return await client.post("/api/v1/services", json=body)


async def test_create_read_update_delete_service(admin: httpx.AsyncClient) -> None:
    created = await _create(
        admin,
        name="orders",
        display_name="Orders",
        team="commerce",
        base_url="http://orders.internal:8080/",
        tags=["tier-1"],
        links=[{"title": "Runbook", "url": "https://wiki.example.com/orders"}],
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["base_url"] == "http://orders.internal:8080"
    assert body["connections"] == {
        "datasources": 0,
        "redis": 0,
        "job_backends": 0,
        "debug_endpoints": 0,
    }

    patched = await admin.patch("/api/v1/services/orders", json={"team": "checkout", "tags": []})
    assert patched.status_code == 200
    assert patched.json()["team"] == "checkout" and patched.json()["tags"] == []
    assert patched.json()["display_name"] == "Orders"

    assert (await admin.delete("/api/v1/services/orders")).status_code == 204
    missing = await admin.get("/api/v1/services/orders")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No service named 'orders'."


async def test_duplicate_name_is_409(admin: httpx.AsyncClient) -> None:
    assert (await _create(admin, name="orders")).status_code == 201
    duplicate = await _create(admin, name="orders")
    assert duplicate.status_code == 409
    assert duplicate.headers["content-type"] == "application/problem+json"


async def test_invalid_slug_and_url_are_422_naming_the_field(admin: httpx.AsyncClient) -> None:
    response = await _create(admin, name="Orders Service", base_url="not a url")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"name", "base_url"}


async def test_search_and_pagination(admin: httpx.AsyncClient) -> None:
    for index in range(12):
        team = "payments" if index % 3 == 0 else "logistics"
        await _create(admin, name=f"svc-{index:02d}", team=team, description=f"service {index}")
    await _create(admin, name="ledger", description="Keeps the 100% accurate books", tags=["money"])

    page = (await admin.get("/api/v1/services", params={"limit": 5, "offset": 5})).json()
    assert page["total"] == 13 and len(page["items"]) == 5
    assert page["items"][0]["name"] == "svc-04"

    by_team = (await admin.get("/api/v1/services", params={"team": "payments"})).json()
    assert by_team["total"] == 4

    by_tag = (await admin.get("/api/v1/services", params={"q": "MONEY"})).json()
    assert [s["name"] for s in by_tag["items"]] == ["ledger"]
    # LIKE wildcards in the search text are matched literally.
    literal = (await admin.get("/api/v1/services", params={"q": "100%"})).json()
    assert [s["name"] for s in literal["items"]] == ["ledger"]
    assert (await admin.get("/api/v1/services", params={"q": "_"})).json()["total"] == 0


async def test_page_size_is_bounded(admin: httpx.AsyncClient) -> None:
    response = await admin.get("/api/v1/services", params={"limit": 100000})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.limit"


async def test_viewer_may_read_but_not_write(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient
) -> None:
    await _create(admin, name="orders")
    assert (await viewer.get("/api/v1/services/orders")).status_code == 200
    refused = await _create(viewer, name="billing")
    assert refused.status_code == 403
    assert "write" in refused.json()["detail"]
