"""Each validation rule a rendered task definition must pass before anything touches AWS."""

import copy
import json
from pathlib import Path

import pytest

from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError
from tbctl.release import Release
from tbctl.render import render
from tbctl.validate import check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "deploy"
TEMPLATES = Path(__file__).resolve().parents[2] / "task-definitions"


def valid(env="dev"):
    values = json.loads((FIXTURES / f"outputs-{env}.json").read_text())
    release = Release(tag="v1", commit="b" * 40, image_tag="v1", dirty=False)
    return render("trading-bot", values, release, ENVIRONMENTS[env], TEMPLATES)


def container(request):
    return request["containerDefinitions"][0]


def change(fn, env="dev"):
    request = copy.deepcopy(valid(env))
    fn(request)
    return request


CASES = [
    # (name, env, change, words the one line must contain)
    ("unknown top-level key", "dev", lambda r: r.update(revision=3), ["unknown key $.revision"]),
    ("unknown container key", "dev", lambda r: container(r).update(imageTag="v1"), ["$.containerDefinitions[0].imageTag"]),
    ("wrong type", "dev", lambda r: container(r).update(essential="yes"), ["$.containerDefinitions[0].essential must be true or false"]),
    ("bad enum", "dev", lambda r: r.update(networkMode="vpc"), ["$.networkMode is 'vpc'"]),
    ("missing required", "dev", lambda r: r.pop("family"), ["missing key $.family"]),
    ("invalid fargate pair", "dev", lambda r: r.update(cpu="256", memory="4096"), ["cpu 256 with memory 4096", "Fargate"]),
    ("not a fargate cpu", "dev", lambda r: r.update(cpu="300"), ["cpu 300 is not a Fargate size"]),
    ("latest image", "dev", lambda r: container(r).update(image="repo/trading-bot:latest"), ["'latest' tag"]),
    ("untagged image", "dev", lambda r: container(r).update(image="localhost:5000/trading-bot"), ["'latest' tag"]),
    ("secret in environment", "dev", lambda r: container(r)["environment"].append({"name": "BYBIT_API_KEY", "value": "x"}),
     ["BYBIT_API_KEY", "looks like a secret", "secrets"]),
    ("token in environment", "dev", lambda r: container(r)["environment"].append({"name": "SLACK_TOKEN", "value": "x"}),
     ["SLACK_TOKEN"]),
    ("production without health check", "prod", lambda r: container(r).pop("healthCheck"), ["production needs a healthCheck"]),
]


@pytest.mark.parametrize("name, env, fn, words", CASES, ids=[c[0] for c in CASES])
def test_each_rule_rejects_with_one_line_naming_the_problem_and_the_fix(name, env, fn, words):
    with pytest.raises(UserError) as caught:
        check(change(fn, env), ENVIRONMENTS[env].production)
    text = str(caught.value)
    assert "\n" not in text and ". Fix: " in text
    for word in words:
        assert word in text


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_rendered_template_passes_every_rule(env):
    check(valid(env), ENVIRONMENTS[env].production)


@pytest.mark.parametrize("name", ["MONKEY_COUNT", "KEYBOARD", "LOG_LEVEL"])
def test_names_that_only_contain_key_as_part_of_a_word_are_not_secrets(name):
    check(change(lambda r: container(r)["environment"].append({"name": name, "value": "1"})), production=False)


def test_a_definition_copied_from_describe_task_definition_is_rejected_naming_each_server_field():
    described = json.loads((FIXTURES / "describe-task-definition.json").read_text())["taskDefinition"]
    with pytest.raises(UserError) as caught:
        check(described, production=False)
    for key in ("taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy"):
        assert f"unknown key $.{key}" in str(caught.value)
    assert "$.family" not in str(caught.value)
