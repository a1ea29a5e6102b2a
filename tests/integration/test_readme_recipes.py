"""What the README promises that no other test walked: the local AWS `make` runs for you, what an apply
leaves in it, and the release, config and lock commands' smaller promises. Real make, terraform and emulator.

tests/test_readme_claims.py maps each README sentence to the test that exercises it.
"""

import json
import os
import re
import signal
import subprocess
import sys
import uuid

import pytest

from _deploy_standin import create
from conftest import REPO, VENV, free_port, git, make, ok, one_error_line
from fakes.aws_iam import FakeIam

pytestmark = pytest.mark.integration

ACCOUNT = "123456789012"
STATE_BUCKET = f"trading-bot-tfstate-{ACCOUNT}"
SECRETS = {"BYBIT_API_KEY", "BYBIT_SECRET_KEY", "TELEGRAM_BOT_TOKEN", "SMTP_PASSWORD"}


def client(port: int, service: str):
    import boto3

    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# -- the local AWS that make starts, keeps and stops ------------------------------------------------------------


@pytest.fixture
def own_port(repo):
    """A port no emulator listens on yet: `make` starts one there; stopped at the end whatever happened."""
    port = free_port()
    yield port
    make(repo, "local-down", env={"LOCAL_PORT": str(port)})


def test_make_keeps_one_emulator_with_its_pid_file_and_log_and_local_down_forgets_everything(repo, own_port):
    env = {"LOCAL_PORT": str(own_port)}
    pid_file, log = repo / f"build/local/emulator-{own_port}.pid", repo / f"build/local/emulator-{own_port}.log"
    ok(make(repo, "local-up", env=env))
    pid = int(pid_file.read_text())
    assert alive(pid) and log.exists()
    ok(make(repo, "local-up", env=env))
    assert int(pid_file.read_text()) == pid, "a second command reuses the running emulator"
    client(own_port, "s3").create_bucket(Bucket="kept-in-memory")

    ok(make(repo, "local-down", env=env))
    assert not alive(pid) and not pid_file.exists()
    ok(make(repo, "local-up", env=env))
    assert client(own_port, "s3").list_buckets()["Buckets"] == [], "the next command starts from nothing"


def test_a_resource_left_by_a_dead_run_fails_apply_in_one_line_and_deleting_it_lets_apply_converge(repo, own_port):
    """The README's crash recipe on a make-managed emulator, then what the converged environment holds."""
    env = {"LOCAL_PORT": str(own_port)}
    ok(make(repo, "local-up", env=env))
    logs = client(own_port, "logs")
    logs.create_log_group(logGroupName="/ecs/trading-bot-dev")  # as if an apply died right after creating it

    refused = make(repo, "apply", "ENV=dev", env=env)
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error: ")]
    assert refused.returncode != 0 and len(errors) == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert "an earlier run created it but died before recording it: import or delete it" in errors[0]
    logs.delete_log_group(logGroupName="/ecs/trading-bot-dev")
    ok(make(repo, "apply", "ENV=dev", env=env))
    assert "No changes." in ok(make(repo, "plan", "ENV=dev", env=env)).stdout

    # bootstrap: the state bucket and the shared registry
    assert STATE_BUCKET in [b["Name"] for b in client(own_port, "s3").list_buckets()["Buckets"]]
    assert [r["repositoryName"] for r in client(own_port, "ecr").describe_repositories()["repositories"]] == ["trading-bot"]
    # the local override is generated and git-ignored; the real configuration is untouched
    assert (repo / "infrastructure/environments/development/tbctl_local_override.tf").exists()
    assert git(repo, "status", "--porcelain") == ""
    assert (repo / "build/local/development/tfdata").is_dir()
    backend = (repo / "build/local/development/backend.s3.tfbackend").read_text()
    assert f'bucket = "{STATE_BUCKET}"' in backend.replace("  ", " ") or STATE_BUCKET in backend
    assert re.search(r"use_lockfile\s*=\s*true", backend), "S3 native locking, completed by tbctl per target"

    # secrets: declared without values, encrypted with the environment's key, named trading-bot-<env>/NAME
    secrets = client(own_port, "secretsmanager")
    declared = {s["Name"]: s for s in secrets.list_secrets()["SecretList"] if s["Name"].startswith("trading-bot-dev/")}
    assert set(declared) == {f"trading-bot-dev/{name}" for name in SECRETS}
    for secret in declared.values():
        assert secret.get("KmsKeyId", "").startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/")
        with pytest.raises(Exception, match="ResourceNotFound"):
            secrets.get_secret_value(SecretId=secret["ARN"])

    # everything unnamed carries project and environment tags
    ec2 = client(own_port, "ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": ["development"]}])["Vpcs"]
    assert len(vpcs) == 1 and {"Key": "project", "Value": "trading-bot"} in vpcs[0]["Tags"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpcs[0]["VpcId"]]}])["Subnets"]
    assert subnets and all({"Key": "project", "Value": "trading-bot"} in s["Tags"] and
                           {"Key": "environment", "Value": "development"} in s["Tags"] for s in subnets)

    # the roles reach only their environment's things
    iam = client(own_port, "iam")

    def resources(role: str) -> dict:
        found = {}
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            for statement in iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                for action in actions:
                    found.setdefault(action, set()).update(targets)
        assert not iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        return found

    execution = resources("trading-bot-dev-task-execution")
    assert execution["ecr:BatchGetImage"] == {f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/trading-bot"}
    assert execution["logs:PutLogEvents"] == {f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/ecs/trading-bot-dev:log-stream:*"}
    assert {arn.split(":secret:")[1].rsplit("-", 1)[0] for arn in execution["secretsmanager:GetSecretValue"]} == \
        {f"trading-bot-dev/{name}" for name in SECRETS}
    task = resources("trading-bot-dev-task")
    assert {r for action, found in task.items() if action.startswith("s3:") for r in found} == \
        {"arn:aws:s3:::trading-config-dev", "arn:aws:s3:::trading-config-dev/*"}

    # alarms: no data from the service counts as down; the alarm topic is encrypted
    alarms = client(own_port, "cloudwatch").describe_alarms()["MetricAlarms"]
    down = [a for a in alarms if "down" in a["AlarmName"] and "trading-bot-dev" in a["AlarmName"]]
    assert len(down) == 1 and down[0]["TreatMissingData"] == "breaching", [a["AlarmName"] for a in alarms]
    sns = client(own_port, "sns")
    topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if "trading-bot-dev" in t["TopicArn"])
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"].get("KmsMasterKeyId")

    # one Ctrl-C during an apply (here: config_writer_arns set, so the config bucket's policy is being modified):
    # terraform saves the state and releases the lock before tbctl exits
    writer = f"arn:aws:iam::{ACCOUNT}:role/ci-deployer"
    with_writer = {**env, "TF_VAR_config_writer_arns": json.dumps([writer])}
    ok(make(repo, "plan", "ENV=dev", env=with_writer))  # a plan saved without the variable would be applied as is
    apply = subprocess.Popen(["make", "apply", "ENV=dev"], cwd=repo, env=_make_env(with_writer), text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    seen = []
    for line in apply.stdout:
        seen.append(line)
        if "Modifying..." in line:
            break
    assert apply.poll() is None, "".join(seen[-40:])
    os.killpg(apply.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends: make, tbctl and terraform together
    rest = apply.communicate(timeout=300)[0]
    assert apply.returncode != 0 and "Traceback" not in rest, rest[-3000:]
    s3 = client(own_port, "s3")
    assert "trading-bot/development.tfstate.tflock" not in [o["Key"] for o in s3.list_objects_v2(
        Bucket=STATE_BUCKET, Prefix="trading-bot/").get("Contents", [])], "the lock was released"
    ok(make(repo, "plan", "ENV=dev", env=with_writer))  # the state moved on under the interrupted run's saved plan
    ok(make(repo, "apply", "ENV=dev", env=with_writer))

    # config_writer_arns: the config bucket denies writes from any other principal
    policy = json.loads(s3.get_bucket_policy(Bucket="trading-config-dev")["Policy"])
    deny = [s for s in policy["Statement"] if s["Effect"] == "Deny" and "s3:PutObject" in s["Action"]]
    assert deny and deny[0]["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": writer}}, policy

    # the emulator dies: the next make starts another and bootstraps it again
    os.kill(int((repo / f"build/local/emulator-{own_port}.pid").read_text()), signal.SIGKILL)
    again = ok(make(repo, "plan", "ENV=dev", env=env))
    assert "bootstrapping the local AWS" in again.stderr
    assert re.search(r"^development: \d+ to add", again.stdout, re.M), "an empty AWS again: everything to create"


def _make_env(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG", "MAKEFLAGS", "MAKELEVEL"}}
    env.update(VENV=str(VENV), CHECKOV_VENV=str(REPO / ".venv-checkov"), **extra)
    return env


# -- the release step on a stand-in environment -------------------------------------------------------------------


def tbctl(repo, emulator, outputs_file, *args, check=True):
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG", "IMAGE_TAG", "DRY_RUN", "TO"}}
    env.update(TBCTL_ROOT=str(repo), LOCAL_PORT=str(emulator.port))
    done = subprocess.run([sys.executable, "-m", "tbctl", *args, "--env", "dev", "--outputs", str(outputs_file)],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    if check:
        ok(done)
    return done


def commit(repo, message: str) -> None:
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", message)


@pytest.fixture
def standin(fresh_emulator, repo, tmp_path):
    outputs, path = create(fresh_emulator, "dev", tmp_path)
    git(repo, "tag", "v1")
    return fresh_emulator, repo, outputs, path


def test_a_template_change_ships_on_the_next_deploy_and_status_json_names_the_release(standin):
    emulator, repo, outputs, path = standin
    first = tbctl(repo, emulator, path, "deploy", "--skip-apply")
    assert "stand-in image trading-bot:v1 added to the emulator's ECR" in first.stdout
    assert emulator.client("ecr").describe_images(repositoryName="trading-bot", imageIds=[{"imageTag": "v1"}])["imageDetails"]
    template = repo / "task-definitions/trading-bot.json.j2"
    template.write_text(template.read_text().replace('{"name": "RELEASE"', '{"name": "FEATURE_X", "value": "on"},\n        {"name": "RELEASE"', 1))
    # Same commit, same tag: only the template changed (uncommitted), and that alone ships.
    done = tbctl(repo, emulator, path, "deploy", "--skip-apply")
    assert "registered trading-bot-dev:3" in done.stdout
    ecs = emulator.client("ecs")
    running = ecs.describe_services(cluster="trading-bot-dev", services=["trading-bot-dev"])["services"][0]["taskDefinition"]
    environment = ecs.describe_task_definition(taskDefinition=running)["taskDefinition"]["containerDefinitions"][0]["environment"]
    assert {"name": "FEATURE_X", "value": "on"} in environment

    status = json.loads(tbctl(repo, emulator, path, "status", "--json").stdout)
    text = json.dumps(status)
    for shown in (running.rsplit("/", 1)[1], '"v1"', git(repo, "rev-parse", "HEAD"), f"{outputs['repository_url']}:v1", "COMPLETED"):
        assert shown in text, shown


def test_another_template_is_deployed_to_the_environments_one_service(standin):
    """Why a new service needs Terraform today: --service renders another template, into the same service."""
    emulator, repo, outputs, path = standin
    source = (repo / "task-definitions/trading-bot.json.j2").read_text()
    (repo / "task-definitions/reporter.json.j2").write_text(source.replace('"essential": true', '"essential": true, "command": ["report"]', 1))
    git(repo, "add", "-A")
    commit(repo, "a second template")
    git(repo, "tag", "-f", "v1")
    assert '--service' not in ok(make(repo, "-n", "deploy", "ENV=dev")).stdout, "make ships the default service only"
    tbctl(repo, emulator, path, "deploy", "--skip-apply", "--service", "reporter")
    ecs = emulator.client("ecs")
    assert ecs.list_services(cluster="trading-bot-dev")["serviceArns"] == [
        f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/trading-bot-dev/trading-bot-dev"]
    running = ecs.describe_services(cluster="trading-bot-dev", services=["trading-bot-dev"])["services"][0]["taskDefinition"]
    assert ecs.describe_task_definition(taskDefinition=running)["taskDefinition"]["containerDefinitions"][0]["command"] == ["report"]


def test_verification_names_a_missing_image_and_a_missing_role(standin):
    from tbctl import verify
    from tbctl.environments import ENVIRONMENTS
    from tbctl.release import Release
    from tbctl.render import render
    from tbctl.target import Target

    emulator, repo, outputs, path = standin
    release = Release(tag="v404", commit="d" * 40, image_tag="v404", dirty=False)
    request = render("trading-bot", outputs, release, ENVIRONMENTS["dev"], repo / "task-definitions")
    emulator.client("iam").delete_role(RoleName="trading-bot-dev-task")
    gaps = verify.missing(Target("local", "us-east-1", emulator.endpoint), request, "trading-bot", "v404")
    assert gaps == ["image trading-bot:v404 in ECR", f"role {outputs['task_role_arn']}"]


# -- config store: DRY_RUN ---------------------------------------------------------------------------------------


def test_dry_run_shows_what_push_rollback_and_sync_would_change_and_changes_nothing(repo, emulator):
    prefix = f"cfg-{uuid.uuid4().hex[:12]}"
    s3 = emulator.client("s3")
    for short in ("dev", "prod"):
        s3.create_bucket(Bucket=f"{prefix}-{short}")
        s3.put_bucket_versioning(Bucket=f"{prefix}-{short}", VersioningConfiguration={"Status": "Enabled"})
    env = {"TBCTL_CONFIG_BUCKET": f"{prefix}-{{env}}"}

    def versions():
        return sorted((v["Key"], v["VersionId"]) for short in ("dev", "prod")
                      for v in s3.list_object_versions(Bucket=f"{prefix}-{short}").get("Versions", []))

    dry = make(repo, "config-push", "ENV=dev", "DRY_RUN=1", emulator=emulator, env=env)
    assert "would upload" in ok(dry).stdout and "risk-params" in dry.stdout and versions() == []
    ok(make(repo, "config-push", "ENV=dev", emulator=emulator, env=env))
    ok(make(repo, "config-push", "ENV=prod", emulator=emulator, env=env))
    risk = repo / "config/development/risk-params.json"
    risk.write_text(risk.read_text().replace('"max_positions": 10', '"max_positions": 8', 1))
    commit(repo, "fewer positions")
    ok(make(repo, "config-push", "ENV=dev", emulator=emulator, env=env))
    before = versions()
    for args in (("config-rollback", "ENV=dev", "NAME=risk-params", "TO=1"), ("config-sync", "FROM=prod", "TO=dev")):
        done = ok(make(repo, *args, "DRY_RUN=1", emulator=emulator, env=env))
        assert "would" in done.stdout + done.stderr, done.stdout
        assert versions() == before, f"{args[0]} DRY_RUN=1 changed the store"


# -- locks and confirmations -------------------------------------------------------------------------------------


def test_unlock_refuses_an_id_that_is_not_the_current_locks(repo, fresh_emulator):
    s3 = fresh_emulator.client("s3")
    s3.create_bucket(Bucket=STATE_BUCKET)
    lock = {"ID": "1f2e3d4c-0000-4000-8000-000000000000", "Operation": "OperationTypeApply", "Who": "alice@laptop",
            "Version": "1.11.4", "Created": "2026-01-01T00:00:00Z", "Path": f"{STATE_BUCKET}/trading-bot/development.tfstate"}
    key = "trading-bot/development.tfstate.tflock"
    s3.put_object(Bucket=STATE_BUCKET, Key=key, Body=json.dumps(lock).encode())
    line = one_error_line(make(repo, "unlock", "ENV=dev", "LOCK_ID=not-that-one", emulator=fresh_emulator))
    assert "is not the lock of development" in line and lock["ID"] in line and "alice@laptop" in line
    assert json.loads(s3.get_object(Bucket=STATE_BUCKET, Key=key)["Body"].read()) == lock


@pytest.fixture
def fake_aws(monkeypatch):
    fake = FakeIam(f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/laptop")
    for name in list(os.environ):
        if name.startswith("AWS_") or name == "CI":
            monkeypatch.delenv(name)
    for name, value in dict(AWS_ENDPOINT_URL=fake.endpoint, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                            AWS_EC2_METADATA_DISABLED="true", AWS_REGION="us-east-1", TBCTL_MAX_ATTEMPTS="1",
                            AWS_ACCESS_KEY_ID="AKIDTEST", AWS_SECRET_ACCESS_KEY="secret").items():
        monkeypatch.setenv(name, value)
    yield fake
    fake.close()


@pytest.mark.parametrize("confirmation", [None, {"CONFIRM": "production"}, {"CI": "true"}], ids=["none", "CONFIRM", "CI"])
def test_applying_production_on_aws_needs_confirm_production_or_ci(repo, fake_aws, confirmation):
    args = ["apply", "ENV=prod", "TARGET=aws"] + ([f"CONFIRM={confirmation['CONFIRM']}"] if confirmation and "CONFIRM" in confirmation else [])
    env = {"CI": "true"} if confirmation and "CI" in confirmation else {}
    done = make(repo, *args, env=env, timeout=120)
    assert done.returncode != 0  # the fake has no S3: a confirmed apply fails later, at the state bucket
    if confirmation is None:
        line = one_error_line(done)
        assert "applying production on AWS needs an explicit confirmation" in line and "CONFIRM=production" in line
        assert fake_aws.calls == [], "refused before any AWS call"
    else:
        assert "needs an explicit confirmation" not in done.stderr


# -- make lint ---------------------------------------------------------------------------------------------------

FAKE_CHECKOV = """#!/bin/sh
# Stands in for checkov (lint runs it with a bare environment): records its arguments, answers with the report.
echo "$@" >> {log}
cat {report}
"""


def test_lint_fails_on_any_checkov_finding_and_checks_the_config_documents(repo, emulator, tmp_path):
    """What lint does with checkov's answer (checkov itself is stood in for: make lint installs the real one)."""
    report, log, checkov = tmp_path / "report.json", tmp_path / "calls.log", tmp_path / "checkov"
    checkov.write_text(FAKE_CHECKOV.format(log=log, report=report))
    checkov.chmod(0o755)

    def lint(env_name: str) -> subprocess.CompletedProcess:
        command = [str(VENV / "bin" / "tbctl"), "lint", "--env", env_name, "--checkov", str(checkov)]
        run_env = {**_make_env({}), "TBCTL_ROOT": str(repo), "LOCAL_PORT": str(emulator.port),
                   "PYTHONPATH": str(REPO / "scripts")}
        return subprocess.run(command, cwd=repo, env=run_env, capture_output=True, text=True, timeout=900)

    report.write_text(json.dumps({"check_type": "terraform", "summary": {"passed": 10, "failed": 0, "skipped": 3},
                                  "results": {"failed_checks": []}}))
    clean = lint("dev")
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    calls = log.read_text().splitlines()
    assert calls[0].startswith("-d infrastructure --framework terraform"), calls
    assert any(call.startswith("-f ") and "development/plan.json" in call and "terraform_plan" in call for call in calls), calls
    assert "config documents valid" in clean.stdout or "documents valid" in clean.stdout, clean.stdout

    report.write_text(json.dumps({"check_type": "terraform", "summary": {"passed": 10, "failed": 1, "skipped": 3},
                                  "results": {"failed_checks": [{"check_id": "CKV_AWS_999", "resource": "aws_s3_bucket.x",
                                                                 "file_path": "/main.tf", "file_line_range": [3, 9]}]}}))
    line = one_error_line(lint("dev"))
    assert "checkov found" in line and "#checkov:skip=" in line

    report.write_text(json.dumps({"summary": {"passed": 1, "failed": 0, "skipped": 0}}))
    broken = repo / "config/development/risk-params.json"
    broken.write_text(broken.read_text().replace('"max_positions": 10', '"max_positions": 0', 1))
    line = one_error_line(lint("dev"))
    assert "risk-params" in line or "config document" in line, line
