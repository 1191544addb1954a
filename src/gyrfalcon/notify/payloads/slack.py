"""The alert as a Slack message: Block Kit blocks within Slack's limits, values escaped."""

from __future__ import annotations

from typing import Any

from gyrfalcon.notify.channels.definitions import SlackChannelConfig
from gyrfalcon.notify.context import AlertContext, display, sample_text
from gyrfalcon.notify.template_syntax import DEFAULT_SUMMARY, SLACK, Renderer, slack_escape

# Slack Block Kit limits: header text 150, section text 3000, field text 2000.
_SLACK_HEADER = 150
_SLACK_SECTION = 3000
_SLACK_FIELD = 200
_CODE_FENCE = "```"


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
        code = slack_escape(sample_text(sample, max_rows=rows))
        if len(code) <= room or rows <= 1:
            return code
        rows -= 1


def slack_payload(
    channel: SlackChannelConfig, context: AlertContext, renderer: Renderer
) -> dict[str, Any]:
    text, _ = renderer.text("text_template", channel.text_template, DEFAULT_SUMMARY, SLACK)
    text = _cut(text.strip(), _SLACK_SECTION)
    state = context.state + (f" (was {context.previous_state})" if context.previous_state else "")
    fields = [("Service", context.service), ("State", state), ("Severity", context.severity)]
    fields += [(fact.name, fact.value) for fact in context.facts if fact.short]
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": _cut(
                    f"{context.label}: {context.service}/{context.source.name}", _SLACK_HEADER
                ),
            },
        },
        {"type": "section", "text": _mrkdwn(text)},
        {
            "type": "section",
            "fields": [
                _mrkdwn(f"*{name}*\n{slack_escape(_cut(value, _SLACK_FIELD))}")
                for name, value in fields
            ],
        },
    ]
    if context.error:
        blocks.append(_code_section("*Error*", slack_escape(context.error)))
    if sample_text(context.sample):
        blocks.append(_code_section("*Sample*", _slack_sample(context.sample)))
    footer = [f"Gyrfalcon · {display(context.at)}"]
    if context.description:
        footer.insert(0, slack_escape(_cut(context.description, _SLACK_SECTION - 100)))
    if renderer.note:
        footer.append(slack_escape(renderer.note))
    blocks.append({"type": "context", "elements": [_mrkdwn(line) for line in footer]})
    buttons = [_button("Open monitor", context.link)]
    if context.runbook_url:
        buttons.append(_button("Runbook", context.runbook_url))
    blocks.append({"type": "actions", "elements": buttons})
    note = f"\n{slack_escape(renderer.note)}" if renderer.note else ""
    return {"text": text + note, "blocks": blocks}


def _button(label: str, url: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "url": url}
