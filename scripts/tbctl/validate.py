"""Check a rendered task definition before anything touches AWS.

The request's shape is checked against botocore's own service model for
RegisterTaskDefinition, so a definition copied from describe-task-definition
(revision, compatibilities, registeredAt ...) is rejected with each key named.
Then our rules: valid Fargate CPU/memory pairs, no `latest` image, no
secret-looking names in plain `environment`, a health check in production.
"""

import re

from tbctl.errors import UserError

# Fargate's CPU units -> the memory (MiB) it allows.
FARGATE_MEMORY = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4097, 1024)),
    1024: list(range(2048, 8193, 1024)),
    2048: list(range(4096, 16385, 1024)),
    4096: list(range(8192, 30721, 1024)),
    8192: list(range(16384, 61441, 4096)),
    16384: list(range(32768, 122881, 8192)),
}
SECRET_WORDS = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|(^|_)(API_?)?KEY(_|$)|APIKEY", re.I)


def input_shape(service_model=None):
    """RegisterTaskDefinition's request shape, from a client's model when one is loaded already (saves start-up time)."""
    if service_model is None:
        import botocore.session

        service_model = botocore.session.get_session().get_service_model("ecs")
    return service_model.operation_model("RegisterTaskDefinition").input_shape


def shape_problems(value, shape=None, path: str = "$") -> list[str]:
    """Where `value` does not fit the botocore shape: unknown keys, missing required keys, wrong types."""
    shape = shape or input_shape()
    kind = shape.type_name
    problems = []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path} must be an object"]
        for key, item in value.items():
            if key not in shape.members:
                problems.append(f"unknown key {path}.{key}")
            else:
                problems += shape_problems(item, shape.members[key], f"{path}.{key}")
        problems += [f"missing key {path}.{key}" for key in shape.required_members if key not in value]
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{path} must be a list"]
        for index, item in enumerate(value):
            problems += shape_problems(item, shape.member, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            return [f"{path} must be an object"]
        for key, item in value.items():
            problems += shape_problems(item, shape.value, f"{path}.{key}")
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{path} must be a string"]
        if shape.enum and value not in shape.enum:
            return [f"{path} is '{value}', not one of {', '.join(shape.enum)}"]
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{path} must be an integer"]
    elif kind == "boolean":
        if not isinstance(value, bool):
            return [f"{path} must be true or false"]
    return problems


def fargate_problems(request: dict) -> list[str]:
    if "FARGATE" not in (request.get("requiresCompatibilities") or []):
        return []
    cpu, memory = str(request.get("cpu", "")), str(request.get("memory", ""))
    if not cpu.isdigit() or int(cpu) not in FARGATE_MEMORY:
        return [f"cpu {cpu or '(none)'} is not a Fargate size (one of {', '.join(map(str, FARGATE_MEMORY))})"]
    allowed = FARGATE_MEMORY[int(cpu)]
    if not memory.isdigit() or int(memory) not in allowed:
        return [f"cpu {cpu} with memory {memory or '(none)'} is not a valid Fargate pair "
                f"(memory for cpu {cpu}: {allowed[0]}-{allowed[-1]} in steps of {allowed[1] - allowed[0]})"]
    return []


def container_problems(request: dict, production: bool) -> list[str]:
    problems = []
    for index, container in enumerate(request.get("containerDefinitions") or []):
        name = container.get("name", f"#{index}")
        image = container.get("image", "")
        last = image.rsplit("/", 1)[-1]
        if "@" not in last and (":" not in last or last.endswith(":latest")):
            problems.append(f"container {name}: image '{image}' uses the 'latest' tag")
        for item in container.get("environment") or []:
            if SECRET_WORDS.search(item.get("name", "")):
                problems.append(f"container {name}: '{item['name']}' looks like a secret in plain environment")
        if production and container.get("essential", True) and not container.get("healthCheck"):
            problems.append(f"container {name}: production needs a healthCheck")
    return problems


FIXES = {
    "unknown key": "remove the keys RegisterTaskDefinition does not take (server-side fields from describe-task-definition)",
    "latest": "pin the image to the release's tag (release.image)",
    "secret": "move it to `secrets` (a Secrets Manager ARN from Terraform's `secrets` output)",
    "Fargate": "use a valid pair (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size) in the environment's Terraform settings",
    "healthCheck": "give the container a health check (Terraform's health_check output)",
}


def check(request: dict, production: bool, name: str = "the task definition", service_model=None) -> None:
    """Raise one UserError naming every problem in `request`; return quietly when it may be registered."""
    problems = shape_problems(request, input_shape(service_model))
    if not problems:
        problems = fargate_problems(request) + container_problems(request, production)
    if not problems:
        return
    fix = next((text for word, text in FIXES.items() if word in problems[0]), "fix the template")
    raise UserError(f"{name} is not valid: {'; '.join(problems)}", fix)
