"""The demo's mail sink and the e-mail channel that sends to it."""

from __future__ import annotations

from collections.abc import Sequence

from gyrfalcon.demo.base import Child, DemoEnvironment
from gyrfalcon.demo.console import Console

DEMO_CHANNEL = "demo-mail"
ON_CALL = "oncall@example.com"


class MailPart:
    order = 10

    def children(self, demo: DemoEnvironment) -> Sequence[Child]:
        smtp, health = demo.ports.port("mail sink"), demo.ports.port("mail sink health")
        folder = demo.folder / "mail"
        return [
            Child(
                name="mail-sink",
                module="gyrfalcon.demo.mailbox",
                args=("--folder", str(folder), "--port", str(smtp), "--health-port", str(health)),
                ready_port=health,
            )
        ]

    def register(self, console: Console, demo: DemoEnvironment) -> Sequence[str]:
        smtp = demo.ports.port("mail sink")
        console.ensure(
            "/notification-channels",
            {
                "name": DEMO_CHANNEL,
                "type": "email",
                "description": "The demo's mail sink: messages land in a folder, not a mailbox.",
                "host": "127.0.0.1",
                "port": smtp,
                "security": "none",
                "from_address": "gyrfalcon-demo@example.com",
                "recipients": [ON_CALL],
            },
        )
        folder = demo.shown(demo.folder / "mail")
        return [f"Alert e-mails land in {folder} (SMTP sink on 127.0.0.1:{smtp})"]
