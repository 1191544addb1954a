"""API overhead: p50/p99 of `GET /api/v1/services` with 200 services in the catalog vs
a bare `GET /healthz` on the same server, 16 concurrent clients (target p99 < 20 ms).

The services request carries a bearer token, so it pays authentication, the catalog
query with connection counts and serialisation; /healthz is the baseline of what the
server and its middleware cost alone.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import httpx

from bench.harness import admin_token, running_server, wrk

SERVICES = 200
CONCURRENCY = 16
SECONDS = 10


def _seed(base_url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        for index in range(SERVICES):
            name = f"service-{index:03d}"
            client.post(
                "/api/v1/services",
                json={"name": name, "team": f"team-{index % 10}", "tags": ["bench"]},
            ).raise_for_status()
            if index % 4 == 0:
                client.post(
                    f"/api/v1/services/{name}/redis",
                    json={"name": "cache", "url": "redis://127.0.0.1:6379/0"},
                ).raise_for_status()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp)) as server:
        token = admin_token(server.base_url)
        _seed(server.base_url, token)
        auth = {"Authorization": f"Bearer {token}"}
        wrk(f"{server.base_url}/healthz", connections=CONCURRENCY, seconds=2, headers={})
        health = wrk(
            f"{server.base_url}/healthz", connections=CONCURRENCY, seconds=SECONDS, headers={}
        )
        services = wrk(
            f"{server.base_url}/api/v1/services",
            connections=CONCURRENCY,
            seconds=SECONDS,
            headers=auth,
        )
        all_services = wrk(
            f"{server.base_url}/api/v1/services?limit={SERVICES}",
            connections=CONCURRENCY,
            seconds=SECONDS,
            headers=auth,
        )
    result = {
        "benchmark": "api_latency",
        "services": SERVICES,
        "concurrency": CONCURRENCY,
        "healthz": {"p50_ms": health.p50_ms, "p99_ms": health.p99_ms, "rps": health.rps},
        "services_page": {
            "p50_ms": services.p50_ms,
            "p99_ms": services.p99_ms,
            "rps": services.rps,
            "errors": services.errors,
        },
        "services_all_200": {
            "p50_ms": all_services.p50_ms,
            "p99_ms": all_services.p99_ms,
            "rps": all_services.rps,
            "errors": all_services.errors,
        },
        "ratio_p99_services_vs_healthz": round(services.p99_ms / health.p99_ms, 2),
        "target_p99_ms": 20.0,
        "meets_target": services.p99_ms < 20.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
