"""A tiny third-party module, installed in tests through a real entry point."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends

from gyrfalcon.core.plugins import AppContext, Module, NavEntry, PermissionSpec
from gyrfalcon.core.security import require

router = APIRouter(prefix="/hello", tags=["hello"])
ticks: list[str] = []


@router.get("", dependencies=[Depends(require("hello", "read"))])
async def hello() -> dict[str, str]:
    return {"hello": "world"}


class Ticker:
    name = "hello.ticker"

    async def run(self, stop: asyncio.Event) -> None:
        ticks.append("tick")
        await stop.wait()


def _services(_context: AppContext) -> list[Ticker]:
    return [Ticker()]


module = Module(
    name="hello",
    title="Hello",
    description="Says hello; proves third-party modules plug in.",
    router=router,
    permissions=(
        PermissionSpec("read", "Read greetings"),
        PermissionSpec("write", "Change greetings"),
        PermissionSpec("export", "Export greetings"),
    ),
    nav=NavEntry(title="Hello", path="/hello", icon="SmileOutlined", order=50),
    background_services=_services,
)
