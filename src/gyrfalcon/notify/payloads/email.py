"""The alert as an e-mail: subject, plain text and HTML, and who receives it."""

from __future__ import annotations

from typing import Any

from gyrfalcon.notify.channels.definitions import EmailChannelConfig
from gyrfalcon.notify.context import AlertContext, display, sample_table
from gyrfalcon.notify.template_syntax import DEFAULT_SUMMARY, HTML, Renderer, render_template

_SUBJECT_CHARS = 250

DEFAULT_EMAIL_TEXT = """\
{% if description %}
{{ description }}

{% endif %}
{{ "%-12s" | format(kind | capitalize ~ ":") }}{{ object }}
Service:    {{ service }}
State:      {{ state }}{% if previous_state %} (was {{ previous_state }}){% endif %}

Severity:   {{ severity }}
{% for fact in facts %}
{{ "%-12s" | format(fact.name ~ ":") }}{{ fact.value }}
{% endfor %}
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

Open the {{ kind }}: {{ link }}
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
<p><a href="{{ link }}">Open the {{ kind }}</a>
{% if runbook_url %} &middot; <a href="{{ runbook_url }}">Runbook</a>{% endif %}
</p>
{% endif %}
{% if note %}
<p style="color: #8c8c8c">{{ note }}</p>
{% endif %}
</body></html>
"""


# --- the mail --------------------------------------------------------------------------------


def _recipients(configured: list[str], extra: list[str]) -> list[str]:
    unique: dict[str, str] = {}
    for address in [*configured, *extra]:
        unique.setdefault(address.strip().lower(), address.strip())
    return list(unique.values())


def email_payload(
    channel: EmailChannelConfig,
    context: AlertContext,
    renderer: Renderer,
    extra_recipients: list[str],
) -> dict[str, Any]:
    subject, _ = renderer.text("subject_template", channel.subject_template, DEFAULT_SUMMARY)
    # A header is one line: a newline from a value would otherwise end it.
    subject = " ".join(subject.split())[:_SUBJECT_CHARS]
    text, custom = renderer.text("body_template", channel.body_template, DEFAULT_EMAIL_TEXT)
    note = renderer.note
    columns, rows, more_rows = sample_table(context.sample)
    html = render_template(
        HTML,
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
        (context.source.kind.capitalize(), context.source.name),
        ("Service", context.service),
        ("State", state),
        ("Severity", context.severity),
        *((fact.name, fact.value) for fact in context.facts),
    ]
    if context.error:
        facts.append(("Error", context.error))
    facts.append(("Time", display(context.at)))
    return facts
