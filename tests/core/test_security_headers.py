"""Every response carries the security headers, and the API docs page needs nothing
the Content-Security-Policy forbids (issue 8, item 10)."""

from __future__ import annotations

import re

import httpx
import pytest

from gyrfalcon.core.headers import SECURITY_HEADERS
from tests.conftest import ON_SQLITE_ONLY

pytestmark = ON_SQLITE_ONLY


def _assert_secured(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{response.request.url}: {name}"
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src.group(1)
    assert "'unsafe-eval'" not in script_src.group(1)
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/modules",  # the API
        "/",  # the single-page app
        "/monitors",  # a client-side route of the app
        "/api/v1/docs",  # Swagger UI
        "/api/v1/docs/swagger-init.js",
        "/api/v1/docs/assets/swagger-ui-bundle.js",
        "/api/v1/openapi.json",
        "/api/v1/no-such-endpoint",  # a 404 problem
        "/healthz",
    ],
)
async def test_every_response_carries_the_security_headers(
    admin: httpx.AsyncClient, path: str
) -> None:
    _assert_secured(await admin.get(path))


async def test_errors_and_anonymous_calls_carry_them_too(anonymous: httpx.AsyncClient) -> None:
    _assert_secured(await anonymous.get("/api/v1/monitors"))  # 401
    _assert_secured(await anonymous.post("/api/v1/modules"))  # 405
    _assert_secured(await anonymous.get("/api/v1/docs/assets/no-such-file.js"))


async def test_the_docs_page_loads_only_files_of_this_origin(admin: httpx.AsyncClient) -> None:
    """The attack: a tampered CDN copy of Swagger UI runs with the user's session. The
    page now names no other host, and has no inline script for the policy to block."""
    page = (await admin.get("/api/v1/docs")).text
    assert "http://" not in page and "https://" not in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.DOTALL)
    assert scripts
    for attributes, body in scripts:
        assert 'src="' in attributes
        assert body.strip() == ""
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
        response = await admin.get(f"/api/v1/{asset}")
        assert response.status_code == 200, asset
