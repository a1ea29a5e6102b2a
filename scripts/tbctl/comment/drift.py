"""Resources changed outside Terraform (`resource_drift`), with the attributes that changed."""

from dataclasses import dataclass

from tbctl.comment.attributes import AttributeChange, changes
from tbctl.comment.mask import Masker


@dataclass(frozen=True)
class Drift:
    address: str
    deleted: bool
    attributes: tuple[AttributeChange, ...]


def drifted(plan: dict, masker: Masker) -> list[Drift]:
    """Real drift only: provider normalisation (null vs {} or []) is not reported."""
    found = []
    for change in plan.get("resource_drift") or []:
        body = change.get("change") or {}
        if body.get("after") is None and body.get("before") is not None:
            found.append(Drift(change.get("address", "?"), True, ()))
            continue
        attributes = changes(body, masker)
        if attributes:
            found.append(Drift(change.get("address", "?"), False, tuple(attributes)))
    return found
