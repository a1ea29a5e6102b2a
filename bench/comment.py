"""Issue 4: the plan comment for a 1,000-resource plan, and planning both environments at once.

- `tbctl comment` on the 1,000-resource fixture (real terraform output), whole
  command with start-up: at most 0.5 s; its output at most 65,536 characters.
- `make plan ENV=all` (both environments concurrently) against the slower of
  `make plan ENV=dev` and `make plan ENV=prod`, warm: at most 1.3 x. Skipped,
  with a note, while the environments cannot be planned on this machine.
"""

import os
import statistics
import sys
import time
from pathlib import Path

from bench._harness import REPO, RUNS, Figure

FIXTURE = REPO / "tests" / "fixtures" / "plans" / "large-1000.json"
LIMIT = 65_536
PLAN_RUNS = min(RUNS, 3)  # each plan takes tens of seconds; three runs give a stable median


def _tbctl() -> str:
    beside = Path(sys.executable).parent / "tbctl"
    return str(beside if beside.exists() else REPO / ".venv" / "bin" / "tbctl")


def _comment_figures(ctx) -> list[Figure]:
    # Outside a pull request: render and print only, never post.
    env = {key: "" for key in os.environ if key.startswith("GITHUB_")}
    command = (_tbctl(), "comment", "--env", "dev", "--plan-json", str(FIXTURE))
    done = ctx.run(*command, env=env)
    seconds = ctx.time(*command, env=env)
    return [
        Figure("tbctl comment, 1,000-resource plan (with start-up)", seconds, "s", 0.5, note=f"median of {RUNS}"),
        Figure("comment length, 1,000-resource plan", len(done.stdout.rstrip("\n")), "chars", LIMIT),
    ]


def _plan(ctx, env: str) -> float:
    """Wall time of one `make plan ENV=<env>`; RuntimeError when it fails (make exits 2, which ctx.run lets by)."""
    start = time.perf_counter()
    done = ctx.run("make", "plan", f"ENV={env}", check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise RuntimeError(lines[-2] if len(lines) > 1 else (lines or ["no output"])[0])
    return seconds


def _plan_all_figure(ctx) -> list[Figure]:
    try:
        _plan(ctx, "all")  # warm: emulator up, bootstrapped, both roots initialised
        dev = statistics.median(_plan(ctx, "dev") for _ in range(PLAN_RUNS))
        prod = statistics.median(_plan(ctx, "prod") for _ in range(PLAN_RUNS))
        both = statistics.median(_plan(ctx, "all") for _ in range(PLAN_RUNS))
    except RuntimeError as exc:
        print(f"comment: skipped `make plan ENV=all` vs single plans: the environments do not plan here yet "
              f"({str(exc)[:200]})", file=sys.stderr)
        return []
    slower = max(dev, prod)
    return [Figure("make plan ENV=all / slower single plan", both / slower, "x", 1.3,
                   note=f"all {both:.1f} s, dev {dev:.1f} s, prod {prod:.1f} s, median of {PLAN_RUNS}")]


def figures(ctx) -> list[Figure]:
    return _comment_figures(ctx) + _plan_all_figure(ctx)
