"""What every connection definition has."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from gyrfalcon.core.fields import Description, Name


class ConnectionConfig(BaseModel):
    """Fields every connection has; subclasses add their own."""

    model_config = ConfigDict(extra="forbid")
    url_replaces: ClassVar[tuple[str, ...]] = ()
    """Fields an input-only ``url`` fills in; an update that sends a URL resets them."""
    address_fields: ClassVar[tuple[str, ...]] = ()
    """Fields that say where the secrets go (and how safely): changing any of them drops the
    stored secrets unless the same change enters them again."""

    name: Name
    description: Description = ""
