"""What a reviewer reads: heading and summary first, then every destroy/replace with its reason, then the rest."""

import json
import re

import pytest

from comment_helpers import comment, fixture, plan, plan_text, tbctl, write_case

CASES = ["creates", "no_changes", "replace", "delete", "drift", "sensitive", "large-520"]


def _terraform_summary(case: str) -> dict:
    """Terraform's own count line from the plan text: an oracle independent of our JSON parsing."""
    text = plan_text(case)
    if "No changes." in text:
        return {}
    line = re.search(r"^Plan: (.*)\.$", text, re.M).group(1)
    return {verb: int(n) for n, verb in re.findall(r"(\d+) to (\w+)", line)}


def _ours(body: str) -> dict:
    line = next(l for l in body.splitlines() if l.startswith("**Plan:**"))
    return {verb: int(n) for n, verb in re.findall(r"(\d+) to (\w+)", line)}


@pytest.mark.parametrize("case", CASES)
def test_the_summary_line_agrees_with_terraforms_own_count(case):
    done = comment(fixture(case))
    assert done.returncode == 0, done.stderr
    ours, theirs = _ours(done.stdout), _terraform_summary(case)
    if not theirs:
        assert "no changes" in done.stdout.splitlines()[0]
        return
    # Terraform counts a replacement as one add and one destroy; we name it apart.
    assert ours["add"] + ours["replace"] == theirs.get("add", 0)
    assert ours["destroy"] + ours["replace"] == theirs.get("destroy", 0)
    assert ours["change"] == theirs.get("change", 0)
    assert ours.get("import", 0) == theirs.get("import", 0)  # Terraform 1.11's line has no "to forget"


@pytest.mark.parametrize("case, result", [
    ("no_changes", "no changes"), ("creates", "4 changes"), ("replace", "3 changes"), ("failed", "failed"),
])
def test_the_first_line_names_the_environment_and_the_result(case, result):
    done = comment(fixture(case), "prod")
    first, second = done.stdout.splitlines()[:2]
    assert "production" in first and f": {result}" in first
    assert second.startswith("**Plan")


def test_replacements_name_the_attributes_that_force_them_in_the_first_lines():
    lines = comment(fixture("replace")).stdout.splitlines()
    top = "\n".join(lines[:8])
    assert "`aws_ecs_task_definition.this`: replaced because `cpu`, `memory` cannot be updated in place" in top
    assert "`aws_ssm_parameter.db_host`: replaced because `name` cannot be updated in place" in top


def test_deletions_say_why_from_action_reason():
    body = comment(fixture("delete")).stdout
    danger = body.split("#### Resources by action")[0]
    assert "`aws_cloudwatch_log_group.old`: destroyed because it is no longer in the configuration" in danger
    assert "`aws_ssm_parameter.shard[1]`: destroyed because `count` no longer includes index 1" in danger
    assert "`aws_ssm_parameter.shard[2]`" in danger
    assert "legacy" not in danger, "a forgotten resource stays in AWS: not a destroy"


def test_move_import_and_forget_are_counted_and_listed():
    body = comment(fixture("delete")).stdout
    assert "1 to move, 1 to import, 1 to forget" in body.splitlines()[1]
    assert "`aws_ssm_parameter.renamed_from` → `aws_ssm_parameter.renamed_to`" in body
    assert "`aws_ssm_parameter.adopted` (id `/fixture/delete/adopted`)" in body


def test_the_sections_come_in_the_issues_order(tmp_path):
    (tmp_path / "checkov.json").write_text(json.dumps({"summary": {"passed": 3, "failed": 0, "skipped": 0}}))
    path = write_case(tmp_path, "plan", plan("replace"), plan_text("replace"))
    body = comment(path).stdout
    order = ["### Terraform plan", "**Plan:**", "**Destroyed or replaced", "#### Resources by action",
             "#### Changed outside Terraform", "#### Output changes", "#### Monthly cost", "#### Checkov",
             "<summary>Full plan text</summary>", "<!-- tbctl-plan:prod -->"]
    # The replace fixture's drift is only provider normalisation; the drift section's place is checked below.
    order.remove("#### Changed outside Terraform")
    positions = [body.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_drift_lists_the_attributes_changed_outside_terraform():
    body = comment(fixture("drift")).stdout
    section = body.split("#### Changed outside Terraform (drift): 2")[1].split("<details>")[0]
    assert "`aws_cloudwatch_log_group.this`: `retention_in_days` 7 → 30" in section
    assert '`tags.owner` (none) → "someone-by-hand"' in section
    assert "`aws_ssm_parameter.mode`: `value` (sensitive) → (sensitive)" in section
    assert body.index("#### Resources by action") < body.index("#### Changed outside Terraform")


def test_provider_normalisation_is_not_reported_as_drift():
    """null -> {} for tags after a read is how the provider stores it, not a change someone made."""
    for case in ("no_changes", "delete", "sensitive"):
        assert "Changed outside Terraform" not in comment(fixture(case)).stdout


def test_updates_show_what_changes():
    body = comment(fixture("replace")).stdout
    assert "`aws_ecs_service.this`: `desired_count` 1 → 3" in body


def test_long_groups_are_collapsed_and_short_ones_are_not():
    body = comment(fixture("large-520")).stdout
    assert "<details><summary>Add (520)</summary>" in body
    short = comment(fixture("creates")).stdout
    assert "**Add (4)**" in short and "<summary>Add" not in short


def test_output_changes_are_listed_with_sensitive_ones_masked():
    body = comment(fixture("sensitive")).stdout
    section = body.split("#### Output changes")[1].split("<details>")[0]
    assert "`db_url` (changed): (sensitive) → (sensitive)" in section
    assert '`image` (changed): "busybox:1.36" → "busybox:1.37"' in section


def test_checkov_counts_and_failed_checks_are_shown(tmp_path):
    report = [{"check_type": "terraform_plan", "summary": {"passed": 40, "failed": 1, "skipped": 2},
               "results": {"failed_checks": [{"check_id": "CKV_AWS_158", "check_name": "Ensure that CloudWatch Log Group is encrypted by KMS",
                                              "resource": "aws_cloudwatch_log_group.this", "file_path": "/plan.json",
                                              "file_line_range": [0, 0], "guideline": "https://docs.example/ckv-aws-158"}]}},
              {"check_type": "secrets", "summary": {"passed": 1, "failed": 0, "skipped": 0}, "results": {}}]
    path = write_case(tmp_path, "plan", plan("creates"), plan_text("creates"))
    (tmp_path / "checkov.json").write_text(json.dumps(report))
    body = comment(path).stdout
    assert "#### Checkov: 41 passed, 1 failed, 2 skipped" in body
    assert "`CKV_AWS_158` Ensure that CloudWatch Log Group is encrypted by KMS: `aws_cloudwatch_log_group.this`" in body


def test_no_checkov_section_when_no_scan_ran():
    assert "Checkov" not in comment(fixture("creates")).stdout


def test_a_failed_plan_prints_the_comment_with_the_error_and_exits_non_zero():
    done = comment(fixture("failed"))
    assert done.returncode != 0
    assert done.stdout.splitlines()[0].endswith("failed")
    assert "Reference to undeclared resource" in done.stdout.splitlines()[1]
    assert "aws_ssm_parameter.missing" in done.stdout
    assert done.stderr.count("\n") == 1 and "the plan for production failed" in done.stderr


def test_json_output_is_machine_readable():
    done = tbctl("comment", "--env", "prod", "--plan-json", str(fixture("replace")), "--json")
    data = json.loads(done.stdout)
    assert data["result"] == "3 changes" and data["counts"]["replace"] == 2
    assert {d["address"]: d["paths"] for d in data["dangers"]} == {
        "aws_ecs_task_definition.this": ["cpu", "memory"], "aws_ssm_parameter.db_host": ["name"]}
    assert data["body"].startswith("### Terraform plan: production") and data["posted"] is None
