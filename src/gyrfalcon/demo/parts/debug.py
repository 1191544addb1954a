"""The sample services' debug endpoints, registered in the console so its Debug page can
run them and draw their traces.

Each service checks its database and Redis; orders' checkout shows the two things an
engineer comes to the page for, in one waterfall: a slow dependency (inventory,
recounting its warehouse) and a failing one (billing, whose payment gateway is down).
The endpoints are the sample services' own (ShopPart starts them, with the token this
part registers as the endpoints' secret): this part only registers.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from gyrfalcon.demo.base import Child, DemoEnvironment
from gyrfalcon.demo.console import Console
from gyrfalcon.demo.sample_service import CHECKOUT_PATH, DEPENDENCIES_PATH
from gyrfalcon.demo.samples import SAMPLES, Sample, orders

KEPT_IN = "debug-token.txt"
"""The file in the demo's folder holding the token."""
TIMEOUT_SECONDS = 10
DEPENDENCIES: dict[str, Any] = {
    "name": "dependencies",
    "description": "The service's database (its rows counted) and its Redis, checked at once.",
    "path": DEPENDENCIES_PATH,
    "parameters": {"type": "object", "properties": {}},
}
CHECKOUT: dict[str, Any] = {
    "name": "checkout",
    "description": "One order's checkout: its row, its cached copy, then inventory's stock "
    "and billing's payment at once. Inventory is slow (recounting the warehouse) and "
    "billing's payment gateway is down.",
    "path": CHECKOUT_PATH,
    "parameters": {
        "type": "object",
        "properties": {
            "order_id": {
                "type": "integer",
                "minimum": 1,
                "description": "The order to check out; the first 20 have a cached copy.",
            },
            "include_payment": {
                "type": "boolean",
                "default": True,
                "description": "Also ask billing to authorize the payment.",
            },
        },
        "required": ["order_id"],
    },
}


def debug_token(demo: DemoEnvironment) -> str:
    """The bearer token the sample services' probes accept and the console sends: made
    on the first run and kept in the demo's folder (readable by the OS user only), so
    that a second run starts the services with the token the console already holds."""
    path = demo.folder / KEPT_IN
    if path.exists():
        return path.read_text().strip()
    token = secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(token + "\n")
    return token


def _endpoints(sample: Sample) -> list[dict[str, Any]]:
    """What ``sample``'s service serves (see :mod:`gyrfalcon.demo.sample_service`)."""
    return [DEPENDENCIES, CHECKOUT] if sample is orders else [DEPENDENCIES]


class DebugPart:
    order = 50
    """After ShopPart's, which registers the services the endpoints belong to."""

    def children(self, demo: DemoEnvironment) -> Sequence[Child]:
        return []

    def register(self, console: Console, demo: DemoEnvironment) -> Sequence[str]:
        secret = {"secret": debug_token(demo)}
        for sample in SAMPLES.values():
            for endpoint in _endpoints(sample):
                console.ensure(
                    f"/services/{sample.name}/debug-endpoints",
                    {
                        **endpoint,
                        "method": "GET",
                        "timeout_seconds": TIMEOUT_SECONDS,
                        "auth": "token",
                    },
                    secrets=secret,
                )
        return [
            f"Debug endpoints: {orders.name}/{CHECKOUT['name']} is slow at inventory and "
            "fails at billing's payments (the gateway is down); every service has "
            f"{DEPENDENCIES['name']} (its database and Redis), on the Debug page"
        ]
