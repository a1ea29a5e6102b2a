"""Register a rendered task definition, only when it differs from the family's latest active revision."""

from dataclasses import dataclass

from tbctl import normalize, revisions
from tbctl import target as targets


@dataclass(frozen=True)
class Registered:
    arn: str
    changed: bool  # False: the latest revision already matched, nothing was registered

    @property
    def label(self) -> str:
        return revisions.label(self.arn)


def compare(target, request: dict) -> tuple[str | None, list[str]]:
    """(ARN of the family's latest active revision or None, the diff lines from it to `request`)."""
    latest = revisions.describe(target, request["family"])
    if not latest:
        return None, ["(the family has no active revision)"]
    definition, tags = latest
    return definition["taskDefinitionArn"], normalize.differences(request, definition, tags)


def register(target, request: dict, dry_run: bool = False) -> Registered | None:
    """The revision to run: the latest one when equal, else a new one (None on a dry run that would register)."""
    latest_arn, diff = compare(target, request)
    if latest_arn and not diff:
        return Registered(latest_arn, changed=False)
    if dry_run:
        return None
    answer = targets.client(target, "ecs").register_task_definition(**request)
    return Registered(answer["taskDefinition"]["taskDefinitionArn"], changed=True)
