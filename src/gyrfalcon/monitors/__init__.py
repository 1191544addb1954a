"""Data monitors: scheduled SQL and HTTP checks over the services' data, stored runs,
alert states, and notifications through the notify module's outbox."""

from __future__ import annotations

from gyrfalcon.core.plugins import Module, NavEntry
from gyrfalcon.monitors.retention import ResultRetention
from gyrfalcon.monitors.router import router
from gyrfalcon.monitors.scheduler import Scheduler

module = Module(
    name="monitors",
    title="Data monitors",
    description="Scheduled SQL and HTTP checks that find dirty data and alert the owners.",
    router=router,
    nav=NavEntry(title="Monitors", path="/monitors", icon="AlertOutlined", order=20),
    background_services=lambda context: [Scheduler(context), ResultRetention(context)],
    models=("gyrfalcon.monitors.models",),
)
