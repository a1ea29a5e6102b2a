"""The plan comment through `make`, as a user runs it: plan an environment on the local target, then render its comment."""

import re

import pytest

from conftest import make

pytestmark = pytest.mark.integration


def test_make_plan_then_make_comment_prints_the_summary_first(repo, emulator):
    planned = make(repo, "plan", "ENV=prod", emulator=emulator)
    assert planned.returncode == 0, planned.stderr[-2000:]
    done = make(repo, "comment", "ENV=prod", emulator=emulator)
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = done.stdout.splitlines()[:2]
    assert re.match(r"### Terraform plan: production \(local emulator\): (no changes|\d+ changes?)", first)
    assert second.startswith("**Plan:** ")
    added = re.search(r"(\d+) to add", planned.stdout)
    if added:  # the comment counts what `make plan` reported (replacements are named apart)
        ours = re.search(r"(\d+) to add, \d+ to change, \d+ to destroy, (\d+) to replace", second)
        assert int(ours.group(1)) + int(ours.group(2)) == int(added.group(1))
    assert "#### Monthly cost (Fargate)" in done.stdout, "production runs a Fargate service"
    saved = (repo / "build/local/production/plan.comment.md").read_text()
    assert saved.strip() == done.stdout.strip()


def test_a_failed_plan_gives_a_failed_comment_and_a_non_zero_exit(repo, emulator):
    main = repo / "infrastructure/environments/production/main.tf"
    main.write_text(main.read_text() + '\nresource "aws_ssm_parameter" "broken" {\n  name  = "x"\n'
                    '  type  = "String"\n  value = aws_ssm_parameter.missing.value\n}\n')
    planned = make(repo, "plan", "ENV=prod", emulator=emulator)
    assert planned.returncode != 0
    done = make(repo, "comment", "ENV=prod", emulator=emulator)
    assert done.returncode != 0
    assert done.stdout.splitlines()[0].endswith(": failed")
    assert "Reference to undeclared resource" in done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: the plan for production failed"), done.stderr


def test_make_comment_refuses_another_environments_plan_and_fails_an_errored_one(repo, emulator):
    """A real development plan: accepted as development's, refused as production's, and failed once errored."""
    import json

    planned = make(repo, "plan", "ENV=dev", emulator=emulator)
    assert planned.returncode == 0, planned.stderr[-2000:]
    dev_plan = repo / "build/local/development/plan.json"
    assert make(repo, "comment", "ENV=dev", emulator=emulator).returncode == 0

    refused = make(repo, "comment", "ENV=prod", f"PLAN_JSON={dev_plan}", emulator=emulator)
    assert refused.returncode != 0 and refused.stdout == ""
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "is a plan of development, not production" in errors[0], refused.stderr

    # Saved where production's plan belongs, it is still development's: refused just the same.
    (repo / "build/local/production").mkdir(parents=True, exist_ok=True)
    (repo / "build/local/production/plan.json").write_text(dev_plan.read_text())
    assert make(repo, "comment", "ENV=prod", emulator=emulator).returncode != 0

    errored = repo / "errored-plan.json"
    errored.write_text(json.dumps(dict(json.loads(dev_plan.read_text()), errored=True)))
    done = make(repo, "comment", "ENV=dev", f"PLAN_JSON={errored}", emulator=emulator)
    assert done.returncode != 0
    first, second = done.stdout.splitlines()[:2]
    assert first.endswith(": failed (incomplete plan)") and second.startswith("**Plan failed:**")
    assert "no changes" not in done.stdout.lower()
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "the plan for development is not complete" in errors[0], done.stderr
