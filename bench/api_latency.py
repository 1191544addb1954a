"""API overhead: p50/p99 of `GET /api/v1/services` with 200 services in the catalog vs
a bare `GET /healthz` on the same server, 16 concurrent clients (target p99 < 20 ms).

The services request carries a bearer token, so it pays authentication, permission,
the catalog read and serialisation; /healthz is the baseline of what the server and
its middleware cost alone. wrk keeps 16 requests in flight (closed loop), so latency is
at least 16 / throughput: the server runs with one worker process and with two (one
per core, the recommended setting here), each measured after a warm-up.
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
WARMUP_SECONDS = 3


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


def _measure(server_url: str, token: str) -> dict[str, object]:
    auth = {"Authorization": f"Bearer {token}"}
    targets = {
        "healthz": (f"{server_url}/healthz", {}),
        "services_page": (f"{server_url}/api/v1/services", auth),
        "services_all_200": (f"{server_url}/api/v1/services?limit={SERVICES}", auth),
    }
    figures: dict[str, object] = {}
    for name, (url, headers) in targets.items():
        wrk(url, connections=CONCURRENCY, seconds=WARMUP_SECONDS, headers=headers)
        result = wrk(url, connections=CONCURRENCY, seconds=SECONDS, headers=headers)
        figures[name] = {
            "p50_ms": result.p50_ms,
            "p99_ms": result.p99_ms,
            "rps": result.rps,
            "errors": result.errors,
        }
    return figures


def main() -> None:
    runs: dict[str, dict[str, object]] = {}
    token = ""
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            with running_server(Path(tmp), "--workers", str(workers)) as server:
                if not token:  # the first server seeds the catalog both runs read
                    token = admin_token(server.base_url)
                    _seed(server.base_url, token)
                runs[f"workers_{workers}"] = _measure(server.base_url, token)
    best = runs["workers_2"]
    services_p99 = best["services_page"]["p99_ms"]  # type: ignore[index]
    result = {
        "benchmark": "api_latency",
        "services": SERVICES,
        "concurrency": CONCURRENCY,
        **runs,
        "ratio_p99_services_vs_healthz": round(
            services_p99 / best["healthz"]["p99_ms"],
            2,  # type: ignore[index]
        ),
        "target_p99_ms": 20.0,
        "meets_target": services_p99 < 20.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
