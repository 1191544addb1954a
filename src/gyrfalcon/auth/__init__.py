"""Authentication: local accounts, server-side sessions, personal API tokens."""

from __future__ import annotations

from fastapi import FastAPI

from gyrfalcon.auth.cleanup import ExpiredSessionCleaner
from gyrfalcon.auth.resolver import SessionOrTokenResolver
from gyrfalcon.auth.router import router
from gyrfalcon.core.plugins import AppContext, Module


def _install_resolver(app: FastAPI, _context: AppContext) -> None:
    app.state.identity_resolver = SessionOrTokenResolver()


module = Module(
    name="auth",
    title="Login",
    description="Local accounts, sessions and personal API tokens.",
    router=router,
    permissions=(),
    setup=_install_resolver,
    background_services=lambda context: [ExpiredSessionCleaner(context)],
    models=("gyrfalcon.auth.models",),
)
