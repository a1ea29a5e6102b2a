"""Release identity on the local target: production runs exactly what git names, rollback prefers clean
revisions, status shows how the running revision was built, and `make status ENV=all`.

The tbctl-level tests use the boto3 stand-in environments of test_deploy (fast, --skip-apply); the make-level
test at the bottom runs the real Terraform for both environments, as a user would.
"""

import json
import os
import re
import subprocess

import pytest

from conftest import VENV, git, make
from conftest import one_error_line as only_error_line
from test_bad_input_catalog import aws_model, differences
from test_deploy import Env, one_error_line

pytestmark = pytest.mark.integration

TEMPLATE = "task-definitions/trading-bot.json.j2"


@pytest.fixture
def dev(fresh_emulator, repo, tmp_path):
    return Env(fresh_emulator, repo, tmp_path)


@pytest.fixture
def prod(fresh_emulator, repo, tmp_path):
    return Env(fresh_emulator, repo, tmp_path, short="prod")


def dirty(env):
    (env.repo / "RELEASE").write_text("an uncommitted edit\n")


def clean(env):
    git(env.repo, "checkout", "-q", "--", "RELEASE")


def running(env) -> str:
    return env.service()["taskDefinition"]


def test_status_shows_git_dirty_and_rollback_takes_a_clean_revision_of_the_tag_over_a_newer_dirty_one(dev):
    dev.release("v1")
    dirty(dev)
    dev.deploy()
    dirty_v1 = running(dev)
    assert dev.tags(dirty_v1)["git_dirty"] == "true"
    assert "git_dirty" in dev.tbctl("status").stdout
    assert json.loads(dev.tbctl("status", "--json").stdout)["git_dirty"] is True

    clean(dev)
    dev.release("v2")
    dev.deploy()
    assert json.loads(dev.tbctl("status", "--json").stdout)["git_dirty"] is False
    assert "git_dirty" not in dev.tbctl("status").stdout

    # The tag has only a dirty revision: development uses it, and says so.
    done = dev.tbctl("rollback", "--to", "v1")
    assert running(dev) == dirty_v1
    assert "no revision tagged v1 was built from a clean tree" in done.stderr

    git(dev.repo, "checkout", "-q", "v1")
    dev.deploy()
    clean_v1 = running(dev)
    assert clean_v1 != dirty_v1 and "git_dirty" not in dev.tags(clean_v1)
    dirty(dev)
    dev.deploy()  # a newer revision of v1, built from a dirty tree
    newer_dirty_v1 = running(dev)
    assert dev.tags(newer_dirty_v1)["git_dirty"] == "true"
    clean(dev)
    git(dev.repo, "checkout", "-q", "main")
    dev.deploy()

    done = dev.tbctl("rollback", "--to", "v1")
    assert running(dev) == clean_v1, done.stdout
    assert "note:" not in done.stderr


def _register_with_image(env, like_arn: str, image: str, git_tag: str) -> str:
    """A revision as an older tbctl let production register: the tag's name on another image."""
    definition = env.ecs.describe_task_definition(taskDefinition=like_arn)["taskDefinition"]
    request = {key: definition[key] for key in ("family", "containerDefinitions", "cpu", "memory", "networkMode",
                                                "requiresCompatibilities", "executionRoleArn", "taskRoleArn")}
    request["containerDefinitions"] = [dict(c, image=image) for c in request["containerDefinitions"]]
    request["tags"] = [{"key": k, "value": v} for k, v in dict(env.tags(like_arn), git_tag=git_tag).items()]
    return env.ecs.register_task_definition(**request)["taskDefinition"]["taskDefinitionArn"]


def test_production_rollback_never_runs_another_image_under_the_tags_name(prod):
    prod.release("v1")
    prod.deploy()
    good_v1 = running(prod)
    repository = prod.outputs["repository_url"]
    bad_v1 = _register_with_image(prod, good_v1, f"{repository}:dev-0123456", "v1")
    # What the older tbctl did next: run it, and status named the tag. Now status says it is not the tag's image.
    prod.ecs.update_service(cluster=prod.outputs["cluster_name"], service=prod.outputs["service_name"], taskDefinition=bad_v1)
    assert "(not the image of git tag v1)" in prod.tbctl("status").stdout
    assert json.loads(prod.tbctl("status", "--json").stdout)["image_is_the_tags"] is False
    prod.release("v2")
    prod.deploy()
    v2 = running(prod)

    prod.tbctl("rollback", "--to", "v1")
    assert running(prod) == good_v1
    assert json.loads(prod.tbctl("status", "--json").stdout)["image_is_the_tags"] is True

    prod.tbctl("rollback", "--to", "v2")
    prod.ecs.deregister_task_definition(taskDefinition=good_v1)
    before = prod.revisions()
    line = one_error_line(prod.tbctl("rollback", "--to", "v1", check=False))
    assert f"{bad_v1.rsplit('/', 1)[1]} is container trading-bot runs {repository}:dev-0123456" in line
    assert "make deploy ENV=prod" in line
    assert running(prod) == v2 and prod.revisions() == before


def test_production_refuses_another_image_from_the_command_line_or_the_environment_touching_nothing(prod):
    prod.release("v1")
    prod.deploy()
    before = (prod.revisions(), running(prod))
    for args, env in ((["--image-tag", "dev-0123456"], None), ([], {"IMAGE_TAG": "dev-0123456"})):
        line = one_error_line(prod.deploy(*args, check=False, env=env))
        assert "IMAGE_TAG=dev-0123456" in line and "drop IMAGE_TAG=" in line
        assert (prod.revisions(), running(prod)) == before
    same = prod.deploy("--image-tag", "v1")  # the tag's own image is no other image
    assert "unchanged" in same.stdout and (prod.revisions(), running(prod)) == before


def test_a_production_template_cannot_pin_another_image_of_the_release_repository(prod):
    template = prod.repo / TEMPLATE
    pinned = f'"{prod.outputs["repository_url"]}:dev-0123456"'
    template.write_text(template.read_text().replace("{{ release.image | tojson }}", pinned, 1))
    git(prod.repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-am", "pin an image")
    prod.release("v1")
    line = one_error_line(prod.tbctl("render", check=False))
    assert "container trading-bot runs" in line and "dev-0123456" in line and "release.image" in line


def test_a_tag_on_another_commit_is_refused_naming_that_commit(dev):
    old = dev.release("v1")
    dev.release("v2")
    before = dev.revisions()
    for verb in ("render", "diff", "deploy"):
        line = one_error_line(dev.tbctl(verb, "--tag", "v1", *(["--skip-apply"] if verb == "deploy" else []), check=False))
        assert f"TAG=v1 points at commit {old[:7]}" in line
    assert dev.revisions() == before


def test_several_tags_on_head_ship_the_highest_version_and_the_output_says_why(dev):
    for tag in ("v1.9.0", "v1.10.0"):
        git(dev.repo, "tag", tag)
    done = dev.deploy()
    assert "release v1.10.0" in done.stdout and "highest version of HEAD's tags v1.10.0, v1.9.0" in done.stdout
    assert dev.tags(running(dev))["git_tag"] == "v1.10.0"
    assert ":v1.10.0" in json.dumps(
        dev.ecs.describe_task_definition(taskDefinition=running(dev))["taskDefinition"]["containerDefinitions"])


def test_status_of_every_environment_from_one_outputs_file_is_refused(repo, tmp_path):
    done = subprocess.run([str(VENV / "bin" / "tbctl"), "status", "--env", "all", "--outputs", str(tmp_path / "o.json")],
                          cwd=repo, env=dict(os.environ, TBCTL_ROOT=str(repo), PYTHONPATH=str(repo / "scripts")),
                          capture_output=True, text=True, timeout=120)
    line = one_error_line(done)
    assert "ENV=all" in line and "ENV=dev or ENV=prod" in line


# --- the real thing: make, Terraform, emulator ------------------------------------------------------------

def tbctl_json(repo, emulator, *args):
    """tbctl itself (make prints no JSON), with the environment make would give it."""
    run_env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG", "IMAGE_TAG"}}
    run_env.update(TBCTL_ROOT=str(repo), LOCAL_PORT=str(emulator.port), PYTHONPATH=str(repo / "scripts"))
    return subprocess.run([str(VENV / "bin" / "tbctl"), *args], cwd=repo, env=run_env, capture_output=True, text=True,
                          timeout=300)


def _made(done):
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    return done


def test_make_deploy_prod_with_another_image_is_refused_and_status_all_shows_both_environments(repo, fresh_emulator):
    """The acceptance: a clean tagged HEAD, IMAGE_TAG=<another image>: non-zero, production unchanged."""
    git(repo, "tag", "v1")
    _made(make(repo, "deploy", "ENV=prod", emulator=fresh_emulator))
    assert git(repo, "status", "--porcelain") == "", "a deploy must leave the tree clean, or the next one is refused"
    # Development is not applied yet: its status is missing, production's is shown, the exit says so.
    partial = make(repo, "status", "ENV=all", emulator=fresh_emulator)
    assert "git tag   v1" in partial.stdout and "(production," in partial.stdout
    assert "no status of development" in only_error_line(partial)
    listed = tbctl_json(repo, fresh_emulator, "status", "--env", "all", "--json")
    assert listed.returncode == 1 and "no status of development" in listed.stderr
    dev_state, prod_state = json.loads(listed.stdout)  # JSON only on stdout
    assert dev_state["environment"] == "development" and "make apply ENV=dev" in dev_state["error"]
    assert (prod_state["environment"], prod_state["git_tag"], prod_state["git_dirty"]) == ("production", "v1", False)

    before = aws_model(fresh_emulator)
    for args, env in ((["IMAGE_TAG=dev-0123456"], None), ([], {"IMAGE_TAG": "dev-0123456"})):
        done = make(repo, "deploy", "ENV=prod", *args, emulator=fresh_emulator, env=env)
        line = only_error_line(done)
        assert "IMAGE_TAG=dev-0123456" in line and "drop IMAGE_TAG=" in line
        after = aws_model(fresh_emulator)
        assert after == before, f"the local AWS changed: {differences(before, after)[:10]}"

    _made(make(repo, "deploy", "ENV=dev", emulator=fresh_emulator))
    both = _made(make(repo, "status", "ENV=all", emulator=fresh_emulator)).stdout
    assert "(development," in both and "(production," in both
    revisions = re.findall(r"revision  (\S+)", both)
    assert [r.split(":")[0] for r in revisions] == ["trading-bot-dev", "trading-bot-prod"]


def test_a_production_deploy_on_aws_never_takes_its_outputs_from_a_file(prod):
    # A hand-made outputs file could name another repository or role; on AWS production reads the state.
    prod.release("v1")
    done = prod.deploy(check=False, env={"TARGET": "aws", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"})
    assert "not from a file" in one_error_line(done) and "drop --outputs" in done.stderr
    assert prod.revisions() == [] or all(prod.tags(arn).get("git_tag") != "v1" for arn in prod.revisions())
