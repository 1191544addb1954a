"""Turn an :class:`AlertContext` into the payload a channel sends.

Channel owners may replace the wording with Jinja templates. Templates are user
data, never code: they render in Jinja's immutable sandbox (no ``__class__``-style
attribute walks, no changing the sample another channel renders next), with
``range``, ``*`` and ``**`` bounded, undefined names an error rather than a silent
blank, and their output capped; and a channel with custom templates renders in the
worker process of ``sandbox.py``, with a time and a memory limit, never on the event
loop (:func:`render_safely`). A template that fails at send time must not lose the
alert, so that part falls back to the default and the message says why.

Values are escaped for where they land: Slack mrkdwn escapes ``& < >`` in every
``{{ value }}`` (a sampled row must not be able to ``<!channel>``), while the words
the template's author wrote stay as written; the HTML mail escapes everything.
"""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gyrfalcon.catalog.schemas import EmailChannelConfig, SlackChannelConfig, WebhookChannelConfig
from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.jsonsafe import json_safe
from gyrfalcon.notify.context import AlertContext, display, sample_table, sample_text
from gyrfalcon.notify.sandbox import RenderWorker, TemplateLimitExceeded

# --- the default wording ------------------------------------------------------------------

DEFAULT_SUMMARY = (
    "[{{ label }}] {{ service }}/{{ monitor }}: "
    "{% if state == 'ERROR' %}{{ error or 'the check failed' }}"
    "{% elif event == 'recovered' %}back to OK"
    "{% else %}{{ condition }}{% endif %}"
    "{% if value is not none and state != 'ERROR' %} (value {{ value }}){% endif %}"
)
"""One line: the email subject, the Slack text and the webhook ``message``."""

DEFAULT_EMAIL_TEXT = """\
{% if description %}
{{ description }}

{% endif %}
Monitor:    {{ monitor }}
Service:    {{ service }}
State:      {{ state }}{% if previous_state %} (was {{ previous_state }}){% endif %}

Severity:   {{ severity }}
Condition:  {{ condition }}
{% if value is not none %}
Value:      {{ value }}{% if threshold is not none %} (threshold {{ threshold }}){% endif %}

{% endif %}
{% if error %}
Error:      {{ error }}
{% endif %}
Time:       {{ at }}
{% if sample_text %}

Sample:
{{ sample_text }}
{% endif %}
{% if runbook_url %}

Runbook: {{ runbook_url }}
{% endif %}

Open the monitor: {{ link }}
"""

_EMAIL_HTML = """\
<!DOCTYPE html>
<html><body style="font-family: Helvetica, Arial, sans-serif; font-size: 14px; color: #1f1f1f">
<h2 style="font-size: 18px; margin: 0 0 12px">{{ subject }}</h2>
{% if custom_text is not none %}
<div style="white-space: pre-wrap">{{ custom_text }}</div>
{% else %}
{% if description %}
<p>{{ description }}</p>
{% endif %}
<table cellpadding="4" style="border-collapse: collapse">
{% for name, shown in facts %}
<tr><th align="left" style="padding-right: 16px">{{ name }}</th><td>{{ shown }}</td></tr>
{% endfor %}
</table>
{% if columns %}
<h3 style="font-size: 15px">Sample</h3>
<table cellpadding="4" border="1" style="border-collapse: collapse; font-family: monospace">
<tr>{% for name in columns %}<th>{{ name }}</th>{% endfor %}</tr>
{% for row in rows %}
<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</table>
{% if more_rows %}
<p style="color: #8c8c8c">More rows not shown.</p>
{% endif %}
{% elif sample_text %}
<h3 style="font-size: 15px">Response</h3>
<pre>{{ sample_text }}</pre>
{% endif %}
<p><a href="{{ link }}">Open the monitor</a>
{% if runbook_url %} &middot; <a href="{{ runbook_url }}">Runbook</a>{% endif %}
</p>
{% endif %}
{% if note %}
<p style="color: #8c8c8c">{{ note }}</p>
{% endif %}
</body></html>
"""

# --- limits -------------------------------------------------------------------------------

MAX_OUTPUT = 50_000
"""Characters one template may produce; past that it is a failure, not a huge message."""
_SUBJECT_CHARS = 250
_REASON_CHARS = 200
# Slack Block Kit limits: header text 150, section text 3000, field text 2000.
_SLACK_HEADER = 150
_SLACK_SECTION = 3000
_SLACK_FIELD = 200
_CODE_FENCE = "```"


# --- environments -------------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


MAX_RANGE = 10_000
"""Items one ``range()`` may yield (Jinja's own bound is 100,000)."""
_MAX_EXPONENT = 64


def _bounded_range(*args: int) -> Iterator[int]:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range() may yield at most {MAX_RANGE} numbers")
    return iter(numbers)


class _BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with the operators that can build huge values checked first:
    ``'a' * 200000000`` is refused before it allocates, not after."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int) and abs(right) > _MAX_EXPONENT:
                raise SecurityError(f"exponents above {_MAX_EXPONENT} are not allowed")
            return operator.pow(left, right)
        for sequence, times in ((left, right), (right, left)):
            repeats = isinstance(sequence, str | list | tuple) and isinstance(times, int)
            if repeats and len(sequence) * times > MAX_OUTPUT:
                raise SecurityError(f"'*' would build more than {MAX_OUTPUT} characters")
        return operator.mul(left, right)


def _environment(
    escape: Callable[[str], str] | None = None, *, html: bool = False
) -> ImmutableSandboxedEnvironment:
    def finalize(value: Any) -> Any:
        # In the HTML environment autoescape still applies to the text returned here.
        text = display(value)
        return escape(text) if escape else text

    environment = _BoundedEnvironment(
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=html,
        finalize=finalize,
    )
    environment.globals["range"] = _bounded_range
    return environment


_PLAIN = _environment()
_SLACK = _environment(_slack_escape)
_HTML = _environment(html=True)

TEMPLATE_VARIABLES = frozenset(AlertContext.sample_for_test("", "").as_template_variables())
"""Names a template may use; anything else is refused when the channel is saved."""

VARIABLE_MEANINGS = {
    "monitor": "monitor name",
    "monitor_id": "monitor id",
    "service": "service name",
    "state": "OK, ALERTING or ERROR",
    "previous_state": "state before this event",
    "label": "ALERTING, ERROR, RECOVERED, STILL ALERTING or TEST",
    "event": "alerting, error, recovered, reminder or test",
    "severity": "critical, warning or info",
    "value": "the value the check read",
    "threshold": "the condition's threshold",
    "condition": "the condition in words, e.g. first cell > 0",
    "error": "why the check failed (ERROR)",
    "sample_text": "the sample rows or response as text",
    "sample": "the sample as data (columns, rows)",
    "description": "the monitor's description",
    "runbook_url": "the monitor's runbook",
    "link": "the monitor's page in Gyrfalcon",
    "at": "when it happened (UTC)",
}
"""What each variable holds, for the channel form's help (one entry per variable)."""


class _TemplateTooLong(Exception):
    pass


def validate_template(text: str) -> None:
    """Raise ValueError naming the line of a syntax error, or an unknown variable.

    Called when a channel is saved, so a typo is a 422 then rather than a fallback
    note in the middle of an incident.
    """
    try:
        tree = _PLAIN.parse(text)
    except TemplateSyntaxError as exc:
        raise ValueError(f"template error on line {exc.lineno}: {exc.message}") from exc
    unknown = sorted(
        meta.find_undeclared_variables(tree) - TEMPLATE_VARIABLES - set(_PLAIN.globals)
    )
    if unknown:
        known = ", ".join(sorted(TEMPLATE_VARIABLES))
        raise ValueError(f"unknown variable '{unknown[0]}' (available: {known})")


def _render(
    environment: ImmutableSandboxedEnvironment, source: str, variables: dict[str, Any]
) -> str:
    parts: list[str] = []
    size = 0
    for chunk in environment.from_string(source).generate(variables):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise _TemplateTooLong(f"output longer than {MAX_OUTPUT} characters")
        parts.append(chunk)
    return "".join(parts)


@dataclass
class _Renderer:
    """Renders one context, collecting what went wrong with the custom templates."""

    variables: dict[str, Any]
    failures: list[str]

    def text(
        self,
        field: str,
        custom: str | None,
        default: str,
        environment: ImmutableSandboxedEnvironment = _PLAIN,
    ) -> tuple[str, bool]:
        """The custom template's output (and True), or the default's when there is
        none or it fails (and False)."""
        if custom:
            try:
                return _render(environment, custom, self.variables), True
            except Exception as exc:  # any failure of user data must not lose the alert
                reason = " ".join(str(exc).split())[:_REASON_CHARS] or type(exc).__name__
                self.failures.append(f"{field}: {reason}")
        return _render(environment, default, self.variables), False

    @property
    def note(self) -> str:
        return f"(custom template failed: {'; '.join(self.failures)})" if self.failures else ""


@dataclass(frozen=True)
class Rendered:
    payload: dict[str, Any]
    """JSON-safe: what the outbox stores and the sender sends."""
    failures: list[str]
    """``"<field>: <reason>"`` for each custom template that fell back to the default."""


def render(
    channel: ConnectionConfig,
    context: AlertContext,
    *,
    extra_recipients: list[str],
    failures: tuple[str, ...] = (),
) -> Rendered:
    """The payload for ``channel`` (an email, Slack or webhook channel definition, as
    ``load_definition`` returns it), and which custom templates failed.

    Renders in the calling thread: with custom templates, use :func:`render_safely`.
    ``failures`` are earlier ones the message should mention."""
    renderer = _Renderer(context.as_template_variables(), list(failures))
    if isinstance(channel, EmailChannelConfig):
        payload = _email(channel, context, renderer, extra_recipients)
    elif isinstance(channel, SlackChannelConfig):
        payload = _slack(channel, context, renderer)
    elif isinstance(channel, WebhookChannelConfig):
        payload = _webhook(channel, context, renderer)
    else:
        raise TypeError(f"{type(channel).__name__} is not a notification channel")
    return Rendered(json_safe(payload, fallback=display), renderer.failures)


def _render_in_worker(
    channel: ConnectionConfig, context: AlertContext, extra_recipients: list[str]
) -> Rendered:
    return render(channel, context, extra_recipients=extra_recipients)


_WORKER = RenderWorker(preload=(__name__,))
"""The process's template worker (a process-wide resource, like a thread pool)."""


async def render_safely(
    channel: ConnectionConfig,
    context: AlertContext,
    *,
    extra_recipients: list[str],
    worker: RenderWorker = _WORKER,
) -> Rendered:
    """:func:`render`, with custom templates in the worker process under its limits.

    When the worker stops a render (too long, too much memory), the default wording is
    rendered here instead, with a note that says why: the alert still goes out."""
    custom = _template_fields(channel)
    if not custom:
        return render(channel, context, extra_recipients=extra_recipients)
    try:
        return await asyncio.to_thread(
            worker.call, _render_in_worker, channel, context, extra_recipients
        )
    except TemplateLimitExceeded as exc:
        plain = channel.model_copy(update=dict.fromkeys(custom))
        failure = f"{', '.join(custom)}: {exc}"
        return render(plain, context, extra_recipients=extra_recipients, failures=(failure,))


def _template_fields(channel: ConnectionConfig) -> list[str]:
    return [
        name
        for name in type(channel).model_fields
        if name.endswith("_template") and getattr(channel, name)
    ]


# --- email --------------------------------------------------------------------------------


def _recipients(configured: list[str], extra: list[str]) -> list[str]:
    unique: dict[str, str] = {}
    for address in [*configured, *extra]:
        unique.setdefault(address.strip().lower(), address.strip())
    return list(unique.values())


def _email(
    channel: EmailChannelConfig,
    context: AlertContext,
    renderer: _Renderer,
    extra_recipients: list[str],
) -> dict[str, Any]:
    subject, _ = renderer.text("subject_template", channel.subject_template, DEFAULT_SUMMARY)
    # A header is one line: a newline from a value would otherwise end it.
    subject = " ".join(subject.split())[:_SUBJECT_CHARS]
    text, custom = renderer.text("body_template", channel.body_template, DEFAULT_EMAIL_TEXT)
    note = renderer.note
    columns, rows, more_rows = sample_table(context.sample)
    html = _render(
        _HTML,
        _EMAIL_HTML,
        {
            **renderer.variables,
            "subject": subject,
            "custom_text": text if custom else None,
            "facts": _facts(context),
            "columns": columns,
            "rows": rows,
            "more_rows": more_rows,
            "note": note,
        },
    )
    return {
        "to": _recipients(channel.recipients, extra_recipients),
        "subject": subject,
        "text": f"{text.rstrip()}\n\n{note}" if note else text,
        "html": html,
    }


def _facts(context: AlertContext) -> list[tuple[str, str]]:
    state = context.state + (f" (was {context.previous_state})" if context.previous_state else "")
    facts = [
        ("Monitor", context.monitor),
        ("Service", context.service),
        ("State", state),
        ("Severity", context.severity),
        ("Condition", context.condition),
    ]
    if context.value is not None:
        facts.append(("Value", display(context.value)))
    if context.threshold is not None:
        facts.append(("Threshold", display(context.threshold)))
    if context.error:
        facts.append(("Error", context.error))
    facts.append(("Time", display(context.at)))
    return facts


# --- Slack --------------------------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _code_section(title: str, code: str) -> dict[str, Any]:
    room = _SLACK_SECTION - len(title) - 2 * len(_CODE_FENCE) - 2
    return {
        "type": "section",
        "text": _mrkdwn(f"{title}\n{_CODE_FENCE}{_cut(code, room)}{_CODE_FENCE}"),
    }


def _slack_sample(sample: dict[str, Any]) -> str:
    """The sample in as many rows as fit one section (Slack refuses longer ones)."""
    room = _SLACK_SECTION - 20
    rows = len(sample.get("rows") or [])
    while True:
        code = _slack_escape(sample_text(sample, max_rows=rows))
        if len(code) <= room or rows <= 1:
            return code
        rows -= 1


def _slack(
    channel: SlackChannelConfig, context: AlertContext, renderer: _Renderer
) -> dict[str, Any]:
    text, _ = renderer.text("text_template", channel.text_template, DEFAULT_SUMMARY, _SLACK)
    text = _cut(text.strip(), _SLACK_SECTION)
    state = context.state + (f" (was {context.previous_state})" if context.previous_state else "")
    fields = [("Service", context.service), ("State", state), ("Severity", context.severity)]
    fields += [
        (name, display(value))
        for name, value in (("Value", context.value), ("Threshold", context.threshold))
        if value is not None
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": _cut(
                    f"{context.label}: {context.service}/{context.monitor}", _SLACK_HEADER
                ),
            },
        },
        {"type": "section", "text": _mrkdwn(text)},
        {
            "type": "section",
            "fields": [
                _mrkdwn(f"*{name}*\n{_slack_escape(_cut(value, _SLACK_FIELD))}")
                for name, value in fields
            ],
        },
    ]
    if context.error:
        blocks.append(_code_section("*Error*", _slack_escape(context.error)))
    if sample_text(context.sample):
        blocks.append(_code_section("*Sample*", _slack_sample(context.sample)))
    footer = [f"Gyrfalcon · {display(context.at)}"]
    if context.description:
        footer.insert(0, _slack_escape(_cut(context.description, _SLACK_SECTION - 100)))
    if renderer.note:
        footer.append(_slack_escape(renderer.note))
    blocks.append({"type": "context", "elements": [_mrkdwn(line) for line in footer]})
    buttons = [_button("Open monitor", context.link)]
    if context.runbook_url:
        buttons.append(_button("Runbook", context.runbook_url))
    blocks.append({"type": "actions", "elements": buttons})
    note = f"\n{_slack_escape(renderer.note)}" if renderer.note else ""
    return {"text": text + note, "blocks": blocks}


def _button(label: str, url: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "url": url}


# --- webhook ------------------------------------------------------------------------------


def _webhook(
    channel: WebhookChannelConfig, context: AlertContext, renderer: _Renderer
) -> dict[str, Any]:
    message, _ = renderer.text("body_template", channel.body_template, DEFAULT_SUMMARY)
    if renderer.note:
        message = f"{message.rstrip()}\n{renderer.note}"
    return {
        "event": context.event,
        "monitor": {
            "id": context.monitor_id,
            "name": context.monitor,
            "description": context.description,
        },
        "service": context.service,
        "state": context.state,
        "previous_state": context.previous_state,
        "severity": context.severity,
        "value": context.value,
        "threshold": context.threshold,
        "condition": context.condition,
        "error": context.error,
        "sample": context.sample,
        "runbook_url": context.runbook_url,
        "link": context.link,
        "at": context.at.isoformat(),
        "message": message,
    }
