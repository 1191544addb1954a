"""Problem+json errors, request ids, health, readiness and metrics."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Depends, FastAPI

from gyrfalcon.app import create_app
from gyrfalcon.core.plugins import Module
from gyrfalcon.core.security import PUBLIC
from gyrfalcon.core.settings import Settings
from tests.conftest import ON_SQLITE_ONLY, make_settings

pytestmark = ON_SQLITE_ONLY


async def test_health_is_public_and_carries_a_request_id(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert len(response.headers["X-Request-ID"]) == 32


async def test_a_sane_incoming_request_id_is_kept(anonymous: httpx.AsyncClient) -> None:
    kept = await anonymous.get("/healthz", headers={"X-Request-ID": "trace-42"})
    assert kept.headers["X-Request-ID"] == "trace-42"
    replaced = await anonymous.get("/healthz", headers={"X-Request-ID": "bad id\twith tab"})
    assert replaced.headers["X-Request-ID"] != "bad id\twith tab"


async def test_readyz_checks_the_database(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/readyz")).json() == {"status": "ready"}


async def test_readyz_is_503_when_the_database_is_unreachable(tmp_path: object) -> None:
    settings = make_settings(
        "postgresql://postgres@127.0.0.1:1/nothing",
        tmp_path,  # type: ignore[arg-type]
    )
    app = create_app(settings, run_services=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    await app.state.database.dispose()


async def test_metrics_count_requests_by_route_template(
    admin: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await admin.get("/api/v1/services/does-not-exist")
    text = (await anonymous.get("/metrics")).text
    assert 'route="/api/v1/services/{service}"' in text
    assert "gyrfalcon_http_request_duration_seconds_bucket" in text
    assert "does-not-exist" not in text


async def test_unknown_api_path_is_problem_json(admin: httpx.AsyncClient) -> None:
    response = await admin.get("/api/v1/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_malformed_json_is_a_400_problem_that_says_where(admin: httpx.AsyncClient) -> None:
    response = await admin.post(
        "/api/v1/services", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Malformed body"
    assert response.json()["detail"] == (
        "The body is not JSON: Expecting property name enclosed in double quotes (at character 1)."
    )


async def test_unexpected_errors_are_500_problems_with_request_id(migrated: Settings) -> None:
    router = APIRouter()

    @router.get("/boom", dependencies=[Depends(PUBLIC)])
    async def boom() -> None:
        raise RuntimeError("kaput")

    broken = Module(name="broken", title="Broken", description="Fails on purpose.", router=router)
    app: FastAPI = create_app(migrated, run_services=False, extra_modules=[broken])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert "kaput" not in body["detail"]
    await app.state.database.dispose()


async def test_api_document_and_docs_need_login(
    anonymous: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    assert (await anonymous.get("/api/v1/openapi.json")).status_code == 401
    assert (await anonymous.get("/api/v1/docs")).status_code == 401
    document = await admin.get("/api/v1/openapi.json")
    assert document.status_code == 200 and "/api/v1/services" in document.json()["paths"]
    assert "swagger" in (await admin.get("/api/v1/docs")).text.lower()
