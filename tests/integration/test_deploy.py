"""Releases on the local target: deploy, redeploy, rollback, failed rollouts, prune, through the real command line.

The environment is a boto3-made stand-in for the Terraform (see _deploy_standin),
and the release step runs with --skip-apply against its outputs; the
make-driven end-to-end tests at the bottom run the real Terraform.
"""

import os
import re
import signal
import subprocess
import sys

import pytest

from _deploy_standin import create
from conftest import REPO, Emulator, git, make

pytestmark = pytest.mark.integration
TBCTL = (sys.executable, "-m", "tbctl")


class Env:
    """One stand-in environment on an emulator, and a repository to release from."""

    def __init__(self, emulator, repo, tmp_path, short="dev", rollback=True):
        self.emulator, self.repo, self.short = emulator, repo, short
        self.outputs, self.outputs_file = create(emulator, short, tmp_path, rollback=rollback)
        self.ecs = emulator.client("ecs")

    def tbctl(self, *args, check=True, env=None):
        run_env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG", "IMAGE_TAG", "DRY_RUN", "TO"}}
        run_env.update(TBCTL_ROOT=str(self.repo), LOCAL_PORT=str(self.emulator.port), **(env or {}))
        command = [*TBCTL, *args, "--env", self.short, "--outputs", str(self.outputs_file)]
        done = subprocess.run(command, cwd=self.repo, env=run_env, capture_output=True, text=True, timeout=120)
        if check:
            assert done.returncode == 0, f"{args} exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done

    def deploy(self, *args, **kwargs):
        return self.tbctl("deploy", "--skip-apply", *args, **kwargs)

    def revisions(self) -> list[str]:
        arns = self.ecs.list_task_definitions(familyPrefix=self.outputs["family"])["taskDefinitionArns"]
        return sorted(arns, key=lambda arn: int(arn.rsplit(":", 1)[1]))

    def tags(self, arn) -> dict:
        return {t["key"]: t["value"] for t in self.ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])["tags"]}

    def service(self) -> dict:
        return self.ecs.describe_services(cluster=self.outputs["cluster_name"], services=[self.outputs["service_name"]])["services"][0]

    def release(self, tag):
        """A new commit tagged `tag`."""
        (self.repo / "RELEASE").write_text(tag + "\n")
        git(self.repo, "add", "RELEASE")
        git(self.repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", tag)
        git(self.repo, "tag", tag)
        return git(self.repo, "rev-parse", "HEAD")


@pytest.fixture
def dev(fresh_emulator, repo, tmp_path):
    return Env(fresh_emulator, repo, tmp_path)


def one_error_line(done):
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and ". Fix: " in errors[0], done.stderr
    return errors[0]


def test_deploy_registers_a_revision_tagged_with_the_release_and_waits_until_completed(dev):
    commit = dev.release("v1")
    done = dev.deploy()
    arn = dev.revisions()[-1]
    tags = dev.tags(arn)
    assert {k: tags.get(k) for k in ("git_tag", "git_commit", "environment")} == {
        "git_tag": "v1", "git_commit": commit, "environment": "development"}
    assert f"registered {arn.rsplit('/', 1)[1]}" in done.stdout
    assert "rollout COMPLETED" in done.stdout
    service = dev.service()
    assert service["taskDefinition"] == arn and service["deployments"][0]["rolloutState"] == "COMPLETED"
    status = dev.tbctl("status").stdout
    for shown in (arn.rsplit("/", 1)[1], "v1", commit[:12], "COMPLETED", "1/1 running"):
        assert shown in status


def test_deploying_the_same_commit_twice_registers_one_revision(dev):
    dev.release("v1")
    dev.deploy()
    before = dev.revisions()
    again = dev.deploy()
    assert dev.revisions() == before
    assert f"unchanged, revision {before[-1].rsplit(':', 1)[1]}" in again.stdout
    assert "already runs" in again.stdout


def test_a_new_tag_moves_the_service_and_rollback_returns_to_the_first_without_registering(dev):
    dev.release("v1")
    dev.deploy()
    v1 = dev.service()["taskDefinition"]
    dev.release("v2")
    dev.deploy()
    v2 = dev.service()["taskDefinition"]
    assert v2 != v1 and dev.tags(v2)["git_tag"] == "v2"
    before = dev.revisions()

    done = dev.tbctl("rollback", "--to", "v1")
    assert dev.service()["taskDefinition"] == v1
    assert dev.revisions() == before
    assert "rollout COMPLETED" in done.stdout
    assert "v1" in dev.tbctl("status").stdout

def test_rollback_to_previous_goes_to_the_release_before_the_current_one(dev):
    dev.release("v1")
    dev.deploy()
    v1 = dev.service()["taskDefinition"]
    dev.release("v2")
    dev.deploy()
    dev.tbctl("rollback", "--to", "previous")
    assert dev.service()["taskDefinition"] == v1


@pytest.mark.parametrize("to, words", [
    ("v9", ["no revision of trading-bot-dev is tagged 'v9'", "tags with revisions: v2, v1"]),
    ("", ["no rollback target given"]),
])
def test_rollback_to_an_unknown_tag_lists_the_tags_that_exist_and_changes_nothing(dev, to, words):
    dev.release("v1")
    dev.deploy()
    dev.release("v2")
    dev.deploy()
    before = dev.service()["taskDefinition"]
    line = one_error_line(dev.tbctl("rollback", "--to", to, check=False))
    for word in words:
        assert word in line
    assert dev.service()["taskDefinition"] == before


@pytest.mark.parametrize("rollback, words", [
    (True, ["ECS rolled the deployment back to trading-bot-dev:2", "bad image"]),
    (False, ["the deployment FAILED", "bad image"]),
])
def test_a_failing_rollout_exits_nonzero_naming_the_rollback_or_failure(fresh_emulator, repo, tmp_path, rollback, words):
    dev = Env(fresh_emulator, repo, tmp_path, rollback=rollback)
    dev.release("v1")
    dev.deploy()
    dev.release("v2")
    fresh_emulator.control("ecs/fail-next-deployment", {"cluster": "trading-bot-dev", "service": "trading-bot-dev",
                                                        "reason": "bad image"})
    line = one_error_line(dev.deploy(check=False))
    for word in words:
        assert word in line
    assert "did not succeed" in line


def test_diff_exit_status_says_whether_the_next_deploy_changes_the_service(dev):
    dev.release("v1")
    differs = dev.tbctl("diff", check=False)
    assert differs.returncode == 1 and "+" in differs.stdout and ":v1" in differs.stdout
    dev.deploy()
    same = dev.tbctl("diff", check=False)
    assert same.returncode == 0 and "no difference" in same.stdout


def test_dry_run_shows_what_would_happen_and_changes_nothing(dev):
    dev.release("v1")
    before, service = dev.revisions(), dev.service()["taskDefinition"]
    done = dev.deploy("--dry-run")
    assert "would register" in done.stdout
    assert (dev.revisions(), dev.service()["taskDefinition"]) == (before, service)


def test_prune_keeps_the_newest_the_one_in_use_and_terraforms_baseline(dev):
    for tag in ("v1", "v2", "v3"):
        dev.release(tag)
        dev.deploy()
    dev.tbctl("rollback", "--to", "v1")
    baseline, v1, v2, v3 = dev.revisions()
    done = dev.tbctl("prune", "--keep", "1")
    assert dev.revisions() == [baseline, v1, v3]
    assert "deregistered 1 revision(s): trading-bot-dev:3" in done.stdout


def test_deploy_names_each_missing_resource_and_registers_nothing(dev):
    dev.release("v1")
    secrets = dev.emulator.client("secretsmanager")
    secrets.delete_secret(SecretId=dev.outputs["secrets"]["BYBIT_SECRET_KEY"], ForceDeleteWithoutRecovery=True)
    dev.emulator.client("logs").delete_log_group(logGroupName=dev.outputs["log_group_name"])
    before = dev.revisions()
    line = one_error_line(dev.deploy(check=False))
    assert "BYBIT_SECRET_KEY" in line and "log group /ecs/trading-bot-dev" in line
    assert dev.revisions() == before


@pytest.fixture
def slow_dev(repo, tmp_path, monkeypatch):
    """An environment whose rollouts take 30 s, to catch the deploy mid-wait."""
    monkeypatch.setenv("TBCTL_EMULATOR_ROLLOUT_SECONDS", "30")
    emulator = Emulator(tmp_path)
    yield Env(emulator, repo, tmp_path)
    emulator.stop()


def test_a_rollout_past_the_timeout_exits_nonzero_saying_it_is_still_in_progress(slow_dev):
    slow_dev.release("v1")
    line = one_error_line(slow_dev.deploy("--timeout", "1", check=False))
    assert "still in progress after 1 s" in line and "make status" in line
    assert "IN_PROGRESS" in slow_dev.tbctl("status").stdout


def test_interrupt_while_waiting_leaves_the_service_on_a_consistent_revision_and_a_rerun_resumes(slow_dev):
    slow_dev.release("v1")
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG"}}
    env.update(TBCTL_ROOT=str(slow_dev.repo), LOCAL_PORT=str(slow_dev.emulator.port))
    process = subprocess.Popen([*TBCTL, "deploy", "--skip-apply", "--env", "dev", "--outputs",
                                str(slow_dev.outputs_file)], cwd=slow_dev.repo, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for line in process.stdout:
        if line.startswith("rolling out"):
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "re-run `make deploy ENV=dev`" in err and "Traceback" not in err
    registered = slow_dev.revisions()[-1]
    assert slow_dev.service()["taskDefinition"] == registered
    rerun = slow_dev.deploy("--no-wait")
    assert "unchanged" in rerun.stdout and "already rolling out" in rerun.stdout
    assert slow_dev.revisions()[-1] == registered


# --- the real thing: make, Terraform, emulator ------------------------------------------------------------

needs_terraform = pytest.mark.skipif(
    not any((REPO / "infrastructure" / "environments" / "development").glob("*.tf")),
    reason="the development environment's Terraform has not landed yet")


@pytest.mark.parametrize("state, words", [
    ("dirty", "clean working tree"),
    ("untagged", "has no tag"),
])
def test_production_deploy_from_a_dirty_tree_or_untagged_commit_fails_with_one_line_touching_nothing(
        repo, fresh_emulator, state, words):
    if state == "dirty":
        git(repo, "tag", "v1")
        (repo / "Makefile").write_text((repo / "Makefile").read_text() + "\n# local edit\n")
    fresh_emulator.control("stats/reset", {})
    done = make(repo, "deploy", "ENV=prod", emulator=fresh_emulator)
    line = one_error_line(done)
    assert words in line
    touched = [op for op in fresh_emulator.control("stats") if op.startswith("AmazonEC2ContainerService")]
    assert touched == []


def _made(done):
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    return done


@needs_terraform
def test_make_deploy_from_a_fresh_clone_ships_tags_and_rolls_back_and_terraform_agrees(repo, fresh_emulator):
    """A release's whole life: deploy, redeploy, second tag, rollback; plan shows no changes after each kind of step."""
    git(repo, "tag", "v1")
    first = _made(make(repo, "deploy", "ENV=dev", emulator=fresh_emulator))
    assert "registered trading-bot-dev:" in first.stdout and "rollout COMPLETED" in first.stdout
    status = _made(make(repo, "status", "ENV=dev", emulator=fresh_emulator)).stdout
    assert "git tag   v1" in status and "rollout   COMPLETED" in status
    v1 = re.search(r"revision  (\S+)", status).group(1)

    again = _made(make(repo, "deploy", "ENV=dev", emulator=fresh_emulator))
    assert f"unchanged, revision {v1.split(':')[1]}" in again.stdout
    assert "No changes." in _made(make(repo, "plan", "ENV=dev", emulator=fresh_emulator)).stdout

    (repo / "RELEASE").write_text("v2\n")
    git(repo, "add", "RELEASE")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "v2")
    git(repo, "tag", "v2")
    _made(make(repo, "deploy", "ENV=dev", emulator=fresh_emulator))
    assert "git tag   v2" in _made(make(repo, "status", "ENV=dev", emulator=fresh_emulator)).stdout

    _made(make(repo, "rollback", "ENV=dev", "TO=v1", emulator=fresh_emulator))
    status = _made(make(repo, "status", "ENV=dev", emulator=fresh_emulator)).stdout
    assert f"revision  {v1}" in status and "git tag   v1" in status
    assert "No changes." in _made(make(repo, "plan", "ENV=dev", emulator=fresh_emulator)).stdout
