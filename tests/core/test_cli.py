"""The command line: database errors are one clear line, users and the first admin
(both audited as the command line)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest


def _gyrfalcon(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gyrfalcon", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_unreachable_platform_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = _gyrfalcon(
        "serve",
        env={
            "GYRFALCON_DATABASE_URL": "postgresql://postgres:pw@127.0.0.1:1/gyrfalcon",
            "GYRFALCON_SECRET_KEY": "a-long-enough-secret-key",
            "GYRFALCON_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot use the platform database postgresql+asyncpg://")
    assert "pw@" not in lines[0] and "Traceback" not in result.stderr


def test_missing_secret_key_with_server_database_is_refused(tmp_path: Path) -> None:
    result = _gyrfalcon(
        "db",
        "upgrade",
        env={
            "GYRFALCON_DATABASE_URL": "postgresql://postgres@127.0.0.1/x",
            "GYRFALCON_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 1
    assert "GYRFALCON_SECRET_KEY is required" in result.stderr


def test_bootstrap_creates_the_demo_admin_once_and_remembers_it(tmp_path: Path) -> None:
    env = {"GYRFALCON_DATA_DIR": str(tmp_path)}
    first = _gyrfalcon("user", "bootstrap", env=env)
    assert first.returncode == 0, first.stderr
    assert "Log in as  admin / " in first.stdout
    password = first.stdout.split("admin / ")[1].split()[0]
    second = _gyrfalcon("user", "bootstrap", env=env)
    assert password in second.stdout
    weak = _gyrfalcon("user", "create", "--username", "bob", "--password", "qwerty123", env=env)
    assert weak.returncode == 1 and "use at least 12 characters" in weak.stderr
    created = _gyrfalcon(
        "user", "create", "--username", "bob", "--password", "tangerine-otter-4711", env=env
    )
    assert created.returncode == 0 and "created user 'bob'" in created.stdout
    duplicate = _gyrfalcon("user", "create", "--username", "bob", "--password", "x", env=env)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    # Audited like a change made in the console, by the command line.
    with sqlite3.connect(tmp_path / "gyrfalcon.db") as db:
        records = db.execute(
            "SELECT action, object_name, actor_kind, actor_name, after FROM audit_records"
        ).fetchall()
    assert [(action, name, kind) for action, name, kind, _, _ in records] == [
        ("user.create", "admin", "system"),
        ("user.create", "bob", "system"),
    ]
    assert all(actor_name.startswith("cli:") for _, _, _, actor_name, _ in records)
    assert password not in str(records) and "tangerine-otter-4711" not in str(records)


def test_serve_with_two_workers_answers(tmp_path: Path) -> None:
    from tests.support.live_server import live_server

    with live_server(tmp_path, "--workers", "2") as server:
        login = httpx.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": server.admin_username, "password": server.admin_password},
        )
        assert login.status_code == 200
        token = httpx.post(
            f"{server.url}/api/v1/auth/tokens",
            json={"name": "t"},
            cookies=login.cookies,
            headers={"X-CSRF-Token": login.cookies["gyrfalcon_csrf"]},
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        created = httpx.post(f"{server.url}/api/v1/services", json={"name": "a"}, headers=headers)
        assert created.status_code == 201
        # Whichever worker answers, the token works.
        for _ in range(10):
            assert httpx.get(f"{server.url}/api/v1/auth/me", headers=headers).status_code == 200


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_stopping_the_console_ends_with_status_0(tmp_path: Path, stop: signal.Signals) -> None:
    """Ctrl-C (or a service manager's SIGTERM) is how the console is meant to stop: after
    the graceful shutdown the command must succeed, or ``make run`` reports an error."""
    from tests.support.live_server import live_server

    with live_server(tmp_path) as server:
        server.process.send_signal(stop)
        assert server.process.wait(timeout=60) == 0
    assert "Gyrfalcon stopped" in (tmp_path / "server.log").read_text()
