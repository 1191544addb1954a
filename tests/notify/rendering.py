"""Rendering in the test's own thread: these tests check wording, not the worker."""

from __future__ import annotations

from typing import Any

from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.notify.context import AlertContext
from gyrfalcon.notify.templates import render


def render_payload(
    channel: ConnectionConfig, context: AlertContext, *, extra_recipients: list[str]
) -> dict[str, Any]:
    return render(channel, context, extra_recipients=extra_recipients).payload
