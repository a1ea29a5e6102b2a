"""The ECS service a release runs on: read it, move it to a revision."""

from tbctl import target as targets
from tbctl.errors import UserError


def describe(target, cluster: str, name: str, env_short: str) -> dict:
    ecs = targets.client(target, "ecs")
    answer = ecs.describe_services(cluster=cluster, services=[name])
    found = [s for s in answer.get("services", []) if s.get("status") != "INACTIVE"]
    if not found:
        raise UserError(f"service {name} does not exist in cluster {cluster}",
                        f"create the infrastructure first: make apply ENV={env_short} (or make deploy ENV={env_short})")
    return found[0]


def primary(service: dict) -> dict | None:
    return next((d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"), None)


def settled_on(service: dict, arn: str) -> bool:
    """True when the service runs `arn` and its rollout is over."""
    deployment = primary(service)
    return bool(deployment and deployment.get("taskDefinition") == arn
                and deployment.get("rolloutState", "COMPLETED") == "COMPLETED" and len(service.get("deployments", [])) == 1)


def update(target, cluster: str, name: str, arn: str) -> dict:
    """Point the service at `arn`; returns the new PRIMARY deployment."""
    ecs = targets.client(target, "ecs")
    answer = ecs.update_service(cluster=cluster, service=name, taskDefinition=arn)
    return primary(answer["service"]) or {}
