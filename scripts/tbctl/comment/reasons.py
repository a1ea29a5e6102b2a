"""Why a resource is destroyed or replaced: Terraform's `action_reason` and `change.replace_paths`, in words."""

from dataclasses import dataclass

from tbctl.comment.inline import code, plain

DESTROY_REASONS = {
    "delete_because_no_resource_config": "it is no longer in the configuration",
    "delete_because_no_module": "its module is no longer in the configuration",
    "delete_because_wrong_repetition": "the resource switched between count, for_each and neither",
    "delete_because_no_move_target": "the target of its `moved` block is not in the configuration",
}
REPLACE_REASONS = {
    "replace_because_tainted": "it is tainted (a previous apply failed part-way)",
    "replace_by_request": "it was requested (`-replace`)",
    "replace_by_triggers": "`replace_triggered_by` fired",
}


@dataclass(frozen=True)
class Danger:
    address: str
    action: str  # destroy or replace
    reason: str  # a sentence, safe markdown: "replaced because `name` cannot be updated in place"
    paths: tuple = ()  # the attributes that force a replacement


def path_text(path) -> str:
    """["network_configuration", 0, "subnets"] -> network_configuration[0].subnets"""
    if not isinstance(path, (list, tuple)):
        return str(path)
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif isinstance(step, str) and (not step.replace("_", "a").isalnum() or step[:1].isdigit()):
            text += f'["{step}"]'
        else:
            text += f".{step}" if text else str(step)
    return text


def _index(address: str) -> str:
    return address[address.rfind("["):] if address.endswith("]") else ""


def explain(change: dict) -> Danger | None:
    """The danger of one resource change, or None when it neither destroys nor replaces.

    Terraform promises that every action list that deletes contains "delete": an action list this
    tool does not know yet, but which deletes, is still a destroy here."""
    body = change.get("change") or {}
    actions = [str(a) for a in body.get("actions") or []] if isinstance(body.get("actions"), list) else []
    reason = change.get("action_reason") or ""
    address = str(change.get("address", "?"))
    if sorted(actions) == ["create", "delete"]:
        paths = tuple(path_text(p) for p in body.get("replace_paths") or [] if p)
        order = " (the new one is created first)" if actions[0] == "create" else ""
        if reason in REPLACE_REASONS:
            text = f"replaced because {REPLACE_REASONS[reason]}"
        elif paths:
            names = ", ".join(code(p) for p in sorted(set(paths)))
            text = f"replaced because {names} cannot be updated in place"
        else:
            text = "replaced because a change cannot be made in place"
        return Danger(address, "replace", text + order, tuple(sorted(set(paths))))
    if "delete" in actions:
        if change.get("deposed"):
            text = (f"destroyed: the deposed object {code(change['deposed'])} left behind by a replacement "
                    "that did not finish")
        elif actions != ["delete"]:
            text = f"destroyed (actions {plain(', '.join(actions))})"
        elif reason == "delete_because_count_index":
            text = f"destroyed because `count` no longer includes index {plain(_index(address).strip('[]'))}"
        elif reason == "delete_because_each_key":
            text = f"destroyed because `for_each` no longer includes key {plain(_index(address).strip('[]'))}"
        elif reason in DESTROY_REASONS:
            text = f"destroyed because {DESTROY_REASONS[reason]}"
        else:
            text = "destroyed (the configuration asks for it)"
        return Danger(address, "destroy", text)
    return None


def dangers(plan: dict) -> list[Danger]:
    """Every destroy and replace, replacements first, in plan order within each."""
    changes = [c for c in plan.get("resource_changes") or [] if isinstance(c, dict) and c.get("mode") != "data"]
    found = [d for d in (explain(c) for c in changes) if d]
    return sorted(found, key=lambda d: d.action != "replace")
