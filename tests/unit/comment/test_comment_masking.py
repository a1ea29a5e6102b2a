"""No secret reaches the comment: not in attributes, outputs, drift, the plan text, the error, or --json."""

import copy
import json

import pytest

from comment_helpers import comment, fixture, plan, plan_text, write_case

SENSITIVE = plan("sensitive")
# The fixture's secret, read back from the plan itself (terraform keeps variable values in the JSON).
SECRET = SENSITIVE["variables"]["db_password"]["value"]


def _everything(done) -> str:
    return done.stdout + done.stderr


def test_the_fixture_really_carries_the_secret_inside_container_definitions():
    """Guard: the test below proves something only if the plan JSON holds the secret in a larger attribute."""
    task = next(c for c in SENSITIVE["resource_changes"] if c["type"] == "aws_ecs_task_definition")
    assert SECRET in task["change"]["after"]["container_definitions"]
    assert task["change"]["after_sensitive"]["container_definitions"] is True


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["markdown", "json"])
def test_a_sensitive_value_inside_a_container_definition_appears_nowhere(extra):
    done = comment(fixture("sensitive"), "prod", *extra)
    assert done.returncode == 0
    assert SECRET not in _everything(done)
    assert json.dumps(SECRET)[1:-1] not in _everything(done)


def test_the_secret_is_masked_even_when_the_plan_text_prints_it(tmp_path):
    """A provider or a debug line may print what Terraform itself would hide: the text is masked too."""
    text = plan_text("sensitive") + f'\n  # DB_PASSWORD = "{SECRET}"\n  + environment = [{{"name":"DB_PASSWORD","value":"{SECRET}"}}]\n'
    done = comment(write_case(tmp_path, "plan", SENSITIVE, text))
    assert SECRET not in done.stdout
    assert "(sensitive)" in done.stdout.split("Full plan text")[1]


def test_the_secret_is_masked_in_a_failed_plans_error(tmp_path):
    # No plan JSON when the plan fails: the secret-looking patterns are what masks the error.
    (tmp_path / "plan.error").write_text(f"Error: cannot connect\n\n  postgres://bot:{SECRET}@db.internal:5432\n  password = {SECRET}\n")
    done = comment(tmp_path / "plan.json")
    assert done.returncode != 0
    assert SECRET not in _everything(done)


def test_a_secret_in_a_container_environment_not_marked_sensitive_is_still_masked(tmp_path):
    """Someone forgot `sensitive = true`: a value named like a password is masked anyway, everywhere."""
    document = copy.deepcopy(plan("creates"))
    task = next(c for c in document["resource_changes"] if c["type"] == "aws_ecs_task_definition")
    definitions = json.loads(task["change"]["after"]["container_definitions"])
    definitions[0]["environment"] = [{"name": "BYBIT_API_SECRET", "value": "plain-Secret-0123456789"}]
    task["change"]["after"]["container_definitions"] = json.dumps(definitions)
    text = plan_text("creates") + '\n  + value = "plain-Secret-0123456789"\n'
    done = comment(write_case(tmp_path, "plan", document, text))
    assert "plain-Secret-0123456789" not in done.stdout


@pytest.mark.parametrize("leak, secret", [
    ("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("token ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"),
    ("postgres://bot:hunter2hunter2@db.internal:5432/bot", "hunter2hunter2"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA7"),
    ('api_key = "k-1234567890abcdef"', "k-1234567890abcdef"),
], ids=["aws key id", "github token", "url password", "private key", "api key assignment"])
def test_secret_looking_text_is_masked_in_the_plan_text(tmp_path, leak, secret):
    done = comment(write_case(tmp_path, "plan", plan("creates"), plan_text("creates") + "\n" + leak + "\n"))
    assert done.returncode == 0
    assert secret not in done.stdout


def test_terraforms_own_placeholders_are_left_alone():
    body = comment(fixture("sensitive")).stdout
    assert "container_definitions    = (sensitive value) # forces replacement" in body


def test_sensitive_drift_values_are_masked():
    drift = plan("drift")
    mode = next(c for c in drift["resource_drift"] if c["address"] == "aws_ssm_parameter.mode")
    before, after = mode["change"]["before"]["value"], mode["change"]["after"]["value"]
    body = comment(fixture("drift")).stdout
    assert f'"{before}"' not in body and f'"{after}"' not in body
    assert "`value` (sensitive) → (sensitive)" in body


def test_the_github_token_is_never_echoed(tmp_path):
    token = "ghs_" + "Z" * 36
    document = copy.deepcopy(plan("creates"))
    document["output_changes"]["cluster_name"]["after"] = token  # as if something leaked it into an output
    done = comment(write_case(tmp_path, "plan", document, plan_text("creates") + token), environ={"GITHUB_TOKEN": token})
    assert token not in _everything(done)
