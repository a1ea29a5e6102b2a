"""GitHub's 65,536 characters: the comment always fits, sections 1-3 stay whole, markdown stays valid."""

import copy

import pytest

from comment_helpers import LIMIT, REPO, comment, fixture, markdown_problems, plan, plan_text, write_case
from tbctl.comment.truncate import Part, fit


CI_RUN = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "quant/infra", "GITHUB_RUN_ID": "4242"}


@pytest.mark.parametrize("case", ["large-520", "large-700", "large-1000"])
def test_a_large_plan_fits_with_valid_markdown_and_says_what_was_cut(case):
    done = comment(fixture(case), environ=CI_RUN)
    assert done.returncode == 0
    body = done.stdout.rstrip("\n")
    assert len(body) <= LIMIT
    assert markdown_problems(body) == []
    lines = body.splitlines()
    assert lines[0].startswith("### Terraform plan: production") and lines[1].startswith("**Plan:**")
    assert "cut here" in body
    assert "the full plan: the `plan-prod` artifact of [this run](https://github.com/quant/infra/actions/runs/4242)" in body
    assert body.endswith("<!-- tbctl-plan:prod -->")


def test_run_locally_a_cut_comment_points_nowhere_rather_than_at_a_local_file():
    body = comment(fixture("large-700")).stdout
    assert "cut here" in body and "the full plan:" not in body and "Full plan:" not in body
    assert str(REPO) not in body and "plan.txt" not in body and "build/" not in body


def test_every_small_fixture_is_valid_markdown():
    for case in ("creates", "no_changes", "replace", "delete", "drift", "sensitive", "failed"):
        assert markdown_problems(comment(fixture(case)).stdout) == [], case


def test_a_thousand_destroys_still_fit_and_keep_the_destroy_list_first(tmp_path):
    """Sections 1-3 are kept whole while they fit; beyond that they too are cut from the middle, validly."""
    document = copy.deepcopy(plan("large-1000"))
    for change in document["resource_changes"]:
        change["change"]["actions"] = ["delete"]
        change["action_reason"] = "delete_because_count_index"
        change["change"]["before"], change["change"]["after"] = change["change"]["after"], None
    body = comment(write_case(tmp_path, "plan", document, plan_text("large-1000"))).stdout.rstrip("\n")
    assert len(body) <= LIMIT and markdown_problems(body) == []
    assert body.splitlines()[3] == "**Destroyed or replaced (check these first):**"
    assert "`terraform_data.item[0]`: destroyed because `count` no longer includes index 0" in body
    assert "`terraform_data.item[999]`" in body


def test_backticks_inside_the_plan_text_cannot_close_the_code_block(tmp_path):
    text = plan_text("creates") + "\n      + user_data = <<-EOT\n          ```\n          ````\n          echo hi\n        EOT\n"
    body = comment(write_case(tmp_path, "plan", plan("creates"), text)).stdout
    assert markdown_problems(body) == []
    assert "`````text" in body


def test_the_comment_is_cut_from_the_middle_keeping_head_and_tail():
    part = Part("Lines", head="<details><summary>x</summary>\n\n```text\n", lines=[f"line {i}" for i in range(5000)],
                tail="\n```\n\n</details>", code=True)
    body = fit([Part("Heading", head="### heading", keep=True), part], "the artifact", budget=2_000)
    assert len(body) <= 2_000 and markdown_problems(body) == []
    assert "line 0\n" in body and "line 4999\n" in body and "line 2500\n" not in body
    assert "cut here" in body and "the artifact" in body


@pytest.mark.parametrize("budget", [500, 800, 1_000, 5_000, 20_000])
def test_fit_never_goes_over_its_budget(budget):
    parts = [Part("Heading", head="### heading\n**Plan:** 3 to add", keep=True)]
    parts += [Part(f"Group {g}", head=f"<details><summary>{g}</summary>\n\n", lines=[f"- `item.{g}[{i}]`" for i in range(300)],
                   tail="\n\n</details>") for g in range(3)]
    body = fit(parts, "x", budget=budget)
    assert len(body) <= budget and markdown_problems(body) == []
    assert body.startswith("### heading\n**Plan:** 3 to add")


def test_a_value_that_looks_like_markup_cannot_close_a_collapsed_section(tmp_path):
    document = copy.deepcopy(plan("drift"))
    group = next(c for c in document["resource_changes"] if c["type"] == "aws_cloudwatch_log_group")
    group["change"]["after"]["tags"]["owner"] = "</details></summary>"
    body = comment(write_case(tmp_path, "plan", document, plan_text("drift"))).stdout
    assert markdown_problems(body) == []
    assert "&lt;/details&gt;" in body
