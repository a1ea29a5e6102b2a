"""What the plan does, counted by kind, from the plan's JSON (never from the plan text).

Every change the plan reports lands in exactly one place: a kind this tool
renders (add, change, destroy, replace, move, import, forget), drift (drift.py),
or - the default for anything not in the tables below - a line naming it as a
change this tool does not render. A new Terraform action, a new top-level
collection of changes or a new shape of drift is therefore named, never lost.
"""

from dataclasses import dataclass, field

# Order of the summary line and of the groups: the dangerous ones first.
ACTIONS = ("replace", "destroy", "add", "change", "move", "import", "forget")
VERBS = {"replace": "to replace", "destroy": "to destroy", "add": "to add", "change": "to change",
         "move": "to move", "import": "to import", "forget": "to forget"}

# Terraform's action lists (`change.actions`) this tool renders, and what it calls them. No-op is no change.
RESOURCE_ACTIONS = {
    ("no-op",): None, ("create",): "add", ("update",): "change", ("delete",): "destroy",
    ("delete", "create"): "replace", ("create", "delete"): "replace", ("forget",): "forget",
}
# A data source is read, which changes nothing (Terraform does not count reads in its summary either).
DATA_ACTIONS = {("no-op",): None, ("read",): None}
# Drift is what changed outside Terraform: rendered by drift.py. A no-op drift entry carries a move alone.
DRIFT_ACTIONS = {("no-op",): None, ("update",): "drift", ("delete",): "drift"}
OUTPUT_ACTIONS = {("no-op",): None, ("create",): "output", ("update",): "output", ("delete",): "output"}
# Top-level keys this module reads, and those that carry no change. Any other key with content is a
# collection of changes of a kind this tool does not know (deferred_changes, action_invocations, ...).
READ = {"resource_changes", "resource_drift", "output_changes"}
NOT_CHANGES = {"format_version", "terraform_version", "variables", "planned_values", "prior_state", "configuration",
               "relevant_attributes", "checks", "timestamp", "applyable", "complete", "errored"}
MISSING = object()


@dataclass(frozen=True)
class Unrendered:
    """A change this tool cannot show in detail, named with where Terraform reported it."""
    address: str
    kind: str

    def text(self) -> str:
        return f"{self.address} ({self.kind})"


def actions_of(body) -> tuple:
    actions = (body or {}).get("actions") if isinstance(body, dict) else None
    return tuple(str(a) for a in actions) if isinstance(actions, list) else ()


def _actions_text(actions: tuple) -> str:
    return f"actions {', '.join(actions)}" if actions else "no actions"


def _moved(change: dict) -> bool:
    previous = change.get("previous_address")
    return bool(previous) and previous != change.get("address")


def kinds(change: dict) -> list[str]:
    """The rendered kinds of one resource change: usually one, e.g. ["change", "move"] for a moved and updated one."""
    return classify(change)[0]


def classify(change: dict) -> tuple[list[str], Unrendered | None]:
    """The kinds of one `resource_changes` entry, and the entry as Unrendered when its actions are unknown."""
    actions = actions_of(change.get("change"))
    table = DATA_ACTIONS if change.get("mode") == "data" else RESOURCE_ACTIONS
    kind = table.get(actions, MISSING)
    if kind is MISSING:
        what = "data source, " if change.get("mode") == "data" else ""
        return [], Unrendered(str(change.get("address", "?")), what + _actions_text(actions))
    if change.get("mode") == "data":
        return [], None
    found = [kind] if kind else []
    if _moved(change):
        found.append("move")
    if (change.get("change") or {}).get("importing"):
        found.append("import")
    return found, None


def _element_address(element, key: str, index: int) -> str:
    """The address of an element of an unknown collection: its own, or that of the change it wraps."""
    if isinstance(element, dict):
        for candidate in [element] + [v for v in element.values() if isinstance(v, dict)]:
            address = candidate.get("address")
            if isinstance(address, str) and address:
                return address
    return f"{key}[{index}]"


def _element_kind(element, key: str) -> str:
    """`deferred_changes: resource_config_unknown, actions create`: the collection, and its reason and actions if any."""
    details = []
    if isinstance(element, dict):
        reason = element.get("reason")
        if isinstance(reason, str) and reason:
            details.append(reason)
        nested = [element] + [v for v in element.values() if isinstance(v, dict)]
        actions = next((actions_of(c.get("change")) for c in nested if actions_of(c.get("change"))), ())
        if actions:
            details.append(_actions_text(actions))
    return f"{key}: {', '.join(details)}" if details else key


def _collection(key: str, value) -> list[Unrendered]:
    if isinstance(value, list):
        return [Unrendered(_element_address(item, key, i), _element_kind(item, key)) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return [Unrendered(str(name), _element_kind(item, key)) for name, item in value.items()]
    return []


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    groups: dict = field(default_factory=lambda: {action: [] for action in ACTIONS})
    outputs_changed: int = 0
    unrendered: list = field(default_factory=list)

    @property
    def resources_changed(self) -> int:
        return len({id(c) for group in self.groups.values() for c in group})

    @property
    def changes(self) -> int:
        """Resources changed plus the changes of kinds not rendered: what the heading counts."""
        return self.resources_changed + len(self.unrendered)

    @property
    def empty(self) -> bool:
        return not any(self.counts.values()) and not self.outputs_changed and not self.unrendered

    def line(self) -> str:
        """`2 to add, 1 to change, 1 to destroy, 1 to replace` (+ move/import/forget, outputs, unknown kinds)."""
        always = ("add", "change", "destroy", "replace")
        parts = [f"{self.counts[a]} {VERBS[a]}" for a in always]
        parts += [f"{self.counts[a]} {VERBS[a]}" for a in ACTIONS if a not in always and self.counts[a]]
        if self.outputs_changed:
            parts.append(f"{self.outputs_changed} output{'s' if self.outputs_changed != 1 else ''} to change")
        if self.unrendered:
            parts.append(f"{len(self.unrendered)} of a kind this tool does not render")
        return ", ".join(parts)

    def add(self, kind: str, change: dict) -> None:
        self.counts[kind] += 1
        self.groups[kind].append(change)


def summarize(plan: dict) -> Summary:
    summary = Summary()
    moves = set()
    for change in plan.get("resource_changes") or []:
        if not isinstance(change, dict):
            summary.unrendered.append(Unrendered("resource_changes", "an entry that is not an object"))
            continue
        found, unknown = classify(change)
        for kind in found:
            summary.add(kind, change)
        if "move" in found:
            moves.add((change.get("previous_address"), change.get("address")))
        if unknown:
            summary.unrendered.append(unknown)
    for change in plan.get("resource_drift") or []:
        if not isinstance(change, dict):
            summary.unrendered.append(Unrendered("resource_drift", "an entry that is not an object"))
            continue
        actions = actions_of(change.get("change"))
        if DRIFT_ACTIONS.get(actions, MISSING) is MISSING:
            summary.unrendered.append(Unrendered(str(change.get("address", "?")),
                                                 f"changed outside Terraform, {_actions_text(actions)}"))
        # A refresh-only plan reports its moves only here; a normal plan reports them in resource_changes too.
        if _moved(change) and (change.get("previous_address"), change.get("address")) not in moves:
            moves.add((change.get("previous_address"), change.get("address")))
            summary.add("move", change)
    for name, body in sorted((plan.get("output_changes") or {}).items()):
        kind = OUTPUT_ACTIONS.get(actions_of(body) or ("no-op",), MISSING)
        if kind is MISSING:
            summary.unrendered.append(Unrendered(f"output.{name}", f"output, {_actions_text(actions_of(body))}"))
        elif kind:
            summary.outputs_changed += 1
    for key, value in plan.items():
        if key not in READ and key not in NOT_CHANGES and value:
            summary.unrendered += _collection(key, value)
    return summary


def unrendered_json(summary: Summary) -> list[dict]:
    return [{"address": u.address, "kind": u.kind} for u in summary.unrendered]

