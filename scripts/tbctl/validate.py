"""Would RegisterTaskDefinition accept this request? Checked before anything touches AWS.

Three layers, in order, each reported as one line:
1. A copy of describe-task-definition's output is named as such, with the keys to delete.
2. Shape, from botocore's own service model: unknown keys, required keys, types, enum values.
3. AWS's documented rules (AWS_RULES, each citing the page it comes from), then the
   house rules (HOUSE_RULES: no `latest` image, no secret-named plain environment
   variable, a health check in production).

The emulator's RegisterTaskDefinition runs layers 2 and AWS_RULES too (aws_problems),
so what AWS refuses fails on the local target the same way. Everything AWS accepts
must pass: task `cpu` may be "1 vCPU" and `memory` "2 GB", as AWS converts them.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from tbctl.errors import UserError
from tbctl.normalize import SERVER_FIELDS
from tbctl.secret_names import is_secret_name

API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference"
GUIDE = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide"
REGISTER = f"{API}/API_RegisterTaskDefinition.html"
CONTAINER = f"{API}/API_ContainerDefinition.html"
PORT_MAPPING = f"{API}/API_PortMapping.html"
FARGATE_SIZE = f"{GUIDE}/fargate-tasks-services.html#fargate-tasks-size"
# "Task definition parameters that are not valid in Fargate tasks".
FARGATE_DIFFERENCES = f"{GUIDE}/fargate-tasks-services.html#fargate-task-defs"
EXECUTION_ROLE = f"{GUIDE}/task_execution_IAM_role.html"
SENSITIVE_DATA = f"{GUIDE}/specifying-sensitive-data.html"
SECRET = f"{API}/API_Secret.html"
DEPENDENCY = f"{API}/API_ContainerDependency.html"
HEALTH_CHECK = f"{API}/API_HealthCheck.html"
LOG_CONFIGURATION = f"{API}/API_LogConfiguration.html"
MOUNT_POINT = f"{API}/API_MountPoint.html"
QUOTAS = f"{GUIDE}/service-quotas.html"

# Fargate's CPU units -> the memory (MiB) it allows (FARGATE_SIZE; RegisterTaskDefinition's `memory`).
FARGATE_MEMORY = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4097, 1024)),
    1024: list(range(2048, 8193, 1024)),
    2048: list(range(4096, 16385, 1024)),
    4096: list(range(8192, 30721, 1024)),
    8192: list(range(16384, 61441, 4096)),
    16384: list(range(32768, 122881, 8192)),
}
NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
PORT_NAME = re.compile(r"[a-z0-9_][a-z0-9_-]{0,63}")
IMAGE_CHARS = re.compile(r"[A-Za-z0-9_:./#-]+")
DIGEST = re.compile(r"sha256:[A-Fa-f0-9]{64}")
SSM_NAME = re.compile(r"[A-Za-z0-9_./-]+")
SECRET_ARN = re.compile(r"arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:(secret:|parameter/).+")
FARGATE_LOG_DRIVERS = ("awslogs", "splunk", "awsfirelens")
# Container parameters Fargate does not take (FARGATE_DIFFERENCES).
# (links has its own rule: they need networkMode bridge, which Fargate never has.)
FARGATE_UNSUPPORTED = ("disableNetworking", "dnsSearchDomains", "dnsServers", "dockerSecurityOptions", "extraHosts",
                       "privileged")


# -- units: AWS converts "1 vCPU" and "2 GB" when it registers -------------------------------------------

def cpu_units(value) -> int | None:
    """Task `cpu` in CPU units: "1024", "1 vCPU", "0.25 vcpu"; None when it is neither form."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    match = re.fullmatch(r"(\d+(?:\.\d+)?|\.\d+)\s*vcpu", text, re.I)
    units = float(match.group(1)) * 1024 if match else None
    return int(units) if units is not None and units == int(units) else None


def memory_mib(value) -> int | None:
    """Task `memory` in MiB: "2048", "2 GB", "2GB", "0.5 GB"; None when it is neither form."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    match = re.fullmatch(r"(\d+(?:\.\d+)?|\.\d+)\s*gb", text, re.I)
    mib = float(match.group(1)) * 1024 if match else None
    return int(mib) if mib is not None and mib == int(mib) else None


# -- layer 1: a copy of describe-task-definition ---------------------------------------------------------

def described_keys(request: dict) -> list[str]:
    """What to delete from a pasted describe-task-definition answer to make it a request; [] for a request."""
    if not isinstance(request, dict):
        return []
    if set(request) <= {"taskDefinition", "tags"} and isinstance(request.get("taskDefinition"), dict):
        inner = request["taskDefinition"]
        return ['{"taskDefinition": ...} around it'] + [key for key in SERVER_FIELDS if key in inner]
    return [key for key in SERVER_FIELDS if key in request]


# -- layer 2: shape, from botocore's model -----------------------------------------------------------------

@lru_cache(maxsize=1)
def _own_shape():
    import botocore.session

    return botocore.session.get_session().get_service_model("ecs").operation_model("RegisterTaskDefinition").input_shape


def input_shape(service_model=None):
    """RegisterTaskDefinition's request shape, from a client's model when one is loaded already (saves start-up time)."""
    if service_model is None:
        return _own_shape()
    return service_model.operation_model("RegisterTaskDefinition").input_shape


def shape_problems(value, shape=None, path: str = "$", unknown_keys: bool = True) -> list[str]:
    """Where `value` does not fit the botocore shape: unknown keys, missing required keys, wrong types, enums."""
    shape = shape or input_shape()
    kind = shape.type_name
    problems = []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path} must be an object"]
        for key, item in value.items():
            if key in shape.members:
                problems += shape_problems(item, shape.members[key], f"{path}.{key}", unknown_keys)
            elif unknown_keys:
                problems.append(f"unknown key {path}.{key}")
        problems += [f"missing key {path}.{key}" for key in shape.required_members if key not in value]
        if getattr(shape, "is_tagged_union", False) and len(value) != 1:
            problems.append(f"{path} takes exactly one of {', '.join(shape.members)}")
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{path} must be a list"]
        problems += _out_of_range(len(value), shape, f"{path} holds {len(value)} items")
        for index, item in enumerate(value):
            problems += shape_problems(item, shape.member, f"{path}[{index}]", unknown_keys)
    elif kind == "map":
        if not isinstance(value, dict):
            return [f"{path} must be an object"]
        for key, item in value.items():
            problems += shape_problems(item, shape.value, f"{path}.{key}", unknown_keys)
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{path} must be a string"]
        if shape.enum and value not in shape.enum:
            return [f"{path} is '{value}', not one of {', '.join(shape.enum)}"]
        problems += _out_of_range(len(value), shape, f"{path} is {len(value)} characters long")
    elif kind in ("integer", "long"):
        # JSON true is not a number to AWS, though Python's bool is an int.
        if isinstance(value, bool) or not isinstance(value, int):
            return [f"{path} must be an integer"]
        problems += _out_of_range(value, shape, f"{path} is {value}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            return [f"{path} must be true or false"]
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [f"{path} must be a number"]
    return problems


def _out_of_range(number: int, shape, what: str) -> list[str]:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if (low is not None and number < low) or (high is not None and number > high):
        return [f"{what}, outside {low if low is not None else ''}-{high if high is not None else ''}"]
    return []


# -- layer 3: the rules ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    name: str
    doc: str  # the AWS page the rule comes from ("" for a house rule)
    fix: str
    check: Callable[[dict], Iterable[str]]


AWS_RULES: list[Rule] = []
HOUSE_RULES: list[Rule] = []


def aws_rule(doc: str, fix: str):
    def register(check):
        AWS_RULES.append(Rule(check.__name__, doc, fix, check))
        return check
    return register


def house_rule(fix: str):
    def register(check):
        HOUSE_RULES.append(Rule(check.__name__, "", fix, check))
        return check
    return register


def _containers(request: dict) -> list[tuple[str, dict]]:
    return [(str(c.get("name") or f"#{i}"), c) for i, c in enumerate(request.get("containerDefinitions") or [])]


def _fargate(request: dict) -> bool:
    return "FARGATE" in (request.get("requiresCompatibilities") or [])


def _network_mode(request: dict) -> str:
    return request.get("networkMode") or "bridge"  # RegisterTaskDefinition's default


def _task_memory(request: dict) -> int | None:
    return memory_mib(request["memory"]) if request.get("memory") not in (None, "") else None


def _task_cpu(request: dict) -> int | None:
    return cpu_units(request["cpu"]) if request.get("cpu") not in (None, "") else None


@aws_rule(REGISTER, "name the family with up to 255 letters, digits, underscores and hyphens")
def family_name(request):
    if not NAME.fullmatch(str(request.get("family", ""))):
        yield f"family '{request.get('family', '')}' must be 1-255 letters, digits, underscores or hyphens"


@aws_rule(QUOTAS, "give the task definition 1 to 10 containers")
def container_count(request):
    count = len(request.get("containerDefinitions") or [])
    if not 1 <= count <= 10:
        yield f"a task definition holds 1 to 10 containers, not {count}"


@aws_rule(CONTAINER, "give every container a unique name of up to 255 letters, digits, underscores and hyphens")
def container_names(request):
    seen = set()
    for index, container in enumerate(request.get("containerDefinitions") or []):
        name = container.get("name")
        if not name:
            yield f"container #{index} has no name"
        elif not NAME.fullmatch(name):
            yield f"container name '{name}' must be 1-255 letters, digits, underscores or hyphens"
        elif name in seen:
            yield f"container name '{name}' is used twice"
        seen.add(name)


@aws_rule(CONTAINER, "give the container an image: repository:tag, or repository@sha256:<64 hex digits>")
def container_image(request):
    for name, container in _containers(request):
        image = container.get("image")
        if not image:
            yield f"container {name} has no image"
            continue
        repository, at, digest = image.partition("@")
        if len(repository) > 255 or not IMAGE_CHARS.fullmatch(repository):
            yield (f"container {name}: image '{image[:80]}' must be up to 255 letters, digits, hyphens, underscores, "
                   f"colons, periods, slashes or #")
        elif at and not DIGEST.fullmatch(digest):
            yield f"container {name}: image digest '{digest[:80]}' must be sha256: and 64 hex digits"


@aws_rule(CONTAINER, "mark at least one container \"essential\": true (the default)")
def essential_container(request):
    containers = request.get("containerDefinitions") or []
    if containers and not any(c.get("essential", True) for c in containers):
        yield "no container is essential"


@aws_rule(REGISTER, "write cpu as CPU units (\"1024\") or vCPUs (\"1 vCPU\") and memory as MiB (\"2048\") or GB (\"2 GB\")")
def task_size_units(request):
    if request.get("cpu") not in (None, "") and _task_cpu(request) is None:
        yield f"task cpu '{request['cpu']}' is neither CPU units (1024) nor vCPUs (1 vCPU)"
    if request.get("memory") not in (None, "") and _task_memory(request) is None:
        yield f"task memory '{request['memory']}' is neither MiB (2048) nor GB (2 GB)"
    cpu = _task_cpu(request)
    if cpu is not None and not _fargate(request) and not 128 <= cpu <= 196608:
        yield f"task cpu {cpu} is outside 128-196608 CPU units"


@aws_rule(FARGATE_SIZE, "use a valid Fargate cpu/memory pair (" + FARGATE_SIZE + ") in the environment's Terraform settings")
def fargate_size(request):
    if not _fargate(request):
        return
    cpu, memory = _task_cpu(request), _task_memory(request)
    if request.get("cpu") in (None, "") or request.get("memory") in (None, ""):
        yield "Fargate needs task-level cpu and memory"
    elif cpu is None or memory is None:
        return  # task_size_units names the form
    elif cpu not in FARGATE_MEMORY:
        yield f"cpu {cpu} is not a Fargate size (one of {', '.join(map(str, FARGATE_MEMORY))})"
    elif memory not in FARGATE_MEMORY[cpu]:
        allowed = FARGATE_MEMORY[cpu]
        yield (f"cpu {cpu} with memory {memory} is not a valid Fargate pair "
               f"(memory for cpu {cpu}: {allowed[0]}-{allowed[-1]} in steps of {allowed[1] - allowed[0]})")


@aws_rule(REGISTER, "set \"networkMode\": \"awsvpc\" for Fargate")
def fargate_network_mode(request):
    if _fargate(request) and _network_mode(request) != "awsvpc":
        yield f"Fargate needs networkMode awsvpc, not {_network_mode(request)}"


@aws_rule(REGISTER, "remove pidMode other than task, and ipcMode, for Fargate")
def fargate_namespaces(request):
    if _fargate(request) and request.get("pidMode") not in (None, "task"):
        yield f"Fargate takes pidMode task only, not {request['pidMode']}"
    if _fargate(request) and request.get("ipcMode") is not None:
        yield "Fargate does not take ipcMode"


@aws_rule(FARGATE_DIFFERENCES, "remove the parameters Fargate does not support")
def fargate_container_parameters(request):
    if not _fargate(request):
        return
    for name, container in _containers(request):
        unsupported = [key for key in FARGATE_UNSUPPORTED if container.get(key) not in (None, [], False)]
        linux = container.get("linuxParameters") or {}
        unsupported += [f"linuxParameters.{key}" for key in ("devices", "sharedMemorySize", "tmpfs") if linux.get(key)]
        if unsupported:
            yield f"container {name}: Fargate does not support {', '.join(unsupported)}"
    if request.get("placementConstraints"):
        yield "Fargate does not support placementConstraints"
    for volume in request.get("volumes") or []:
        for key in ("host", "dockerVolumeConfiguration"):
            if volume.get(key):
                yield f"volume {volume.get('name')}: Fargate does not support {key}"


@aws_rule(CONTAINER, "keep container memory and memoryReservation within the task's memory (Terraform's memory setting), memoryReservation <= memory")
def container_memory(request):
    task = _task_memory(request)
    reserved = 0
    for name, container in _containers(request):
        memory, reservation = container.get("memory"), container.get("memoryReservation")
        if task is None and not memory and not reservation:
            yield f"container {name} needs memory or memoryReservation when the task sets no memory"
        if memory is not None and memory < 1 or reservation is not None and reservation < 1:
            yield f"container {name}: memory and memoryReservation must be positive"
        if task is not None and memory is not None and memory > task:
            yield f"container {name} memory {memory} MiB is above the task's {task} MiB"
        if task is not None and reservation is not None and reservation > task:
            yield f"container {name} memoryReservation {reservation} MiB is above the task's {task} MiB"
        if memory is not None and reservation is not None and reservation > memory:
            yield f"container {name} memoryReservation {reservation} MiB is above its memory {memory} MiB"
        reserved += reservation if reservation is not None else (memory or 0)
    if task is not None and reserved > task and len(_containers(request)) > 1:
        yield f"the containers reserve {reserved} MiB together, above the task's {task} MiB"


@aws_rule(CONTAINER, "keep the sum of container cpu within the task's cpu (Terraform's cpu setting)")
def container_cpu(request):
    task = _task_cpu(request)
    total = sum(c.get("cpu") or 0 for c in request.get("containerDefinitions") or [])
    if task is not None and total > task:
        yield f"the containers' cpu adds up to {total} units, above the task's {task}"
    for name, container in _containers(request):
        if (container.get("cpu") or 0) < 0:
            yield f"container {name} cpu must not be negative"


@aws_rule(PORT_MAPPING, "use ports 1-65535 (Terraform's container_port feeds the template); under awsvpc or host, leave hostPort out or equal to containerPort")
def port_mappings(request):
    mode = _network_mode(request)
    for name, container in _containers(request):
        mappings = container.get("portMappings") or []
        if mappings and mode == "none":
            yield f"container {name}: networkMode none takes no portMappings"
        used = {}
        for mapping in mappings:
            port, host = mapping.get("containerPort"), mapping.get("hostPort")
            if port is None and not mapping.get("containerPortRange"):
                yield f"container {name}: a port mapping needs containerPort or containerPortRange"
            if port is not None and not 1 <= port <= 65535:
                yield f"container {name}: containerPort {port} is outside 1-65535"
            lowest = 0 if mode == "bridge" else 1  # bridge: hostPort 0 asks for an ephemeral port
            if host is not None and not lowest <= host <= 65535:
                yield f"container {name}: hostPort {host} is outside {lowest}-65535"
            elif host is not None and port is not None and mode in ("awsvpc", "host") and host != port:
                yield f"container {name}: under networkMode {mode} hostPort {host} must equal containerPort {port}"
            if mapping.get("containerPortRange") and host is not None:
                yield f"container {name}: leave hostPort out with containerPortRange"
            yield from _port_range(name, mapping.get("containerPortRange"))
            if port is not None:
                protocol = mapping.get("protocol", "tcp")
                if used.setdefault(port, protocol) != protocol:
                    yield f"container {name}: containerPort {port} is exposed for both tcp and udp"
            if mapping.get("name") is not None and not PORT_NAME.fullmatch(mapping["name"]):
                yield (f"container {name}: port mapping name '{mapping['name']}' must be up to 64 lower-case letters, "
                       "digits, underscores or hyphens, not starting with a hyphen")


def _port_range(name: str, text: str | None):
    if not text:
        return
    match = re.fullmatch(r"(\d+)-(\d+)", text)
    if not match or not 1 <= int(match.group(1)) < int(match.group(2)) <= 65535:
        yield f"container {name}: containerPortRange '{text}' must be <first>-<last> within 1-65535, first below last"


@aws_rule(CONTAINER, "use links only with networkMode bridge, naming containers of this task")
def container_links(request):
    names = {name for name, _ in _containers(request)}
    for name, container in _containers(request):
        links = container.get("links") or []
        if links and _network_mode(request) != "bridge":
            yield f"container {name}: links need networkMode bridge"
        for link in links:
            if link.split(":", 1)[0] not in names:
                yield f"container {name}: link '{link}' names no container of this task"


@aws_rule(CONTAINER, "remove hostname and extraHosts under networkMode awsvpc")
def awsvpc_host_settings(request):
    if _network_mode(request) != "awsvpc":
        return
    for name, container in _containers(request):
        if container.get("hostname"):
            yield f"container {name}: hostname is not supported with networkMode awsvpc"
        if container.get("extraHosts") and not _fargate(request):  # Fargate's own rule names it
            yield f"container {name}: extraHosts is not supported with networkMode awsvpc"


@aws_rule(DEPENDENCY, "make dependsOn name another container of this task, with a condition it can meet")
def container_dependencies(request):
    containers = dict(_containers(request))
    for name, container in _containers(request):
        for dependency in container.get("dependsOn") or []:
            target, condition = dependency.get("containerName"), dependency.get("condition")
            if target not in containers or target == name:
                yield f"container {name} depends on '{target}', which is no other container of this task"
            elif condition in ("COMPLETE", "SUCCESS") and containers[target].get("essential", True):
                yield f"container {name} waits for {target} to {condition.lower()}, but {target} is essential"
            elif condition == "HEALTHY" and not containers[target].get("healthCheck"):
                yield f"container {name} waits for {target} to be healthy, but {target} has no healthCheck"


@aws_rule(CONTAINER, "name volumesFrom containers of this task and mountPoints volumes the task declares")
def container_volumes(request):
    # mountPoints: MOUNT_POINT ("must be a volume name referenced in the name parameter of task definition volume").
    containers = {name for name, _ in _containers(request)}
    volumes = {volume.get("name") for volume in request.get("volumes") or []}
    for name, container in _containers(request):
        for item in container.get("volumesFrom") or []:
            if item.get("sourceContainer") not in containers:
                yield f"container {name}: volumesFrom '{item.get('sourceContainer')}' names no container of this task"
        for mount in container.get("mountPoints") or []:
            if mount.get("sourceVolume") not in volumes:
                yield f"container {name}: mountPoint volume '{mount.get('sourceVolume')}' is not in the task's volumes"


@aws_rule(SECRET, "point valueFrom at a Secrets Manager secret or SSM parameter: its full ARN, or the parameter's name")
def secret_references(request):
    for name, container in _containers(request):
        items = list(container.get("secrets") or []) + list((container.get("logConfiguration") or {}).get("secretOptions") or [])
        for item in items:
            value = item.get("valueFrom", "")
            if value.startswith("arn:") and not SECRET_ARN.fullmatch(value):
                yield f"container {name}: secret {item.get('name')} valueFrom '{value[:100]}' is not a Secrets Manager or SSM ARN"
            elif not value.startswith("arn:") and not SSM_NAME.fullmatch(value):
                yield f"container {name}: secret {item.get('name')} valueFrom '{value[:100]}' is neither an ARN nor a parameter name"
            if not item.get("name"):
                yield f"container {name}: a secret has no name"


@aws_rule(EXECUTION_ROLE, "set executionRoleArn (Terraform's execution_role_arn output)")
def execution_role(request):
    # Secrets need the role on any launch type (SENSITIVE_DATA); awslogs and ECR images on Fargate.
    if request.get("executionRoleArn"):
        return
    for name, container in _containers(request):
        log = container.get("logConfiguration") or {}
        if container.get("secrets") or log.get("secretOptions"):
            yield f"container {name} has secrets, which need executionRoleArn"
        if _fargate(request) and log.get("logDriver") == "awslogs":
            yield f"container {name} logs with awslogs, which Fargate allows only with executionRoleArn"
        if _fargate(request) and re.match(r"\d{12}\.dkr\.ecr\.", container.get("image") or ""):
            yield f"container {name} pulls from ECR, which Fargate allows only with executionRoleArn"


@aws_rule(LOG_CONFIGURATION, "use awslogs, splunk or awsfirelens on Fargate; give awslogs its group, region and (Fargate) stream prefix")
def log_configuration(request):
    for name, container in _containers(request):
        log = container.get("logConfiguration")
        if not log:
            continue
        driver, options = log.get("logDriver"), log.get("options") or {}
        if _fargate(request) and driver not in FARGATE_LOG_DRIVERS:
            yield f"container {name}: Fargate takes log drivers {', '.join(FARGATE_LOG_DRIVERS)}, not {driver}"
        if driver == "awslogs":
            needed = ["awslogs-group", "awslogs-region"] + (["awslogs-stream-prefix"] if _fargate(request) else [])
            missing = [option for option in needed if not options.get(option)]
            if missing:
                yield f"container {name}: awslogs needs the options {', '.join(missing)}"


@aws_rule(HEALTH_CHECK, "start the health check command with CMD or CMD-SHELL; interval 5-300, timeout 2-60, retries 1-10, startPeriod 0-300")
def health_check(request):
    limits = {"interval": (5, 300), "timeout": (2, 60), "retries": (1, 10), "startPeriod": (0, 300)}
    for name, container in _containers(request):
        check = container.get("healthCheck")
        if not check:
            continue
        command = check.get("command") or []
        if not command or command[0] not in ("CMD", "CMD-SHELL"):
            yield f"container {name}: healthCheck command must start with CMD or CMD-SHELL"
        for key, (low, high) in limits.items():
            if check.get(key) is not None and not low <= check[key] <= high:
                yield f"container {name}: healthCheck {key} {check[key]} is outside {low}-{high}"


@aws_rule(CONTAINER, "keep startTimeout and stopTimeout within 2-120 seconds on Fargate")
def fargate_timeouts(request):
    if not _fargate(request):
        return
    for name, container in _containers(request):
        for key in ("startTimeout", "stopTimeout"):
            if container.get(key) is not None and not 2 <= container[key] <= 120:
                yield f"container {name}: {key} {container[key]} is outside Fargate's 2-120 seconds"


@aws_rule(REGISTER, "give each tag its own key, not starting with aws:")
def tags(request):
    # Count and lengths are in botocore's model (the shape layer); these two are only in the docs.
    keys = [tag.get("key") or "" for tag in request.get("tags") or []]
    for key in keys:
        if key.lower().startswith("aws:"):
            yield f"tag '{key[:40]}' uses the reserved prefix aws:"
    if len(set(keys)) != len(keys):
        yield "a tag key is used twice"


@aws_rule(REGISTER, "set ephemeralStorage.sizeInGiB from 21 to 200")
def ephemeral_storage(request):
    size = (request.get("ephemeralStorage") or {}).get("sizeInGiB")
    if size is not None and not 21 <= size <= 200:
        yield f"ephemeralStorage.sizeInGiB {size} is outside 21-200"


@house_rule("pin the image to the release's tag (release.image)")
def no_latest_image(request):
    for name, container in _containers(request):
        image = container.get("image") or ""
        last = image.rsplit("/", 1)[-1]
        if "@" not in last and (":" not in last or last.endswith(":latest")):
            yield f"container {name}: image '{image}' uses the 'latest' tag"


@house_rule("move it to `secrets` (a Secrets Manager ARN from Terraform's `secrets` output)")
def no_secret_in_environment(request):
    for name, container in _containers(request):
        for item in container.get("environment") or []:
            if is_secret_name(item.get("name")):
                yield f"container {name}: '{item['name']}' looks like a secret in plain environment"


def production_health_check(request):
    for name, container in _containers(request):
        if container.get("essential", True) and not container.get("healthCheck"):
            yield f"container {name}: production needs a healthCheck"


PRODUCTION_RULES = [Rule("production_health_check", "", "give the container a health check (Terraform's health_check output)",
                         production_health_check)]


# -- the entry points --------------------------------------------------------------------------------------

def _rule_problems(request: dict, rules: list[Rule]) -> list[tuple[str, Rule]]:
    return [(problem, rule) for rule in rules for problem in rule.check(request)]


def aws_problems(request: dict, service_model=None, unknown_keys: bool = True) -> list[str]:
    """What RegisterTaskDefinition would refuse in `request` (shape, then AWS's rules); [] when it accepts it."""
    problems = shape_problems(request, input_shape(service_model), unknown_keys=unknown_keys)
    return [_one_line(problem) for problem in problems or [problem for problem, _ in _rule_problems(request, AWS_RULES)]]


def _one_line(problem: str) -> str:
    """A value quoted in a problem may hold a line break; the error stays one line."""
    return re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", lambda m: repr(m.group())[1:-1], problem)


def check(request: dict, production: bool, name: str = "the task definition", service_model=None) -> None:
    """Raise one UserError naming every problem in `request`; return quietly when it may be registered."""
    described = described_keys(request)
    if described:
        raise UserError(f"{name} is describe-task-definition output: delete {', '.join(described)}",
                        "keep the request's fields only")
    shape = shape_problems(request, input_shape(service_model))
    if shape:
        raise UserError(f"{name} is not valid: {'; '.join(map(_one_line, shape))}",
                        "use RegisterTaskDefinition's fields and types (aws ecs register-task-definition --generate-cli-skeleton)")
    found = _rule_problems(request, AWS_RULES + HOUSE_RULES + (PRODUCTION_RULES if production else []))
    if found:
        raise UserError(f"{name} is not valid: {'; '.join(_one_line(problem) for problem, _ in found)}", found[0][1].fix)

