"""Monitors as code: export every monitor as YAML, apply a YAML file idempotently.

A file is a mapping with a ``monitors`` list of definitions in the API's body
shape. Monitors are matched by (service, name): a new one is created, a
different one updated, an identical one left alone, so applying the same file
twice changes nothing the second time. Monitors missing from the file are not
deleted: a file may cover only some services or teams.

Secret headers are exported as ``********``; applying that marker keeps the
stored value, so an exported file round-trips without carrying secrets.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit.service import FieldChange, diff
from gyrfalcon.catalog import service as catalog
from gyrfalcon.catalog.service import Service
from gyrfalcon.core.crypto import SecretBox
from gyrfalcon.core.errors import InvalidInput, invalid_input, validation_errors
from gyrfalcon.core.security import ServiceScope
from gyrfalcon.monitors import service as monitors
from gyrfalcon.monitors.models import Monitor
from gyrfalcon.monitors.schemas import ApplyReport, MonitorDefinition, PlannedChange
from gyrfalcon.notify import service as notify

_HEADER = "# Gyrfalcon monitors. Apply with: gyrfalcon monitors apply -f <file> [--dry-run]\n"


async def export_yaml(
    session: AsyncSession, *, box: SecretBox, scope: ServiceScope, service: str | None
) -> str:
    statement = monitors.list_statement(
        scope=scope, service=service, state=None, severity=None, q=None
    )
    channels = await notify.channel_names(session)
    documents = [
        monitors.definition_of(monitors.as_located(row), box=box, channels=channels)
        for row in await session.execute(statement)
    ]
    body = yaml.safe_dump({"monitors": documents}, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body


def parse(text: str) -> list[MonitorDefinition]:
    """The file's definitions, or a 422 naming each bad field as ``monitors.N.field``."""
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput("yaml", f"not valid YAML: {exc}") from exc
    if not isinstance(loaded, dict) or not isinstance(loaded.get("monitors"), list):
        raise InvalidInput("yaml", "expected a mapping with a 'monitors' list")
    definitions: list[MonitorDefinition] = []
    errors: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for index, document in enumerate(loaded["monitors"]):
        try:
            definition = MonitorDefinition.model_validate(document)
        except ValidationError as exc:
            errors.extend(validation_errors(exc.errors(), prefix=("monitors", index)))
            continue
        key = (definition.service, definition.name)
        if key in seen:
            errors.append(
                {"field": f"monitors.{index}.name", "message": f"{key[0]}/{key[1]} appears twice"}
            )
        seen.add(key)
        definitions.append(definition)
    if errors:
        raise invalid_input(errors)
    return definitions


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    return MonitorDefinition.model_validate(document).model_dump(mode="json", exclude_none=True)


def _new_secrets(definition: MonitorDefinition) -> list[str]:
    if definition.http is None:
        return []
    return [
        name
        for name, value in definition.http.secret_headers.items()
        if value.get_secret_value() != monitors.SECRET_MARKER
    ]


async def apply_yaml(
    session: AsyncSession, *, box: SecretBox, text: str, dry_run: bool, scope: ServiceScope
) -> ApplyReport:
    definitions = parse(text)
    teams = await catalog.teams_by_service(session)
    for index, definition in enumerate(definitions):
        if definition.service not in teams or not scope.allows(
            definition.service, teams[definition.service]
        ):
            raise InvalidInput(
                f"monitors.{index}.service", f"no service named '{definition.service}'"
            )
    for definition in definitions:
        # Datasources and channels are checked for every monitor before any is written.
        await monitors.resolve(session, definition)
    channels = await notify.channel_names(session)
    planned: list[
        tuple[PlannedChange, MonitorDefinition, monitors.Located | None, dict[str, Any]]
    ] = []
    for definition in definitions:
        located = await _find(session, definition)
        after = definition.model_dump(mode="json", exclude_none=True)
        if located is None:
            planned.append(
                (
                    PlannedChange(
                        service=definition.service,
                        name=definition.name,
                        action="create",
                        changes=[],
                    ),
                    definition,
                    None,
                    {},
                )
            )
            continue
        before = monitors.definition_of(located, box=box, channels=channels)
        changes = diff(_comparable(before), _comparable(after))
        changes += [
            FieldChange(
                path=f"http.secret_headers.{name}",
                change="changed",
                old=monitors.SECRET_MARKER,
                new="(new value)",
            )
            for name in _new_secrets(definition)
        ]
        action = "update" if changes else "unchanged"
        planned.append(
            (
                PlannedChange(
                    service=definition.service, name=definition.name, action=action, changes=changes
                ),
                definition,
                located,
                before,
            )
        )
    if not dry_run:
        for change, definition, located, before in planned:
            if change.action == "create":
                await monitors.create_monitor(session, box=box, definition=definition)
            elif change.action == "update":
                assert located is not None
                await monitors.save_definition(
                    session, box=box, located=located, definition=definition, before=before
                )
    counts = {
        action: sum(1 for p in planned if p[0].action == action)
        for action in ("create", "update", "unchanged")
    }
    return ApplyReport(
        dry_run=dry_run,
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        monitors=[p[0] for p in planned],
    )


async def _find(session: AsyncSession, definition: MonitorDefinition) -> monitors.Located | None:
    monitor_id = await session.scalar(
        select(Monitor.id)
        .join(Service, Service.id == Monitor.service_id)
        .where(Service.name == definition.service, Monitor.name == definition.name)
    )
    if monitor_id is None:
        return None
    return await monitors.get_located(session, monitor_id=monitor_id)
