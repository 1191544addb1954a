"""Authentication: local and LDAP accounts, server-side sessions, personal API tokens."""

from __future__ import annotations

from fastapi import FastAPI

from gyrfalcon.auth.cleanup import ExpiredSessionCleaner
from gyrfalcon.auth.cli import admin_from_settings, cli
from gyrfalcon.auth.providers.ldap import LdapProvider
from gyrfalcon.auth.ratelimit import LoginThrottle
from gyrfalcon.auth.resolver import SessionOrTokenResolver
from gyrfalcon.auth.router import router
from gyrfalcon.auth.settings import AuthSettings
from gyrfalcon.core.commands import DATABASE_READY
from gyrfalcon.core.plugins import AppContext, Module


def _install(app: FastAPI, context: AppContext) -> None:
    settings = context.settings
    app.state.identity_resolver = SessionOrTokenResolver()
    app.state.identity_provider = (
        LdapProvider(settings.section(AuthSettings))
        if settings.section(AuthSettings).ldap_enabled
        else None
    )
    app.state.login_limiter = LoginThrottle.from_settings(
        settings.section(AuthSettings), context.database.sessionmaker
    )


module = Module(
    name="auth",
    title="Login",
    description="Local and LDAP accounts, sessions and personal API tokens.",
    router=router,
    permissions=(),
    setup=_install,
    background_services=lambda context: [ExpiredSessionCleaner(context)],
    models=("gyrfalcon.auth.models",),
    settings=AuthSettings,
    cli=cli,
    contributes={DATABASE_READY: (admin_from_settings,)},
)
