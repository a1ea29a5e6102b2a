"""Find task-definition revisions of a family: the latest, one by ARN, all active (described as they are read)."""

from tbctl import target as targets


def number(arn: str) -> int:
    return int(arn.rsplit(":", 1)[-1])


def label(arn: str) -> str:
    """`family:revision`, how people name a revision."""
    return arn.rsplit("/", 1)[-1]


def tag_map(tags: list | None) -> dict[str, str]:
    return {item["key"]: item["value"] for item in tags or []}


def describe(target, name: str) -> tuple[dict, list] | None:
    """(definition, tags) of `name` (an ARN, family:revision, or a family for its latest ACTIVE revision); None when absent."""
    ecs = targets.client(target, "ecs")
    try:
        answer = ecs.describe_task_definition(taskDefinition=name, include=["TAGS"])
    except ecs.exceptions.ClientException:
        return None
    return answer["taskDefinition"], answer.get("tags") or []


def active(target, family: str):
    """ARNs of the family's ACTIVE revisions, newest first, fetched a page at a time."""
    ecs = targets.client(target, "ecs")
    pages = ecs.get_paginator("list_task_definitions").paginate(familyPrefix=family, status="ACTIVE", sort="DESC")
    for page in pages:
        # AWS sorts across pages; sorting each page too covers servers that ignore `sort` (moto does).
        for arn in sorted(page["taskDefinitionArns"], key=number, reverse=True):
            if label(arn).rsplit(":", 1)[0] == family:  # familyPrefix is documented as exact; be sure
                yield arn


def described(target, family: str, older_than: int | None = None):
    """(ARN, definition, tag map) of the family's active revisions, newest first, described one at a time as read."""
    for arn in active(target, family):
        if older_than is not None and number(arn) >= older_than:
            continue
        found = describe(target, arn)
        if found:
            yield arn, found[0], tag_map(found[1])
