"""Extends moto's ECS backend where it drops what real ECS keeps.

Moto forgets a service's capacityProviderStrategy, deploymentConfiguration and
friends on CreateService (so Terraform would replace the service on every
plan), defaults launchType to EC2 even with a capacity provider strategy, and
never moves a deployment forward. Here a service keeps those fields, and every
deployment rolls out over ROLLOUT_SECONDS the way ECS reports it: PRIMARY
IN_PROGRESS, then COMPLETED with the old deployment drained. A deployment
armed to fail (see faults.py) ends FAILED, and with the circuit breaker's
rollback on, ECS's rollback to the previous task definition is simulated.

RegisterTaskDefinition refuses what AWS refuses, with AWS's ClientException,
by running the deploy tool's own validation (tbctl.validate.aws_problems), and
stores task cpu and memory in units ("1 vCPU" -> "1024") as ECS does.
"""

import os
import time
import uuid
from datetime import datetime, timezone
from typing import Any

ROLLOUT_SECONDS = float(os.environ.get("TBCTL_EMULATOR_ROLLOUT_SECONDS", "2"))

# Request fields moto's CreateService ignores, kept as attributes the serializer reads back.
KEPT_ON_CREATE = {
    "capacityProviderStrategy": "capacity_provider_strategy",
    "deploymentConfiguration": "deployment_configuration",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "enableExecuteCommand": "enable_execute_command",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
    "placementConstraints": "placement_constraints",
    "placementStrategy": "placement_strategy",
}

# Services whose next deployment fails: "<cluster>/<service>" -> reason.
FAIL_NEXT: dict[str, str] = {}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _deployment(service: Any, task_definition: str | None, state: str = "IN_PROGRESS") -> dict:
    deployment_id = f"ecs-svc/{uuid.uuid4().int % 10**19:019d}"
    return {
        "id": deployment_id,
        "status": "PRIMARY",
        "taskDefinition": task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": 0 if state == "COMPLETED" else service.desired_count,
        "runningCount": service.desired_count if state == "COMPLETED" else 0,
        "failedTasks": 0,
        "createdAt": _now(),
        "updatedAt": _now(),
        "launchType": getattr(service, "launch_type", None),
        "capacityProviderStrategy": getattr(service, "capacity_provider_strategy", None) or None,
        "platformVersion": service.platform_version,
        "networkConfiguration": service.network_configuration or None,
        "rolloutState": state,
        "rolloutStateReason": f"ECS deployment {deployment_id} {'completed' if state == 'COMPLETED' else 'in progress'}.",
        "_started": time.monotonic(),
    }


def _event(service: Any, message: str) -> None:
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": _now(), "message": f"(service {service.name}) {message}"})


def _rollback_enabled(service: Any) -> bool:
    breaker = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
    return bool(breaker.get("enable") and breaker.get("rollback"))


def _advance(service: Any) -> None:
    """Move in-progress deployments forward to what ECS would report by now."""
    deployments = service.__dict__.get("_deployments") or []
    primary = deployments[0] if deployments else None
    if not primary or primary["rolloutState"] != "IN_PROGRESS":
        return
    if time.monotonic() - primary["_started"] < ROLLOUT_SECONDS:
        return
    key = f"{service.cluster_name}/{service.name}"
    reason = FAIL_NEXT.pop(key, None)
    if reason is None:
        primary.update(rolloutState="COMPLETED", runningCount=primary["desiredCount"], pendingCount=0, updatedAt=_now(),
                       rolloutStateReason=f"ECS deployment {primary['id']} completed.")
        del deployments[1:]
        _event(service, "has reached a steady state.")
        return
    primary.update(rolloutState="FAILED", runningCount=0, pendingCount=0, failedTasks=primary["desiredCount"],
                   updatedAt=_now(), rolloutStateReason=f"ECS deployment circuit breaker: {reason}")
    _event(service, f"deployment {primary['id']} deployment failed: {reason}")
    previous = deployments[1] if len(deployments) > 1 else None
    if _rollback_enabled(service) and previous:
        primary["status"] = "ACTIVE"
        rollback = _deployment(service, previous["taskDefinition"], state="COMPLETED")
        rollback["rolloutStateReason"] = f"ECS deployment circuit breaker: rolling back to deployment {previous['id']}."
        service.task_definition = previous["taskDefinition"]
        service.__dict__["_deployments"] = [rollback, primary]
        _event(service, f"rolling back to deployment {previous['id']}.")


def _get_deployments(service: Any) -> list:
    _advance(service)
    return service.__dict__.get("_deployments", [])


def _set_deployments(service: Any, value: list) -> None:
    # moto's constructor builds a deployment of its own; create_service below replaces it.
    for deployment in value:
        deployment.setdefault("_started", time.monotonic())
    service.__dict__["_deployments"] = value


def _running(service: Any) -> int:
    return sum(d["runningCount"] for d in _get_deployments(service)) if service.__dict__.get("_deployments") else service.__dict__.get("_running", 0)


def _pending(service: Any) -> int:
    return sum(d["pendingCount"] for d in _get_deployments(service)) if service.__dict__.get("_deployments") else service.__dict__.get("_pending", 0)


def install() -> None:
    """Patch moto's ECS service model and responses. Idempotent."""
    from moto.ecs import models, responses

    if getattr(models.Service, "_tbctl_installed", False):
        return
    service_cls = models.Service
    service_cls.deployments = property(_get_deployments, _set_deployments)
    service_cls.running_count = property(_running, lambda s, v: s.__dict__.__setitem__("_running", v))
    service_cls.pending_count = property(_pending, lambda s, v: s.__dict__.__setitem__("_pending", v))
    service_cls._tbctl_installed = True

    original_create = responses.EC2ContainerServiceResponse.create_service
    original_update = models.EC2ContainerServiceBackend.update_service
    original_register = models.EC2ContainerServiceBackend.register_task_definition

    def register_task_definition(self: Any, family: str, container_definitions: list, **kwargs: Any) -> Any:
        from moto.ecs.exceptions import EcsClientException

        from tbctl import validate

        names = {"network_mode": "networkMode", "requires_compatibilities": "requiresCompatibilities",
                 "placement_constraints": "placementConstraints", "task_role_arn": "taskRoleArn",
                 "execution_role_arn": "executionRoleArn", "proxy_configuration": "proxyConfiguration",
                 "inference_accelerators": "inferenceAccelerators", "runtime_platform": "runtimePlatform",
                 "ipc_mode": "ipcMode", "pid_mode": "pidMode", "ephemeral_storage": "ephemeralStorage"}
        request = {"family": family, "containerDefinitions": container_definitions,
                   **{names.get(key, key): value for key, value in kwargs.items() if value is not None}}
        # Keys newer than this botocore's model are AWS's to judge, not ours.
        problems = validate.aws_problems(request, unknown_keys=False)
        if problems:
            raise EcsClientException("; ".join(problems))
        if kwargs.get("cpu"):
            kwargs["cpu"] = str(validate.cpu_units(kwargs["cpu"]))
        if kwargs.get("memory"):
            kwargs["memory"] = str(validate.memory_mib(kwargs["memory"]))
        return original_register(self, family, container_definitions, **kwargs)

    def create_service(self: Any) -> Any:
        result = original_create(self)
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        for field, attribute in KEPT_ON_CREATE.items():
            value = self._get_param(field)
            if value is not None:
                setattr(service, attribute, value)
        if self._get_param("capacityProviderStrategy") and not self._get_param("launchType"):
            service.launch_type = None  # ECS leaves launchType empty when a strategy is used
        if service.deployment_controller.get("type", "ECS") == "ECS":
            service.deployments = [_deployment(service, service.task_definition)]
        return result

    def update_service(self: Any, props: dict) -> Any:
        cluster = props.get("cluster", "default")
        name = props["service"].split("/")[-1]
        service = self._get_service(cluster, name)
        before_td = service.task_definition
        force = bool(props.get("force_new_deployment"))
        new_td = props.get("task_definition")
        if new_td:
            new_td = self.describe_task_definition(new_td).arn
            props["task_definition"] = new_td
        desired = props.get("desired_count")
        # moto's update treats desired_count as instantly running; the rollout model owns counts here.
        props.pop("desired_count", None)
        result = original_update(self, props)
        if desired is not None:
            service.desired_count = desired
        if (new_td and new_td != before_td) or force:
            current = service.__dict__.get("_deployments") or []
            for old in current:
                old["status"] = "ACTIVE"
            service.__dict__["_deployments"] = [_deployment(service, service.task_definition)] + current[:1]
            _event(service, f"has started a deployment to {service.task_definition.split('/')[-1]}.")
        elif desired is not None and service.__dict__.get("_deployments"):
            service.__dict__["_deployments"][0].update(desiredCount=desired, runningCount=desired, pendingCount=0)
        return result

    def list_task_definitions(self: Any) -> Any:
        # ECS sorts by family and revision, honours sort=DESC and pages; moto does neither.
        from moto.core.responses import ActionResult

        arns = self.ecs_backend.list_task_definitions(self._get_param("familyPrefix"), self._get_param("status", "ACTIVE"))
        arns = sorted(arns, key=lambda arn: (arn.rsplit(":", 1)[0], int(arn.rsplit(":", 1)[1])),
                      reverse=self._get_param("sort", "ASC") == "DESC")
        start = int(self._get_param("nextToken") or 0)
        size = int(self._get_param("maxResults") or 100)
        page = {"taskDefinitionArns": arns[start:start + size]}
        if start + size < len(arns):
            page["nextToken"] = str(start + size)
        return ActionResult(page)

    responses.EC2ContainerServiceResponse.create_service = create_service
    responses.EC2ContainerServiceResponse.list_task_definitions = list_task_definitions
    models.EC2ContainerServiceBackend.update_service = update_service
    models.EC2ContainerServiceBackend.register_task_definition = register_task_definition


def arm_failure(cluster: str, service: str, reason: str) -> None:
    FAIL_NEXT[f"{cluster}/{service}"] = reason
