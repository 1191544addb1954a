"""Field-level differences between two snapshots, with nested paths."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Change = Literal["added", "removed", "changed"]


class FieldChange(BaseModel):
    path: str = Field(description="Dotted path; list items by index, e.g. `links.0.url`")
    change: Change
    old: Any = None
    new: Any = None


def diff(before: Any, after: Any, path: str = "") -> list[FieldChange]:
    """Every leaf that differs. Objects are compared key by key and lists item by item,
    so a change deep inside shows with its full path rather than as a whole new value."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[FieldChange] = []
        for key in sorted(before.keys() | after.keys(), key=str):
            child = f"{path}.{key}" if path else str(key)
            if key not in after:
                changes.append(FieldChange(path=child, change="removed", old=before[key]))
            elif key not in before:
                changes.append(FieldChange(path=child, change="added", new=after[key]))
            else:
                changes.extend(diff(before[key], after[key], child))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            child = f"{path}.{index}" if path else str(index)
            if index >= len(after):
                changes.append(FieldChange(path=child, change="removed", old=before[index]))
            elif index >= len(before):
                changes.append(FieldChange(path=child, change="added", new=after[index]))
            else:
                changes.extend(diff(before[index], after[index], child))
        return changes
    if before == after:
        return []
    return [FieldChange(path=path, change="changed", old=before, new=after)]
