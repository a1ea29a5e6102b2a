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


def _edit_template(repo, old, new):
    path = repo / "task-definitions" / "trading-bot.json.j2"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))


def _outputs_with(repo, **changes):
    path = repo / "outputs.json"
    path.write_text(json.dumps({**outputs("dev"), **changes}))


CLI_CASES = [
    ("template syntax error", lambda r: _edit_template(r, "{{ tf.family | tojson }}", "{{ tf.family | tojson }"),
     ["trading-bot.json.j2 line", "syntax error"]),
    ("undefined template variable", lambda r: _edit_template(r, "tf.cpu ", "tf.cpuu "), ["'tf.cpuu' is undefined", "line"]),
    ("invalid Fargate CPU/memory pair", lambda r: _outputs_with(r, cpu=256, memory=4096), ["cpu 256 with memory 4096"]),
    ("secret in plain environment", lambda r: _outputs_with(r, environment_variables={"EXCHANGE_API_TOKEN": "x"}),
     ["EXCHANGE_API_TOKEN", "looks like a secret"]),
    ("port above 65535 from Terraform's outputs", lambda r: _outputs_with(r, container_port=70000),
     ["containerPort 70000 is outside 1-65535"]),
    ("duplicate container name", lambda r: _edit_template(
        r, '"containerDefinitions": [', '"containerDefinitions": [{"name": {{ tf.container_name | tojson }}, "image": "x:1", "essential": false},'),
     ["container name 'trading-bot' is used twice"]),
    ("container memory above the task's", lambda r: _edit_template(r, '"essential": true,', '"essential": true, "memory": 1024,'),
     ["memory 1024 MiB is above the task's 512 MiB"]),
]


@pytest.mark.parametrize("cpu, memory", [("1 vCPU", "2 GB"), ("1 vcpu", "2GB"), (".5 vCPU", "1 GB")])
def test_render_accepts_task_sizes_in_vcpu_and_gb_as_aws_does(repo, cpu, memory):
    import os
    import subprocess
    import sys

    _outputs_with(repo)
    _edit_template(repo, '"cpu": {{ tf.cpu | string | tojson }}', f'"cpu": "{cpu}"')
    _edit_template(repo, '"memory": {{ tf.memory | string | tojson }}', f'"memory": "{memory}"')
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TAG", "TARGET"}}
    done = subprocess.run([sys.executable, "-m", "tbctl", "render", "--env", "dev", "--outputs", str(repo / "outputs.json")],
                          cwd=repo, env=dict(env, TBCTL_ROOT=str(repo)), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (json.loads(done.stdout)["cpu"], json.loads(done.stdout)["memory"]) == (cpu, memory)


@pytest.mark.parametrize("name, breakage, words", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_render_refuses_bad_input_with_one_line_and_saves_nothing(repo, name, breakage, words):
    import os
    import subprocess
    import sys

    _outputs_with(repo)
    breakage(repo)
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TAG", "TARGET"}}
    done = subprocess.run([sys.executable, "-m", "tbctl", "render", "--env", "dev", "--outputs", str(repo / "outputs.json")],
                          cwd=repo, env=dict(env, TBCTL_ROOT=str(repo)), capture_output=True, text=True, timeout=60)
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(errors) == 1 and ". Fix: " in errors[0], done.stderr
    for word in words:
        assert word in errors[0]
    assert not (repo / "build" / "local" / "development" / "task-definitions" / "trading-bot.json").exists()


def test_a_null_output_terraform_leaves_out_of_the_state_reads_as_none(tmp_path):
    from tbctl.outputs_source import load

    values = {k: v for k, v in outputs("dev").items() if k != "health_check"}
    (tmp_path / "outputs.json").write_text(json.dumps(values))
    loaded = load(ENVIRONMENTS["dev"], None, tmp_path / "outputs.json")
    assert loaded["health_check"] is None
    render("trading-bot", loaded, RELEASE, ENVIRONMENTS["dev"], TEMPLATES)


def test_outputs_missing_what_a_release_needs_name_each_one(tmp_path):
    from tbctl.outputs_source import load

    values = {k: v for k, v in outputs("dev").items() if k not in {"family", "secrets"}}
    (tmp_path / "outputs.json").write_text(json.dumps(values))
    with pytest.raises(UserError, match="has no output family, secrets"):
        load(ENVIRONMENTS["dev"], None, tmp_path / "outputs.json")
