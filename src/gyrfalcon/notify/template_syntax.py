"""The sandboxed Jinja environments alert templates render in, and their validation.

Channel owners may replace the wording with Jinja templates. Templates are user
data, never code: they render in Jinja's immutable sandbox (no ``__class__``-style
attribute walks, no changing the sample another channel renders next), with
``range``, ``*`` and ``**`` bounded, undefined names an error rather than a silent
blank, and their output capped; and a channel with custom templates renders in the
worker process of ``sandbox.py``, with a time and a memory limit, never on the event
loop (``templates.render_safely``). A template that fails at send time must not lose the
alert, so that part falls back to the default and the message says why.

Values are escaped for where they land: Slack mrkdwn escapes ``& < >`` in every
``{{ value }}`` (a sampled row must not be able to ``<!channel>``), while the words
the template's author wrote stay as written; the HTML mail escapes everything.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gyrfalcon.notify.context import AlertContext, display

MAX_OUTPUT = 50_000
"""Characters one template may produce; past that it is a failure, not a huge message."""
_SUBJECT_CHARS = 250
_REASON_CHARS = 200
# Slack Block Kit limits: header text 150, section text 3000, field text 2000.
_SLACK_HEADER = 150
_SLACK_SECTION = 3000
_SLACK_FIELD = 200
_CODE_FENCE = "```"


_REASON_CHARS = 200

DEFAULT_SUMMARY = (
    "[{{ label }}] {{ service }}/{{ object }}: "
    "{% if state == 'ERROR' %}{{ error or 'the check failed' }}"
    "{% elif event == 'recovered' %}back to OK"
    "{% else %}{{ summary }}{% endif %}"
    "{% if value is not none and state != 'ERROR' %} (value {{ value }}){% endif %}"
)
"""One line: the email subject, the Slack text and the webhook ``message``."""


# --- environments -------------------------------------------------------------------------


def slack_escape(text: str) -> str:
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


PLAIN = _environment()
SLACK = _environment(slack_escape)
HTML = _environment(html=True)

TEMPLATE_VARIABLES = frozenset(AlertContext.sample_for_test("", "").as_template_variables())
"""Names a template may use; anything else is refused when the channel is saved."""

VARIABLE_MEANINGS = {
    "module": "the module that raised the alert, e.g. monitors",
    "kind": "what raised it, e.g. monitor",
    "object": "its name",
    "object_id": "its id",
    "monitor": "monitor name (alerts of monitors)",
    "monitor_id": "monitor id (alerts of monitors)",
    "service": "service name",
    "state": "OK, ALERTING or ERROR",
    "previous_state": "state before this event",
    "label": "ALERTING, ERROR, RECOVERED, STILL ALERTING or TEST",
    "event": "alerting, error, recovered, reminder or test",
    "severity": "critical, warning or info",
    "summary": "what is wrong in words, e.g. first cell > 0",
    "value": "the value the check read",
    "facts": "the details as a list of (name, value), e.g. Condition, Value",
    "threshold": "the condition's threshold (alerts of monitors)",
    "condition": "the condition in words (alerts of monitors)",
    "error": "why the check failed (ERROR)",
    "sample_text": "the sample rows or response as text",
    "sample": "the sample as data (columns, rows)",
    "description": "the description of what raised the alert",
    "runbook_url": "its runbook",
    "link": "its page in Gyrfalcon",
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
        tree = PLAIN.parse(text)
    except TemplateSyntaxError as exc:
        raise ValueError(f"template error on line {exc.lineno}: {exc.message}") from exc
    unknown = sorted(meta.find_undeclared_variables(tree) - TEMPLATE_VARIABLES - set(PLAIN.globals))
    if unknown:
        known = ", ".join(sorted(TEMPLATE_VARIABLES))
        raise ValueError(f"unknown variable '{unknown[0]}' (available: {known})")


def render_template(
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
class Renderer:
    """Renders one context, collecting what went wrong with the custom templates."""

    variables: dict[str, Any]
    failures: list[str]

    def text(
        self,
        field: str,
        custom: str | None,
        default: str,
        environment: ImmutableSandboxedEnvironment = PLAIN,
    ) -> tuple[str, bool]:
        """The custom template's output (and True), or the default's when there is
        none or it fails (and False)."""
        if custom:
            try:
                return render_template(environment, custom, self.variables), True
            except Exception as exc:  # any failure of user data must not lose the alert
                reason = " ".join(str(exc).split())[:_REASON_CHARS] or type(exc).__name__
                self.failures.append(f"{field}: {reason}")
        return render_template(environment, default, self.variables), False

    @property
    def note(self) -> str:
        return f"(custom template failed: {'; '.join(self.failures)})" if self.failures else ""
