"""Shared fixtures: the real emulator over HTTP, and fresh copies of this repo as git clones.

Integration tests run the real command line (`make ...`) inside a temporary
copy of the repository, against an emulator on a free loopback port, so they
never touch the developer's own build/ folder or emulator.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# sys.prefix, not the resolved executable: a venv's python is a symlink to the base interpreter.
VENV = Path(sys.prefix) if (Path(sys.prefix) / "bin" / "tbctl").exists() else REPO / ".venv"
sys.path.insert(0, str(REPO / "scripts"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Emulator:
    """A tbctl emulator process on its own loopback port; it can crash and come back on the same port."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"emulator-{self.port}.log"
        self.process = None
        self.start()

    def start(self) -> None:
        env = dict(os.environ, TBCTL_EMULATOR_ROLLOUT_SECONDS=os.environ.get("TBCTL_EMULATOR_ROLLOUT_SECONDS", "1"),
                   PYTHONPATH=str(REPO / "scripts"))  # this checkout's emulator, whatever the venv points at
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "tbctl.emulator.server", "--port", str(self.port)],
                                            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.endpoint}/_emulator/health", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"emulator did not start: {self.log.read_text()[-2000:]}")

    def crash(self) -> None:
        """SIGKILL: everything it held, finished or in flight, is gone at once."""
        self.process.kill()
        self.process.wait()

    def client(self, service: str):
        import boto3

        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test")

    def control(self, path: str, body: dict | None = None) -> dict:
        import json

        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.endpoint}/_emulator/{path}", data=data, method="POST" if data else "GET")
        with urllib.request.urlopen(request, timeout=5) as reply:
            return json.loads(reply.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """One emulator for the session: like one AWS account shared by every clone."""
    emu = Emulator(tmp_path_factory.mktemp("emulator"))
    yield emu
    emu.stop()


@pytest.fixture
def fresh_emulator(tmp_path):
    """An emulator of this test's own, empty."""
    emu = Emulator(tmp_path)
    yield emu
    emu.stop()


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                         capture_output=True, check=True).stdout.decode()
    return [name for name in out.split("\0") if name]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


def copy_repo(dest: Path) -> Path:
    """A fresh clone-like copy of the working tree (tracked + new files), committed once."""
    for name in _tracked_files():
        source = REPO / name
        if not source.is_file():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "add", "-A")
    git(dest, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "initial")
    return dest


@pytest.fixture
def repo(tmp_path):
    """A fresh copy of this repository as its own git repository."""
    return copy_repo(tmp_path / "repo")


def make(repo: Path, *args: str, emulator: Emulator | None = None, env: dict | None = None,
         timeout: float = 900) -> subprocess.CompletedProcess:
    """Run `make <args>` in `repo` with the shared virtualenv, against `emulator`."""
    run_env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TAG", "MAKEFLAGS", "MAKELEVEL"}}
    run_env.update(VENV=str(VENV), CHECKOV_VENV=str(REPO / ".venv-checkov"), GIT_AUTHOR_NAME="test",
                   GIT_AUTHOR_EMAIL="test@example.invalid", GIT_COMMITTER_NAME="test",
                   GIT_COMMITTER_EMAIL="test@example.invalid")
    if emulator:
        run_env["LOCAL_PORT"] = str(emulator.port)
    run_env.update(env or {})
    return subprocess.run(["make", *args], cwd=repo, env=run_env, capture_output=True, text=True, timeout=timeout)


def ok(done):
    """A command that must have succeeded; its output tails are the failure message."""
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    return done


def one_error_line(done) -> str:
    """The single `error:` line (make's own `make: ***` aside); fails on a traceback or any other line of ours."""
    assert done.returncode != 0, done.stdout[-2000:]
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    ours = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("make: *** ")]
    assert len(ours) == 1, f"expected one line, got:\n{done.stderr}"
    assert ours[0].startswith("error: ") and ". Fix: " in ours[0], ours[0]
    return ours[0]
