"""An environment applied from the layout before modules/environment plans with no resource changes after it.

Apply with the last commit of the old layout (a git worktree of it), then plan today's layout
against the same state: the moved blocks in infrastructure/environments/shared/moved.tf must map
every resource. Keep this test, and those blocks, until the next layout change.
"""

import json
import re

import pytest

from conftest import REPO, copy_repo, git, make

pytestmark = pytest.mark.integration

MODULE = "infrastructure/modules/environment/main.tf"


def pre_move_commit() -> str:
    """The parent of the commit that added the environment module (8d6e9ea where the move was made).

    Resolved from git rather than pinned: a pinned id would not survive a rebase of the branch
    that carries the move, and the parent of the module's first commit is the old layout by definition.
    """
    added = git(REPO, "log", "--format=%H", "--diff-filter=A", "--", MODULE).splitlines()
    if not added:
        pytest.fail(f"git history has no commit adding {MODULE}: commit it, or clone with full history (not --depth)")
    commit = git(REPO, "rev-parse", f"{added[-1]}^")
    old_tree = git(REPO, "ls-tree", "-r", "--name-only", commit, "infrastructure/environments/development")
    assert "infrastructure/environments/development/outputs.tf" in old_tree.splitlines(), f"{commit} is not the old layout"
    return commit


def test_an_environment_applied_before_the_move_plans_with_no_resource_changes_after_it(tmp_path, fresh_emulator):
    old = tmp_path / "old"
    git(REPO, "worktree", "add", "--detach", "-q", str(old), pre_move_commit())
    try:
        applied = make(old, "apply", "ENV=dev", emulator=fresh_emulator)
        assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
    finally:
        git(REPO, "worktree", "remove", "--force", str(old))

    new = copy_repo(tmp_path / "new")
    planned = make(new, "plan", "ENV=dev", emulator=fresh_emulator)
    assert planned.returncode == 0, planned.stdout[-3000:] + planned.stderr[-3000:]
    # Outputs change shape (one object per workload); no resource may change.
    assert re.search(r"development: 0 to add, 0 to change, 0 to destroy, 0 to replace, \d+ to move", planned.stdout), \
        planned.stdout[-4000:]
    changes = json.loads((new / "build/local/development/plan.json").read_text())["resource_changes"]
    assert {tuple(change["change"]["actions"]) for change in changes} == {("no-op",)}
    moved = {change["previous_address"]: change["address"] for change in changes if change.get("previous_address")}
    assert moved["module.ecs_service.aws_ecs_service.this"] == 'module.environment.module.service["trading-bot"].aws_ecs_service.this'
    assert len(moved) == len(changes), f"not moved: {sorted(c['address'] for c in changes if not c.get('previous_address'))}"
