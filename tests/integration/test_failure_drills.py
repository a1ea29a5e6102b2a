"""Failure drills on the local target: crashes mid-apply and two applies at once.

One private emulator for the module (it is killed and restarted on the same
port, so it cannot be conftest's shared one) and one repository copy; the
drills run in file order on the environment the previous one left, which
saves whole applies. SIGINT during `make deploy`'s wait is covered in
test_deploy.py (test_interrupt_while_waiting_...).
"""

import getpass
import json
import os
import re
import signal
import socket
import subprocess

import pytest

from conftest import Emulator, VENV, copy_repo, make, ok, one_error_line

pytestmark = pytest.mark.integration

STATE_BUCKET = "trading-bot-tfstate-123456789012"
DEV_STATE = "trading-bot/development.tfstate"
# The provider's default tags (shared by the roots, a file of its own in a copy): a change every resource picks up.
DEV_PROVIDER = "infrastructure/environments/development/terraform.tf"


@pytest.fixture(scope="module")
def aws(tmp_path_factory):
    emulator = Emulator(tmp_path_factory.mktemp("drills"))  # crashes and restarts on its own port
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def drill_repo(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("drill-repo") / "repo")


def _env(aws) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG", "MAKEFLAGS", "MAKELEVEL"}}
    env.update(VENV=str(VENV), LOCAL_PORT=str(aws.port))
    return env


def start_make(repo, aws, *args) -> subprocess.Popen:
    """`make <args>` in the background, in its own process group (a terminal's job), output merged."""
    return subprocess.Popen(["make", *args], cwd=repo, env=_env(aws), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def read_until(process: subprocess.Popen, pattern: str, count: int = 1) -> list[str]:
    """Lines of `process` up to the `count`-th matching `pattern`; fails if it ends first."""
    seen, matched = [], 0
    for line in process.stdout:
        seen.append(line)
        if re.search(pattern, line):
            matched += 1
            if matched == count:
                return seen
    process.wait()
    pytest.fail(f"`{pattern}` x{count} never came; exit {process.returncode}:\n{''.join(seen[-40:])}")


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL make, tbctl and terraform together: a lost CI runner or a crashed laptop."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()


def change_dev(repo, old: str, new: str) -> None:
    """A pending change, and no saved plan (as in a fresh clone): `make apply` plans it itself."""
    main = repo / DEV_PROVIDER
    assert old in main.read_text()
    main.write_text(main.read_text().replace(old, new, 1))
    for saved in ("plan.tfplan", "plan.meta"):
        (repo / "build/local/development" / saved).unlink(missing_ok=True)


def dev_state(aws) -> dict:
    return json.loads(aws.client("s3").get_object(Bucket=STATE_BUCKET, Key=DEV_STATE)["Body"].read())


def lock_file(aws) -> dict | None:
    try:
        return json.loads(aws.client("s3").get_object(Bucket=STATE_BUCKET, Key=DEV_STATE + ".tflock")["Body"].read())
    except aws.client("s3").exceptions.NoSuchKey:
        return None


def assert_converged_with_nothing_duplicated(repo, aws) -> None:
    """A plan finds no changes, AWS holds exactly one of each, and what the state names exists."""
    assert "No changes." in ok(make(repo, "plan", "ENV=dev", env={"LOCAL_PORT": str(aws.port)})).stdout
    ec2, ecs = aws.client("ec2"), aws.client("ecs")
    vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "tag:environment", "Values": ["development"]}])["Vpcs"]]
    clusters = [c for c in ecs.list_clusters()["clusterArns"] if c.endswith("/trading-bot-dev")]
    services = ecs.list_services(cluster="trading-bot-dev")["serviceArns"]
    assert (len(vpcs), len(clusters), len(services)) == (1, 1, 1), (vpcs, clusters, services)

    recorded = {r["type"]: [i["attributes"] for i in r["instances"]] for r in dev_state(aws)["resources"]
                if r["mode"] == "managed"}
    assert [a["id"] for a in recorded["aws_vpc"]] == vpcs
    subnets = {a["id"] for a in recorded["aws_subnet"]}
    assert subnets == {s["SubnetId"] for s in ec2.describe_subnets(SubnetIds=sorted(subnets))["Subnets"]}
    assert [a["id"] for a in recorded["aws_ecs_service"]] == services
    iam = aws.client("iam")
    for role in recorded["aws_iam_role"]:
        assert iam.get_role(RoleName=role["name"])["Role"]["Arn"] == role["arn"]
    logs = aws.client("logs")
    for group in recorded["aws_cloudwatch_log_group"]:
        assert logs.describe_log_groups(logGroupNamePrefix=group["name"])["logGroups"], group["name"]


def test_emulator_killed_mid_apply_rerun_after_restart_converges_without_duplicates(drill_repo, aws):
    apply = start_make(drill_repo, aws, "apply", "ENV=dev")
    read_until(apply, r"Creation complete", count=8)  # bootstrap done, development half-created
    aws.crash()
    # Terraform would retry the dead endpoint for minutes before failing on its own; the user stops it.
    kill_group(apply)
    aws.start()

    rerun = ok(make(drill_repo, "apply", "ENV=dev", env={"LOCAL_PORT": str(aws.port)}))
    assert "development: applied" in rerun.stdout
    assert "bootstrapping the local AWS" in rerun.stderr, "a restarted emulator is bootstrapped again"
    assert_converged_with_nothing_duplicated(drill_repo, aws)


def test_two_applies_at_once_the_second_fails_fast_naming_the_holder_and_the_state_stays_intact(drill_repo, aws):
    change_dev(drill_repo, 'managed-by  = "terraform"', 'managed-by  = "terraform"\n      drill       = "two-applies"')
    first = start_make(drill_repo, aws, "apply", "ENV=dev")
    read_until(first, r"Modifying\.\.\.")  # terraform apply runs, holding the lock
    held = lock_file(aws)
    assert held and held["Operation"] == "OperationTypeApply"

    second = make(drill_repo, "apply", "ENV=dev", env={"LOCAL_PORT": str(aws.port)})
    assert first.poll() is None, "the second apply returned while the first still runs: it did not wait"
    line = one_error_line(second)
    assert f"locked by {held['Who']}" in line and held["ID"] in line and "OperationTypeApply" in line
    assert held["Who"] == f"{getpass.getuser()}@{socket.gethostname()}"
    assert "unlock" in line

    rest = first.communicate(timeout=600)[0]
    assert first.returncode == 0, rest[-3000:]
    assert lock_file(aws) is None
    assert_converged_with_nothing_duplicated(drill_repo, aws)


def test_terraform_killed_holding_the_lock_leaves_one_clear_line_and_unlock_lets_the_rerun_finish(drill_repo, aws):
    change_dev(drill_repo, 'drill       = "two-applies"', 'drill       = "killed"')
    before = dev_state(aws)["serial"]
    apply = start_make(drill_repo, aws, "apply", "ENV=dev")
    read_until(apply, r"Refreshing state\.\.\.")  # the plan inside apply holds the lock now
    kill_group(apply)
    held = lock_file(aws)
    assert held, "a killed run leaves its lock behind"

    line = one_error_line(make(drill_repo, "apply", "ENV=dev", env={"LOCAL_PORT": str(aws.port)}))
    assert f"locked by {held['Who']}" in line and held["ID"] in line and "unlock" in line
    assert dev_state(aws)["serial"] == before, "a refused apply changes nothing"

    # The command the lead's `make unlock ENV=dev LOCK_ID=<id>` target runs.
    unlock = subprocess.run([str(VENV / "bin" / "tbctl"), "unlock", "--env", "dev", "--lock-id", held["ID"]],
                            cwd=drill_repo, env=dict(_env(aws), TBCTL_ROOT=str(drill_repo)),
                            capture_output=True, text=True, timeout=120)
    assert unlock.returncode == 0, unlock.stderr
    assert f"removed the lock of {held['Who']}" in unlock.stdout
    assert lock_file(aws) is None

    ok(make(drill_repo, "apply", "ENV=dev", env={"LOCAL_PORT": str(aws.port)}))
    assert dev_state(aws)["serial"] > before
    assert_converged_with_nothing_duplicated(drill_repo, aws)
