"""Data monitors: scheduled SQL and HTTP checks over the services' data, stored runs,
alert states, and notifications through the notify module's outbox."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import SERVICE_DEPENDENTS, SERVICE_SIGNALS, Service
from gyrfalcon.core.plugins import AppContext, Module, NavEntry
from gyrfalcon.home.service import CHECKLIST, HOME_TILES
from gyrfalcon.monitors import service
from gyrfalcon.monitors.cli import cli
from gyrfalcon.monitors.dependents import MonitorDependents
from gyrfalcon.monitors.health import MonitorSignals
from gyrfalcon.monitors.home import FirstMonitorStep, MonitorsTile
from gyrfalcon.monitors.retention import ResultRetention
from gyrfalcon.monitors.router import router
from gyrfalcon.monitors.scheduler import Scheduler
from gyrfalcon.monitors.settings import MonitorSettings


def _install(app: FastAPI, context: AppContext) -> None:
    async def forget_secret_headers(session: AsyncSession, moved: Service) -> None:
        await service.forget_secret_headers(session, moved, box=context.secrets)

    app.state.on_base_url_change = [
        *getattr(app.state, "on_base_url_change", ()),
        forget_secret_headers,
    ]


module = Module(
    name="monitors",
    title="Data monitors",
    description="Scheduled SQL and HTTP checks that find dirty data and alert the owners.",
    router=router,
    nav=NavEntry(title="Monitors", path="/monitors", icon="AlertOutlined", order=20),
    background_services=lambda context: [Scheduler(context), ResultRetention(context)],
    setup=_install,
    models=("gyrfalcon.monitors.models",),
    settings=MonitorSettings,
    cli=cli,
    contributes={
        SERVICE_SIGNALS: (MonitorSignals(),),
        SERVICE_DEPENDENTS: (MonitorDependents(),),
        HOME_TILES: (MonitorsTile(),),
        CHECKLIST: (FirstMonitorStep(),),
    },
)
