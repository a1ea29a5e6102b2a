"""Resources changed outside Terraform (`resource_drift`), with the attributes that changed.

Drift matters when it affects the plan: Terraform's `relevant_attributes`
lists every (resource, attribute path) the planned changes depend on, and an
attribute the plan itself changes on that resource (to undo the drift) matters
too. Drift elsewhere - the service's `task_definition` after every deploy,
which the deploy tool owns on purpose (ignore_changes) - is kept apart as "not
affecting this plan". A refresh-only plan is about drift itself: all of it is
relevant. A resource deleted outside Terraform always is.
"""

from dataclasses import dataclass

from tbctl.comment.attributes import AttributeChange, changes
from tbctl.comment.mask import Masker
from tbctl.comment.summarize import DRIFT_ACTIONS, actions_of


@dataclass(frozen=True)
class Drift:
    address: str
    deleted: bool
    attributes: tuple[AttributeChange, ...]
    relevant: bool = True


def refresh_only(plan: dict) -> bool:
    """A refresh-only plan has drift and no resource changes; a normal plan lists every resource it manages."""
    return not plan.get("resource_changes") and bool(plan.get("resource_drift"))


def _relevant_paths(plan: dict) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for item in plan.get("relevant_attributes") or []:
        if isinstance(item, dict) and isinstance(item.get("resource"), str):
            path = item.get("attribute")
            found.setdefault(item["resource"], []).append(tuple(path) if isinstance(path, list) else ())
    return found


def _overlaps(changed: tuple, relevant: tuple) -> bool:
    """One path inside the other: `tags` is relevant to a change of `tags.owner`, and the other way round."""
    shorter = min(len(changed), len(relevant))
    return changed[:shorter] == relevant[:shorter]


def _planned_paths(plan: dict, masker: Masker) -> dict[str, list[tuple]]:
    """The attribute paths each resource's planned change touches."""
    found: dict[str, list[tuple]] = {}
    for change in plan.get("resource_changes") or []:
        if isinstance(change, dict) and actions_of(change.get("change")) not in ((), ("no-op",)):
            found[str(change.get("address", "?"))] = [a.steps for a in changes(change.get("change") or {}, masker)]
    return found


def drifted(plan: dict, masker: Masker) -> list[Drift]:
    """Real drift only: provider normalisation (null vs {} or []) is not reported."""
    everything = refresh_only(plan)
    relevant = _relevant_paths(plan)
    for address, paths in _planned_paths(plan, masker).items():
        relevant.setdefault(address, []).extend(paths)
    found = []
    for change in plan.get("resource_drift") or []:
        if not isinstance(change, dict):
            continue
        body = change.get("change") or {}
        if DRIFT_ACTIONS.get(actions_of(body)) != "drift":
            continue  # a move alone is a move; an unknown action is named by summarize
        address = str(change.get("address", "?"))
        if body.get("after") is None and body.get("before") is not None:
            found.append(Drift(address, True, ()))
            continue
        attributes = changes(body, masker)
        if not attributes:
            continue
        paths = relevant.get(address, [])
        matters = everything or any(_overlaps(a.steps, path) for a in attributes for path in paths)
        found.append(Drift(address, False, tuple(attributes), matters))
    return found
