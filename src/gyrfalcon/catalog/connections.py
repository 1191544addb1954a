"""Create, read, update, delete and test catalog connections of any kind.

Definitions are validated by the kind's model, stored as JSON, and their
secret fields (every ``SecretStr`` field) are split off and encrypted. Reads
never carry a secret back, only ``<field>_set`` flags.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from gyrfalcon.audit import service as audit
from gyrfalcon.catalog.health import CATALOG_REVISION, last_test, record_test
from gyrfalcon.catalog.kinds import ConnectionKind
from gyrfalcon.catalog.models import ConnectionModel, Service, ServiceConnectionMixin
from gyrfalcon.catalog.schemas import ConnectionTestResult
from gyrfalcon.catalog.settings import CatalogSettings
from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.crypto import SecretBox, SecretDecryptionError
from gyrfalcon.core.db import flush_or_conflict
from gyrfalcon.core.errors import (
    Conflict,
    FieldError,
    NotFound,
    invalid_input,
    validation_errors,
)
from gyrfalcon.core.revisions import bump
from gyrfalcon.core.settings import Settings

_COMMON_FIELDS = ("name", "description")


def split_definition(definition: BaseModel) -> tuple[dict[str, Any], dict[str, str]]:
    """The storable (non-secret) fields and the secrets of a validated definition."""
    model = type(definition)
    config: dict[str, Any] = {}
    secrets: dict[str, str] = {}
    for field_name, value in definition.model_dump(
        mode="json", exclude=set(_COMMON_FIELDS)
    ).items():
        if _is_secret(model, field_name):
            raw = getattr(definition, field_name)
            if raw is not None:
                secrets[field_name] = raw.get_secret_value()
        elif not (field_name == "url" and value is None):  # an input-only URL, already expanded
            config[field_name] = value
    return config, secrets


def _secret_fields(kind: ConnectionKind) -> list[str]:
    # The PATCH model has the fields of every variant of the kind (e.g. all channel types).
    return [name for name in kind.update.model_fields if _secret_in_any(kind, name)]


def _is_secret(model: type[BaseModel], field_name: str) -> bool:
    annotation = model.model_fields[field_name].annotation
    return annotation is SecretStr or SecretStr in getattr(annotation, "__args__", ())


def _validate(kind: ConnectionKind, data: dict[str, Any]) -> ConnectionConfig:
    try:
        definition: ConnectionConfig = kind.adapter.validate_python(data)
    except ValidationError as exc:
        raise invalid_input(validation_errors(exc.errors())) from exc
    return definition


def check_definition(
    kind: ConnectionKind, definition: ConnectionConfig, settings: Settings
) -> None:
    """The kind's deployment rules (e.g. where SQLite files may be), as a 422 naming the field."""
    try:
        kind.check(definition, settings)
    except FieldError as exc:
        raise invalid_input([{"field": exc.field, "message": str(exc)}]) from exc


def load_definition(
    kind: ConnectionKind,
    row: ConnectionModel,
    box: SecretBox,
    *,
    changes: BaseModel | None = None,
    unreadable_secrets_ok: bool = False,
) -> ConnectionConfig:
    """The full definition of a stored connection, secrets included (for testers and
    adapters), with ``changes`` (a PATCH body) applied when given.

    Secrets that cannot be decrypted any more raise a 409 that says so, unless
    ``unreadable_secrets_ok``: an update may then enter them again."""
    try:
        secrets = box.decrypt(row.secrets)
    except SecretDecryptionError:
        if not unreadable_secrets_ok:
            raise
        secrets = {}
    stored = {**row.config, "name": row.name, "description": row.description, **secrets}
    if changes is None:
        return _validate(kind, stored)
    return _apply_changes(kind, stored, _sent_fields(changes))


def _apply_changes(
    kind: ConnectionKind, stored: dict[str, Any], sent: dict[str, Any]
) -> ConnectionConfig:
    """The stored definition with a PATCH applied, validated.

    When the changes move the connection somewhere else (an address field of the kind's
    ``address_fields`` differs, or the channel type changes), the stored secrets that the
    request did not enter again are dropped: a password must never follow a connection to
    an address its owner did not send it to (see docs/security.md)."""
    merged = merge_patch(kind, stored, sent)
    changed = _validate(kind, merged)
    if _moved(kind, stored, changed):
        for field_name in _secret_fields(kind):
            if field_name not in sent:
                merged.pop(field_name, None)
        changed = _validate(kind, merged)
    return changed


def _moved(kind: ConnectionKind, stored: dict[str, Any], changed: ConnectionConfig) -> bool:
    try:
        current = kind.adapter.validate_python(stored)
    except ValidationError:
        return True  # no longer valid as stored: nothing vouches for the old address
    return address_of(current) != address_of(changed)


def address_of(definition: ConnectionConfig) -> tuple[Any, ...]:
    """Where a definition's secrets are sent: its type and its address fields' values."""
    fields = type(definition).address_fields
    return (type(definition), *(getattr(definition, name) for name in fields))


def _sent_fields(patch: BaseModel) -> dict[str, Any]:
    return {name: getattr(patch, name) for name in patch.model_fields_set}


def to_read(kind: ConnectionKind, row: ConnectionModel, box: SecretBox, service: str | None) -> Any:
    """The API view of a stored connection: its stored fields and which secrets are set.

    Built from the stored JSON without re-validating, so a connection whose secrets
    cannot be decrypted any more (the SECRET_KEY changed) is still listed, with its
    secrets shown as not set, ready to be entered again.
    """
    try:
        secret_names = set(box.decrypt(row.secrets))
    except SecretDecryptionError:
        secret_names = set()
    flags = {f"{name}_set": name in secret_names for name in _secret_fields(kind)}
    return kind.read_adapter.validate_python(
        {
            **row.config,
            **flags,
            **kind.read_extras(row.config),
            "id": row.id,
            "name": row.name,
            "description": row.description,
            "service": service,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
            "last_test": last_test(row),
        }
    )


def list_statement(kind: ConnectionKind, service: Service | None) -> Select[Any]:
    statement = select(kind.model).order_by(kind.model.name)
    if service is not None:
        assert issubclass(kind.model, ServiceConnectionMixin)
        statement = statement.where(kind.model.service_id == service.id)
    return statement


async def list_connections(
    session: AsyncSession, kind: ConnectionKind, *, service: Service | None
) -> list[ConnectionModel]:
    """Every connection of ``kind`` (of ``service``, for a per-service kind), by name."""
    return list(await session.scalars(list_statement(kind, service)))


async def get_connection(
    session: AsyncSession, kind: ConnectionKind, *, service: Service | None, connection_id: int
) -> ConnectionModel:
    row: ConnectionModel | None = await session.scalar(
        list_statement(kind, service).where(kind.model.id == connection_id)
    )
    if row is None:
        where = f" of service '{service.name}'" if service else ""
        raise NotFound(f"No {kind.label} with id {connection_id}{where}.")
    return row


async def _ensure_unique_name(
    session: AsyncSession,
    kind: ConnectionKind,
    *,
    service: Service | None,
    name: str,
    except_id: int | None = None,
) -> None:
    statement = list_statement(kind, service).where(kind.model.name == name)
    if except_id is not None:
        statement = statement.where(kind.model.id != except_id)
    if await session.scalar(statement) is not None:
        where = f" in service '{service.name}'" if service else ""
        raise Conflict(f"A {kind.label} named '{name}' already exists{where}.")


async def create_connection(
    session: AsyncSession,
    kind: ConnectionKind,
    *,
    box: SecretBox,
    settings: Settings,
    service: Service | None,
    definition: ConnectionConfig,
) -> ConnectionModel:
    check_definition(kind, definition, settings)
    config, secrets = split_definition(definition)
    name: str = definition.name
    await _ensure_unique_name(session, kind, service=service, name=name)
    row = kind.model()
    row.name = name
    row.description = definition.description
    row.config = config
    row.secrets = box.encrypt(secrets) if secrets else None
    if isinstance(row, ServiceConnectionMixin):
        assert service is not None
        row.service_id = service.id
        await bump(session, CATALOG_REVISION)  # the service's connection counts change
    session.add(row)
    await flush_or_conflict(session, f"A {kind.label} named '{name}' already exists.")
    _audit(session, kind, "create", service, after=to_read(kind, row, box, _name(service)))
    await session.commit()
    return row


def merge_patch(
    kind: ConnectionKind, current: dict[str, Any], patch: dict[str, Any]
) -> dict[str, Any]:
    """The stored definition with a PATCH applied: sent fields win, null clears a secret,
    and a sent URL replaces every field it encodes (the password only if it has one)."""
    merged = dict(current)
    if patch.get("url") is not None:
        for field_name in getattr(kind.definition, "url_replaces", ()):
            merged.pop(field_name, None)
    for field_name, value in patch.items():
        if isinstance(value, SecretStr):
            merged[field_name] = value.get_secret_value()
        elif value is None and _secret_in_any(kind, field_name):
            merged.pop(field_name, None)
        else:
            merged[field_name] = value
    return merged


def _secret_in_any(kind: ConnectionKind, field_name: str) -> bool:
    annotation = kind.update.model_fields[field_name].annotation
    return SecretStr in getattr(annotation, "__args__", ())


async def update_connection(
    session: AsyncSession,
    kind: ConnectionKind,
    *,
    box: SecretBox,
    settings: Settings,
    service: Service | None,
    row: ConnectionModel,
    patch: BaseModel,
) -> ConnectionModel:
    before = to_read(kind, row, box, _name(service))
    definition = load_definition(kind, row, box, changes=patch, unreadable_secrets_ok=True)
    check_definition(kind, definition, settings)
    config, secrets = split_definition(definition)
    name: str = definition.name
    await _ensure_unique_name(session, kind, service=service, name=name, except_id=row.id)
    row.name = name
    row.description = definition.description
    row.config = config
    row.secrets = box.encrypt(secrets) if secrets else None
    await flush_or_conflict(session, f"A {kind.label} named '{name}' already exists.")
    after = to_read(kind, row, box, _name(service))
    _audit(session, kind, "update", service, before=before, after=after)
    await session.commit()
    return row


async def delete_connection(
    session: AsyncSession,
    kind: ConnectionKind,
    *,
    box: SecretBox,
    service: Service | None,
    row: ConnectionModel,
) -> None:
    await remove_connection(session, kind, box=box, service=service, row=row)
    await session.commit()


async def remove_connection(
    session: AsyncSession,
    kind: ConnectionKind,
    *,
    box: SecretBox,
    service: Service | None,
    row: ConnectionModel,
) -> None:
    """Delete ``row`` with its audit record, in the caller's transaction."""
    before = to_read(kind, row, box, _name(service))
    await session.delete(row)
    if isinstance(row, ServiceConnectionMixin):
        await bump(session, CATALOG_REVISION)
    _audit(session, kind, "delete", service, before=before)


def _name(service: Service | None) -> str | None:
    return service.name if service else None


def _audit(
    session: AsyncSession,
    kind: ConnectionKind,
    verb: str,
    service: Service | None,
    *,
    before: BaseModel | None = None,
    after: BaseModel | None = None,
) -> None:
    shown = after or before
    assert shown is not None
    object_type = kind.label.replace(" ", "_")
    audit.record(
        session,
        action=f"{object_type}.{verb}",
        object_type=object_type,
        object_id=getattr(shown, "id", None),
        object_name=getattr(shown, "name", ""),
        service=_name(service),
        before=before,
        after=after,
    )


async def test_definition(
    kind: ConnectionKind,
    definition: ConnectionConfig,
    *,
    settings: Settings,
    base_url: str | None,
) -> ConnectionTestResult:
    check_definition(kind, definition, settings)
    return await kind.tester.test(
        definition,
        timeout=settings.section(CatalogSettings).connection_test_timeout_seconds,
        base_url=base_url,
    )


async def test_saved(
    session: AsyncSession,
    kind: ConnectionKind,
    *,
    box: SecretBox,
    settings: Settings,
    service: Service | None,
    row: ConnectionModel,
    now: datetime,
) -> ConnectionTestResult:
    """Test the saved definition and keep the result as the connection's last test.

    A definition whose secrets cannot be decrypted any more is a failed test: the
    connection cannot be used until someone enters them again."""
    try:
        definition = load_definition(kind, row, box)
    except SecretDecryptionError as exc:
        result = ConnectionTestResult(ok=False, latency_ms=None, message=str(exc.detail))
    else:
        result = await test_definition(
            kind,
            definition,
            settings=settings,
            base_url=service.base_url if service else None,
        )
    await record_test(session, row, result, now=now)
    return result
