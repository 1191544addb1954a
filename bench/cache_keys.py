"""Cache module: 1,000,000 keys of mixed types on the machine's Redis, through the API
of a real `gyrfalcon serve`. Targets: the first page of 100 matching keys with type,
TTL and size at p95 < 50 ms; a full MATCH scan counting the matches at most 1.5 x
`redis-cli --scan --pattern` on the same data in the same run; the analysis of a
10,000-key sample < 2 s.

`redis-cli --scan` (7.0 here) asks SCAN with its default COUNT (10); a redis-py loop of
`SCAN ... COUNT 5000` (the console's largest hint) is measured beside it, so the ratio
is also seen against a tuned client that does nothing but count.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import redis

from bench.harness import admin_token, running_server

KEYS = 1_000_000
DB = 6
PAGE = 100
PAGE_RUNS = 100
ANALYSIS_RUNS = 10
SCAN_RUNS = 3
PATTERN = "order:*"
"""30% of the keys: a page fills at once, a full scan counts 300,000."""
RARE = "cart:*"
"""5%: a page needs several SCAN calls."""
MIX: tuple[tuple[str, float], ...] = (
    ("order", 0.30),
    ("session", 0.35),
    ("product", 0.15),
    ("cart", 0.05),
    ("tags", 0.06),
    ("rank", 0.04),
    ("feed", 0.03),
    ("events", 0.02),
)


def _seed(client: redis.Redis) -> dict[str, int]:
    client.flushdb()
    counts = {name: int(KEYS * share) for name, share in MIX}
    pipe = client.pipeline(transaction=False)
    queued = 0
    for name, count in counts.items():
        for number in range(count):
            key = f"{name}:{number}"
            if name in ("order", "session", "product"):
                pipe.set(key, json.dumps({"id": number, "state": "paid", "total": number % 997}))
            elif name == "cart":
                pipe.hset(key, mapping={"sku-1": 1, "sku-2": 3, "user": number})
            elif name == "tags":
                pipe.sadd(key, "a", "b", "c")
            elif name == "rank":
                pipe.zadd(key, {"x": 1, "y": 2})
            elif name == "feed":
                pipe.rpush(key, "1", "2", "3")
            else:
                pipe.xadd(key, {"kind": "created"})
            if number % 2:
                pipe.expire(key, 3600 + number % 86_400)
            queued += 1
            if queued % 10_000 == 0:
                pipe.execute()
    pipe.execute()
    return counts


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p95(times: list[float]) -> float:
    if len(times) >= 20:
        return round(statistics.quantiles(times, n=20)[-1], 1)
    return round(max(times), 1)


def _redis_cli_count(pattern: str) -> tuple[int, float]:
    cli = shutil.which("redis-cli") or "/usr/bin/redis-cli"
    started = time.perf_counter()
    output = subprocess.run(
        [cli, "-n", str(DB), "--scan", "--pattern", pattern],
        capture_output=True,
        check=True,
    ).stdout
    elapsed = (time.perf_counter() - started) * 1000
    return output.count(b"\n"), elapsed


def _tuned_count(client: redis.Redis, pattern: str) -> tuple[int, float]:
    started = time.perf_counter()
    found = sum(1 for _key in client.scan_iter(match=pattern, count=5000))
    return found, (time.perf_counter() - started) * 1000


def _api_count(api: httpx.Client, keys: str, pattern: str) -> int:
    matched = 0
    cursor = None
    while True:
        params: dict[str, Any] = {"pattern": pattern, **({"cursor": cursor} if cursor else {})}
        page = api.get(f"{keys}-count", params=params).json()
        matched += page["matched"]
        cursor = page["cursor"]
        if cursor is None:
            return matched


def main() -> None:
    client = redis.Redis(host="127.0.0.1", port=6379, db=DB)
    counts = _seed(client)
    expected = counts["order"]
    with tempfile.TemporaryDirectory() as data, running_server(Path(data)) as server:
        headers = {"Authorization": f"Bearer {admin_token(server.base_url)}"}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=120) as api:
            api.post("/api/v1/services", json={"name": "shop"}).raise_for_status()
            created = api.post(
                "/api/v1/services/shop/redis",
                json={"name": "cache", "url": f"redis://127.0.0.1:6379/{DB}"},
            )
            created.raise_for_status()
            base = f"/api/v1/services/shop/redis/{created.json()['id']}"

            def page(pattern: str) -> Callable[[], None]:
                def run() -> None:
                    found = api.get(f"{base}/keys", params={"pattern": pattern, "limit": PAGE})
                    found.raise_for_status()
                    body = found.json()
                    assert len(body["items"]) >= PAGE, body["stopped"]
                    assert all(item["size"] for item in body["items"])

                return run

            page(PATTERN)()
            page_ms = _timed(page(PATTERN), PAGE_RUNS)
            rare_ms = _timed(page(RARE), PAGE_RUNS)
            ours_ms: list[float] = []
            for _ in range(SCAN_RUNS):
                started = time.perf_counter()
                assert _api_count(api, f"{base}/keys", PATTERN) == expected
                ours_ms.append((time.perf_counter() - started) * 1000)
            cli_runs = [_redis_cli_count(PATTERN) for _ in range(SCAN_RUNS)]
            tuned_runs = [_tuned_count(client, PATTERN) for _ in range(SCAN_RUNS)]
            assert {found for found, _ms in cli_runs + tuned_runs} == {expected}

            def analysis() -> None:
                report = api.get(f"{base}/analysis").json()
                assert report["sampled"] == 10_000, report

            analysis_ms = _timed(analysis, ANALYSIS_RUNS)
    client.flushdb()
    scan_ms = statistics.median(ours_ms)
    cli_ms = statistics.median(ms for _found, ms in cli_runs)
    tuned_ms = statistics.median(ms for _found, ms in tuned_runs)
    result = {
        "bench": "cache_keys",
        "keys": KEYS,
        "first_page_p95_ms": _p95(page_ms),
        "first_page_p50_ms": round(statistics.median(page_ms), 1),
        "rare_pattern_first_page_p95_ms": _p95(rare_ms),
        "full_scan_count_ms": round(scan_ms),
        "redis_cli_scan_ms": round(cli_ms),
        "redis_py_scan_count_5000_ms": round(tuned_ms),
        "full_scan_ratio_to_redis_cli": round(scan_ms / cli_ms, 2),
        "full_scan_ratio_to_redis_py_count_5000": round(scan_ms / tuned_ms, 2),
        "analysis_10k_p95_ms": _p95(analysis_ms),
        "analysis_10k_p50_ms": round(statistics.median(analysis_ms)),
        "targets": {"first_page_p95_ms": 50, "full_scan_ratio": 1.5, "analysis_ms": 2000},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
