"""What the next deploy would change: the rendered request against the revision the service runs now."""

from tbctl import normalize, revisions, service


def diff(target, prepared, env_short: str) -> tuple[str, list[str]]:
    """(label of the running revision, unified diff lines; empty when nothing would change)."""
    outputs = prepared.outputs
    svc = service.describe(target, outputs["cluster_name"], outputs["service_name"], env_short)
    arn = svc["taskDefinition"]
    found = revisions.describe(target, arn)
    if not found:
        return revisions.label(arn), [f"the running revision {revisions.label(arn)} cannot be described"]
    definition, tags = found
    return revisions.label(arn), normalize.differences(prepared.request, definition, tags)
