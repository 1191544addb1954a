"""Settings: embedded defaults, the secret key rule, URL normalisation, generated docs."""

from __future__ import annotations

from pathlib import Path

import pytest

from gyrfalcon.core.settings import ConfigurationError, Settings
from gyrfalcon.core.settings_docs import settings_reference

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_default_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path}/gyrfalcon.db"
    assert settings.is_embedded


def test_embedded_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).resolved_secret_key()
    assert Settings(data_dir=tmp_path).resolved_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_server_database_requires_a_secret_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql://u@db/gyrfalcon")
    with pytest.raises(ConfigurationError, match="GYRFALCON_SECRET_KEY is required"):
        settings.resolved_secret_key()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db/g", "postgresql+asyncpg://u:p@db/g"),
        ("mariadb://u@db/g", "mysql+aiomysql://u@db/g"),
        ("mysql+aiomysql://u@db/g", "mysql+aiomysql://u@db/g"),
    ],
)
def test_async_driver_is_chosen(given: str, expected: str) -> None:
    assert Settings(database_url=given).resolved_database_url == expected


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="unsupported database 'oracle'"):
        Settings(database_url="oracle://u@db/g").resolved_database_url  # noqa: B018


def test_environment_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GYRFALCON_PORT", "9001")
    assert Settings().port == 9001


def test_configuration_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "configuration.md").read_text()
    assert committed == settings_reference(), "docs/configuration.md is stale: run `make docs`"
