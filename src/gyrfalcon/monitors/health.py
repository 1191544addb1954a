"""What the monitors say of each service's health, for the catalog's service reads."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import Service, ServiceSignal
from gyrfalcon.monitors.models import Monitor
from gyrfalcon.monitors.schemas import State

_SEVERITY_ORDER = ("critical", "warning", "info")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class MonitorSignals:
    """Per service: how many monitors alert (with the worst severity) or fail to run."""

    module = "monitors"

    async def signals(self, session: AsyncSession) -> dict[str, list[ServiceSignal]]:
        rows = await session.execute(
            select(Service.name, Monitor.state, Monitor.severity, func.count())
            .join(Service, Service.id == Monitor.service_id)
            .where(Monitor.state.in_((State.ALERTING.value, State.ERROR.value)))
            .group_by(Service.name, Monitor.state, Monitor.severity)
        )
        alerting: dict[str, dict[str, int]] = {}
        errors: dict[str, int] = {}
        for service, state, severity, count in rows:
            if state == State.ALERTING.value:
                alerting.setdefault(service, {})[severity] = count
            else:
                errors[service] = errors.get(service, 0) + count
        found: dict[str, list[ServiceSignal]] = {}
        for service, by_severity in alerting.items():
            worst = min(by_severity, key=_SEVERITY_ORDER.index)
            found.setdefault(service, []).append(
                ServiceSignal(
                    module=self.module,
                    severity=worst,
                    text=f"{_plural(sum(by_severity.values()), 'monitor')} alerting",
                    link=_monitors_link(service, State.ALERTING),
                )
            )
        for service, count in errors.items():
            found.setdefault(service, []).append(
                ServiceSignal(
                    module=self.module,
                    severity="error",
                    text=f"{_plural(count, 'monitor')} cannot run",
                    link=_monitors_link(service, State.ERROR),
                )
            )
        return found


def _monitors_link(service: str, state: State) -> str:
    return f"/monitors?{urlencode({'service': service, 'state': state.value})}"
