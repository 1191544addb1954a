"""A throwaway OpenLDAP ``slapd`` on free local ports, for the LDAP login tests.

Each run generates its own ``slapd.conf`` (mdb backend, the ``memberof`` overlay, a
certificate from a throwaway CA for StartTLS and LDAPS) and data directory in a
temporary folder, loads users and groups in every group style with
``ldapadd`` (through the server, so the overlay maintains ``memberOf``), and stops the
server at the end. Also here: addresses where nothing listens, and a listener that
accepts connections but never answers, for the "directory down" and "directory hung"
cases.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SLAPD = Path("/usr/sbin/slapd")
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")
BASE_DN = "dc=example,dc=org"
PEOPLE = f"ou=people,{BASE_DN}"
GROUPS = f"ou=groups,{BASE_DN}"
ROOT_DN = f"cn=admin,{BASE_DN}"
ROOT_PASSWORD = "root-secret"
SERVICE_DN = f"cn=gyrfalcon,ou=services,{BASE_DN}"
SERVICE_PASSWORD = "service-secret"
USER_PASSWORD = "directory password"  # every test user has it


@dataclass(frozen=True)
class Slapd:
    uri: str
    ldaps_uri: str
    ca_file: Path
    """The CA that signed the server's certificate (valid for 127.0.0.1)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _certificates(workdir: Path) -> None:
    """Writes ca.pem, and server.pem + server.key signed by it for 127.0.0.1."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Gyrfalcon test CA"))
        .issuer_name(_name("Gyrfalcon test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (workdir / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (workdir / "server.pem").write_bytes(server.public_bytes(serialization.Encoding.PEM))
    _write_key(workdir / "server.key", server_key)


def _config(workdir: Path) -> str:
    schemas = ("core", "cosine", "inetorgperson", "nis")
    includes = "\n".join(f"include {SCHEMA_DIR / name}.schema" for name in schemas)
    return f"""{includes}
modulepath {MODULE_DIR}
moduleload back_mdb
moduleload memberof
pidfile {workdir / "slapd.pid"}
argsfile {workdir / "slapd.args"}
TLSCACertificateFile {workdir / "ca.pem"}
TLSCertificateFile {workdir / "server.pem"}
TLSCertificateKeyFile {workdir / "server.key"}

database mdb
maxsize 16777216
suffix "{BASE_DN}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {workdir / "data"}

overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint TRUE

access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
"""


def _user(uid_rdn: str, uid: str, cn: str, mail: str | None) -> str:
    mail_line = f"mail: {mail}\n" if mail else ""
    return f"""dn: uid={uid_rdn},{PEOPLE}
objectClass: inetOrgPerson
uid: {uid}
cn: {cn}
sn: {cn.split()[-1]}
{mail_line}userPassword: {USER_PASSWORD}
"""


def user_dn(uid_rdn: str) -> str:
    """The DN of a test user; ``uid_rdn`` is the uid escaped per RFC 4514 where needed."""
    return f"uid={uid_rdn},{PEOPLE}"


_BACKSLASH_USER = _user("back\\5Cslash", "back\\slash", "Back Slash", "backslash@example.org")

# alice is in a group of every style; bob in some; the users with filter metacharacters
# in their uid prove that the username is escaped rather than refused.
_DATA = f"""dn: {BASE_DN}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,{BASE_DN}
objectClass: organizationalUnit
ou: people

dn: ou=groups,{BASE_DN}
objectClass: organizationalUnit
ou: groups

dn: ou=services,{BASE_DN}
objectClass: organizationalUnit
ou: services

dn: {SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: gyrfalcon
userPassword: {SERVICE_PASSWORD}

{_user("alice", "alice", "Alice Liddell", "alice@example.org")}
{_user("bob", "bob", "Bob Builder", None)}
{_user("star*user", "star*user", "Star User", "star@example.org")}
{_user("paren(user)", "paren(user)", "Paren User", "paren@example.org")}
{_BACKSLASH_USER}
dn: cn=developers,{GROUPS}
objectClass: groupOfNames
cn: developers
member: {user_dn("alice")}
member: {user_dn("bob")}

dn: cn=platform-admins,{GROUPS}
objectClass: groupOfNames
cn: platform-admins
member: {user_dn("alice")}
member: {user_dn("paren(user)")}

dn: cn=auditors,{GROUPS}
objectClass: groupOfUniqueNames
cn: auditors
uniqueMember: {user_dn("alice")}

dn: cn=operators,{GROUPS}
objectClass: posixGroup
cn: operators
gidNumber: 5000
memberUid: alice
memberUid: bob
"""


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd exited with {process.returncode}: {log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"slapd did not listen within 10 s: {log.read_text()}")


@contextlib.contextmanager
def running_slapd(workdir: Path) -> Iterator[Slapd]:
    """Starts slapd as the current user (root works, and so does any other user, since
    every file lives in ``workdir``), loads the test data, and stops it on exit."""
    (workdir / "data").mkdir(parents=True)
    config = workdir / "slapd.conf"
    config.write_text(_config(workdir))
    (workdir / "data.ldif").write_text(_DATA)
    _certificates(workdir)
    port, tls_port = free_port(), free_port()
    uri, ldaps_uri = f"ldap://127.0.0.1:{port}", f"ldaps://127.0.0.1:{tls_port}"
    log_path = workdir / "slapd.log"
    with log_path.open("wb") as log:
        # -d keeps slapd in the foreground, so the process can be stopped by its id.
        process = subprocess.Popen(
            [str(SLAPD), "-f", str(config), "-h", f"{uri}/ {ldaps_uri}/", "-d", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(process, port, log_path)
        subprocess.run(
            ["ldapadd", "-x", "-H", uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD, "-f", "data.ldif"],
            cwd=workdir,
            check=True,
            capture_output=True,
            timeout=20,
        )
        yield Slapd(uri=uri, ldaps_uri=ldaps_uri, ca_file=workdir / "ca.pem")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def silent_listener() -> Iterator[str]:
    """An ``ldap://`` URI whose port completes TCP handshakes (the kernel's backlog does
    it) but never sends a byte: a hung directory."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"ldap://127.0.0.1:{sock.getsockname()[1]}"


def closed_uri() -> str:
    """An ``ldap://`` URI where nothing listens: a directory that is down."""
    return f"ldap://127.0.0.1:{free_port()}"
