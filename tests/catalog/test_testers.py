"""Connection testers against real servers: success and the usual ways to fail.

PostgreSQL, MariaDB and Redis are the machine's own; Kafka, SMTP and the HTTP
receiver (which stands in for Slack's servers and for webhook endpoints, since
neither can be reached from here) come from ``conftest.py``. PostgreSQL trusts
every login from 127.0.0.1 (pg_hba ``trust``), so a wrong password can only be
shown on MariaDB; PostgreSQL shows an unknown database and an unknown role.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from gyrfalcon.catalog.schemas import ConnectionTestResult, DebugEndpointConfig
from gyrfalcon.catalog.testers.http import DebugEndpointTester
from gyrfalcon.catalog.testers.kafka import KafkaTester
from gyrfalcon.catalog.testers.redis import RedisTester
from gyrfalcon.catalog.testers.sql import SqlTester
from gyrfalcon.connectors.kafka import KafkaClusterConfig
from gyrfalcon.connectors.redis import RedisConfig
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.jobs.kind import JobBackendConfig
from gyrfalcon.jobs.tester import JobBackendTester
from gyrfalcon.notify.channels.definitions import (
    EmailChannelConfig,
    SlackChannelConfig,
    WebhookChannelConfig,
)
from gyrfalcon.notify.channels.tester import TEST_TEXT, SmtpTester, WebhookTester
from gyrfalcon.notify.channels.webhooks import SIGNATURE_HEADER
from tests.catalog.conftest import (
    LOCALHOST,
    SMTP_PASSWORD,
    SMTP_USER,
    Account,
    Broker,
    Receiver,
    SmtpServers,
)

TIMEOUT = 5.0
MISSING_HOST = "gyrfalcon-nowhere.invalid"


def _unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _no_secret(result: ConnectionTestResult, *secrets: str) -> None:
    shown = result.message + repr(result.details)
    for secret in secrets:
        assert secret not in shown


# --- SQL ----------------------------------------------------------------------------------


def _pg(**fields: Any) -> DatasourceConfig:
    values: dict[str, Any] = {
        "host": LOCALHOST,
        "port": 5432,
        "database": "postgres",
        "username": "postgres",
    }
    return DatasourceConfig(name="pg", dialect="postgresql", **{**values, **fields})


def _maria(**fields: Any) -> DatasourceConfig:
    values: dict[str, Any] = {"host": LOCALHOST, "port": 3306, "username": "root"}
    return DatasourceConfig(name="maria", dialect="mysql", **{**values, **fields})


async def _sql(config: DatasourceConfig, timeout: float = TIMEOUT) -> ConnectionTestResult:
    return await SqlTester().test(config, timeout=timeout, base_url=None)


async def test_postgres_connects_and_reports_version() -> None:
    result = await _sql(_pg())
    assert result.ok, result.message
    assert result.message == "connected and ran SELECT 1 on postgres"
    assert result.latency_ms is not None and result.latency_ms > 0
    assert result.details["dialect"] == "postgresql"
    assert result.details["driver"] == "psycopg"
    assert result.details["server_version"].split(".")[0].isdigit()


async def test_postgres_async_driver_is_tested_through_its_sync_sibling() -> None:
    result = await _sql(
        DatasourceConfig(name="pg", url=f"postgresql+asyncpg://postgres@{LOCALHOST}:5432/postgres")
    )
    assert result.ok, result.message
    assert result.details["driver"] == "psycopg"


async def test_postgres_unknown_database() -> None:
    result = await _sql(_pg(database="gyr_no_such_db"))
    assert not result.ok
    assert result.latency_ms is None
    assert result.message == "database 'gyr_no_such_db' does not exist"


async def test_postgres_unknown_role() -> None:
    result = await _sql(_pg(username="gyr_no_such_role"))
    assert result.message == "authentication failed for user 'gyr_no_such_role': no such role"


async def test_mariadb_connects_with_password(mariadb_account: Account) -> None:
    config = _maria(username=mariadb_account.username, password=mariadb_account.password)
    result = await _sql(config)
    assert result.ok, result.message
    assert result.message == "connected and ran SELECT 1"
    assert result.details["dialect"] in ("mysql", "mariadb")


async def test_mariadb_wrong_password(mariadb_account: Account) -> None:
    result = await _sql(_maria(username=mariadb_account.username, password="not-the-password"))
    assert not result.ok
    assert result.message == f"authentication failed for user '{mariadb_account.username}'"
    _no_secret(result, "not-the-password")


async def test_mariadb_unknown_database() -> None:
    result = await _sql(_maria(database="gyr_no_such_db"))
    assert result.message == "database 'gyr_no_such_db' does not exist"


async def test_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "data.db"
    path.touch()
    result = await _sql(DatasourceConfig(name="lite", dialect="sqlite", database=str(path)))
    assert result.ok, result.message
    assert result.details["dialect"] == "sqlite"


async def test_sqlite_missing_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    result = await _sql(DatasourceConfig(name="lite", dialect="sqlite", database=str(path)))
    assert result.message == f"SQLite file '{path}' does not exist"
    assert not path.exists()


# --- Redis and job backends ------------------------------------------------------------------


async def _redis(config: RedisConfig, timeout: float = TIMEOUT) -> ConnectionTestResult:
    return await RedisTester().test(config, timeout=timeout, base_url=None)


async def test_redis_connects() -> None:
    result = await _redis(RedisConfig(name="cache", host=LOCALHOST, port=6379, db=2))
    assert result.ok, result.message
    assert result.message.startswith("connected to Redis ")
    assert result.message.endswith(", db 2")
    assert result.details["db"] == 2


async def test_redis_acl_user(redis_account: Account) -> None:
    config = RedisConfig(
        name="cache", username=redis_account.username, password=redis_account.password
    )
    assert (await _redis(config)).ok


async def test_redis_wrong_password(redis_account: Account) -> None:
    config = RedisConfig(name="cache", username=redis_account.username, password="wrong-pass")
    result = await _redis(config)
    assert result.message == f"authentication failed for user '{redis_account.username}'"
    _no_secret(result, "wrong-pass")


async def test_redis_missing_db() -> None:
    result = await _redis(RedisConfig(name="cache", db=1024))
    assert result.message == "database 1024 does not exist on this server"


# --- Kafka --------------------------------------------------------------------------------


async def _kafka(config: KafkaClusterConfig, timeout: float = TIMEOUT) -> ConnectionTestResult:
    return await KafkaTester().test(config, timeout=timeout, base_url=None)


async def test_kafka_metadata(kafka_broker: Broker) -> None:
    result = await _kafka(
        KafkaClusterConfig(name="bus", bootstrap_servers=[kafka_broker.bootstrap])
    )
    assert result.ok, result.message
    assert result.details["brokers"] == 1
    assert result.details["topics"] >= 1
    assert result.message == (
        f"cluster metadata from {kafka_broker.bootstrap}: 1 broker(s), "
        f"{result.details['topics']} topic(s)"
    )


async def test_kafka_skips_a_dead_bootstrap_server(kafka_broker: Broker, refused_port: int) -> None:
    dead = f"{LOCALHOST}:{refused_port}"
    config = KafkaClusterConfig(name="bus", bootstrap_servers=[dead, kafka_broker.bootstrap])
    result = await _kafka(config)
    assert result.ok, result.message
    assert result.details["unreachable"] == {dead: f"connection refused by {dead}"}


async def test_kafka_all_bootstrap_servers_down(refused_port: int) -> None:
    servers = [f"{LOCALHOST}:{refused_port}", f"{MISSING_HOST}:9092"]
    result = await _kafka(KafkaClusterConfig(name="bus", bootstrap_servers=servers))
    assert result.message == (
        f"no bootstrap server answered ({servers[0]}: connection refused by {servers[0]}; "
        f"{servers[1]}: host name not found: '{MISSING_HOST}')"
    )


async def test_kafka_sasl_rejected(kafka_auth_broker: Broker) -> None:
    config = KafkaClusterConfig(
        name="bus",
        bootstrap_servers=[kafka_auth_broker.bootstrap],
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="alice",
        sasl_password=SecretStr("kafka-secret-pw"),
    )
    result = await _kafka(config)
    assert result.message == "authentication failed for user 'alice'"
    _no_secret(result, "kafka-secret-pw")


async def test_kafka_plaintext_to_broker_requiring_sasl(kafka_auth_broker: Broker) -> None:
    config = KafkaClusterConfig(name="bus", bootstrap_servers=[kafka_auth_broker.bootstrap])
    result = await _kafka(config)
    assert result.message == (
        f"connection closed by {kafka_auth_broker.bootstrap} before it answered "
        "(does the broker require SASL or TLS?)"
    )


# --- SMTP ---------------------------------------------------------------------------------


def _email(port: int, **fields: Any) -> EmailChannelConfig:
    return EmailChannelConfig(
        name="mail",
        type="email",
        host=LOCALHOST,
        port=port,
        from_address="alerts@example.com",
        **{"security": "none", **fields},
    )


async def _smtp(config: EmailChannelConfig, timeout: float = TIMEOUT) -> ConnectionTestResult:
    return await SmtpTester().test(config, timeout=timeout, base_url=None)


async def test_smtp_plain_session(smtp_servers: SmtpServers) -> None:
    result = await _smtp(_email(smtp_servers.plain))
    assert result.ok, result.message
    assert result.message == f"SMTP session with {LOCALHOST}:{smtp_servers.plain}: greeting, EHLO"


async def test_smtp_login(smtp_servers: SmtpServers) -> None:
    config = _email(smtp_servers.auth, username=SMTP_USER, password=SMTP_PASSWORD)
    result = await _smtp(config)
    assert result.ok, result.message
    assert result.message.endswith(f"greeting, EHLO, login as '{SMTP_USER}'")
    assert result.details["auth_methods"] == ["LOGIN", "PLAIN"]
    _no_secret(result, SMTP_PASSWORD)


async def test_smtp_wrong_password(smtp_servers: SmtpServers) -> None:
    config = _email(smtp_servers.auth, username=SMTP_USER, password="wrong-mail-pw")
    result = await _smtp(config)
    assert result.message == f"authentication failed for user '{SMTP_USER}'"
    _no_secret(result, "wrong-mail-pw")


async def test_smtp_username_but_no_auth_offered(smtp_servers: SmtpServers) -> None:
    result = await _smtp(_email(smtp_servers.plain, username=SMTP_USER, password=SMTP_PASSWORD))
    assert result.message == (
        "the server does not offer AUTH before TLS, but a username is configured"
    )


async def test_smtp_starttls_not_offered(smtp_servers: SmtpServers) -> None:
    result = await _smtp(_email(smtp_servers.plain, security="starttls"))
    assert (
        result.message == "the server does not offer STARTTLS: use security 'none' or 'ssl' for it"
    )


@pytest.mark.parametrize("security", ["starttls", "ssl"])
async def test_smtp_untrusted_certificate(smtp_servers: SmtpServers, security: str) -> None:
    port = smtp_servers.starttls if security == "starttls" else smtp_servers.smtps
    result = await _smtp(_email(port, security=security))
    assert not result.ok
    assert result.message.startswith("TLS handshake failed: certificate not trusted"), (
        result.message
    )


# --- Slack and webhooks -----------------------------------------------------------------------


async def _post(
    config: SlackChannelConfig | WebhookChannelConfig, timeout: float = TIMEOUT
) -> ConnectionTestResult:
    return await WebhookTester().test(config, timeout=timeout, base_url=None)


async def test_slack_receives_block_kit_message(http_receiver: Receiver) -> None:
    path = f"/services/T000/B000/{uuid.uuid4().hex}"
    url = http_receiver.base_url + path
    result = await _post(SlackChannelConfig(name="ops-alerts", type="slack", webhook_url=url))
    assert result.ok, result.message
    assert result.message == "test message delivered (HTTP 200)"
    [received] = http_receiver.at(path)
    assert received.method == "POST"
    assert received.headers["Content-Type"] == "application/json"
    assert received.json() == {
        "text": TEST_TEXT,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Gyrfalcon test message"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "Channel *ops-alerts* is set up correctly. No action is needed.",
                },
            },
        ],
    }
    _no_secret(result, url, path)


async def test_webhook_body_is_signed(http_receiver: Receiver) -> None:
    path = f"/hooks/{uuid.uuid4().hex}"
    config = WebhookChannelConfig(
        name="pager", type="webhook", url=http_receiver.base_url + path, hmac_secret="s3cret-key"
    )
    result = await _post(config)
    assert result.ok, result.message
    assert result.details == {"status": 200, "signed": True}
    [received] = http_receiver.at(path)
    body = received.json()
    assert body == {
        "event": "test",
        "channel": "pager",
        "message": TEST_TEXT,
        "sent_at": body["sent_at"],
    }
    expected = hmac.new(b"s3cret-key", received.body, hashlib.sha256).hexdigest()
    assert received.headers[SIGNATURE_HEADER] == f"sha256={expected}"
    _no_secret(result, "s3cret-key", path)


async def test_webhook_without_secret_is_not_signed(http_receiver: Receiver) -> None:
    path = f"/hooks/{uuid.uuid4().hex}"
    result = await _post(
        WebhookChannelConfig(name="pager", type="webhook", url=http_receiver.base_url + path)
    )
    assert result.details == {"status": 200, "signed": False}
    [received] = http_receiver.at(path)
    assert SIGNATURE_HEADER not in received.headers


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("/gone", "the endpoint answered HTTP 404: no_service"),
        ("/broken", "the endpoint answered HTTP 500: internal error"),
        (
            "/moved",
            "the endpoint redirects (HTTP 302); redirects are not followed, "
            "configure the final URL",
        ),
    ],
)
async def test_webhook_rejections(http_receiver: Receiver, prefix: str, message: str) -> None:
    path = f"{prefix}/{uuid.uuid4().hex}"
    result = await _post(
        SlackChannelConfig(name="ops", type="slack", webhook_url=http_receiver.base_url + path)
    )
    assert not result.ok
    assert result.message == message
    assert len(http_receiver.at(path)) == 1


# --- Debug endpoints ------------------------------------------------------------------------


async def test_debug_endpoint_reachable(http_receiver: Receiver) -> None:
    path = f"/debug/{uuid.uuid4().hex}"
    config = DebugEndpointConfig(name="chain", method="POST", path=path)
    result = await DebugEndpointTester().test(
        config, timeout=TIMEOUT, base_url=http_receiver.base_url + "/"
    )
    assert result.ok, result.message
    assert result.message == f"reachable: OPTIONS {path} answered HTTP 200"
    assert result.details["allow"] == "GET, POST, OPTIONS"
    [received] = http_receiver.at(path)
    assert received.method == "OPTIONS"


async def test_debug_endpoint_any_status_means_reachable(http_receiver: Receiver) -> None:
    config = DebugEndpointConfig(name="chain", path="/gone/debug")
    result = await DebugEndpointTester().test(
        config, timeout=TIMEOUT, base_url=http_receiver.base_url
    )
    assert result.ok
    assert result.details["status"] == 404


async def test_debug_endpoint_needs_base_url() -> None:
    config = DebugEndpointConfig(name="chain", path="/debug")
    result = await DebugEndpointTester().test(config, timeout=TIMEOUT, base_url=None)
    assert not result.ok
    assert result.message == "the service has no base_url: set it to reach its debug endpoints"


# --- Failures every kind shares -----------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """How to point one kind of connection at an arbitrary host and port."""

    run: Callable[[str, int, float], Any]
    secret: str = "case-secret-pw"


def _cases() -> dict[str, Case]:
    secret = SecretStr("case-secret-pw")
    return {
        "postgresql": Case(lambda h, p, t: _sql(_pg(host=h, port=p, password=secret), t)),
        "mariadb": Case(lambda h, p, t: _sql(_maria(host=h, port=p, password=secret), t)),
        "redis": Case(
            lambda h, p, t: _redis(RedisConfig(name="r", host=h, port=p, password=secret), t)
        ),
        "job-backend": Case(
            lambda h, p, t: JobBackendTester().test(
                JobBackendConfig(name="j", type="sidekiq", host=h, port=p, password=secret),
                timeout=t,
                base_url=None,
            )
        ),
        "kafka": Case(
            lambda h, p, t: _kafka(KafkaClusterConfig(name="k", bootstrap_servers=[f"{h}:{p}"]), t)
        ),
        "smtp": Case(
            lambda h, p, t: _smtp(
                EmailChannelConfig(
                    name="m",
                    type="email",
                    host=h,
                    port=p,
                    username="u",
                    password=secret,
                    from_address="a@example.com",
                ),
                t,
            )
        ),
        "slack": Case(
            lambda h, p, t: _post(
                SlackChannelConfig(
                    name="s", type="slack", webhook_url=f"http://{h}:{p}/services/case-secret-pw"
                ),
                t,
            )
        ),
        "webhook": Case(
            lambda h, p, t: _post(
                WebhookChannelConfig(
                    name="w", type="webhook", url=f"http://{h}:{p}/hook", hmac_secret=secret
                ),
                t,
            )
        ),
        "debug-endpoint": Case(
            lambda h, p, t: DebugEndpointTester().test(
                DebugEndpointConfig(name="d", path="/debug"), timeout=t, base_url=f"http://{h}:{p}"
            )
        ),
    }


CASES = _cases()


@pytest.mark.parametrize("kind", CASES)
async def test_connection_refused(kind: str, refused_port: int) -> None:
    result = await CASES[kind].run(LOCALHOST, refused_port, TIMEOUT)
    assert not result.ok
    assert result.latency_ms is None
    assert result.message == f"connection refused by {LOCALHOST}:{refused_port}"
    _no_secret(result, CASES[kind].secret)


@pytest.mark.parametrize("kind", CASES)
async def test_host_not_found(kind: str) -> None:
    result = await CASES[kind].run(MISSING_HOST, 5555, TIMEOUT)
    assert not result.ok
    assert result.message == f"host name not found: '{MISSING_HOST}'"
    _no_secret(result, CASES[kind].secret)


@pytest.mark.parametrize("kind", CASES)
async def test_timeout_on_a_server_that_never_answers(kind: str, silent_port: int) -> None:
    # The tester's own timeout is what answers: its message says so. No bound on
    # seconds here, since a busy machine stretches every one of them.
    result = await CASES[kind].run(LOCALHOST, silent_port, 1.0)
    assert not result.ok
    assert result.message == "timed out after 1 s"
    _no_secret(result, CASES[kind].secret)


# Any TLS server with a certificate nobody trusts will do (here the SMTPS one):
# the client gives up during the handshake, before speaking its own protocol.
TLS_CASES: dict[str, Callable[[int], Any]] = {
    "redis": lambda p: _redis(RedisConfig(name="r", host=LOCALHOST, port=p, tls=True)),
    "kafka": lambda p: _kafka(
        KafkaClusterConfig(
            name="k", bootstrap_servers=[f"{LOCALHOST}:{p}"], security_protocol="SSL"
        )
    ),
    "slack": lambda p: _post(
        SlackChannelConfig(name="s", type="slack", webhook_url=f"https://{LOCALHOST}:{p}/x")
    ),
    "debug-endpoint": lambda p: DebugEndpointTester().test(
        DebugEndpointConfig(name="d", path="/debug"),
        timeout=TIMEOUT,
        base_url=f"https://{LOCALHOST}:{p}",
    ),
}


@pytest.mark.parametrize("kind", TLS_CASES)
async def test_untrusted_certificate(kind: str, smtp_servers: SmtpServers) -> None:
    result = await TLS_CASES[kind](smtp_servers.smtps)
    assert not result.ok
    assert result.message.startswith("TLS handshake failed: certificate not trusted"), (
        result.message
    )


async def test_invalid_webhook_url_is_a_result_not_an_exception() -> None:
    url = "http://127.0.0.1:99999/hooks/secret-token-123"
    result = await _post(WebhookChannelConfig(name="w", type="webhook", url=url))
    assert not result.ok
    assert "port must be 0-65535" in result.message
    _no_secret(result, url, "secret-token-123")
