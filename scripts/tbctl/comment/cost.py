"""Monthly cost of the environment's Fargate services, before -> after, from the plan.

For each aws_ecs_service: its task definition's cpu and memory x desired_count,
split over the capacity providers the way ECS places tasks (each provider's
`base` first, the rest by `weight`). FARGATE is priced on demand, FARGATE_SPOT
at the discount in the price table (not at on-demand rates). Prices are data:
tbctl/data/fargate_prices.json, with its region, the public page they were read
from (`url`) and the day they were read (`as_of`): the comment cites those two,
never the file.
"""

import json
from dataclasses import dataclass
from pathlib import Path

PRICES = Path(__file__).resolve().parents[1] / "data" / "fargate_prices.json"


def prices(path: Path = PRICES) -> dict:
    return json.loads(path.read_text())


@dataclass(frozen=True)
class Shape:
    """What one side (before or after) of a service runs."""
    vcpu: float
    gb: float
    tasks: float
    mix: tuple  # ((provider, tasks), ...)
    monthly: float

    def text(self) -> str:
        mix = ", ".join(f"{_num(count)} {provider}" for provider, count in self.mix)
        return f"{_num(self.tasks)} × {_num(self.vcpu)} vCPU / {_num(self.gb)} GB ({mix})"


@dataclass(frozen=True)
class ServiceCost:
    address: str
    before: Shape | None
    after: Shape | None
    note: str = ""  # why a side could not be priced


@dataclass(frozen=True)
class Cost:
    services: tuple[ServiceCost, ...]
    table: dict

    @property
    def before(self) -> float:
        return sum(s.before.monthly for s in self.services if s.before)

    @property
    def after(self) -> float:
        return sum(s.after.monthly for s in self.services if s.after)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def split(count: float, strategy: list[dict]) -> dict[str, float]:
    """Tasks per capacity provider: the bases first, then the rest in proportion to the weights."""
    if not strategy:
        return {"FARGATE": float(count)}
    placed = {item["capacity_provider"]: 0.0 for item in strategy}
    remaining = float(count)
    for item in strategy:
        base = min(float(item.get("base") or 0), remaining)
        placed[item["capacity_provider"]] += base
        remaining -= base
    weights = {item["capacity_provider"]: float(item.get("weight") or 0) for item in strategy}
    total = sum(weights.values())
    if remaining > 0 and total > 0:
        for provider, weight in weights.items():
            placed[provider] += remaining * weight / total
    elif remaining > 0:  # all weights 0: ECS rejects this, price as on demand rather than drop tasks
        placed[strategy[0]["capacity_provider"]] += remaining
    return placed


def monthly(vcpu: float, gb: float, mix: dict[str, float], table: dict) -> float:
    hours = table["hours_per_month"]
    per_task = (vcpu * table["on_demand"]["vcpu_hour"] + gb * table["on_demand"]["gb_hour"]) * hours
    spot = 1 - table["spot"]["discount"]
    return sum(per_task * count * (spot if provider == "FARGATE_SPOT" else 1.0) for provider, count in mix.items())


# -- finding the task definition a service runs ---------------------------------
def _module_config(plan: dict, module_address: str | None) -> dict:
    module = (plan.get("configuration") or {}).get("root_module") or {}
    if not module_address:
        return module
    for part in module_address.split("module.")[1:]:
        name = part.rstrip(".").split("[")[0]
        module = ((module.get("module_calls") or {}).get(name) or {}).get("module") or {}
    return module


def _referenced(plan: dict, service: dict) -> str | None:
    """The address of the task definition the service's configuration refers to."""
    module_address = service.get("module_address")
    config = _module_config(plan, module_address)
    local = f"{service.get('type')}.{service.get('name')}"
    for resource in config.get("resources") or []:
        if resource.get("address") != local:
            continue
        references = ((resource.get("expressions") or {}).get("task_definition") or {}).get("references") or []
        for reference in references:
            parts = reference.split(".")
            if len(parts) >= 2 and parts[0] == "aws_ecs_task_definition":
                prefix = f"{module_address}." if module_address else ""
                return f"{prefix}{parts[0]}.{parts[1].split('[')[0]}"
    return None


def _family(arn: str) -> str:
    return arn.rsplit("/", 1)[-1].split(":")[0]


def _task_definition(plan: dict, service: dict, value: dict, task_definitions: list[dict], side: str) -> dict | None:
    def values(change):
        body = change.get("change") or {}
        return body.get(side) or body.get("before" if side == "after" else "after")

    wanted = value.get("task_definition")
    if isinstance(wanted, str) and wanted:
        for change in task_definitions:
            body = change.get("change") or {}
            if wanted in {(body.get("before") or {}).get("arn"), (body.get("after") or {}).get("arn")}:
                return values(change)
        for change in task_definitions:
            if (values(change) or {}).get("family") == _family(wanted):
                return values(change)
    address = _referenced(plan, service)
    if address:
        for change in task_definitions:
            if change.get("address", "").split("[")[0] == address:
                return values(change)
    same_module = [c for c in task_definitions if c.get("module_address") == service.get("module_address")]
    return values(same_module[0]) if len(same_module) == 1 else None


def _cluster_default(plan: dict) -> list[dict]:
    for change in plan.get("resource_changes") or []:
        if change.get("type") == "aws_ecs_cluster_capacity_providers":
            body = change.get("change") or {}
            value = body.get("after") or body.get("before") or {}
            return (value.get("default_capacity_provider_strategy") or []) if isinstance(value, dict) else []
    return []


def _shape(plan, service, value, task_definitions, side, table) -> tuple[Shape | None, str]:
    if not value:
        return None, ""
    if not isinstance(value, dict):
        return None, "its values are not an object"
    launch_type = str(value.get("launch_type") or "")
    strategy = value.get("capacity_provider_strategy") or ([] if launch_type else _cluster_default(plan))
    if not isinstance(strategy, list) or not all(isinstance(item, dict) for item in strategy):
        return None, "its capacity provider strategy is not a list of objects"
    if launch_type and launch_type != "FARGATE":
        return None, f"launch type {launch_type} is not Fargate"
    if any(not str(item.get("capacity_provider", "")).startswith("FARGATE") for item in strategy):
        return None, "a capacity provider is not Fargate"
    count = value.get("desired_count")
    if not isinstance(count, (int, float)):
        return None, "desired count known only after apply"
    definition = _task_definition(plan, service, value, task_definitions, side)
    if not definition:
        return None, "its task definition is not in this plan"
    try:
        vcpu = float(definition.get("cpu")) / 1024
        gb = float(definition.get("memory")) / 1024
    except (TypeError, ValueError):
        return None, "task-level cpu/memory not set"
    mix = split(count, strategy)
    return Shape(vcpu, gb, float(count), tuple((p, n) for p, n in mix.items() if n), monthly(vcpu, gb, mix, table)), ""


def estimate(plan: dict, table: dict) -> Cost:
    changes = [c for c in plan.get("resource_changes") or [] if c.get("mode") != "data"]
    task_definitions = [c for c in changes if c.get("type") == "aws_ecs_task_definition"]
    services = []
    for service in changes:
        if service.get("type") != "aws_ecs_service":
            continue
        body = service.get("change") or {}
        before, why_before = _shape(plan, service, body.get("before"), task_definitions, "before", table)
        after, why_after = _shape(plan, service, body.get("after"), task_definitions, "after", table)
        services.append(ServiceCost(service.get("address", "?"), before, after, why_after or why_before))
    return Cost(tuple(services), table)
