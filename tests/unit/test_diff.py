"""Normalising a rendered request and a registered revision: server fields and ECS defaults are no difference."""

import copy
import json
from pathlib import Path

import pytest

from tbctl.normalize import differences, normalize

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "deploy"


def described():
    answer = json.loads((FIXTURES / "describe-task-definition.json").read_text())
    return answer["taskDefinition"], answer["tags"]


def as_request():
    """What a render would send for the described revision: no server fields, no defaults, other orders."""
    definition, tags = described()
    request = {k: copy.deepcopy(v) for k, v in definition.items()
               if k not in {"taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
                            "registeredAt", "registeredBy", "volumes", "placementConstraints"}}
    c = request["containerDefinitions"][0]
    for key in ("cpu", "mountPoints", "volumesFrom", "systemControls"):
        c.pop(key)
    c["portMappings"] = [{"containerPort": 8080}]
    c["environment"].reverse()
    request["tags"] = list(reversed(tags))
    return request


def test_a_request_equal_to_the_revision_apart_from_server_fields_and_defaults_has_no_difference():
    definition, tags = described()
    assert differences(as_request(), definition, tags) == []


CHANGES = [
    ("image", lambda r: r["containerDefinitions"][0].update(image="repo:v1.5.0"), "repo:v1.5.0"),
    ("memory", lambda r: r.update(memory="1024"), '"1024"'),
    ("environment value", lambda r: r["containerDefinitions"][0]["environment"][0].update(value="live"), '"live"'),
    ("new secret", lambda r: r["containerDefinitions"][0]["secrets"].append({"name": "X", "valueFrom": "arn:x"}), "arn:x"),
    ("git tag", lambda r: r["tags"][0].update(value="v9") if r["tags"][0]["key"] == "git_tag" else r["tags"][-1].update(value="v9"), "v9"),
    ("health check", lambda r: r["containerDefinitions"][0].update(healthCheck={"command": ["CMD", "true"]}), "healthCheck"),
]


@pytest.mark.parametrize("name, fn, shown", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_real_change_shows_in_the_diff(name, fn, shown):
    definition, tags = described()
    request = as_request()
    fn(request)
    lines = differences(request, definition, tags)
    assert any(line.startswith("+") and shown in line for line in lines), lines


def test_cpu_and_memory_compare_as_strings():
    assert normalize({"cpu": 256, "memory": 512, "containerDefinitions": []}) == normalize(
        {"cpu": "256", "memory": "512", "containerDefinitions": []})


@pytest.mark.parametrize("cpu, memory", [("1 vCPU", "2 GB"), ("1 vcpu", "2GB"), ("1024", "2048")])
def test_vcpu_and_gb_compare_equal_to_the_units_ecs_stores(cpu, memory):
    """ECS registers "1 vCPU"/"2 GB" as "1024"/"2048": redeploying the same template is no change."""
    definition, tags = described()
    definition.update(cpu="1024", memory="2048")
    request = dict(as_request(), cpu=cpu, memory=memory)
    assert differences(request, definition, tags) == []


def test_tags_are_compared_when_the_revision_carries_them():
    definition, tags = described()
    request = as_request()
    request["tags"] = [t for t in request["tags"] if t["key"] != "environment"]
    assert any("environment" in line for line in differences(request, definition, tags))
