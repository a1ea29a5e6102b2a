"""Rendering the task-definition templates: values from Terraform outputs and the release, loud failures."""

import json
from pathlib import Path

import pytest

from tbctl import validate
from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError
from tbctl.release import Release
from tbctl.render import render, services

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "deploy"
TEMPLATES = Path(__file__).resolve().parents[2] / "task-definitions"
RELEASE = Release(tag="v1.2.0", commit="a" * 40, image_tag="v1.2.0", dirty=False)


def outputs(env):
    return json.loads((FIXTURES / f"outputs-{env}.json").read_text())


def write(tmp_path, text, name="svc"):
    (tmp_path / f"{name}.json.j2").write_text(text)
    return tmp_path


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_trading_bot_template_renders_a_valid_request_from_the_outputs(env):
    values = outputs(env)
    request = render("trading-bot", values, RELEASE, ENVIRONMENTS[env], TEMPLATES)
    validate.check(request, ENVIRONMENTS[env].production)
    container = request["containerDefinitions"][0]
    assert (request["family"], request["cpu"], request["memory"]) == (values["family"], str(values["cpu"]), str(values["memory"]))
    assert container["image"] == f"{values['repository_url']}:v1.2.0"
    assert {s["name"]: s["valueFrom"] for s in container["secrets"]} == values["secrets"]
    assert {e["name"]: e["value"] for e in container["environment"]} == {**values["environment_variables"], "RELEASE": "v1.2.0"}
    assert ("healthCheck" in container) == (values["health_check"] is not None)
    assert {t["key"]: t["value"] for t in request["tags"]}.items() >= {
        "git_tag": "v1.2.0", "git_commit": "a" * 40, "environment": ENVIRONMENTS[env].name}.items()


def test_every_template_in_the_folder_is_a_service():
    assert "trading-bot" in services(TEMPLATES)


@pytest.mark.parametrize("template, words", [
    ('{\n  "family": {{ tf.family | tojson }},\n  "cpu": {{ tf.cpuu | tojson }}\n}', ["svc.json.j2", "line 3", "tf.cpuu"]),
    ('{\n\n  "image": {{ release.imagee | tojson }}\n}', ["line 3", "release.imagee"]),
    ('{"x": {{ nothing_like_this | tojson }}}', ["line 1", "nothing_like_this"]),
    ('{"x": "{{ tf.secrets.NOPE }}"}', ["line 1", "NOPE"]),
])
def test_an_undefined_variable_names_the_template_the_line_and_the_variable(tmp_path, template, words):
    folder = write(tmp_path, template)
    with pytest.raises(UserError) as caught:
        render("svc", outputs("dev"), RELEASE, ENVIRONMENTS["dev"], folder)
    for word in words:
        assert word in str(caught.value)


def test_a_template_syntax_error_names_the_template_and_line(tmp_path):
    folder = write(tmp_path, '{\n  "family": {{ tf.family | tojson }\n}')
    with pytest.raises(UserError, match=r"svc\.json\.j2 line 2: syntax error"):
        render("svc", outputs("dev"), RELEASE, ENVIRONMENTS["dev"], folder)


def test_a_template_rendering_invalid_json_says_where(tmp_path):
    folder = write(tmp_path, '{\n  "family": {{ tf.family | tojson }},\n}')
    with pytest.raises(UserError, match="not render to valid JSON.*line 3"):
        render("svc", outputs("dev"), RELEASE, ENVIRONMENTS["dev"], folder)


def test_an_unknown_service_lists_the_templates_there_are(tmp_path):
    write(tmp_path, "{}", name="other")
    with pytest.raises(UserError, match="one of the services with a template: other"):
        render("svc", outputs("dev"), RELEASE, ENVIRONMENTS["dev"], tmp_path)


def test_release_tags_override_tags_the_template_sets_and_keep_the_others(tmp_path):
    folder = write(tmp_path, '{"tags": [{"key": "git_tag", "value": "forged"}, {"key": "team", "value": "quant"}]}')
    request = render("svc", outputs("dev"), RELEASE, ENVIRONMENTS["dev"], folder)
    tags = {t["key"]: t["value"] for t in request["tags"]}
    assert tags["git_tag"] == "v1.2.0" and tags["team"] == "quant"
