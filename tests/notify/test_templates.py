"""Rendering alerts into email, Slack and webhook payloads, default and custom wording."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from gyrfalcon.notify.channels.definitions import (
    EmailChannelConfig,
    SlackChannelConfig,
    WebhookChannelConfig,
)
from gyrfalcon.notify.context import AlertContext, AlertSource, Fact
from gyrfalcon.notify.sandbox import RenderWorker
from gyrfalcon.notify.templates import (
    MAX_OUTPUT,
    MAX_RANGE,
    TEMPLATE_VARIABLES,
    render,
    render_safely,
    validate_template,
)
from tests.notify.rendering import monitor_alert, render_payload

AT = datetime(2024, 5, 2, 9, 30, 0, tzinfo=UTC)
LINK = "https://gyrfalcon.example.com/monitors/7"
RUNBOOK = "https://wiki.example.com/runbooks/unpaid-orders"


def _alert(**changes: Any) -> AlertContext:
    base: dict[str, Any] = dict(
        event="alerting",
        monitor="unpaid-orders",
        monitor_id=7,
        service="orders",
        state="ALERTING",
        previous_state="OK",
        severity="critical",
        value=12.0,
        threshold=0.0,
        condition="first cell > 0",
        error=None,
        sample={"columns": ["id", "customer"], "rows": [[1, "acme"], [2, "globex"]]},
        runbook_url=RUNBOOK,
        link=LINK,
        at=AT,
        description="Orders unpaid for more than a day.",
    )
    return monitor_alert(**{**base, **changes})


def _email(**fields: Any) -> EmailChannelConfig:
    return EmailChannelConfig(
        name="mail", type="email", host="smtp.example.com", from_address="g@example.com", **fields
    )


def _slack(**fields: Any) -> SlackChannelConfig:
    return SlackChannelConfig(name="ops", type="slack", webhook_url="https://hooks/x", **fields)


def _webhook(**fields: Any) -> WebhookChannelConfig:
    return WebhookChannelConfig(name="pager", type="webhook", url="https://hooks/y", **fields)


def _mail(context: AlertContext, **fields: Any) -> dict[str, Any]:
    return render_payload(_email(**fields), context, extra_recipients=[])


# --- defaults ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "subject"),
    [
        ({}, "[ALERTING] orders/unpaid-orders: first cell > 0 (value 12)"),
        (
            {"event": "error", "state": "ERROR", "value": None, "error": "timed out after 30 s"},
            "[ERROR] orders/unpaid-orders: timed out after 30 s",
        ),
        (
            {"event": "recovered", "state": "OK", "previous_state": "ALERTING", "value": 0.0},
            "[RECOVERED] orders/unpaid-orders: back to OK (value 0)",
        ),
        (
            {"event": "reminder", "value": 14.5},
            "[STILL ALERTING] orders/unpaid-orders: first cell > 0 (value 14.5)",
        ),
        (
            {"event": "reminder", "state": "ERROR", "value": None, "error": "refused"},
            "[STILL ERROR] orders/unpaid-orders: refused",
        ),
        ({"event": "test"}, "[TEST] orders/unpaid-orders: first cell > 0 (value 12)"),
    ],
)
def test_default_subject_for_each_event(changes: dict[str, Any], subject: str) -> None:
    payload = _mail(_alert(**changes))
    assert payload["subject"] == subject
    slack = render_payload(_slack(), _alert(**changes), extra_recipients=[])
    assert slack["text"] == subject.replace(">", "&gt;")
    webhook = render_payload(_webhook(), _alert(**changes), extra_recipients=[])
    assert webhook["message"] == subject


def test_default_email_text_lists_the_facts() -> None:
    assert _mail(_alert())["text"] == (
        "Orders unpaid for more than a day.\n"
        "\n"
        "Monitor:    unpaid-orders\n"
        "Service:    orders\n"
        "State:      ALERTING (was OK)\n"
        "Severity:   critical\n"
        "Condition:  first cell > 0\n"
        "Value:      12\n"
        "Threshold:  0\n"
        "Time:       2024-05-02 09:30:00 UTC\n"
        "\n"
        "Sample:\n"
        "id  customer\n"
        "--  --------\n"
        "1   acme\n"
        "2   globex\n"
        "\n"
        f"Runbook: {RUNBOOK}\n"
        "\n"
        f"Open the monitor: {LINK}"
    )


def test_error_text_shows_the_error_and_no_value() -> None:
    text = _mail(_alert(event="error", state="ERROR", value=None, error="connection refused"))[
        "text"
    ]
    assert "Error:      connection refused\n" in text
    assert "Value:" not in text


def test_at_most_ten_sample_rows_are_shown() -> None:
    sample = {"columns": ["n"], "rows": [[n] for n in range(25)], "truncated": False}
    payload = _mail(_alert(sample=sample))
    assert "\n9\n… more rows not shown\n" in payload["text"]
    assert "\n10\n" not in payload["text"]
    assert payload["html"].count("<tr><td>") == 10


def test_http_sample_shows_status_and_body() -> None:
    sample = {"status": 503, "content_type": "text/plain", "body": "down for maintenance"}
    payload = _mail(_alert(sample=sample, condition="status != 200", value=503.0, threshold=None))
    assert "Sample:\nHTTP 503\ndown for maintenance\n" in payload["text"]
    assert "<pre>HTTP 503\ndown for maintenance</pre>" in payload["html"]


def test_html_escapes_every_value() -> None:
    payload = _mail(
        _alert(
            monitor="<b>x</b>",
            sample={"columns": ["note"], "rows": [["<script>alert(1)</script>"]]},
        )
    )
    html = payload["html"]
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<td>&lt;b&gt;x&lt;/b&gt;</td>" in html
    assert f'<a href="{RUNBOOK}">Runbook</a>' in html
    # The plain-text part shows values as they are.
    assert "<script>alert(1)</script>" in payload["text"]


def test_recipients_are_the_channels_and_the_monitors_without_duplicates() -> None:
    payload = render_payload(
        _email(recipients=["oncall@example.com", "dba@example.com"]),
        _alert(),
        extra_recipients=["DBA@example.com", "owner@example.com"],
    )
    assert payload["to"] == ["oncall@example.com", "dba@example.com", "owner@example.com"]


def test_subject_is_one_line() -> None:
    payload = _mail(_alert(event="error", state="ERROR", error="line one\r\nline two"))
    assert payload["subject"] == "[ERROR] orders/unpaid-orders: line one line two"


# --- Slack -----------------------------------------------------------------------------------


def test_slack_block_kit_message() -> None:
    payload = render_payload(_slack(), _alert(), extra_recipients=[])
    text = "[ALERTING] orders/unpaid-orders: first cell &gt; 0 (value 12)"
    assert payload == {
        "text": text,
        "blocks": [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": "ALERTING: orders/unpaid-orders"},
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": "*Service*\norders"},
                    {"type": "mrkdwn", "text": "*State*\nALERTING (was OK)"},
                    {"type": "mrkdwn", "text": "*Severity*\ncritical"},
                    {"type": "mrkdwn", "text": "*Value*\n12"},
                    {"type": "mrkdwn", "text": "*Threshold*\n0"},
                ],
            },
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*Sample*\n```id  customer\n--  --------\n1   acme\n2   globex```",
                },
            },
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "Orders unpaid for more than a day."},
                    {"type": "mrkdwn", "text": "Gyrfalcon · 2024-05-02 09:30:00 UTC"},
                ],
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open monitor"},
                        "url": LINK,
                    },
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Runbook"},
                        "url": RUNBOOK,
                    },
                ],
            },
        ],
    }


def test_slack_values_cannot_mention_or_link() -> None:
    context = _alert(
        condition="a <!channel> b",
        sample={"columns": ["c"], "rows": [["<!here> & <https://evil|click>"]]},
    )
    payload = render_payload(
        _slack(text_template="<!here> {{ monitor }}: {{ condition }}"), context, extra_recipients=[]
    )
    # The template's own words stay (its author may mean to mention), values do not.
    assert payload["text"] == "<!here> unpaid-orders: a &lt;!channel&gt; b"
    dumped = json.dumps(payload["blocks"])
    assert "<!channel>" not in dumped and "<https://evil" not in dumped
    assert "&lt;!here&gt; &amp; &lt;https://evil|click&gt;" in dumped


def test_slack_sample_fits_a_section() -> None:
    wide = {"columns": ["a", "b", "c"], "rows": [["x" * 40] * 3 for _ in range(10)]}
    context = _alert(sample=wide, error="e" * 5000)
    payload = render_payload(_slack(), context, extra_recipients=[])
    sections = [block for block in payload["blocks"] if block["type"] == "section"]
    assert all(len(block.get("text", {}).get("text", "")) <= 3000 for block in sections)
    sample = sections[-1]["text"]["text"]
    assert sample.startswith("*Sample*\n```a") and sample.endswith("```")
    assert sample.count("x" * 39) == 30  # all ten rows of three cells fit


def test_slack_without_runbook_has_one_button() -> None:
    payload = render_payload(_slack(), _alert(runbook_url=None), extra_recipients=[])
    assert [b["text"]["text"] for b in payload["blocks"][-1]["elements"]] == ["Open monitor"]


# --- webhook ---------------------------------------------------------------------------------


def test_webhook_event_body() -> None:
    context = _alert(sample={"columns": ["id"], "rows": [[1]], "truncated": True})
    assert render_payload(_webhook(), context, extra_recipients=[]) == {
        "event": "alerting",
        "module": "monitors",
        "monitor": {"id": 7, "name": "unpaid-orders", "description": context.description},
        "summary": "first cell > 0",
        "service": "orders",
        "state": "ALERTING",
        "previous_state": "OK",
        "severity": "critical",
        "value": 12.0,
        "threshold": 0.0,
        "condition": "first cell > 0",
        "error": None,
        "sample": {"columns": ["id"], "rows": [[1]], "truncated": True},
        "runbook_url": RUNBOOK,
        "link": LINK,
        "at": "2024-05-02T09:30:00+00:00",
        "message": "[ALERTING] orders/unpaid-orders: first cell > 0 (value 12)",
    }


def test_payload_is_json_safe() -> None:
    sample = {
        "columns": ["amount", "due", "ratio", "note"],
        "rows": [[Decimal("12.50"), datetime(2024, 5, 1, tzinfo=UTC), float("nan"), "a\x00b"]],
    }
    payload = render_payload(_webhook(), _alert(sample=sample), extra_recipients=[])
    # Times in ISO 8601, like the payload's own "at": a webhook's reader is a program.
    assert payload["sample"]["rows"] == [["12.50", "2024-05-01T00:00:00Z", "nan", "a\ufffdb"]]
    json.dumps(payload, allow_nan=False)


# --- custom templates --------------------------------------------------------------------------


def test_custom_templates_see_the_variables() -> None:
    payload = _mail(
        _alert(),
        subject_template="{{ severity | upper }} {{ service }}.{{ monitor }} = {{ value }}",
        body_template=(
            "{{ label }} since {{ at.strftime('%H:%M') }}\n"
            "{% for row in sample.rows %}{{ row[1] }};{% endfor %}\n\n{{ sample_text }}"
        ),
    )
    assert payload["subject"] == "CRITICAL orders.unpaid-orders = 12"
    assert payload["text"] == (
        "ALERTING since 09:30\nacme;globex;\nid  customer\n--  --------\n1   acme\n2   globex"
    )
    # The HTML part carries the custom text, escaped, not the default table.
    assert "ALERTING since 09:30" in payload["html"] and "<th" not in payload["html"]


def test_custom_webhook_message_and_slack_text() -> None:
    webhook = render_payload(
        _webhook(body_template="{{ monitor }} is {{ state }}"), _alert(), extra_recipients=[]
    )
    assert webhook["message"] == "unpaid-orders is ALERTING"
    slack = render_payload(
        _slack(text_template="*{{ monitor }}* needs you"), _alert(), extra_recipients=[]
    )
    assert slack["text"] == "*unpaid-orders* needs you"
    assert slack["blocks"][1]["text"]["text"] == "*unpaid-orders* needs you"


def test_every_field_of_the_alert_is_a_template_variable() -> None:
    """The source's fields are spread out (``object``, and ``monitor`` for a monitor's
    alert), and so are its values; everything else keeps its own name."""
    fields = {field.name for field in dataclasses.fields(AlertContext)} - {"source", "values"}
    source = {"module", "kind", "object", "object_id", "monitor", "monitor_id"}
    monitor_values = {"threshold", "condition"}
    assert fields | source | monitor_values | {"label", "sample_text"} == TEMPLATE_VARIABLES


def test_an_alert_of_another_module_renders_with_the_default_wording() -> None:
    """A job backend's alert has no condition or threshold: the defaults need none."""
    context = AlertContext(
        event="alerting",
        source=AlertSource(module="jobs", kind="queue", id="critical", name="critical"),
        service="orders",
        state="ALERTING",
        previous_state="OK",
        severity="warning",
        summary="12 dead jobs",
        value=12,
        facts=(Fact("Dead jobs", "12", short=True),),
        error=None,
        sample={},
        runbook_url=None,
        link="https://gyrfalcon.example.com/jobs/orders",
        at=AT,
    )
    mail = _mail(context)
    assert mail["subject"] == "[ALERTING] orders/critical: 12 dead jobs (value 12)"
    assert "Queue:      critical\n" in mail["text"] and "Dead jobs:  12\n" in mail["text"]
    assert "Open the queue: https://gyrfalcon.example.com/jobs/orders" in mail["text"]
    webhook = render_payload(_webhook(), context, extra_recipients=[])
    assert webhook["module"] == "jobs" and webhook["queue"]["name"] == "critical"
    slack = render_payload(_slack(), context, extra_recipients=[])
    assert {"type": "mrkdwn", "text": "*Dead jobs*\n12"} in slack["blocks"][2]["fields"]


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
        ("{{ sample.rows.clear() }}", "access to attribute 'clear' of 'list' object is unsafe"),
        ("{{ sample.nope }}", "'dict object' has no attribute 'nope'"),
        ("{{ value / 0 }}", "float division by zero"),
        ("{% for i in range(9000) %}0123456789{% endfor %}", f"longer than {MAX_OUTPUT}"),
        ("{% for i in range(100000) %}{% endfor %}", f"at most {MAX_RANGE} numbers"),
        ("{{ 'a' * 200000000 }}", f"would build more than {MAX_OUTPUT} characters"),
        ("{{ ['a'] * 200000000 }}", f"would build more than {MAX_OUTPUT} characters"),
        ("{{ 10 ** 100000000 }}", "exponents above 64"),
    ],
)
def test_a_failing_template_falls_back_with_a_note(template: str, reason: str) -> None:
    channel = _email(subject_template=template, body_template=template)
    context = _alert()
    rendered = render(channel, context, extra_recipients=[])
    assert context.sample["rows"] == [[1, "acme"], [2, "globex"]]
    payload = rendered.payload
    assert payload["subject"] == "[ALERTING] orders/unpaid-orders: first cell > 0 (value 12)"
    assert payload["text"].startswith("Orders unpaid for more than a day.\n\nMonitor:")
    assert len(rendered.failures) == 2
    assert all(reason in failure for failure in rendered.failures)
    note = f"(custom template failed: subject_template: {rendered.failures[0].split(': ', 1)[1]}"
    assert payload["text"].rstrip().endswith(")") and note in payload["text"]
    assert "custom template failed" in payload["html"]


def test_failing_slack_and_webhook_templates_say_so() -> None:
    context = _alert()
    slack = render_payload(_slack(text_template="{{ sample.nope }}"), context, extra_recipients=[])
    assert slack["text"].startswith("[ALERTING] orders/unpaid-orders")
    assert "(custom template failed: text_template: " in slack["text"]
    assert "custom template failed" in slack["blocks"][-2]["elements"][-1]["text"]
    webhook = render_payload(
        _webhook(body_template="{{ sample.nope }}"), context, extra_recipients=[]
    )
    assert webhook["message"] == (
        "[ALERTING] orders/unpaid-orders: first cell > 0 (value 12)\n"
        "(custom template failed: body_template: 'dict object' has no attribute 'nope')"
    )


# --- validation when a channel is saved -----------------------------------------------------------


def test_validate_template_names_the_line_of_a_syntax_error() -> None:
    with pytest.raises(ValueError, match=r"template error on line 3: .*'endif'"):
        validate_template("ok\n{% if state %}\n{% endfor %}")


def test_validate_template_refuses_unknown_variables() -> None:
    with pytest.raises(ValueError, match=r"unknown variable 'monitr' \(available: at, condition"):
        validate_template("{{ monitr }}")
    validate_template(
        "{% set n = sample.rows | length %}{% for r in range(n) %}{{ r }}{% endfor %}"
    )


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda t: _email(subject_template=t), "subject_template"),
        (lambda t: _email(body_template=t), "body_template"),
        (lambda t: _slack(text_template=t), "text_template"),
        (lambda t: _webhook(body_template=t), "body_template"),
    ],
)
def test_channel_configs_validate_their_templates(build: Any, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build("{{ state ")
    [error] = caught.value.errors()
    assert error["loc"] == (field,)
    assert "template error on line 1" in error["msg"]
    with pytest.raises(ValidationError, match="at most 10000 characters"):
        build("x" * 10_001)


async def test_channel_api_keeps_and_shows_the_templates(admin: httpx.AsyncClient) -> None:
    created = await admin.post(
        "/api/v1/notification-channels",
        json={
            "name": "mail",
            "type": "email",
            "host": "smtp.example.com",
            "from_address": "gyrfalcon@example.com",
            "recipients": ["oncall@example.com"],
            "subject_template": "{{ label }}: {{ monitor }}",
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["recipients"] == ["oncall@example.com"]
    assert body["subject_template"] == "{{ label }}: {{ monitor }}"
    assert body["body_template"] is None
    patched = await admin.patch(
        f"/api/v1/notification-channels/{body['id']}", json={"body_template": "{% if %}"}
    )
    assert patched.status_code == 422
    [error] = patched.json()["errors"]
    assert error["field"].endswith("body_template")
    assert "template error on line 1" in error["message"]


# --- the worker process (issue 8.5) ---------------------------------------------------------

TEMPLATES = "gyrfalcon.notify.templates"
NESTED_LOOPS = (
    "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}"
    "{% endfor %}{% endfor %}{% endfor %}"
)


async def test_a_runaway_template_is_stopped_and_the_alert_still_goes_out() -> None:
    """10^12 loop iterations would run for hours; the worker is stopped at its limit
    (one second here) while the event loop keeps serving: a coroutine started after the
    render began finishes before it. No assertion on speed: only the order of events."""
    worker = RenderWorker(preload=(TEMPLATES,), seconds=1)
    served = asyncio.Event()

    async def another_request() -> None:
        served.set()

    try:
        rendering = asyncio.create_task(
            render_safely(
                _webhook(body_template=NESTED_LOOPS), _alert(), extra_recipients=[], worker=worker
            )
        )
        await asyncio.sleep(0)  # the render is under way in its thread
        await another_request()
        assert served.is_set() and not rendering.done()
        rendered = await rendering
    finally:
        worker.close()
    assert rendered.failures == ["body_template: it ran longer than 1 s"]
    assert rendered.payload["message"].startswith("[ALERTING] orders/unpaid-orders")
    assert "it ran longer than 1 s" in rendered.payload["message"]


async def test_a_template_that_outgrows_its_memory_fails_cleanly() -> None:
    """Concatenation doubles a value line after line, past anything a sandbox rule sees;
    the worker's memory limit ends it, and the next render gets a fresh worker."""
    doubling = "{% set s = 'x' * 50000 %}" + "{% set s = s ~ s %}" * 40 + "{{ s|length }}"
    worker = RenderWorker(preload=(TEMPLATES,), seconds=60, memory_bytes=512 * 1024 * 1024)
    try:
        rendered = await render_safely(
            _webhook(body_template=doubling), _alert(), extra_recipients=[], worker=worker
        )
        assert rendered.failures
        assert "memory" in rendered.failures[0].lower()
        fine = await render_safely(
            _webhook(body_template="{{ monitor }} is {{ state }}"),
            _alert(),
            extra_recipients=[],
            worker=worker,
        )
    finally:
        worker.close()
    assert fine.failures == []
    assert fine.payload["message"] == "unpaid-orders is ALERTING"
