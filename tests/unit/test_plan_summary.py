"""`make plan`'s one-line summary counts what the plan comment counts, and never calls an unfinished plan clean."""

import json
from pathlib import Path

import pytest

from tbctl.comment.summarize import summarize as comment_summary
from tbctl.terraform.plan import summarize

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


@pytest.mark.parametrize("path", sorted(PLANS.glob("*.json")), ids=lambda p: p.stem)
def test_the_summary_reads_no_changes_exactly_when_the_comment_finds_none(path):
    plan = json.loads(path.read_text())
    assert summarize(plan).startswith("no changes") == comment_summary(plan).empty


def test_moves_imports_and_forgets_are_changes_not_no_changes():
    plan = {"resource_changes": [
        {"address": "aws_s3_bucket.new", "previous_address": "aws_s3_bucket.old", "change": {"actions": ["no-op"]}},
        {"address": "aws_iam_role.adopted", "change": {"actions": ["no-op"], "importing": {"id": "r"}}},
        {"address": "aws_sqs_queue.left", "change": {"actions": ["forget"]}},
    ]}
    text = summarize(plan)
    assert "no changes" not in text
    assert "1 to move" in text and "1 to import" in text and "1 to forget" in text


@pytest.mark.parametrize("plan", [{"errored": True}, {"complete": False}, {"errored": "yes", "complete": True}])
def test_an_unfinished_plan_says_so(plan):
    assert "incomplete:" in summarize(plan)


def test_a_kind_of_change_this_tool_does_not_know_is_named():
    text = summarize({"resource_changes": [{"address": "a.b", "change": {"actions": ["transmogrify"]}}]})
    assert "no changes" not in text and "does not render" in text


def test_a_changed_tf_var_makes_the_saved_plan_stale(monkeypatch):
    # The saved plan embeds the variables it was made with; a different TF_VAR_ is a different plan.
    from types import SimpleNamespace

    from tbctl import paths
    from tbctl.terraform.plan import fingerprint

    root = SimpleNamespace(source=paths.root() / "infrastructure" / "environments" / "development")
    monkeypatch.delenv("TF_VAR_region", raising=False)
    before = fingerprint(root)
    monkeypatch.setenv("TF_VAR_region", "eu-west-1")
    changed = fingerprint(root)
    monkeypatch.setenv("TF_VAR_region", "us-east-1")
    assert len({before, changed, fingerprint(root)}) == 3
    monkeypatch.delenv("TF_VAR_region")
    assert fingerprint(root) == before
