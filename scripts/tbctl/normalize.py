"""One comparable form for a rendered request and a registered revision.

ECS returns fields it owns (revision, status, registeredAt ...) and fills in
defaults (cpu 0, empty lists, hostPort, protocol); neither is a difference a
user made. Lists whose order means nothing are sorted, so a redeploy of the
same release compares equal.
"""

import copy

SERVER_FIELDS = (
    "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
    "registeredAt", "registeredBy", "deregisteredAt", "deleteRequested",
)
# Defaults ECS fills in when a field is left out: dropping them on both sides makes them equal.
TASK_DEFAULTS = {"volumes": [], "placementConstraints": [], "tags": [], "inferenceAccelerators": []}
CONTAINER_DEFAULTS = {
    "cpu": 0, "essential": True, "environment": [], "mountPoints": [], "volumesFrom": [], "secrets": [],
    "portMappings": [], "systemControls": [], "environmentFiles": [], "ulimits": [], "dependsOn": [],
    "dnsServers": [], "dnsSearchDomains": [], "extraHosts": [], "links": [], "entryPoint": [], "command": [],
    "dockerSecurityOptions": [], "resourceRequirements": [], "credentialSpecs": [],
}
BY_NAME = ("environment", "secrets", "environmentFiles", "ulimits", "systemControls")


def _drop_defaults(item: dict, defaults: dict) -> None:
    for key, default in defaults.items():
        if key in item and item[key] == default:
            del item[key]


def _port(mapping: dict, network_mode: str | None) -> dict:
    mapping = dict(mapping)
    if mapping.get("protocol", "tcp") == "tcp":
        mapping.pop("protocol", None)
    if network_mode == "awsvpc" and mapping.get("hostPort") == mapping.get("containerPort"):
        mapping.pop("hostPort", None)  # awsvpc: ECS sets hostPort to containerPort
    return mapping


def _container(container: dict, network_mode: str | None) -> dict:
    container = copy.deepcopy(container)
    for key in BY_NAME:
        if isinstance(container.get(key), list):
            container[key] = sorted(container[key], key=lambda item: str(item.get("name", item.get("value", item))))
    if isinstance(container.get("portMappings"), list):
        container["portMappings"] = [_port(m, network_mode) for m in container["portMappings"]]
    _drop_defaults(container, CONTAINER_DEFAULTS)
    return container


def normalize(definition: dict, tags: list | None = None) -> dict:
    """`definition` (a request or a described revision) in comparable form; `tags` from describe's include=TAGS."""
    result = {key: copy.deepcopy(value) for key, value in definition.items() if key not in SERVER_FIELDS}
    if tags is not None:
        result["tags"] = tags
    network_mode = result.get("networkMode")
    result["containerDefinitions"] = sorted(
        (_container(c, network_mode) for c in result.get("containerDefinitions") or []), key=lambda c: c.get("name", ""))
    from tbctl.validate import cpu_units, memory_mib

    # ECS stores "1 vCPU" as "1024" and "2 GB" as "2048": the same size is no difference.
    for key, units in (("cpu", cpu_units), ("memory", memory_mib)):
        if key in result and result[key] is not None:
            result[key] = str(units(result[key]) if units(result[key]) is not None else result[key])
    if isinstance(result.get("tags"), list):
        result["tags"] = sorted(result["tags"], key=lambda tag: tag.get("key", ""))
    if isinstance(result.get("requiresCompatibilities"), list):
        result["requiresCompatibilities"] = sorted(result["requiresCompatibilities"])
    _drop_defaults(result, TASK_DEFAULTS)
    return result


def differences(rendered: dict, registered: dict, tags: list | None = None) -> list[str]:
    """A unified diff (lines) from the registered revision to the rendered request; empty when equal."""
    import difflib
    import json

    before = json.dumps(normalize(registered, tags), indent=2, sort_keys=True, default=str).splitlines()
    after = json.dumps(normalize(rendered), indent=2, sort_keys=True, default=str).splitlines()
    if before == after:
        return []
    return list(difflib.unified_diff(before, after, "registered", "rendered", lineterm="", n=3))
