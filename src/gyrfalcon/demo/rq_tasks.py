"""The demo's RQ jobs (orders' job system), run by a real RQ worker. Stock reservations
sometimes fail (retried twice, then failed); shipments take a few seconds; surveys are
scheduled ten minutes ahead."""

from __future__ import annotations

import random
import time


def reserve_stock(order: str, sku: str, quantity: int) -> None:
    time.sleep(random.random())  # noqa: S311 - demo pacing, not a secret
    if random.random() < 0.35:  # noqa: S311
        raise LookupError(f"no stock of {sku} left for order {order}")


def ship_order(order: str, carrier: str) -> None:
    time.sleep(1 + random.random() * 3)  # noqa: S311


def send_survey(order: str) -> None:
    time.sleep(random.random())  # noqa: S311
