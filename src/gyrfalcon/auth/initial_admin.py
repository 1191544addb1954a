"""Where the first admin's password is remembered.

``make run`` (through ``gyrfalcon user bootstrap`` or ``gyrfalcon demo``) creates an
``admin`` with a random password on an empty database and keeps the password in the
data directory, readable by the OS user only, so a later run can show it again and the
demo can register its sample cluster as that admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

INITIAL_ADMIN_FILE = "initial-admin.txt"
INITIAL_ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class InitialAdmin:
    username: str
    password: str


def initial_admin_file(data_dir: Path) -> Path:
    return data_dir / INITIAL_ADMIN_FILE


def remember(data_dir: Path, admin: InitialAdmin) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = initial_admin_file(data_dir)
    path.touch(mode=0o600)
    path.write_text(f"username: {admin.username}\npassword: {admin.password}\n")


def remembered_admin(data_dir: Path) -> InitialAdmin | None:
    """The first admin's login as it was created, if the file is still there."""
    path = initial_admin_file(data_dir)
    if not path.exists():
        return None
    fields = dict(line.split(": ", 1) for line in path.read_text().splitlines() if ": " in line)
    if "username" not in fields or "password" not in fields:
        return None
    return InitialAdmin(fields["username"], fields["password"])
