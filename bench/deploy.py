"""Issue 3: the release step without apply (`tbctl deploy --skip-apply --no-wait`), whole command, start-up included.

Local target, infrastructure already in place: a stand-in environment on an
emulator of our own, its outputs stored as a Terraform state in the S3
backend, so tbctl reads them exactly as after `make apply`. Figures: an
unchanged release (render + compare + skip) and a changed one (render +
register + update, no wait), medians of BENCH_RUNS.
"""

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench._harness import REPO, RUNS, Figure

_state: dict = {}


def _setup(ctx):
    sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "integration")]
    from _deploy_standin import create
    from conftest import Emulator, copy_repo, git

    folder = Path(tempfile.mkdtemp(prefix="bench-deploy-"))
    _state["folder"] = folder
    emulator = Emulator(folder)
    _state["emulator"] = emulator
    outputs, _ = create(emulator, "dev", folder)
    s3 = emulator.client("s3")
    s3.create_bucket(Bucket="trading-bot-tfstate-123456789012")
    state = {"version": 4, "outputs": {k: {"value": v, "type": "dynamic"} for k, v in outputs.items()}}
    s3.put_object(Bucket="trading-bot-tfstate-123456789012", Key="trading-bot/development.tfstate", Body=json.dumps(state))
    repo = copy_repo(folder / "repo")
    git(repo, "tag", "v1")
    return repo, {"TBCTL_ROOT": str(repo), "LOCAL_PORT": str(emulator.port), "TARGET": "local"}


def figures(ctx):
    repo, env = _setup(ctx)
    command = (str(Path(sys.executable).parent / "tbctl"), "deploy", "--env", "dev", "--skip-apply", "--no-wait")
    first = ctx.run(*command[:-1], cwd=repo, env=env)  # registers v1, moves the service, waits for the rollout
    assert "registered" in first.stdout, first.stdout
    unchanged = ctx.time(*command, cwd=repo, env=env)
    check = ctx.run(*command, cwd=repo, env=env)
    assert "unchanged" in check.stdout, check.stdout

    samples = []
    for run in range(RUNS):
        start = time.perf_counter()
        done = ctx.run(*command, "--image-tag", f"bench-{run}", cwd=repo, env=env)
        samples.append(time.perf_counter() - start)
        assert "registered" in done.stdout, done.stdout
    changed = statistics.median(samples)
    return [
        Figure("deploy --skip-apply, unchanged release (render+compare+skip)", unchanged, "s", 1.0, note=f"median of {RUNS}"),
        Figure("deploy --skip-apply --no-wait, changed release (render+register+update)", changed, "s", 2.0,
               note=f"median of {RUNS}"),
    ]


def teardown(ctx):
    emulator = _state.pop("emulator", None)
    if emulator:
        emulator.stop()
    shutil.rmtree(_state.pop("folder", ""), ignore_errors=True)
