"""The access module's settings (`GYRFALCON_*`, listed in docs/configuration.md)."""

from __future__ import annotations

from pydantic import Field

from gyrfalcon.core.settings import SettingsSection


class AccessSettings(SettingsSection):
    """Roles given by directory groups."""

    ldap_group_roles: dict[str, str] = Field(
        default_factory=dict,
        description="Directory groups (DN or name) → role name, as JSON, e.g. "
        '`{"platform-admins": "Admin"}`. Applied at every LDAP login together with the '
        "mappings made in the UI.",
    )
