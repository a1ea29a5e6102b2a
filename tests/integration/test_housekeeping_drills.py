"""Ctrl-C, unlock, local-down, clean and the README's `make plan; make local-down; make apply`, on real terraform.

One repository copy and one emulator that tbctl itself starts (so `make local-down`
stops it, as a user's would); the tests run in file order on what the previous one
left, which saves whole applies.
"""

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import boto3
import pytest

from conftest import VENV, copy_repo, free_port, make, ok

pytestmark = pytest.mark.integration

STATE_BUCKET = "trading-bot-tfstate-123456789012"
DEV_STATE = "trading-bot/development.tfstate"
DEV_MAIN = "infrastructure/environments/development/main.tf"
# The provider's default tags (shared by the roots, a file of its own in a copy): a change every resource picks up.
DEV_PROVIDER = "infrastructure/environments/development/terraform.tf"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    repo = copy_repo(tmp_path_factory.mktemp("housekeeping") / "repo")
    port = free_port()
    yield repo, port
    make(repo, "local-down", env={"LOCAL_PORT": str(port)})


def _env(port) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG", "MAKEFLAGS", "MAKELEVEL"}}
    env.update(VENV=str(VENV), LOCAL_PORT=str(port))
    return env


def start_make(repo, port, *args) -> subprocess.Popen:
    """`make <args>` in the background, in its own process group (a terminal's job), output merged."""
    return subprocess.Popen(["make", *args], cwd=repo, env=_env(port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def read_until(process, pattern: str, count: int = 1) -> list[str]:
    seen, matched = [], 0
    for line in process.stdout:
        seen.append(line)
        if re.search(pattern, line):
            matched += 1
            if matched == count:
                return seen
    process.wait()
    pytest.fail(f"`{pattern}` x{count} never came; exit {process.returncode}:\n{''.join(seen[-40:])}")


def descendant(pid: int, name: str) -> int:
    """The first process under `pid` whose command line mentions `name`."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for child in map(int, children):
        if name in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"):
            return child
        try:
            return descendant(child, name)
        except LookupError:
            pass
    raise LookupError(f"no {name} under {pid}")


def s3(port):
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def lock_file(port) -> dict | None:
    try:
        return json.loads(s3(port).get_object(Bucket=STATE_BUCKET, Key=DEV_STATE + ".tflock")["Body"].read())
    except s3(port).exceptions.NoSuchKey:
        return None


def dev_state(port) -> dict:
    return json.loads(s3(port).get_object(Bucket=STATE_BUCKET, Key=DEV_STATE)["Body"].read())


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error: ")]


def test_sigint_to_tbctl_alone_during_apply_stops_terraform_cleanly_and_says_to_apply_again(checkout):
    """kill -INT of tbctl (a CI runner's cancel): terraform gets exactly one interrupt, saves, unlocks; one line says what next."""
    repo, port = checkout
    apply = start_make(repo, port, "apply", "ENV=dev")
    read_until(apply, r"Creation complete", count=8)  # bootstrap done, development part-created
    os.kill(descendant(apply.pid, "tbctl"), signal.SIGINT)
    output = apply.communicate(timeout=600)[0]

    assert apply.returncode != 0
    assert "Traceback" not in output and "fix the configuration" not in output
    assert output.count("Interrupt received") == 1 and "Two interrupts" not in output, output[-3000:]
    lines = error_lines(output)
    assert len(lines) == 1, output[-3000:]
    assert "the apply of development was interrupted (Ctrl-C)" in lines[0] and "saved them in the state" in lines[0]
    assert "run `make apply ENV=dev` again" in lines[0]
    assert lock_file(port) is None, "terraform released the lock"
    assert dev_state(port)["resources"], "what was created is recorded"

    rerun = ok(make(repo, "apply", "ENV=dev", env={"LOCAL_PORT": str(port)}))
    assert "development: applied" in rerun.stdout


def test_unlock_refuses_a_live_holder_and_ctrl_c_in_a_terminal_is_passed_on_once(checkout):
    repo, port = checkout
    provider = repo / DEV_PROVIDER
    assert 'managed-by  = "terraform"' in provider.read_text(), "the drill's change must reach every resource"
    provider.write_text(provider.read_text().replace('managed-by  = "terraform"', 'managed-by  = "terraform"\n      drill       = "ctrl-c"', 1))
    apply = start_make(repo, port, "apply", "ENV=dev")
    read_until(apply, r"Modifying\.\.\.")
    held = lock_file(port)
    assert held and held["Operation"] == "OperationTypeApply"

    refused = make(repo, "unlock", "ENV=dev", f"LOCK_ID={held['ID']}", env={"LOCAL_PORT": str(port)})
    lines = error_lines(refused.stderr)
    assert refused.returncode != 0 and len(lines) == 1, refused.stderr
    terraform = descendant(apply.pid, "terraform")
    assert f"held by a terraform still running on this machine: process {terraform}" in lines[0]
    assert f"kill -INT {terraform}" in lines[0]
    assert lock_file(port) == held, "the live run keeps its lock"

    os.killpg(apply.pid, signal.SIGINT)  # a terminal's Ctrl-C: make, tbctl and terraform all get it
    output = apply.communicate(timeout=600)[0]
    assert output.count("Interrupt received") == 1 and "Two interrupts" not in output, output[-3000:]
    assert "the apply of development was interrupted (Ctrl-C)" in output and "fix the configuration" not in output
    assert lock_file(port) is None


def test_the_readme_recipe_plan_local_down_apply_plans_again_on_the_new_emulator(checkout):
    repo, port = checkout
    env = {"LOCAL_PORT": str(port)}
    planned = ok(make(repo, "plan", "ENV=dev", env=env))
    assert "to change" in planned.stdout
    assert "local AWS emulator stopped" in ok(make(repo, "local-down", env=env)).stdout

    applied = ok(make(repo, "apply", "ENV=dev", env=env))
    assert "the saved plan of development was made on a local AWS emulator that has stopped since; planning again" \
        in applied.stdout
    assert "development: applied" in applied.stdout
    assert "No changes." in ok(make(repo, "plan", "ENV=dev", env=env)).stdout


def test_clean_stops_every_emulator_this_checkout_started_and_no_other(checkout, emulator):
    repo, port = checkout
    other = free_port()
    for each in (port, other):  # port's is running already when the tests before ran
        ok(make(repo, "local-up", env={"LOCAL_PORT": str(each)}))
    pids = {p: int((repo / f"build/local/emulator-{p}.pid").read_text()) for p in (port, other)}

    # LOCAL_PORT names an emulator this checkout did not start (the tests' shared one): clean leaves it alone.
    cleaned = ok(make(repo, "clean", env={"LOCAL_PORT": str(emulator.port)}))
    assert emulator.control("health")["emulator"] == "tbctl"
    assert f"local AWS emulator on port {port} stopped" in cleaned.stdout
    assert f"local AWS emulator on port {other} stopped" in cleaned.stdout
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids.values())
    assert not (repo / "build").exists()


def test_terraforms_multi_line_error_is_shown_whole_above_the_one_line(emulator, tmp_path):
    repo = copy_repo(tmp_path / "repo")
    main = repo / DEV_MAIN
    main.write_text(main.read_text().replace("memory = 512", "memory = 4096", 1))
    done = make(repo, "plan", "ENV=dev", emulator=emulator)
    lines = error_lines(done.stderr)
    assert done.returncode != 0 and len(lines) == 1, done.stderr
    terraform_said = (repo / "build/local/development/plan.error").read_text()
    detail = [line.strip() for line in terraform_said.splitlines() if line.strip()]
    assert len(detail) > 3
    for line in detail:  # terraform's own text, every line of it
        assert line in done.stdout, line
    assert lines[0].startswith("error: terraform plan failed for development: Invalid value for variable")
