"""Bodies of the audit API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from gyrfalcon.audit.diff import FieldChange
from gyrfalcon.core.pagination import Page


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_kind: str
    actor_user_id: int | None
    actor_name: str
    source_address: str | None
    request_id: str | None
    action: str
    object_type: str
    object_id: str | None
    object_name: str
    service: str | None


class AuditDetail(AuditRead):
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changes: list[FieldChange]


class AuditPage(Page[AuditRead]):
    pass


class AuditFacets(BaseModel):
    """The values the filters can take: what the caller's scope has on record, sorted.

    The UI's pickers offer these rather than asking for exact names, so a new action or
    object type (a new module) shows up there without a UI change.
    """

    actors: list[str]
    actions: list[str]
    object_types: list[str]
    services: list[str]
