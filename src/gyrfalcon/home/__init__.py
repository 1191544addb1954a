"""The home page: tiles of what needs attention, contributed by every module, and the
getting-started checklist of a new install."""

from __future__ import annotations

from gyrfalcon.core.plugins import Module
from gyrfalcon.home.router import router

module = Module(
    name="home",
    title="Home",
    description="What needs attention across the modules, and how to get started.",
    router=router,
    permissions=(),
)
