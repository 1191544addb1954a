"""Bodies of the monitors API, which are also the monitors-as-code YAML documents.

References to other objects are by name (the datasource within the monitor's
service, notification channels), so a definition reads the same in the API, in
the UI and in a YAML file kept in a repository; they are stored as ids, so a
rename elsewhere follows through.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    field_validator,
    model_validator,
)

from gyrfalcon.audit.service import FieldChange
from gyrfalcon.connectors.http import validate_headers
from gyrfalcon.connectors.service_urls import validate_path
from gyrfalcon.core.errors import FieldError
from gyrfalcon.core.fields import Description, EmailAddress, Name, Slug
from gyrfalcon.core.pagination import Page
from gyrfalcon.core.params import Timestamp
from gyrfalcon.core.partial import partial_model
from gyrfalcon.monitors.checks.sql_guard import validate_query
from gyrfalcon.monitors.jsonpath import parse_json_path
from gyrfalcon.monitors.schedule import validate_cron
from gyrfalcon.notify.service import NotificationRead

MIN_INTERVAL_SECONDS = 10
MAX_TIMEOUT_SECONDS = 300


class MonitorType(StrEnum):
    SQL = "sql"
    HTTP = "http"


class State(StrEnum):
    PENDING = "PENDING"
    """No run yet, or failing fewer times in a row than the condition asks for."""
    OK = "OK"
    ALERTING = "ALERTING"
    ERROR = "ERROR"
    PAUSED = "PAUSED"


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


class Operator(StrEnum):
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "=="
    NE = "!="


class ValueSource(StrEnum):
    FIRST_CELL = "first_cell"
    ROW_COUNT = "row_count"
    COLUMN = "column"
    JSON_PATH = "json_path"
    STATUS_CODE = "status_code"


SQL_SOURCES = frozenset({ValueSource.FIRST_CELL, ValueSource.ROW_COUNT, ValueSource.COLUMN})
HTTP_SOURCES = frozenset({ValueSource.JSON_PATH, ValueSource.STATUS_CODE})


class Schedule(BaseModel):
    """Every N seconds, or a cron expression evaluated in a time zone."""

    model_config = ConfigDict(extra="forbid")

    every_seconds: Annotated[int, Field(ge=MIN_INTERVAL_SECONDS, le=7 * 86400)] | None = None
    cron: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    timezone: Annotated[str, StringConstraints(max_length=64)] = "UTC"

    @model_validator(mode="after")
    def _one_kind(self) -> Schedule:
        if (self.every_seconds is None) == (self.cron is None):
            raise FieldError("every_seconds", "give either every_seconds or cron, not both")
        if self.cron is not None:
            try:
                validate_cron(self.cron)
            except ValueError as exc:
                raise FieldError("cron", str(exc)) from exc
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise FieldError("timezone", f"unknown time zone '{self.timezone}'") from exc
        return self


Threshold = float | Annotated[str, StringConstraints(max_length=200)]


class Condition(BaseModel):
    """When the result means dirty data."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["threshold", "any_rows"] = "threshold"
    value: ValueSource = ValueSource.FIRST_CELL
    column: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    json_path: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None
    operator: Operator = Operator.GT
    threshold: Threshold | None = 0.0
    consecutive: Annotated[int, Field(ge=1, le=100)] = Field(
        default=1, description="Alert only after this many failing evaluations in a row"
    )

    @model_validator(mode="after")
    def _complete(self) -> Condition:
        if self.kind == "any_rows":
            return self
        if self.threshold is None:
            raise FieldError("threshold", "a threshold condition needs a threshold")
        if isinstance(self.threshold, str) and self.operator not in (Operator.EQ, Operator.NE):
            raise FieldError("threshold", f"'{self.operator}' compares numbers: give a number")
        if self.value == ValueSource.COLUMN and not self.column:
            raise FieldError("column", "name the column whose value is compared")
        if self.value == ValueSource.JSON_PATH:
            if not self.json_path:
                raise FieldError("json_path", "give the JSON path of the value, e.g. $.count")
            try:
                parse_json_path(self.json_path)
            except ValueError as exc:
                raise FieldError("json_path", str(exc)) from exc
        return self


HeaderName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")]
HeaderValue = Annotated[str, StringConstraints(max_length=4000)]
# RFC 9110 field-value: visible characters (and obs-text), inner spaces and tabs.
_FIELD_VALUE = re.compile(r"([\x21-\x7e\x80-\xff]([\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?")


class HttpRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["GET", "POST", "PUT", "HEAD"] = "GET"
    path: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
    headers: Annotated[dict[HeaderName, HeaderValue], Field(max_length=30)] = {}
    secret_headers: Annotated[dict[HeaderName, SecretStr], Field(max_length=10)] = Field(
        default={},
        description="Headers kept encrypted and never shown again (e.g. Authorization)",
    )
    body: Annotated[str, StringConstraints(max_length=65536)] | None = None

    @field_validator("path")
    @classmethod
    def _under_service(cls, value: str) -> str:
        return validate_path(value)

    @model_validator(mode="after")
    def _allowed_headers(self) -> HttpRequest:
        for field_name in ("headers", "secret_headers"):
            try:
                validate_headers(dict.fromkeys(getattr(self, field_name), ""))
            except ValueError as exc:
                raise FieldError(field_name, str(exc)) from exc
        values = {
            **{("headers", name): value for name, value in self.headers.items()},
            **{
                ("secret_headers", name): value.get_secret_value()
                for name, value in self.secret_headers.items()
            },
        }
        for (field_name, name), value in values.items():
            if not _FIELD_VALUE.fullmatch(value):
                # Never quoted: the value may be a secret.
                raise FieldError(
                    f"{field_name}.{name}",
                    "a header value may hold printable characters, spaces and tabs only "
                    "(no line breaks or control characters), and no space at either end",
                )
        return self


class Notify(BaseModel):
    """Who hears about state changes, and when."""

    model_config = ConfigDict(extra="forbid")

    channels: Annotated[list[Name], Field(max_length=20)] = Field(
        default=[], description="Notification channels by name"
    )
    emails: Annotated[
        list[EmailAddress],
        Field(max_length=50),
    ] = Field(default=[], description="Extra addresses, sent through the email channels above")
    on_error: bool = Field(
        default=True, description="Also alert when the check itself fails (ERROR)"
    )
    renotify_minutes: Annotated[int, Field(ge=1, le=10080)] | None = Field(
        default=None, description="Remind every N minutes while still alerting"
    )


class MonitorDefinition(BaseModel):
    """A whole monitor as written by a person (API body, YAML document)."""

    model_config = ConfigDict(extra="forbid")

    service: Slug
    name: Name
    description: Description = ""
    type: MonitorType
    datasource: Name | None = Field(default=None, description="SQL: datasource of the service")
    query: Annotated[str, StringConstraints(max_length=100_000)] | None = Field(
        default=None, description="SQL: one read-only statement"
    )
    http: HttpRequest | None = Field(default=None, description="HTTP: the request to send")
    schedule: Schedule
    timeout_seconds: Annotated[float, Field(gt=0, le=MAX_TIMEOUT_SECONDS)] = 30
    enabled: bool = True
    severity: Severity = Severity.WARNING
    runbook_url: AnyHttpUrl | None = None
    condition: Condition
    notify: Notify = Notify()

    @model_validator(mode="after")
    def _fits_type(self) -> MonitorDefinition:
        if self.type == MonitorType.SQL:
            if not self.datasource:
                raise FieldError("datasource", "an SQL monitor needs a datasource of its service")
            if not self.query:
                raise FieldError("query", "an SQL monitor needs a query")
            try:
                self.query = validate_query(self.query)
            except ValueError as exc:
                raise FieldError("query", str(exc)) from exc
            sources = SQL_SOURCES
        else:
            if self.http is None:
                raise FieldError("http", "an HTTP monitor needs a request (method and path)")
            sources = HTTP_SOURCES
        condition = self.condition
        if condition.kind == "any_rows" and self.type == MonitorType.HTTP:
            raise FieldError("condition", "'any_rows' applies to SQL monitors only")
        if condition.kind == "threshold" and condition.value not in sources:
            allowed = ", ".join(sorted(sources))
            raise FieldError("condition", f"a {self.type} monitor takes its value from {allowed}")
        return self


_MonitorFields = partial_model(MonitorDefinition, "MonitorUpdate", exclude=("service", "type"))


class MonitorUpdate(_MonitorFields):  # type: ignore[misc, valid-type]
    """A PATCH: sent fields replace the stored ones (nested objects whole); the merged
    monitor is validated whole."""


class HttpRequestRead(BaseModel):
    method: str
    path: str
    headers: dict[str, str]
    secret_headers: list[str] = Field(description="Names of the encrypted headers")
    body: str | None


class MonitorRead(BaseModel):
    id: int
    service: str
    name: str
    description: str
    type: MonitorType
    datasource: str | None
    datasource_id: int | None
    query: str | None
    http: HttpRequestRead | None
    schedule: Schedule
    timeout_seconds: float
    enabled: bool
    severity: Severity
    runbook_url: str | None
    condition: Condition
    condition_text: str
    notify: Notify
    state: State
    state_since: datetime
    failing_streak: int
    last_run_at: datetime | None
    last_value: float | None
    last_value_text: str | None
    last_error: str | None
    next_run_at: datetime | None
    muted_until: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    created_at: datetime
    updated_at: datetime


class MonitorPage(Page[MonitorRead]):
    pass


class RunOutcome(StrEnum):
    PASS = "pass"  # noqa: S105 - a run outcome, not a password
    FAIL = "fail"
    ERROR = "error"


class RunRead(BaseModel):
    """What one run gave."""

    duration_ms: float
    outcome: RunOutcome
    state: State
    value: float | None
    value_text: str | None
    error: str | None
    sample: dict[str, Any] | None


class PreviewRead(RunRead):
    """One run of an unsaved definition; nothing is stored or sent."""


class ResultRead(RunRead):
    """A stored run."""

    id: int
    monitor_id: int
    trigger: Literal["schedule", "manual"]
    scheduled_for: datetime | None
    started_at: datetime


class ResultPage(Page[ResultRead]):
    pass


class SchedulePreview(BaseModel):
    next_runs: list[datetime]


class EventKind(StrEnum):
    ALERTING = "alerting"
    ERROR = "error"
    RECOVERED = "recovered"
    REMINDER = "reminder"
    PENDING = "pending"
    PAUSED = "paused"
    RESUMED = "resumed"
    MUTED = "muted"
    UNMUTED = "unmuted"
    ACKNOWLEDGED = "acknowledged"


class EventRead(BaseModel):
    id: int
    monitor_id: int
    at: datetime
    kind: EventKind
    from_state: State | None
    to_state: State | None
    value_text: str | None
    message: str
    actor: str | None
    notifications: list[NotificationRead]


class EventPage(Page[EventRead]):
    pass


class MuteRequest(BaseModel):
    until: Timestamp = Field(description="No notifications until this time (UTC if no zone)")


class AlertRead(BaseModel):
    """A monitor that needs attention now (ALERTING or ERROR)."""

    monitor: MonitorRead
    muted: bool
    acknowledged: bool


class AlertPage(Page[AlertRead]):
    pass


class PlannedChange(BaseModel):
    service: str
    name: str
    action: Literal["create", "update", "unchanged"]
    changes: list[FieldChange] = Field(description="Field by field, for updates")


class ApplyReport(BaseModel):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    monitors: list[PlannedChange]
