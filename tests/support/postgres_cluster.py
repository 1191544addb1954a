"""A throwaway PostgreSQL cluster that checks passwords.

The machine's PostgreSQL trusts every local connection, so it cannot show what a
wrong password looks like. This starts a real, separate cluster from the same
binaries (initdb + pg_ctl) with scram-sha-256 authentication on a free port.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PasswordPostgres:
    host: str
    port: int
    user: str
    password: str
    database: str = "postgres"


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root; on CI the suite runs as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def password_postgres(password: str = "right-password") -> Iterator[PasswordPostgres]:
    # Its own directory in /tmp: pytest's temp dirs are private to root, and the server
    # runs as the postgres user.
    workdir = Path(tempfile.mkdtemp(prefix="gyrfalcon-pg-"))
    workdir.chmod(0o755)
    data = workdir / "data"
    pwfile = workdir / "pwfile"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(pwfile, "postgres")
    subprocess.run(
        _as_postgres(
            [
                _bin("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "scram-sha-256",
                f"--pwfile={pwfile}",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            [
                _bin("pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(workdir / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield PasswordPostgres(host="127.0.0.1", port=port, user="postgres", password=password)
    finally:
        subprocess.run(
            _as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)
