"""Permission check cost: p99 of `GET /api/v1/services` (200 services) for a user
holding 50 roles with 500 scoped grants vs an admin, same server, same run
(target: ratio < 1.3).

The user's grants reach the services by name and by team, so the list is filtered
through the whole compiled scope on every request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.api_latency import CONCURRENCY, SERVICES, WARMUP_SECONDS, _seed
from bench.harness import admin_token, running_server, wrk

ROLES = 50
GRANTS_PER_ROLE = 10
SECONDS = 10
USER = ("many-roles", "many-roles-password")


def _grants(role: int) -> list[dict[str, object]]:
    grants: list[dict[str, object]] = []
    for index in range(GRANTS_PER_ROLE):
        target = (role * GRANTS_PER_ROLE + index) % SERVICES
        if index % 2:
            grants.append(
                {
                    "module": "catalog",
                    "action": "read",
                    "scope": "teams",
                    "targets": [f"team-{target % 10}"],
                }
            )
        else:
            grants.append(
                {
                    "module": "catalog",
                    "action": "read",
                    "scope": "services",
                    "targets": [f"service-{target:03d}"],
                }
            )
    return grants


def _user_token(base_url: str, admin: str, data_dir: Path) -> str:
    # The CLI is the supported way to make a local user; the API manages their access.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "gyrfalcon",
            "user",
            "create",
            "--username",
            USER[0],
            "--password",
            USER[1],
        ],
        env={**os.environ, "GYRFALCON_DATA_DIR": str(data_dir)},
        check=True,
        capture_output=True,
    )
    headers = {"Authorization": f"Bearer {admin}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        role_ids = [
            client.post("/api/v1/roles", json={"name": f"r{n}", "grants": _grants(n)}).json()["id"]
            for n in range(ROLES)
        ]
        users = client.get("/api/v1/users", params={"q": USER[0]}).json()["items"]
        client.patch(f"/api/v1/users/{users[0]['id']}", json={"roles": role_ids}).raise_for_status()
    with httpx.Client(base_url=base_url, timeout=30) as client:
        client.post("/api/v1/auth/login", json={"username": USER[0], "password": USER[1]})
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        return str(client.post("/api/v1/auth/tokens", json={"name": "b"}).json()["token"])


def main() -> None:
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), "--workers", "2") as srv:
        admin = admin_token(srv.base_url)
        _seed(srv.base_url, admin)
        user = _user_token(srv.base_url, admin, Path(tmp))
        for name, token in (("admin", admin), ("user_50_roles", user)):
            headers = {"Authorization": f"Bearer {token}"}
            url = f"{srv.base_url}/api/v1/services"
            wrk(url, connections=CONCURRENCY, seconds=WARMUP_SECONDS, headers=headers)
            result = wrk(url, connections=CONCURRENCY, seconds=SECONDS, headers=headers)
            figures[name] = {"p50_ms": result.p50_ms, "p99_ms": result.p99_ms, "rps": result.rps}
    ratio = figures["user_50_roles"]["p99_ms"] / figures["admin"]["p99_ms"]
    print(
        json.dumps(
            {
                "benchmark": "permission_check",
                "roles": ROLES,
                "grants": ROLES * GRANTS_PER_ROLE,
                **figures,
                "ratio_p99_user_vs_admin": round(ratio, 2),
                "target_ratio": 1.3,
                "meets_target": ratio < 1.3,
            }
        )
    )


if __name__ == "__main__":
    main()
