"""Running debug endpoints of real sample services built with the probe SDK (uvicorn and
a WSGI server, over the machine's PostgreSQL and Redis, with a downstream service made
slow on purpose and one made to fail), and everything a run can meet on the way: a
service that is down or hangs, answers that are not traces, invalid traces, OTLP,
parameters that break the schema, a redirect off the base URL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gyrfalcon.debug import analysis
from gyrfalcon.debug.schemas import SpanRead, TraceRead
from gyrfalcon.probe import SCHEMA
from tests.debug.conftest import Endpoints
from tests.support import probe_services as samples
from tests.support.probe_services import ProbeServices

pytestmark = pytest.mark.parametrize("platform_database", ["sqlite"], indirect=True)


def _spans(run: dict[str, Any]) -> dict[str, SpanRead]:
    trace = TraceRead.model_validate(run["trace"])
    return {span.name: span for span in analysis.walk(trace.spans)}


async def _run(client: httpx.AsyncClient, path: str, **parameters: Any) -> dict[str, Any]:
    response = await client.post(f"{path}/run", json={"parameters": parameters})
    assert response.status_code == 201, response.text
    run: dict[str, Any] = response.json()
    return run


async def test_a_run_shows_each_dependency_with_its_status_and_time(
    admin: httpx.AsyncClient, endpoints: Endpoints, probe_services: ProbeServices
) -> None:
    run = await _run(admin, endpoints.checkout, order_id=7, db_delay_ms=300)
    assert run["outcome"] == "trace" and run["http_status"] == 200
    assert run["failed"] is True  # the payments service answers 503
    assert run["message"] == f"HTTP 200; 1 of {run['span_count']} spans failed"
    spans = _spans(run)
    database = spans["orders-db"]
    assert (database.kind, database.status) == ("db", "ok")
    assert database.duration_ms >= 300  # pg_sleep(0.3) on the real PostgreSQL
    assert database.attributes["order_id"] == 7
    assert "5432" in (database.target or "") and "password" not in (database.target or "")
    assert (spans["session-cache"].kind, spans["session-cache"].status) == ("cache", "ok")
    assert spans["inventory"].status == "ok" and spans["inventory"].kind == "http"
    payments = spans["payments"]
    assert (payments.status, payments.error) == ("error", "HTTP 503")
    # The database hop came before the concurrent calls: the request's end waited for it.
    assert database.critical
    heaviest = max(spans.values(), key=lambda span: span.self_ms)
    assert heaviest.slowest
    assert run["trace"]["service"] == "orders"
    assert probe_services.orders_requests_with_token() >= 1


async def test_a_wsgi_service_with_hmac_answers_a_signed_post(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    run = await _run(admin, endpoints.invoice, customer="acme", amount=12.5)
    assert run["outcome"] == "trace", run["message"]
    assert run["failed"] is False
    assert run["message"].startswith("HTTP 200;") and run["message"].endswith("all ok")
    spans = _spans(run)
    assert set(spans) >= {"billing-db", "rates-cache"}
    assert run["trace"]["result"] == {"customer": "acme", "amount": 12.5, "invoices": 0}
    assert run["parameters"] == {"customer": "acme", "amount": 12.5}


async def test_a_wrong_hmac_key_is_refused_by_the_service_and_said_plainly(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    changed = await admin.patch(endpoints.invoice, json={"secret": "not-the-key"})
    assert changed.status_code == 200, changed.text
    run = await _run(admin, endpoints.invoice, customer="acme", amount=1)
    assert (run["http_status"], run["outcome"], run["failed"]) == (401, "json", True)
    assert "not-the-key" not in str(run)


async def test_parameters_that_break_the_schema_are_refused_at_their_fields_before_a_call(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    response = await admin.post(
        f"{endpoints.checkout}/run", json={"parameters": {"order_id": "seven", "extra": 1}}
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "parameters.order_id" in fields
    history = (await admin.get(f"{endpoints.checkout}/runs")).json()
    assert history["items"] == []


async def test_a_service_that_is_down_is_a_failed_call_said_plainly(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    run = await _run(admin, endpoints.down)
    assert (run["outcome"], run["failed"], run["http_status"]) == ("call_failed", True, None)
    assert "refused" in run["message"]
    assert run["body"] is None and run["trace"] is None


async def test_a_service_that_hangs_is_stopped_at_the_endpoint_timeout(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    run = await _run(admin, endpoints.hang)
    assert (run["outcome"], run["failed"]) == ("call_failed", True)
    assert "timed out after 1 s" in run["message"]


@pytest.mark.parametrize(
    ("endpoint", "outcome", "failed", "says"),
    [
        ("malformed", "invalid_trace", True, "the trace is invalid at $.spans[0]"),
        ("plain_json", "json", False, "the answer is JSON but not a trace"),
        ("html", "not_json", True, "the answer is not JSON"),
    ],
)
async def test_answers_that_are_not_valid_traces_are_kept_and_explained(
    admin: httpx.AsyncClient,
    endpoints: Endpoints,
    endpoint: str,
    outcome: str,
    failed: bool,
    says: str,
) -> None:
    run = await _run(admin, getattr(endpoints, endpoint))
    assert (run["outcome"], run["failed"]) == (outcome, failed)
    assert says in run["message"]
    assert run["body"]  # the raw answer is kept to be read
    if outcome == "invalid_trace":
        assert run["invalid_at"] == "$.spans[0]"


async def test_an_otlp_answer_is_converted_into_the_span_tree(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    run = await _run(admin, endpoints.otlp)
    assert run["outcome"] == "trace" and run["trace"]["source_format"] == "otlp"
    spans = _spans(run)
    assert spans["SELECT orders"].kind == "db"
    assert spans["SELECT orders"].duration_ms == 40


async def test_a_redirect_off_the_base_url_is_not_followed(
    admin: httpx.AsyncClient, endpoints: Endpoints, probe_services: ProbeServices
) -> None:
    run = await _run(admin, endpoints.redirect_away)
    assert run["outcome"] == "call_failed"
    assert "redirected off the service" in run["message"]
    assert probe_services.downstream_hits("/elsewhere") == 0


async def test_runs_are_kept_newest_first_and_two_compare_span_by_span(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    fast = await _run(admin, endpoints.checkout, order_id=1, db_delay_ms=0)
    slow = await _run(admin, endpoints.checkout, order_id=1, db_delay_ms=250)
    history = (await admin.get(f"{endpoints.checkout}/runs", params={"limit": 1})).json()
    assert [item["id"] for item in history["items"]] == [slow["id"]]
    older = (
        await admin.get(f"{endpoints.checkout}/runs", params={"before": history["next_cursor"]})
    ).json()
    assert [item["id"] for item in older["items"]] == [fast["id"]]
    comparison = (await admin.get(f"/api/v1/debug-runs/{fast['id']}/compare/{slow['id']}")).json()
    changes = {row["name"]: row["change"] for row in comparison["spans"]}
    assert changes["orders-db"] == "slower"
    assert changes["payments"] == "still_failing"
    stored = (await admin.get(f"/api/v1/debug-runs/{slow['id']}")).json()
    assert stored["trace"] == slow["trace"]


async def test_running_needs_the_run_permission_and_is_audited(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    refused = await viewer.post(f"{endpoints.invoice}/run", json={"parameters": {}})
    assert refused.status_code == 403
    run = await _run(admin, endpoints.invoice, customer="acme", amount=3)
    assert (await viewer.get(f"/api/v1/debug-runs/{run['id']}")).status_code == 200
    records = (await admin.get("/api/v1/audit", params={"action": "debug.run"})).json()["items"]
    assert len(records) == 1
    record = (await admin.get(f"/api/v1/audit/{records[0]['id']}")).json()
    assert record["after"]["parameters"] == {"customer": "acme", "amount": 3}
    assert record["after"]["run"] == run["id"]


async def test_a_new_base_url_drops_the_endpoints_secret_until_it_is_entered_again(
    admin: httpx.AsyncClient, endpoints: Endpoints, probe_services: ProbeServices
) -> None:
    moved = await admin.patch(
        f"/api/v1/services/{endpoints.billing_service}",
        json={"base_url": probe_services.billing_url.replace("127.0.0.1", "localhost")},
    )
    assert moved.status_code == 200, moved.text
    endpoint = (await admin.get(endpoints.invoice)).json()
    assert endpoint["secret_set"] is False
    refused = await admin.post(f"{endpoints.invoice}/run", json={"parameters": {}})
    assert refused.status_code == 409
    assert "enter it again" in refused.json()["detail"]


async def test_the_trace_schema_is_served_and_the_home_page_lists_endpoints_that_failed(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    assert (await admin.get("/api/v1/debug/trace-schema")).json() == SCHEMA
    await _run(admin, endpoints.down)
    home = (await admin.get("/api/v1/home")).json()
    tile = next(tile for tile in home["tiles"] if tile["key"] == "debug.failing")
    assert tile["total"] == 1
    assert tile["items"][0]["title"].endswith("/down")
    listed = (await admin.get("/api/v1/debug/endpoints")).json()
    assert {item["name"]: item["last_run"] is not None for item in listed}["down"] is True


async def test_a_new_path_drops_the_secret_unless_it_is_entered_again(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    kept = await admin.patch(
        endpoints.checkout, json={"path": "/debug/checkout?v=2", "secret": "entered-again"}
    )
    assert kept.json()["secret_set"] is True
    moved = await admin.patch(endpoints.checkout, json={"path": "/debug/checkout"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["secret_set"] is False
    assert "entered-again" not in moved.text


async def test_a_service_that_echoes_its_token_does_not_hand_it_to_readers_of_the_run(
    admin: httpx.AsyncClient, viewer: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    run = await _run(admin, endpoints.echo)
    assert run["outcome"] == "json"
    assert "authorization" in run["body"]
    stored = await viewer.get(f"/api/v1/debug-runs/{run['id']}")
    assert samples.ORDERS_TOKEN not in stored.text and samples.ORDERS_TOKEN not in str(run)


async def test_parameters_too_deep_or_too_large_and_unsendable_tokens_are_refused(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    deep: Any = 1
    for _ in range(40):
        deep = [deep]
    for parameters in ({"order_id": deep}, {"order_id": "x" * 70_000}):
        refused = await admin.post(f"{endpoints.checkout}/run", json={"parameters": parameters})
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "parameters"
    for token in ("tøken", "with space", ""):
        saved = await admin.patch(endpoints.checkout, json={"secret": token})
        assert saved.status_code == 422, saved.text
        assert token not in saved.text or not token


async def test_a_parameter_schema_that_cannot_be_applied_is_a_conflict_not_an_error(
    admin: httpx.AsyncClient, endpoints: Endpoints
) -> None:
    broken = {"type": "object", "properties": {"id": {"$ref": "#/$defs/missing"}}}
    assert (await admin.patch(endpoints.checkout, json={"parameters": broken})).status_code == 200
    refused = await admin.post(f"{endpoints.checkout}/run", json={"parameters": {"id": 1}})
    assert refused.status_code == 409
    assert "cannot be applied" in refused.json()["detail"]
