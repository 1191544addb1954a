"""The demo's parts come from the ``gyrfalcon.demo_parts`` entry points, like any
adapter: a module adds its share of the demo without an edit to the demo."""

from __future__ import annotations

from gyrfalcon.core.plugins import load_adapters
from gyrfalcon.demo.base import DemoPart
from gyrfalcon.demo.cli import DEMO_PARTS
from gyrfalcon.demo.parts.debug import DebugPart
from gyrfalcon.demo.parts.jobs import JobsPart
from gyrfalcon.demo.parts.mail import MailPart
from gyrfalcon.demo.parts.messages import MessagesPart
from gyrfalcon.demo.parts.shop import ShopPart


def test_the_built_in_parts_load_from_their_entry_points_in_order() -> None:
    parts = load_adapters(DEMO_PARTS, DemoPart)  # type: ignore[type-abstract]
    assert {name: type(part) for name, part in parts.items()} == {
        "mail": MailPart,
        "shop": ShopPart,
        "jobs": JobsPart,
        "messages": MessagesPart,
        "debug": DebugPart,
    }
    # The mail sink's channel exists before the monitors that notify it, and the services
    # before the job backends they own.
    assert parts["mail"].order < parts["shop"].order < parts["jobs"].order
    assert parts["shop"].order < parts["messages"].order
    # The debug endpoints belong to the sample services.
    assert parts["shop"].order < parts["debug"].order
