"""What the machine offers the demo: a PostgreSQL server and a Redis, if reachable.

Probed through the catalog's connectors, with short timeouts, so a machine without
them gets a demo on SQLite files and no cache instead of a hang.
"""

from __future__ import annotations

import asyncio

from pydantic import SecretStr
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gyrfalcon.connectors.redis import RedisConfig, open_redis
from gyrfalcon.connectors.sql.config import DatasourceConfig
from gyrfalcon.connectors.sql.engines import probe_engine
from gyrfalcon.demo.base import DemoError

_PROBE_SECONDS = 3


def reachable_postgres(url: str) -> DatasourceConfig | None:
    """The server of ``url`` when a connection opens; None otherwise."""
    config = DatasourceConfig(name="demo", url=url)
    engine = probe_engine(config, timeout=_PROBE_SECONDS)
    try:
        with engine.connect():
            return config
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def sample_database(server: DatasourceConfig, name: str) -> DatasourceConfig:
    """Database ``name`` on ``server``, created when it is not there yet."""
    engine = probe_engine(server, timeout=_PROBE_SECONDS)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                # A name of the demo's own (gyrfalcon_demo_<service>), never user input.
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DemoError(f"cannot create the sample database {name}: {reason}") from None
    finally:
        engine.dispose()
    return server.model_copy(update={"database": name})


def reachable_redis(url: str) -> RedisConfig | None:
    config = RedisConfig(name="demo", url=url)

    async def ping() -> bool:
        try:
            async with open_redis(config, timeout=_PROBE_SECONDS) as client:
                return bool(await client.ping())
        except (RedisError, OSError):
            return False

    return config if asyncio.run(ping()) else None


def redis_url(config: RedisConfig, *, db: int | None = None) -> str:
    """The URL a demo process is given for ``config`` (another database with ``db``)."""
    password = config.password.get_secret_value() if config.password else ""
    login = f"{config.username or ''}:{password}@" if password else ""
    scheme = "rediss" if config.tls else "redis"
    return f"{scheme}://{login}{config.host}:{config.port}/{config.db if db is None else db}"


def password_of(secret: SecretStr | None) -> dict[str, str]:
    """The ``password`` field of a definition the demo registers, when there is one."""
    return {"password": secret.get_secret_value()} if secret is not None else {}
