"""Housekeeping never destroys or hits the wrong thing: local-down, clean and help, through `make`/`tbctl` as a user runs them.

No emulator and no terraform here (tests/integration/test_housekeeping_drills.py has those): a pid
file that names anything but our emulator must never lead to a signal, and clean must
never remove state or what it did not make.
"""

import os
import re
import socket
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import VENV, copy_repo, git, make
from tbctl.processes import parse_pid

TBCTL = VENV / "bin" / "tbctl"


@pytest.fixture
def silent_port():
    """A port held by a listener that never answers: nothing of ours runs there, and nothing may start."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def bystander():
    """An unrelated process of this machine, as a stale pid file might name one."""
    process = subprocess.Popen(["sleep", "300"])
    yield process
    process.kill()
    process.wait()


def _root(tmp_path):
    root = tmp_path / "repo"
    (root / "infrastructure" / "environments").mkdir(parents=True)
    (root / "build" / "local").mkdir(parents=True)
    return root


def local_down(root, port):
    env = {k: v for k, v in os.environ.items() if k not in {"TBCTL_LOCAL_PORT"}}
    env.update(TBCTL_ROOT=str(root), LOCAL_PORT=str(port))
    return subprocess.run([str(TBCTL), "local-down"], capture_output=True, text=True, env=env, timeout=60)


@given(st.text())
def test_a_pid_is_a_plain_number_above_1_or_nothing(text):
    pid = parse_pid(text)
    if pid is not None:
        assert text.strip().isdigit() and str(pid) == text.strip().lstrip("0") and pid > 1


GARBAGE = ["", "   ", "abc", "-1", "0", "1", "-0", "12abc", "١٢٣", "4194304", "1e3", "0x10", "+5", "3.0"]


@pytest.mark.parametrize("content", GARBAGE, ids=[repr(g) for g in GARBAGE])
def test_a_garbage_pid_file_is_one_line_and_nothing_is_signalled(tmp_path, silent_port, bystander, content):
    root = _root(tmp_path)
    pid_file = root / "build" / "local" / f"emulator-{silent_port}.pid"
    pid_file.write_text(content)
    done = local_down(root, silent_port)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"ignored build/local/emulator-{silent_port}.pid: {content.strip()[:40]!r} "
                                        "is not a process id", "local AWS emulator was not running"]
    assert bystander.poll() is None
    assert not pid_file.exists()


def test_a_pid_file_naming_an_unrelated_process_leaves_it_running(tmp_path, silent_port, bystander):
    root = _root(tmp_path)
    (root / "build" / "local" / f"emulator-{silent_port}.pid").write_text(f"{bystander.pid}\n")
    done = local_down(root, silent_port)
    assert done.returncode == 0, done.stderr
    assert f"left process {bystander.pid} running: it is not the tbctl emulator on port {silent_port} " \
           "(it runs `sleep 300`)" in done.stdout
    assert bystander.poll() is None


def test_a_pid_file_naming_our_own_caller_or_a_dead_process_signals_nothing(tmp_path, silent_port):
    root = _root(tmp_path)
    pid_file = root / "build" / "local" / f"emulator-{silent_port}.pid"
    pid_file.write_text(str(os.getpid()))  # this test's python: a tbctl-looking process that is no emulator
    done = local_down(root, silent_port)
    assert done.returncode == 0 and f"left process {os.getpid()} running" in done.stdout  # and we are here to see it
    dead = subprocess.Popen(["true"])
    dead.wait()
    pid_file.write_text(str(dead.pid))
    done = local_down(root, silent_port)
    assert done.returncode == 0 and done.stdout.strip() == "local AWS emulator was not running", done.stdout


def test_an_emulator_command_line_for_another_port_is_not_ours_to_stop(tmp_path, silent_port):
    """Our server's command line, but for another port: it is another checkout's emulator (or a test's)."""
    root = _root(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "-m", "tbctl.emulator.server",
                              "--port", str(silent_port + 1)])
    try:
        (root / "build" / "local" / f"emulator-{silent_port}.pid").write_text(str(other.pid))
        done = local_down(root, silent_port)
        assert f"left process {other.pid} running" in done.stdout
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


# -- make clean ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("clean") / "repo")


@pytest.fixture
def checkout(template, tmp_path):
    """A copy of the repository (cheaper than copy_repo per test)."""
    dest = tmp_path / "repo"
    subprocess.run(["cp", "-a", str(template), str(dest)], check=True)
    return dest


def _clean(repo, silent_port):
    done = make(repo, "clean", env={"LOCAL_PORT": str(silent_port)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def test_clean_removes_what_tbctl_made_and_keeps_everything_else(checkout, silent_port):
    build = checkout / "build"
    for made in ("local/development/plan.tfplan", "aws/production/tfdata/terraform.tfstate", "lint/bootstrap/init.stamp",
                 "terraformrc", "pip.log", "checkov-terraform.json", "bench-config-emulator-1.log"):
        (build / made).parent.mkdir(parents=True, exist_ok=True)
        (build / made).write_text("made by tbctl")
    (build / "my-notes.txt").write_text("mine")
    (build / "keep" / "deep").mkdir(parents=True)
    state = checkout / "state" / "aws" / "bootstrap.tfstate"
    state.parent.mkdir(parents=True)
    state.write_text('{"serial": 7}')

    out = _clean(checkout, silent_port)

    assert sorted(p.name for p in build.iterdir()) == ["keep", "my-notes.txt"]
    assert (build / "my-notes.txt").read_text() == "mine" and (build / "keep" / "deep").is_dir()
    assert "kept what tbctl did not make: keep, my-notes.txt" in out
    assert state.read_text() == '{"serial": 7}'
    assert "kept state/" in out
    assert git(checkout, "status", "--porcelain") == "", "state/ is git-ignored, and nothing tracked was touched"


def test_clean_moves_an_aws_bootstrap_state_left_in_build_out_of_its_reach(checkout, silent_port):
    old = checkout / "build" / "aws" / "bootstrap" / "terraform.tfstate"
    old.parent.mkdir(parents=True)
    old.write_text('{"serial": 3}')
    old.with_name("terraform.tfstate.backup").write_text('{"serial": 2}')

    out = _clean(checkout, silent_port)

    moved = checkout / "state" / "aws" / "bootstrap.tfstate"
    assert moved.read_text() == '{"serial": 3}'
    assert moved.with_name("bootstrap.tfstate.backup").read_text() == '{"serial": 2}'
    assert "moved the AWS bootstrap state from build/aws/bootstrap/terraform.tfstate to state/aws/bootstrap.tfstate" in out
    assert not (checkout / "build").exists()


def test_clean_never_overwrites_or_deletes_either_of_two_bootstrap_states(checkout, silent_port):
    old = checkout / "build" / "aws" / "bootstrap" / "terraform.tfstate"
    old.parent.mkdir(parents=True)
    old.write_text('{"serial": 3}')
    current = checkout / "state" / "aws" / "bootstrap.tfstate"
    current.parent.mkdir(parents=True)
    current.write_text('{"serial": 9}')

    out = _clean(checkout, silent_port)

    assert current.read_text() == '{"serial": 9}'
    assert (checkout / "state" / "aws" / "bootstrap.from-build-1.tfstate").read_text() == '{"serial": 3}'
    assert "stays the one tbctl uses" in out


@pytest.mark.parametrize("kind", ["file", "link"])
def test_clean_keeps_a_build_that_is_not_a_folder_it_made(checkout, tmp_path, silent_port, kind):
    build = checkout / "build"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious").write_text("x")
    if kind == "file":
        build.write_text("my notes")
    else:
        build.symlink_to(elsewhere)
    out = _clean(checkout, silent_port)
    assert "kept build" in out
    assert (elsewhere / "precious").exists()
    assert build.read_text() == "my notes" if kind == "file" else build.is_symlink()


def test_clean_leaves_an_unrelated_process_named_by_a_pid_file_running(checkout, silent_port, bystander):
    pid_file = checkout / "build" / "local" / f"emulator-{silent_port + 1}.pid"
    pid_file.parent.mkdir(parents=True)
    pid_file.write_text(str(bystander.pid))
    out = _clean(checkout, silent_port)
    assert f"left process {bystander.pid} running" in out
    assert bystander.poll() is None


# -- make help ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("variables", [{"LOCAL_PORT": "4711"}, {"LOCAL_PORT": "4599", "TBCTL_LOCAL_PORT": "4712"}])
def test_help_prints_the_port_tbctl_will_use(template, variables):
    text = make(template, "help", env=variables).stdout
    port = variables.get("TBCTL_LOCAL_PORT") or variables["LOCAL_PORT"]
    assert f"127.0.0.1:{port}" in text and f"LOCAL_PORT={port}" in text
    assert "$(" not in text


def test_help_says_env_all_exactly_where_a_target_accepts_it(template, silent_port, tmp_path):
    """Every target that takes ENV is run with ENV=all: refused unless its help line says ENV=all."""
    text = make(template, "help").stdout
    lines = dict(re.findall(r"^  ([a-z][a-z-]*)\s+(.*)$", text, re.M))
    (tmp_path / "checkov" / ".installed").parent.mkdir()
    (tmp_path / "checkov" / ".installed").touch()  # make lint must not install checkov for this
    # No emulator may start (the port is held), no terraform may run (none on PATH): only ENV is judged.
    quiet = {"LOCAL_PORT": str(silent_port), "TERRAFORM": "/nonexistent/terraform", "CHECKOV_VENV": str(tmp_path / "checkov"),
             "PATH": os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep)
                                     if d and not os.path.exists(os.path.join(d, "terraform")))}
    checked = []
    for target, description in lines.items():
        recipe = make(template, "-n", target, "ENV=all").stdout
        if "--env" not in recipe or target in {"test", "test-unit"}:
            continue  # takes no ENV
        done = make(template, target, "ENV=all", "NAME=risk-params", "TO=1", env=quiet, timeout=120)
        refused = "unknown environment 'all'" in done.stderr
        assert refused != ("ENV=all" in description), f"make {target} ENV=all: {done.stderr.strip()[-300:]}"
        checked.append(target)
    assert {"plan", "apply", "deploy", "status", "config-check"} <= set(checked)
