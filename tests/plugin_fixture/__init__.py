"""A tiny third-party module, installed in tests through a real entry point.

It plugs into every extension point with no edit to the platform: a router, its
own permissions and navigation entry, a background service, a settings section
(``GYRFALCON_HELLO_GREETING``), a command group (``gyrfalcon hello greet``), a table
with its own migration branch (``migrations/``), and a connection kind contributed
to the catalog (``/api/v1/hello-endpoints``, with encrypted secrets and a test).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, SecretStr, StringConstraints
from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from gyrfalcon.catalog.service import (
    CONNECTION_KINDS,
    ConnectionKind,
    ConnectionMixin,
    ConnectionRead,
    ConnectionTestResult,
    Outcome,
    run_check,
)
from gyrfalcon.connectors.base import ConnectionConfig
from gyrfalcon.core.db import DbSession
from gyrfalcon.core.failures import Target
from gyrfalcon.core.plugins import AppContext, Module, NavEntry, PermissionSpec
from gyrfalcon.core.security import require
from gyrfalcon.core.settings import Settings, SettingsSection

ticks: list[str] = []


class HelloSettings(SettingsSection):
    hello_greeting: str = Field(default="world", description="Who the hello module greets.")


class HelloBase(DeclarativeBase):
    """The module's own tables: created by its migration branch, not the platform's."""


class Greeting(HelloBase):
    __tablename__ = "hello_greetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(200))


class HelloEndpoint(ConnectionMixin, HelloBase):
    __tablename__ = "hello_endpoints"
    __table_args__ = (UniqueConstraint("name"),)


class HelloEndpointConfig(ConnectionConfig):
    address_fields = ("url",)

    url: Annotated[str, StringConstraints(max_length=200)]
    token: SecretStr | None = None


class HelloEndpointRead(ConnectionRead):
    url: str
    token_set: bool


class HelloTester:
    async def test(
        self, config: HelloEndpointConfig, *, timeout: float, base_url: str | None
    ) -> ConnectionTestResult:
        async def probe() -> Outcome:
            return Outcome(f"hello from {config.url}", {"token": bool(config.token)})

        return await run_check(probe, target=Target(), limit=timeout)


HELLO_ENDPOINTS = ConnectionKind(
    path="hello-endpoints",
    label="hello endpoint",
    model=HelloEndpoint,
    definition=HelloEndpointConfig,
    read=HelloEndpointRead,
    tester=HelloTester(),
    service_scoped=False,
)

router = APIRouter(prefix="/hello", tags=["hello"])


class GreetingBody(BaseModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=200)]


@router.get("", dependencies=[Depends(require("hello", "read"))])
async def hello(request: Request) -> dict[str, str]:
    settings: Settings = request.app.state.settings
    return {"hello": settings.section(HelloSettings).hello_greeting}


@router.post("/greetings", status_code=201, dependencies=[Depends(require("hello", "write"))])
async def add_greeting(body: GreetingBody, db: DbSession) -> dict[str, Any]:
    greeting = Greeting(text=body.text)
    db.add(greeting)
    await db.commit()
    return {"id": greeting.id, "text": greeting.text}


@router.get("/greetings", dependencies=[Depends(require("hello", "read"))])
async def greetings(db: DbSession) -> list[str]:
    return list(await db.scalars(select(Greeting.text).order_by(Greeting.id)))


cli = typer.Typer(name="hello", help="Greetings.", no_args_is_help=True)


@cli.command("greet")
def greet() -> None:
    """Print the configured greeting."""
    typer.echo(f"hello, {Settings().section(HelloSettings).hello_greeting}")


class Ticker:
    name = "hello.ticker"

    async def run(self, stop: asyncio.Event) -> None:
        ticks.append("tick")
        await stop.wait()


def _services(_context: AppContext) -> list[Ticker]:
    return [Ticker()]


module = Module(
    name="hello",
    title="Hello",
    description="Says hello; proves third-party modules plug in.",
    router=router,
    permissions=(
        PermissionSpec("read", "Read greetings"),
        PermissionSpec("write", "Change greetings"),
        PermissionSpec("export", "Export greetings"),
    ),
    nav=NavEntry(title="Hello", path="/hello", icon="SmileOutlined", order=55),
    background_services=_services,
    settings=HelloSettings,
    cli=cli,
    migrations="tests.plugin_fixture.migrations",
    contributes={CONNECTION_KINDS: (HELLO_ENDPOINTS,)},
)
