"""Deregister revisions beyond the newest KEEP; never one a deployment of the service uses, never Terraform's baseline.

Deregistering the baseline would make Terraform re-create it on the next apply.
"""

from tbctl import revisions, service
from tbctl import target as targets
from tbctl.errors import UserError


def candidates(target, outputs: dict, keep: int, env_short: str) -> tuple[list[str], list[str]]:
    """(ARNs to deregister, ARNs kept although old: in use or the baseline)."""
    if keep < 1:
        raise UserError(f"KEEP={keep} would leave no revision", "pass KEEP=1 or more")
    svc = service.describe(target, outputs["cluster_name"], outputs["service_name"], env_short)
    in_use = {svc.get("taskDefinition")} | {d.get("taskDefinition") for d in svc.get("deployments", [])}
    old = list(revisions.active(target, outputs["family"]))[keep:]
    remove, protected = [], []
    for arn in old:
        found = revisions.describe(target, arn)
        baseline = bool(found) and revisions.tag_map(found[1]).get("managed-by") == "terraform"
        (protected if arn in in_use or baseline else remove).append(arn)
    return remove, protected


def deregister(target, arns: list[str]) -> None:
    ecs = targets.client(target, "ecs")
    for arn in arns:
        ecs.deregister_task_definition(taskDefinition=arn)
