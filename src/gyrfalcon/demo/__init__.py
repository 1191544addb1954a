"""The demo: ``gyrfalcon demo`` starts the console beside a living sample cluster.

Each share of the demo (mail sink, sample services; the job, message, cache and debug
modules' parts to come) is a :class:`~gyrfalcon.demo.base.DemoPart` registered in the
``gyrfalcon.demo_parts`` entry-point group. The module has no pages and no permissions.
"""

from __future__ import annotations

from gyrfalcon.core.plugins import Module
from gyrfalcon.demo.cli import cli
from gyrfalcon.demo.settings import DemoSettings

module = Module(
    name="demo",
    title="Demo",
    description="A sample cluster beside the console, for a first look (make run).",
    permissions=(),
    settings=DemoSettings,
    cli=cli,
)
