"""Find task-definition revisions of a family: the latest, one by ARN, one by git tag, all active."""

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


def find_by_tag(target, family: str, git_tag: str) -> tuple[str | None, list[str]]:
    """(ARN of the newest revision tagged git_tag, or None; the git tags seen on the way, newest first).

    Stops at the first match: only the revisions newer than it are described.
    """
    seen: list[str] = []
    for arn in active(target, family):
        found = describe(target, arn)
        if not found:
            continue
        tag = tag_map(found[1]).get("git_tag")
        if tag == git_tag:
            return arn, seen
        if tag and tag not in seen:
            seen.append(tag)
    return None, seen
