"""Debug module: how long the run page's waterfall takes to draw a 2,000-span trace in
headless Chromium, against the same page with a 20-span trace in the same run. Target:
under 500 ms.

The page is the real console of a `gyrfalcon serve` (a service and a debug endpoint made
through its API); the run it opens is answered by Playwright's interception of
`GET /api/v1/debug-runs/{id}` with a synthetic trace, read through the backend's own
analysis (critical path, slowest spans) so it is what a stored run would give. The time
is the page's `waterfall:render` measure: from the waterfall's first render of the trace
to the first paint after it (ui/src/features/debug/useRenderTiming.ts).
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, Route, sync_playwright

from bench.harness import ADMIN, running_server
from gyrfalcon.debug.analysis import trace_read
from gyrfalcon.debug.schemas import Outcome, RunRead

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
STATIC = Path(__file__).resolve().parents[1] / "src" / "gyrfalcon" / "static" / "index.html"
RUNS = 5
MEASURES = "performance.getEntriesByName('waterfall:render')"
TARGET_MS = 500.0
SERVICE = "bench-shop"
LARGE_RUN, SMALL_RUN = 9001, 9002
LARGE_FANOUT = (20, 9, 5, 1)
"""20 steps, 9 calls each, 5 under each of those, one under each of those: 2,000 spans, 4 deep."""
SMALL_FANOUT = (2, 3, 2)
"""20 spans, 3 deep."""
SLOW_STEP, SLOW_FACTOR = 1, 8
LEVEL_KINDS = (
    ("internal",),
    ("http", "rpc", "internal"),
    ("db", "cache", "queue", "search", "storage"),
    ("db", "http"),
)


def _status(roll: float) -> str:
    if roll < 0.02:
        return "error"
    if roll < 0.025:
        return "timeout"
    return "skipped" if roll < 0.04 else "ok"


def synthetic_spans(fanout: tuple[int, ...], rng: random.Random) -> list[dict[str, Any]]:
    """Spans nested `len(fanout)` deep: the top steps one after the other, the third level's
    calls side by side (so only some are on the critical path), one step slow in its own
    code (so it is among the slowest); about one span in 40 fails, one in 60 is skipped."""

    def level(depth: int, start: float, duration: float) -> list[dict[str, Any]]:
        if depth == len(fanout):
            return []
        count = fanout[depth]
        parallel = depth == 2
        slot = duration if parallel else duration / count
        cursor = start
        spans = []
        for index in range(count):
            kinds = LEVEL_KINDS[min(depth, len(LEVEL_KINDS) - 1)]
            kind = kinds[index % len(kinds)]
            slow = depth == 0 and index == SLOW_STEP
            span_start = (start if parallel else cursor) + slot * 0.05
            span_duration = slot * rng.uniform(0.5, 0.9) * (SLOW_FACTOR if slow else 1)
            cursor = span_start + span_duration if depth == 0 else start + (index + 1) * slot
            status = _status(rng.random())
            spans.append(
                {
                    "name": f"{kind} call {depth}.{index}",
                    "kind": kind,
                    "target": f"{kind}.internal:5432/orders" if kind != "internal" else None,
                    "start_ms": round(span_start, 3),
                    "duration_ms": round(span_duration, 3),
                    "status": status,
                    "error": "connection reset by peer" if status == "error" else None,
                    "attributes": {
                        "rows": rng.randint(0, 500),
                        "statement": "SELECT * FROM orders WHERE id = $1",
                    },
                    # The slow step calls the others early, then spends the rest on its own.
                    "children": level(depth + 1, span_start, span_duration * (0.2 if slow else 1)),
                }
            )
        return spans

    return level(0, 0.0, 60.0 * fanout[0])


def synthetic_run(run_id: int, endpoint_id: int, fanout: tuple[int, ...]) -> dict[str, Any]:
    """A stored run as `GET /api/v1/debug-runs/{id}` answers it, holding a synthetic trace."""
    raw = {
        "format": "gyrfalcon.trace/v1",
        "service": SERVICE,
        "endpoint": "/debug/checkout",
        "spans": synthetic_spans(fanout, random.Random(run_id)),
        "result": {"order": 42, "state": "paid", "lines": [{"sku": "A-1", "quantity": 2}]},
    }
    trace = trace_read(raw, "gyrfalcon")
    run = RunRead(
        id=run_id,
        service=SERVICE,
        endpoint_id=endpoint_id,
        endpoint="checkout",
        actor=ADMIN[0],
        started_at=datetime.now(UTC),
        method="POST",
        path="/debug/checkout",
        duration_ms=trace.duration_ms + 3.2,
        http_status=200,
        outcome=Outcome.TRACE,
        failed=trace.failed_spans > 0,
        message=f"HTTP 200; {trace.failed_spans} of {trace.span_count} spans failed",
        span_count=trace.span_count,
        failed_spans=trace.failed_spans,
        parameters={"order_id": 42, "region": "eu"},
        trace=trace,
        body=json.dumps(raw),
        body_truncated=False,
        content_type="application/json",
        invalid_at=None,
    )
    return run.model_dump(mode="json")


def seed(base_url: str) -> int:
    """A service with a base URL and one debug endpoint; returns the endpoint's id."""
    with httpx.Client(base_url=base_url, timeout=20) as client:
        client.post(
            "/api/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}
        ).raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["gyrfalcon_csrf"]
        client.post(
            "/api/v1/services", json={"name": SERVICE, "base_url": "http://127.0.0.1:9"}
        ).raise_for_status()
        created = client.post(
            f"/api/v1/services/{SERVICE}/debug-endpoints",
            json={
                "name": "checkout",
                "method": "POST",
                "path": "/debug/checkout",
                "timeout_seconds": 30,
                "parameters": {
                    "type": "object",
                    "required": ["order_id"],
                    "properties": {
                        "order_id": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "The order to check out",
                        },
                        "region": {"type": "string", "enum": ["eu", "us"], "default": "eu"},
                        "dry_run": {"type": "boolean"},
                    },
                },
            },
        )
        created.raise_for_status()
        return int(created.json()["id"])


def serve_runs(page: Page, runs: dict[int, dict[str, Any]]) -> None:
    def answer(route: Route) -> None:
        run_id = int(route.request.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0])
        if run_id in runs:
            route.fulfill(
                status=200, content_type="application/json", body=json.dumps(runs[run_id])
            )
        else:
            route.continue_()

    page.route("**/api/v1/debug-runs/*", answer)


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(ADMIN[0])
    page.get_by_label("Password").fill(ADMIN[1])
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-page").wait_for()


def run_url(base_url: str, endpoint_id: int, run_id: int) -> str:
    return f"{base_url}/catalog/services/{SERVICE}?tab=debug&endpoint={endpoint_id}&run={run_id}"


def render_ms(page: Page, url: str) -> float:
    """Opens the run afresh and reads the waterfall's render measure (functions, not
    expressions: the console's Content-Security-Policy refuses `eval`)."""
    page.goto(url)
    page.wait_for_function(f"() => {MEASURES}.length > 0", timeout=30_000)
    return float(page.evaluate(f"() => {MEASURES}.at(-1).duration"))


def main() -> None:
    if not STATIC.exists():
        raise SystemExit("the console is not built: run `make ui` first")
    with tempfile.TemporaryDirectory() as data_dir, running_server(Path(data_dir)) as server:
        endpoint_id = seed(server.base_url)
        runs = {
            LARGE_RUN: synthetic_run(LARGE_RUN, endpoint_id, LARGE_FANOUT),
            SMALL_RUN: synthetic_run(SMALL_RUN, endpoint_id, SMALL_FANOUT),
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            log_in(page, server.base_url)
            serve_runs(page, runs)
            large_url = run_url(server.base_url, endpoint_id, LARGE_RUN)
            small_url = run_url(server.base_url, endpoint_id, SMALL_RUN)
            # One of each first: the page's code is then cached, as for whoever opens a second run.
            render_ms(page, large_url)
            render_ms(page, small_url)
            large, small = [], []
            for _ in range(RUNS):
                large.append(render_ms(page, large_url))
                small.append(render_ms(page, small_url))
            browser.close()
    large_p50, small_p50 = statistics.median(large), statistics.median(small)
    print(
        json.dumps(
            {
                "bench": "debug_waterfall",
                "spans": runs[LARGE_RUN]["span_count"],
                "render_ms_p50": round(large_p50, 1),
                "render_ms_max": round(max(large), 1),
                "runs": RUNS,
                "target_ms": TARGET_MS,
                "baseline_spans": runs[SMALL_RUN]["span_count"],
                "baseline_render_ms_p50": round(small_p50, 1),
                "ratio": round(large_p50 / small_p50, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
