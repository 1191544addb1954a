"""Load everything one run needs (definition, datasource credentials, base URL)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.catalog.service import DATASOURCES, Datasource, Service, load_definition
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.core.crypto import SecretBox, SecretDecryptionError
from gyrfalcon.monitors.checks.base import Plan
from gyrfalcon.monitors.models import Monitor
from gyrfalcon.monitors.schemas import Condition, HttpRequest, MonitorDefinition, MonitorType
from gyrfalcon.monitors.service import merged_secret_headers, secret_headers


async def plan_for(session: AsyncSession, monitor: Monitor, *, box: SecretBox) -> Plan:
    condition = Condition.model_validate(monitor.condition)
    kind = MonitorType(monitor.type)
    if kind == MonitorType.SQL:
        datasource = (
            await session.get(Datasource, monitor.datasource_id)
            if monitor.datasource_id is not None
            else None
        )
        return _sql_plan(monitor.query, datasource, condition, monitor.timeout_seconds, box)
    service = await session.get(Service, monitor.service_id)
    assert monitor.http is not None
    try:
        headers = secret_headers(monitor, box) if monitor.secrets else {}
    except SecretDecryptionError:
        return Plan(
            kind,
            condition,
            monitor.timeout_seconds,
            missing="the secret headers cannot be decrypted (the secret key changed): "
            "enter them again",
        )
    return Plan(
        kind,
        condition,
        monitor.timeout_seconds,
        base_url=service.base_url if service else None,
        http=HttpRequest.model_validate(monitor.http),
        secret_headers=headers,
    )


async def plan_for_definition(
    session: AsyncSession,
    definition: MonitorDefinition,
    *,
    service: Service,
    box: SecretBox,
    stored_secret_headers: dict[str, str],
) -> Plan:
    """A plan for an unsaved definition (preview); the saved monitor's secret headers
    fill in those not sent, and a sent empty value leaves one out."""
    if definition.type == MonitorType.SQL:
        datasource = await session.scalar(
            select(Datasource).where(
                Datasource.service_id == service.id, Datasource.name == definition.datasource
            )
        )
        return _sql_plan(
            definition.query, datasource, definition.condition, definition.timeout_seconds, box
        )
    assert definition.http is not None
    return Plan(
        definition.type,
        definition.condition,
        definition.timeout_seconds,
        base_url=service.base_url,
        http=definition.http,
        secret_headers=merged_secret_headers(stored_secret_headers, definition.http.secret_headers),
    )


def _sql_plan(
    query: str | None,
    datasource: Datasource | None,
    condition: Condition,
    timeout: float,
    box: SecretBox,
) -> Plan:
    if datasource is None:
        return Plan(MonitorType.SQL, condition, timeout, missing="its datasource was deleted")
    try:
        config = load_definition(DATASOURCES, datasource, box)
    except SecretDecryptionError:
        return Plan(
            MonitorType.SQL,
            condition,
            timeout,
            missing=f"the password of datasource '{datasource.name}' cannot be decrypted "
            "(the secret key changed): enter it again",
        )
    assert isinstance(config, DatasourceConfig)
    return Plan(
        MonitorType.SQL,
        condition,
        timeout,
        query=query,
        datasource=config,
        datasource_key=(datasource.id, datasource.updated_at),
    )
