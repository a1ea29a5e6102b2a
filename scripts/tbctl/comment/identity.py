"""Which environment a plan says it is of, so another environment's plan is never posted as this one's.

A plan names its environment in three places our roots fill in: the root
output `environment` (part of the outputs contract the templates read), the
`environment` tag the provider's default_tags put on every resource, and a
root variable `environment` where a root takes it as input. Every value found
there - before and after, planned and prior state - is a claim. The plan is
accepted only when there is at least one claim and all of them name this
environment: a plan that names another one, or none, is refused.
"""

import re
from dataclasses import dataclass

from tbctl.environments import ALIASES, ENVIRONMENTS
from tbctl.errors import UserError

NAME = "environment"
TAG_MAPS = ("tags_all", "tags")
_PRINTABLE = re.compile(r"[A-Za-z0-9_.-]{1,40}")


@dataclass(frozen=True)
class Claim:
    value: str  # the environment's short name when we know it (dev, prod), else the value as written
    where: str  # "its `environment` output", "the `environment` tag of aws_ecs_cluster.this", ...


def _canonical(value: str) -> str:
    key = value.strip().lower()
    return ALIASES.get(key, key)


def _output_values(plan: dict):
    change = (plan.get("output_changes") or {}).get(NAME) or {}
    for side in ("before", "after"):
        if change.get(f"{side}_sensitive") is not True:
            yield change.get(side)
    for state in (plan.get("planned_values"), ((plan.get("prior_state") or {}).get("values"))):
        output = ((state or {}).get("outputs") or {}).get(NAME) or {}
        if not output.get("sensitive"):
            yield output.get("value")


def _resources(module: dict):
    for resource in (module or {}).get("resources") or []:
        if resource.get("mode") != "data":
            yield resource.get("address", "?"), resource.get("values")
    for child in (module or {}).get("child_modules") or []:
        yield from _resources(child)


def _tagged(plan: dict):
    """(address, values) of every managed resource the plan describes, before and after.

    Data sources are left out: they read what exists, possibly another environment's resources."""
    for change in plan.get("resource_changes") or []:
        if change.get("mode") == "data":
            continue
        body = change.get("change") or {}
        for side in ("before", "after"):
            yield change.get("address", "?"), body.get(side)
    for state in (plan.get("planned_values"), (plan.get("prior_state") or {}).get("values")):
        yield from _resources((state or {}).get("root_module"))


def claims(plan: dict) -> list[Claim]:
    found: dict[str, Claim] = {}  # one claim per value: the first place it was seen

    def claim(value, where: str) -> None:
        if isinstance(value, str) and value.strip():
            found.setdefault(_canonical(value), Claim(_canonical(value), where))

    for value in _output_values(plan):
        claim(value, f"its `{NAME}` output")
    claim(((plan.get("variables") or {}).get(NAME) or {}).get("value"), f"its `{NAME}` variable")
    for address, values in _tagged(plan):
        if not isinstance(values, dict):
            continue
        for tags in TAG_MAPS:
            if isinstance(values.get(tags), dict):
                claim(values[tags].get(NAME), f"the `{NAME}` tag of {address}")
    return list(found.values())


def _name(value: str) -> str:
    if value in ENVIRONMENTS:
        return ENVIRONMENTS[value].name
    return f'"{value}"' if _PRINTABLE.fullmatch(value) else "an environment this repo does not know"


def check(plan: dict, env, source) -> None:
    """Refuse (UserError) a plan that names another environment than `env`, or names none."""
    found = claims(plan)
    others = [claim for claim in found if claim.value != env.short]
    if others:
        other = others[0]
        hint = f", or use ENV={other.value} for it" if other.value in ENVIRONMENTS else ""
        raise UserError(f"{source} is a plan of {_name(other.value)}, not {env.name} ({other.where} says so)",
                        f"pass the plan of {env.name} that `make plan ENV={env.short}` writes{hint}")
    if not found:
        raise UserError(f"{source} does not say which environment it plans: no `{NAME}` output, "
                        f"no `{NAME}` tag on its resources and no `{NAME}` variable",
                        f"pass the plan of {env.name} that `make plan ENV={env.short}` writes "
                        f"(its root outputs `{NAME}`)")
