"""Register a rendered task definition; and tell whether the family's latest active revision already matches it."""

from tbctl import normalize, revisions
from tbctl import target as targets


def compare(target, request: dict) -> tuple[str | None, list[str]]:
    """(ARN of the family's latest active revision or None, the diff lines from it to `request`; empty: equal)."""
    latest = revisions.describe(target, request["family"])
    if not latest:
        return None, ["(the family has no active revision)"]
    definition, tags = latest
    return definition["taskDefinitionArn"], normalize.differences(request, definition, tags)


def unchanged(target, request: dict) -> str | None:
    """The latest active revision's ARN when it equals `request` (nothing to register), else None."""
    arn, diff = compare(target, request)
    return arn if arn and not diff else None


def register(target, request: dict) -> str:
    """Register `request` as a new revision; returns its ARN."""
    answer = targets.client(target, "ecs").register_task_definition(**request)
    return answer["taskDefinition"]["taskDefinitionArn"]
