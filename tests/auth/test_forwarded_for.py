"""Issue 8.8: X-Forwarded-For counts only from proxies an operator names.

The review's attack: any loopback client sent ``X-Forwarded-For`` and so chose the
address the login limits counted and the audit log recorded. These tests run the real
``gyrfalcon serve`` (the header is handled by its HTTP server) and read the address the
audit log recorded for a failed login.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.live_server import LiveServer, live_server


def _recorded_address(server: LiveServer, forwarded: str) -> str:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        failed = client.post(
            "/api/v1/auth/login",
            json={"username": "nobody", "password": "wrong"},
            headers={"X-Forwarded-For": forwarded},
        )
        assert failed.status_code == 401
        client.post(
            "/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        ).raise_for_status()
        records = client.get("/api/v1/audit", params={"action": "auth.login_failed"}).json()
    (record,) = records["items"]
    address: str = record["source_address"]
    return address


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "127.0.0.1"),
        ({"GYRFALCON_TRUSTED_PROXIES": '["127.0.0.0/8"]'}, "203.0.113.9"),
    ],
)
def test_the_header_is_trusted_only_from_named_proxies(
    tmp_path: Path, settings: dict[str, str], expected: str
) -> None:
    with live_server(tmp_path, settings=settings) as server:
        assert _recorded_address(server, "203.0.113.9") == expected
