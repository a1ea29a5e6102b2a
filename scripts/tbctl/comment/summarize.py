"""What the plan does, counted by action, from `resource_changes` (never from the plan text)."""

from dataclasses import dataclass, field

# Order of the summary line and of the groups: the dangerous ones first.
ACTIONS = ("replace", "destroy", "add", "change", "move", "import", "forget")
VERBS = {"replace": "to replace", "destroy": "to destroy", "add": "to add", "change": "to change",
         "move": "to move", "import": "to import", "forget": "to forget"}


def kinds(change: dict) -> list[str]:
    """The actions of one resource change: usually one, e.g. ["move", "change"] for a moved and updated one."""
    if change.get("mode") == "data":
        return []
    body = change.get("change") or {}
    actions = body.get("actions") or []
    found = []
    if sorted(actions) == ["create", "delete"]:
        found.append("replace")
    elif actions == ["delete"]:
        found.append("destroy")
    elif actions == ["create"]:
        found.append("add")
    elif actions == ["update"]:
        found.append("change")
    elif actions == ["forget"]:
        found.append("forget")
    if change.get("previous_address") and change.get("previous_address") != change.get("address"):
        found.append("move")
    if body.get("importing"):
        found.append("import")
    return found


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    groups: dict = field(default_factory=lambda: {action: [] for action in ACTIONS})
    outputs_changed: int = 0

    @property
    def resources_changed(self) -> int:
        return len({id(c) for group in self.groups.values() for c in group})

    @property
    def empty(self) -> bool:
        return not any(self.counts.values()) and not self.outputs_changed

    def line(self) -> str:
        """`2 to add, 1 to change, 1 to destroy, 1 to replace` (+ move/import/forget when present)."""
        always = ("add", "change", "destroy", "replace")
        parts = [f"{self.counts[a]} {VERBS[a]}" for a in always]
        parts += [f"{self.counts[a]} {VERBS[a]}" for a in ACTIONS if a not in always and self.counts[a]]
        if self.outputs_changed:
            parts.append(f"{self.outputs_changed} output{'s' if self.outputs_changed != 1 else ''} to change")
        return ", ".join(parts)


def summarize(plan: dict) -> Summary:
    summary = Summary()
    for change in plan.get("resource_changes") or []:
        for kind in kinds(change):
            summary.counts[kind] += 1
            summary.groups[kind].append(change)
    summary.outputs_changed = sum(1 for body in (plan.get("output_changes") or {}).values()
                                  if (body.get("actions") or ["no-op"]) != ["no-op"])
    return summary
