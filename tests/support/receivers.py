"""Local stand-ins for what channel tests and notification senders talk to.

Real SMTP servers (aiosmtpd: plain, AUTH, STARTTLS and SMTPS), an HTTP server that
records every request and stands in for Slack and webhook endpoints (Slack's own
servers cannot run here), a port that refuses connections and one that accepts
them and never answers. Plain classes and context managers, plus session fixtures
that a conftest re-exports to the tests below it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
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
    """A certificate for 127.0.0.1 that no client trusts, to provoke TLS failures.

    A test that needs it trusted points ``SSL_CERT_FILE`` at ``cert``: OpenSSL reads
    that variable whenever a client builds its default context.
    """
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


# --- SMTP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    """One mail as the server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    authenticated: bool
    tls: bool


class Mailbox:
    """aiosmtpd handler that keeps every mail; with ``accept=False`` it fails the test
    that sends one (connection tests must never send mail). Recipients ``unknown@...``
    are refused for good (550), ``greylisted@...`` for now (450)."""

    def __init__(self, *, accept: bool = True) -> None:
        self.accept = accept
        self.mails: list[Mail] = []

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        if not self.accept:
            raise AssertionError("a connection test must never send mail")
        assert isinstance(envelope.content, bytes) and server.transport is not None
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.mails.append(
            Mail(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
                authenticated=bool(session.authenticated),
                # Covers both STARTTLS and SMTPS (aiosmtpd sets session.ssl for the first only).
                tls=server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        return "250 Message accepted for delivery"

    async def handle_RCPT(
        self,
        server: SMTPServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        # Two kinds of refusal real servers give: a final one and greylisting.
        if address.startswith("unknown@"):
            return "550 5.1.1 no such user"
        if address.startswith("greylisted@"):
            return "450 4.2.0 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def with_message_id(self, message_id: str) -> list[Mail]:
        # A long Message-ID is folded onto its own line; unfolding leaves a space.
        return [mail for mail in self.mails if mail.message["Message-ID"].strip() == message_id]


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
    mailbox: Mailbox


@contextlib.contextmanager
def running_smtp_servers(tls: SelfSigned, mailbox: Mailbox) -> Iterator[SmtpServers]:
    """Four aiosmtpd servers sharing ``mailbox``: plain, AUTH over plain text, STARTTLS
    and SMTPS, the TLS ones with the self-signed certificate."""
    context = tls.server_context()
    settings: dict[str, dict[str, Any]] = {
        "plain": {},
        "auth": {"authenticator": _authenticate, "auth_require_tls": False},
        "starttls": {"tls_context": context},
        "smtps": {"ssl_context": context},
    }
    controllers: dict[str, Controller] = {}
    try:
        for name, options in settings.items():
            controller = Controller(mailbox, hostname=LOCALHOST, port=free_port(), **options)
            controller.start()
            controllers[name] = controller
        yield SmtpServers(**{name: c.port for name, c in controllers.items()}, mailbox=mailbox)
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
# ``/status/<code>/...`` answers that code, ``/echo/...`` a 400 quoting the path, and
# ``/slow/...`` answers after SLOW_SECONDS.
_RESPONSES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/gone": (404, {}, b"no_service"),
    "/moved": (302, {"Location": "/elsewhere"}, b""),
    "/broken": (500, {}, b"internal error\nstack trace here"),
    "/throttled": (429, {"Retry-After": "30"}, b"rate_limited"),
}
SLOW_SECONDS = 3.0


def _response(path: str) -> tuple[int, dict[str, str], bytes]:
    parts = path.lstrip("/").split("/")
    if parts[0] == "status" and len(parts) > 1:
        return int(parts[1]), {}, f"status {parts[1]}".encode()
    if parts[0] == "echo":  # a receiver that repeats the URL in its error, as some do
        return 400, {}, f"bad request to {path}".encode()
    if parts[0] == "slow":
        time.sleep(SLOW_SECONDS)
    return _RESPONSES.get(f"/{parts[0]}", (200, {}, b"ok"))


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            path = self.path
            receiver.requests.append(
                Received(self.command, path, dict(self.headers.items()), self.rfile.read(length))
            )
            status, headers, body = _response(path)
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


@contextlib.contextmanager
def serve_receiver(port: int = 0) -> Iterator[Receiver]:
    """A recording HTTP server on ``port`` (0: any free one), for as long as the block."""
    receiver = Receiver(base_url="")
    server = ThreadingHTTPServer((LOCALHOST, port), _handler(receiver))
    receiver.base_url = f"http://{LOCALHOST}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def http_receiver() -> Iterator[Receiver]:
    """A local HTTP server recording every request; it stands in for Slack and webhooks."""
    with serve_receiver() as receiver:
        yield receiver
