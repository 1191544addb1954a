"""The debug endpoints the ASGI and WSGI tests serve: a sync and an async handler that
record spans, one that fails, one that runs checks."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from gyrfalcon import probe

TOKEN = "sample-token-0123456789"
SECRET = "sample-hmac-secret-0123456789"


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def make_probe(**options: Any) -> probe.Probe:
    debug = probe.Probe("orders", **({"token": TOKEN, "hmac_secret": SECRET} | options))

    @debug.endpoint("/debug/echo", methods=("GET", "DELETE"))
    def echo(params: dict[str, Any]) -> dict[str, Any]:
        with probe.span("lookup", kind="db", target="db:5432/orders") as span:
            span.attributes["keys"] = len(params)
        (checked,) = probe.run_checks(probe.Check("inventory", lambda: "in stock", kind="rpc"))
        return {
            "params": params,
            "in_event_loop": _in_event_loop(),
            "thread": threading.current_thread().name,
            "inventory": checked.value,
        }

    @debug.endpoint("/debug/order", methods=("POST", "PUT"))
    async def order(params: dict[str, Any]) -> dict[str, Any]:
        async def price() -> int:
            await asyncio.sleep(0)
            return 42

        with probe.span("load order", kind="db"):
            await asyncio.sleep(0)
        results = await probe.gather(probe.Check("pricing", price, kind="http"))
        return {"params": params, "price": results[0].value}

    @debug.endpoint("/debug/fails")
    def fails(params: dict[str, Any]) -> None:
        with probe.span("before the failure"):
            pass
        raise LookupError("order 7 does not exist")

    return debug
