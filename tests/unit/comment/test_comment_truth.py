"""The comment tells the truth: an unfinished plan never reads "no changes", another environment's plan is
refused, every change is shown or named, drift nobody depends on is kept apart, and the comment names no file
of this machine. Plans are the real fixtures (regenerate.py), changed only where a case needs a shape
Terraform 1.11 cannot write (an errored plan file, a future change kind)."""

import codecs
import copy
import json

import pytest

from comment_helpers import comment, fixture, markdown_problems, plan, plan_text, tbctl, write_case
from tbctl.comment.attributes import SHOW_CHARS, show_pair
from tbctl.comment.mask import Masker

PRICE_PAGE = "https://aws.amazon.com/fargate/pricing/"


def _one_error_line(done, *words):
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0 and len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and ". Fix: " in lines[0] and "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _heading(done) -> tuple[str, str]:
    first, second = done.stdout.splitlines()[:2]
    return first, second


def _strip_identity(document: dict) -> dict:
    """The plan without anything that names its environment: no output, no tags."""
    document = copy.deepcopy(document)
    document.get("output_changes", {}).pop("environment", None)
    for state in (document.get("planned_values"), (document.get("prior_state") or {}).get("values")):
        (state or {}).get("outputs", {}).pop("environment", None)

    def untag(node):
        if isinstance(node, dict):
            for key in ("tags", "tags_all"):
                if isinstance(node.get(key), dict):
                    node[key].pop("environment", None)
            for value in node.values():
                untag(value)
        elif isinstance(node, list):
            for value in node:
                untag(value)
    untag(document)
    return document


# -- a plan Terraform did not finish -----------------------------------------------------------------------------

def test_a_targeted_plan_is_incomplete_never_no_changes_and_fails_after_printing():
    done = comment(fixture("targeted"), "dev")  # real: terraform plan -target, complete: false
    first, second = _heading(done)
    assert first.endswith(": incomplete") and "no changes" not in done.stdout.lower()
    assert second.startswith("**Plan incomplete:**") and "`complete: false`" in second
    assert "Planned so far: 0 to add, 1 to change" in second
    _one_error_line(done, "the plan for development is not complete", "make plan ENV=dev")


@pytest.mark.parametrize("fields, result, label", [
    ({"errored": True}, "failed (incomplete plan)", "**Plan failed:**"),
    ({"errored": True, "complete": False}, "failed (incomplete plan)", "**Plan failed:**"),
    ({"complete": False}, "incomplete", "**Plan incomplete:**"),
    ({"errored": "true"}, "failed (incomplete plan)", "**Plan failed:**"),  # not a boolean: not trusted as "fine"
], ids=["errored", "errored and incomplete", "incomplete", "errored as text"])
def test_an_unfinished_plan_with_nothing_planned_never_reads_no_changes(tmp_path, fields, result, label):
    document = dict(plan("no_changes"), **fields)
    done = comment(write_case(tmp_path, "plan", document, plan_text("no_changes")))
    first, second = _heading(done)
    assert first.endswith(f": {result}") and second.startswith(label)
    assert "no changes" not in first + second
    _one_error_line(done, "the plan for production is not complete")


def test_an_unfinished_plan_is_said_so_in_json_too(tmp_path):
    path = write_case(tmp_path, "plan", dict(plan("replace"), errored=True))
    done = tbctl("comment", "--env", "prod", "--plan-json", str(path), "--json")
    assert done.returncode != 0
    data = json.loads(done.stdout)
    assert data["result"] == "failed (incomplete plan)" and "errored: true" in data["incomplete"]


def test_a_plan_from_before_terraform_wrote_these_fields_is_taken_as_complete(tmp_path):
    document = {k: v for k, v in plan("creates").items() if k not in ("errored", "complete", "applyable")}
    done = comment(write_case(tmp_path, "plan", document))
    assert done.returncode == 0 and _heading(done)[0].endswith(": 4 changes")


# -- a plan of another environment -------------------------------------------------------------------------------

def test_a_plan_of_production_is_refused_as_developments_comment():
    done = comment(fixture("replace"), "dev")
    assert done.stdout == "", "nothing is printed, so nothing can be posted"
    _one_error_line(done, "is a plan of production, not development", "`environment` output", "ENV=prod")


def test_a_plan_that_names_no_environment_is_refused_saying_what_is_missing(tmp_path):
    done = comment(write_case(tmp_path, "plan", _strip_identity(plan("creates"))))
    assert done.stdout == ""
    _one_error_line(done, "does not say which environment it plans", "no `environment` output",
                    "no `environment` tag", "make plan ENV=prod")


def test_the_default_tag_alone_identifies_the_environment(tmp_path):
    document = plan("creates")
    document = copy.deepcopy(document)
    document["output_changes"].pop("environment")
    document["planned_values"]["outputs"].pop("environment")
    document["prior_state"]["values"]["outputs"].pop("environment", None)
    path = write_case(tmp_path, "plan", document)
    assert comment(path, "prod").returncode == 0
    _one_error_line(comment(path, "dev"), "is a plan of production", "`environment` tag of aws_")


def test_an_environment_variable_identifies_the_environment(tmp_path):
    document = _strip_identity(plan("no_changes"))
    document["variables"] = {"environment": {"value": "dev"}}
    path = write_case(tmp_path, "plan", document)
    assert comment(path, "dev").returncode == 0
    _one_error_line(comment(path, "prod"), "is a plan of development", "`environment` variable")


def test_a_plan_that_names_two_environments_is_refused(tmp_path):
    """Production's configuration planned against development's state: the output says one, the state the other."""
    document = copy.deepcopy(plan("no_changes"))
    for resource in document["prior_state"]["values"]["root_module"]["resources"]:
        resource["values"]["tags_all"]["environment"] = "development"
    _one_error_line(comment(write_case(tmp_path, "plan", document), "prod"), "is a plan of development")


def test_a_data_source_reading_another_environment_does_not_count(tmp_path):
    document = copy.deepcopy(plan("creates"))
    for resource in document["prior_state"]["values"]["root_module"]["resources"]:
        if resource["mode"] == "data":
            resource["values"]["tags_all"] = {"environment": "development"}
            resource["values"]["tags"] = {"environment": "development"}
    assert comment(write_case(tmp_path, "plan", document), "prod").returncode == 0


def test_an_unknown_environment_name_is_refused_without_echoing_odd_text(tmp_path):
    document = copy.deepcopy(plan("no_changes"))
    document["output_changes"]["environment"]["after"] = "staging"
    _one_error_line(comment(write_case(tmp_path, "plan", document)), 'is a plan of "staging", not production')
    document["output_changes"]["environment"]["after"] = "</details> `x`"
    _one_error_line(comment(write_case(tmp_path, "plan", document)), "an environment this repo does not know")


# -- every change shown or named ---------------------------------------------------------------------------------

def test_moves_in_a_refresh_only_plan_are_shown_and_counted():
    done = comment(fixture("refresh_moved"))  # real: terraform plan -refresh-only after a `moved` block
    first, second = _heading(done)
    assert first.endswith(": 1 change") and "1 to move" in second and "refresh-only" in second
    assert "- `aws_ssm_parameter.old` → `aws_ssm_parameter.mode`" in done.stdout
    assert "#### Changed outside Terraform (drift): 1" in done.stdout  # in refresh-only, all drift matters


def _with(document: dict, **extra) -> dict:
    return dict(copy.deepcopy(document), **extra)


FUTURE = {
    "deferred_changes": [{"reason": "resource_config_unknown", "resource_change": {
        "address": "aws_ssm_parameter.later", "mode": "managed", "type": "aws_ssm_parameter", "name": "later",
        "change": {"actions": ["create"], "before": None, "after": {"name": "/later"}}}}],
    "action_invocations": [{"address": "action.aws_lambda_invoke.notify", "type": "aws_lambda_invoke", "name": "notify",
                            "config_values": {"payload": "{}"}, "lifecycle_action_trigger": {
                                "triggering_resource_address": "aws_ecs_service.this", "action_trigger_event": "after_update"}}],
    "quantum_changes": [{"address": "aws_ecs_cluster.entangled", "shape": "unheard of"}, "a bare string"],
}


@pytest.mark.parametrize("key", FUTURE)
def test_a_collection_of_changes_this_tool_does_not_know_is_named(tmp_path, key):
    done = comment(write_case(tmp_path, "plan", _with(plan("no_changes"), **{key: FUTURE[key]})))
    first, second = _heading(done)
    count = len(FUTURE[key])
    assert "no changes" not in first and first.endswith(f": {count} change{'s' if count > 1 else ''}")
    assert f"{count} of a kind this tool does not render" in second
    assert f"**{count} change{'s' if count > 1 else ''} of a kind this tool does not render**" in done.stdout
    for element in FUTURE[key]:
        address = element.get("address") or element.get("resource_change", {}).get("address") if isinstance(element, dict) else None
        assert f"`{address or key + '[1]'}` ({key}" in done.stdout
    assert markdown_problems(done.stdout) == []


@pytest.mark.parametrize("actions", [["create", "forget"], ["invoke"], [], ["delete", "forget"]],
                         ids=["create then forget", "a new action", "no actions", "a new deleting action"])
def test_a_resource_action_this_tool_does_not_know_is_named_on_its_own_line(tmp_path, actions):
    document = copy.deepcopy(plan("creates"))
    change = next(c for c in document["resource_changes"] if c["type"] == "aws_cloudwatch_log_group")
    change["change"]["actions"] = actions
    done = comment(write_case(tmp_path, "plan", document))
    kind = f"actions {', '.join(actions)}" if actions else "no actions"
    assert f"- `aws_cloudwatch_log_group.this` ({kind})" in done.stdout
    assert "1 of a kind this tool does not render" in _heading(done)[1]
    assert "3 to add" in _heading(done)[1] and ": 4 changes" in _heading(done)[0]
    if "delete" in actions:  # Terraform: every action list that deletes contains "delete"
        assert f"- **destroy** `aws_cloudwatch_log_group.this`: destroyed (actions {', '.join(actions)})" in done.stdout


def test_unknown_drift_and_output_actions_are_named(tmp_path):
    document = copy.deepcopy(plan("drift"))
    document["resource_drift"][0]["change"]["actions"] = ["rebirth"]
    document["output_changes"]["environment"]["actions"] = ["archive"]
    body = comment(write_case(tmp_path, "plan", document)).stdout
    assert f"`{document['resource_drift'][0]['address']}` (changed outside Terraform, actions rebirth)" in body
    assert "`output.environment` (output, actions archive)" in body


def test_a_deposed_object_is_named_as_such(tmp_path):
    document = copy.deepcopy(plan("delete"))
    change = next(c for c in document["resource_changes"] if c["change"]["actions"] == ["delete"])
    change["deposed"] = "00f1c2d3"
    body = comment(write_case(tmp_path, "plan", document)).stdout
    assert f"`{change['address']}`: destroyed: the deposed object `00f1c2d3` left behind" in body
    assert f"- `{change['address']}` (deposed object `00f1c2d3`)" in body


# -- drift that matters, and values that stay apart --------------------------------------------------------------

def test_the_task_definition_a_deploy_moved_is_not_reported_as_drift():
    """After every deploy: the service's task_definition changed outside Terraform, which nothing here uses."""
    body = comment(fixture("deployed")).stdout  # real: applied, then a new revision registered and deployed
    assert "#### Changed outside Terraform (drift)" not in body
    assert "changed outside Terraform" not in _heading_text(body)
    other = body.split("<summary>Changed outside Terraform, not affecting this plan (1)</summary>")[1].split("</details>")[0]
    line = next(l for l in other.splitlines() if "task_definition" in l)
    assert "fixture-deployed-bot:1" in line and "fixture-deployed-bot:2" in line, "the revisions stay visible"


def _heading_text(body: str) -> str:
    return "\n".join(body.splitlines()[:2])


def test_drift_of_an_attribute_the_plan_depends_on_is_reported(tmp_path):
    document = copy.deepcopy(plan("deployed"))
    document["relevant_attributes"].append({"resource": "aws_ecs_service.this", "attribute": ["task_definition"]})
    body = comment(write_case(tmp_path, "plan", document)).stdout
    assert "#### Changed outside Terraform (drift): 1" in body and "not affecting this plan" not in body


def test_drift_the_plan_undoes_is_reported():
    body = comment(fixture("drift")).stdout
    assert "#### Changed outside Terraform (drift): 2" in body and "not affecting this plan" not in body


@pytest.mark.parametrize("before, after", [
    ("arn:aws:ecs:us-east-1:123456789012:task-definition/trading-bot-prod:41",
     "arn:aws:ecs:us-east-1:123456789012:task-definition/trading-bot-prod:42"),
    ("arn:aws:iam::123456789012:role/" + "a" * 40 + "/x/" + "b" * 40, "arn:aws:iam::123456789012:role/" + "a" * 40 + "/y/" + "b" * 40),
    ("x" * 200, "x" * 201),
    ("prefix-" + "z" * 100 + "-suffix", "prefix-" + "z" * 99 + "-suffix"),
], ids=["revision", "middle", "one longer", "one shorter inside"])
def test_two_different_long_values_are_never_shortened_to_the_same_text(before, after):
    shown = show_pair(before, after, Masker())
    assert shown[0] != shown[1]
    assert all(len(text) <= SHOW_CHARS + 2 for text in shown)


def test_an_arns_tail_is_kept_when_it_is_shortened():
    arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/trading-bot-production-with-a-long-name:42"
    shown = show_pair(None, arn, Masker())[1]
    assert shown.endswith('name:42"') and "…" in shown


# -- nothing of this machine in the comment ----------------------------------------------------------------------

def test_the_price_source_is_the_public_pricing_page_and_the_day_it_was_read():
    body = comment(fixture("creates")).stdout
    prices = json.loads((fixture("creates").parents[3] / "scripts/tbctl/data/fargate_prices.json").read_text())
    assert f"[AWS Fargate pricing]({PRICE_PAGE}), read on {prices['as_of']}" in body
    assert "fargate_prices" not in body and ".json" not in body.split("<summary>Full plan text")[0]


def test_a_local_run_points_at_no_file_and_ci_points_at_the_runs_artifact():
    local = comment(fixture("creates")).stdout
    assert "Full plan:" not in local and "plan.txt" not in local and "build/" not in local
    ci = comment(fixture("creates"), environ={"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "q/infra",
                                              "GITHUB_RUN_ID": "77"}).stdout
    assert "Full plan: the `plan-prod` artifact of [this run](https://github.com/q/infra/actions/runs/77)." in ci


def test_this_checkouts_path_is_taken_out_of_terraforms_text(tmp_path):
    from comment_helpers import REPO

    text = plan_text("creates") + f"\n  on {REPO}/infrastructure/environments/production/main.tf line 3:\n"
    body = comment(write_case(tmp_path, "plan", plan("creates"), text)).stdout
    assert str(REPO) not in body and "  on infrastructure/environments/production/main.tf line 3:" in body


def test_checkov_findings_name_the_terraform_file_never_the_plan_file(tmp_path):
    from comment_helpers import REPO

    def failed(path):
        return {"check_id": "CKV_AWS_1", "check_name": "a check", "resource": "aws_x.y", "file_path": path,
                "file_line_range": [12, 14], "guideline": ""}
    report = {"summary": {"passed": 0, "failed": 3, "skipped": 0}, "results": {"failed_checks": [
        failed(f"{REPO}/build/local/production/plan.json"), failed("/infrastructure/modules/ecs-service/main.tf"),
        failed(f"{REPO}/infrastructure/environments/production/main.tf")]}}
    path = write_case(tmp_path, "plan", plan("creates"))
    (tmp_path / "checkov.json").write_text(json.dumps(report))
    body = comment(path).stdout
    assert "plan.json" not in body and str(REPO) not in body
    assert "(`infrastructure/modules/ecs-service/main.tf:12`)" in body
    assert "(`infrastructure/environments/production/main.tf:12`)" in body


# -- clear refusals and what Windows writes ----------------------------------------------------------------------

@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""), ("utf-16-be", b""),
], ids=["UTF-8 with BOM", "UTF-16 LE (PowerShell >)", "UTF-16 BE", "UTF-16 LE without BOM", "UTF-16 BE without BOM"])
def test_a_plan_saved_by_windows_reads_like_the_utf8_one(tmp_path, encoding, bom):
    path = tmp_path / "plan.json"
    path.write_bytes(bom + json.dumps(plan("replace"), indent=2).encode(encoding))
    done, plain = comment(path), comment(fixture("replace"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:12] == plain.stdout.splitlines()[:12]


def test_a_file_that_is_no_text_says_to_re_save_it_as_utf8_never_binary(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"{\"format_version\": \"1.2\", \"x\": \"\xff\xfe\xfd\x80\"}")
    line = _one_error_line(comment(path), "neither UTF-8 nor UTF-16", "re-save it as UTF-8")
    assert "binary" not in line


def test_a_binary_plan_file_is_named_and_the_json_command_given(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"PK\x03\x04\x14\x00\x08\x00tfplan")
    _one_error_line(comment(path), "is a binary plan file", "terraform show -json plan.tfplan > plan.json")


@pytest.mark.parametrize("version, written_by", [("0.1", "0.12.31"), ("0.2", "1.0.11")])
def test_an_old_plan_format_names_the_terraform_that_writes_format_1(tmp_path, version, written_by):
    document = {"format_version": version, "terraform_version": written_by, "resource_changes": []}
    _one_error_line(comment(write_case(tmp_path, "plan", document)), f"plan format {version}",
                    f"written by Terraform {written_by}", "format 1.x", "Terraform 1.1 and later",
                    "Terraform 1.10 or later")
