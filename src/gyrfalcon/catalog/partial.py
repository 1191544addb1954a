"""Update (PATCH) bodies derived from the full definition models.

A PATCH body accepts any subset of the definition's fields. Deriving it keeps
the two from drifting apart; the merged result is validated by the full model.
"""

from __future__ import annotations

from typing import Any, Union, get_args

from pydantic import BaseModel, ConfigDict, create_model


def _members(definition: Any) -> tuple[type[BaseModel], ...]:
    # A discriminated union arrives as Annotated[A | B, Field(...)].
    union = (
        get_args(definition)[0]
        if get_args(definition) and not isinstance(definition, type)
        else definition
    )
    members = get_args(union) or (union,)
    return tuple(m for m in members if isinstance(m, type) and issubclass(m, BaseModel))


def partial_model(definition: Any, name: str) -> type[BaseModel]:
    # A field that several union members share (e.g. ``type``) accepts any member's values.
    annotations: dict[str, list[Any]] = {}
    descriptions: dict[str, str | None] = {}
    docs: list[str] = []
    for member in _members(definition):
        docs.append(member.__name__)
        for field_name, info in member.model_fields.items():
            annotations.setdefault(field_name, [])
            if info.annotation not in annotations[field_name]:
                annotations[field_name].append(info.annotation)
            descriptions.setdefault(field_name, info.description)
    fields: dict[str, Any] = {
        field_name: (
            Union[(*choices, None)],
            _optional_field(descriptions[field_name]),
        )
        for field_name, choices in annotations.items()
    }
    model: type[BaseModel] = create_model(
        name,
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"Any subset of the fields of {' / '.join(docs)}; null clears a secret.",
        **fields,
    )
    return model


def _optional_field(description: str | None) -> Any:
    from pydantic import Field

    return Field(default=None, description=description)
