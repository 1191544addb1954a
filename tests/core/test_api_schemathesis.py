"""The whole API against its own OpenAPI document, fuzzed by schemathesis (issue 8,
item 15): no 500, every status and content type documented, every response matching
its schema, and invalid input rejected.

One platform backend (SQLite) keeps the run short; the other backends meet the same
routes in the feature tests. The run is deterministic: hypothesis is derandomized and
keeps no example database, so a failure reproduces and a pass stays a pass.

It runs as an admin through the session cookie with the CSRF header, so every route
is reached past its guard. Left out of the fuzz run, and why:

* the connection tests (``POST .../test``, ``.../{connection_id}/test``), the channel
  send-test, and the monitor run and preview: they connect to the host they are given
  (a datasource, Redis, Kafka, an SMTP or webhook endpoint, an HTTP check's URL), and
  generated hosts must not send traffic off this machine; each has its own tests
  against local services; so are listing a cluster's topics, and creating and changing
  a subscription, which ask the Kafka cluster for its topics (tests/messages);
* ``GET /messages/tail``, a stream of server-sent events that ends only when the client
  goes away (tests/messages read it directly);
* ``POST /auth/logout`` and ``POST /auth/login``: the first ends the session the run
  relies on, the second would start failed-login limits for the run's own address;
  both are covered in tests/auth;
* ``PATCH /users/{user_id}`` on the run's own account could disable it midway; the
  route is fuzzed on other ids.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.modes import GenerationMode
from schemathesis.python import asgi

from gyrfalcon.app import create_app
from gyrfalcon.auth import service as auth
from gyrfalcon.core import migrate
from gyrfalcon.core.db import Database
from tests.conftest import ADMIN_PASSWORD, make_settings

ADMIN = "fuzz-admin"
_OUTBOUND = re.compile(r"(/test|/send-test|/run|/monitors/preview)$")
# Calls that ask a Kafka cluster of the catalog for its topics, or publish to it.
_ASKS_A_CLUSTER = {
    ("POST", "/api/v1/messages/{subscription_id}/{partition}/{offset}/replay"),
    ("GET", "/api/v1/topics"),
    ("POST", "/api/v1/subscriptions"),
    ("PATCH", "/api/v1/subscriptions/{subscription_id}"),
}
# Calls that end or change the fuzzing admin's own credentials.
# A live tail streams until the client goes away: a call would never end.
_ENDLESS = {("GET", "/api/v1/messages/tail")}
_SESSION_ENDING = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/me/password"),
    ("POST", "/api/v1/users/{user_id}/password"),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Bodies whose validity JSON Schema cannot say: rows they name must exist (role ids,
# usernames), fields depend on each other (a schedule's every_seconds or cron, a
# grant's scope and targets, a channel's kind), or a value has a form checked in code
# (a URL's scheme, host:port, the YAML of monitors as code). A schema-valid body may
# meet a 422 there, so valid data is not required to pass; everywhere else it is.
# Every connection kind checks its address in code (a host for network databases,
# a redis:// URL, host:port lists). A token's lifetime is bounded by a setting
# (GYRFALCON_TOKEN_MAX_LIFETIME_DAYS) below the schema's own bound, and a new user's
# password by the password policy (its length a setting, common passwords refused).
# Uploaded .proto files must compile. A message search's filters on decoded fields are
# a JSON list inside a query parameter, and an indexed field goes with its value.
CONNECTION_WRITES = re.compile(
    r"^(POST|PATCH) /api/v1/(services/\{service\}/[a-z-]+|kafka-clusters|notification-channels)"
    r"(/\{connection_id\})?$"
)
RULES_BEYOND_SCHEMA = {
    "POST /api/v1/services",
    "PATCH /api/v1/services/{service}",
    "POST /api/v1/kafka-clusters",
    "PATCH /api/v1/kafka-clusters/{connection_id}",
    "POST /api/v1/notification-channels",
    "PATCH /api/v1/notification-channels/{connection_id}",
    "POST /api/v1/monitors",
    "PATCH /api/v1/monitors/{monitor_id}",
    "POST /api/v1/monitors/schedule-preview",
    "POST /api/v1/monitors/apply",
    "POST /api/v1/roles",
    "PATCH /api/v1/roles/{role_id}",
    "POST /api/v1/teams",
    "PATCH /api/v1/teams/{team}",
    "POST /api/v1/users",
    "PATCH /api/v1/users/{user_id}",
    "POST /api/v1/directory-group-mappings",
    "POST /api/v1/auth/tokens",
    "POST /api/v1/schemas",
    "GET /api/v1/messages",
    "GET /api/v1/messages/export",
}
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}


async def _prepare_database(url: str, data_dir: Path) -> int:
    settings = make_settings(url, data_dir)
    database = Database(settings.resolved_database_url)
    try:
        await migrate.upgrade(database, settings.resolved_database_url)
        async with database.sessionmaker() as session:
            user = await auth.create_user(
                session, username=ADMIN, password=ADMIN_PASSWORD, is_admin=True
            )
            await session.commit()
            return user.id
    finally:
        await database.dispose()


def _login_headers(app: Any) -> dict[str, str]:
    with asgi.get_client(app) as client:
        login = client.post(
            f"http://{asgi.HOST}/api/v1/auth/login",
            json={"username": ADMIN, "password": ADMIN_PASSWORD},
        )
        assert login.status_code == 200, login.text
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return {"Cookie": cookies, "X-CSRF-Token": client.cookies["gyrfalcon_csrf"]}


def _skipped(case: Any, admin_id: int) -> bool:
    path: str = case.operation.path
    call = (case.method.upper(), path)
    if _OUTBOUND.search(path) or call in _SESSION_ENDING | _ASKS_A_CLUSTER | _ENDLESS:
        return True
    own_account = path == "/api/v1/users/{user_id}" and case.method.upper() == "PATCH"
    return own_account and (case.path_parameters or {}).get("user_id") == admin_id


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], admin_id: int) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def examples(case: Any) -> None:
        if not _skipped(case, admin_id):
            case.call_and_validate(headers=headers, checks=checks)

    checks = list(CHECKS)
    if operation.label not in RULES_BEYOND_SCHEMA and not CONNECTION_WRITES.match(operation.label):
        checks.append(positive_data_acceptance)

    examples()


def test_api_conforms_to_its_openapi(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gyrfalcon.db'}"
    admin_id = asyncio.run(_prepare_database(url, tmp_path))
    app = create_app(make_settings(url, tmp_path), run_services=False)
    headers = _login_headers(app)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=headers)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in EXAMPLES:
            try:
                _fuzz(operation, mode, headers, admin_id)
            except Unsatisfiable:
                # No invalid input exists for an operation without parameters or body.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (AssertionError, BaseExceptionGroup) as exc:  # every operation's failure
                failures.append(f"{operation.label} [{mode}]: {exc}")
    assert operations > 50
    assert failures == [], "\n\n".join(failures)
