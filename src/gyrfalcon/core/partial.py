"""PATCH bodies, derived from the models that create or define an object.

The one PATCH convention of the API: a PATCH body accepts any subset of the fields
of its full model (minus the ones that cannot change, such as a name in the URL),
each with the full model's own constraints; a field that is not sent is not
changed. Deriving it keeps the two from drifting apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model


def _members(definition: Any) -> tuple[type[BaseModel], ...]:
    # A discriminated union arrives as Annotated[A | B, Field(...)].
    union = (
        get_args(definition)[0]
        if get_args(definition) and not isinstance(definition, type)
        else definition
    )
    members = get_args(union) or (union,)
    return tuple(m for m in members if isinstance(m, type) and issubclass(m, BaseModel))


def partial_model(definition: Any, name: str, *, exclude: Iterable[str] = ()) -> type[BaseModel]:
    """A model with every field of ``definition`` (a model, or a union of models) optional.

    A field that several union members share (e.g. ``type``) accepts any member's values.
    """
    left_out = set(exclude)
    annotations: dict[str, list[Any]] = {}
    descriptions: dict[str, str | None] = {}
    docs: list[str] = []
    for member in _members(definition):
        docs.append(member.__name__)
        for field_name, info in member.model_fields.items():
            if field_name in left_out:
                continue
            # The field's constraints (lengths, bounds, patterns) come along.
            annotation = (
                Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            )
            choices = annotations.setdefault(field_name, [])
            if annotation not in choices:
                choices.append(annotation)
            descriptions.setdefault(field_name, info.description)
    fields: dict[str, Any] = {
        field_name: (
            Union[(*choices, None)],
            Field(default=None, description=descriptions[field_name]),
        )
        for field_name, choices in annotations.items()
    }
    model: type[BaseModel] = create_model(
        name,
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"A PATCH: any subset of the fields of {' / '.join(docs)}.",
        **fields,
    )
    return model
