"""Shared by the comment tests: the plan fixtures (real terraform output), the CLI, a markdown checker."""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PLANS = REPO / "tests" / "fixtures" / "plans"
LIMIT = 65_536


def fixture(case: str) -> Path:
    """The JSON path of a fixture case (the loader finds <name>.gz by itself)."""
    return PLANS / f"{case}.json"


def plan(case: str) -> dict:
    path = fixture(case)
    if path.exists():
        return json.loads(path.read_text())
    return json.loads(gzip.decompress(path.with_name(path.name + ".gz").read_bytes()))


def plan_text(case: str) -> str:
    path = PLANS / f"{case}.txt"
    if path.exists():
        return path.read_text()
    return gzip.decompress(path.with_name(path.name + ".gz").read_bytes()).decode()


def write_case(folder: Path, name: str, document: dict, text: str | None = None) -> Path:
    """A plan (and its text) of our own making, beside each other like `make plan` leaves them."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document))
    if text is not None:
        (folder / f"{name}.txt").write_text(text)
    return path


def tbctl(*args: str, env: dict | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it, outside any pull request."""
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_") and k not in {"ENV", "TARGET"}}
    run_env.update(TBCTL_ROOT=str(REPO), PYTHONPATH=str(REPO / "scripts"))
    run_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "tbctl", *args], cwd=cwd, env=run_env, capture_output=True,
                          text=True, timeout=120)


def comment(case_path: Path, env: str = "prod", *extra: str, environ: dict | None = None) -> subprocess.CompletedProcess:
    return tbctl("comment", "--env", env, "--plan-json", str(case_path), *extra, env=environ)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
# An inline code span: a backtick run, anything, the same run again (its content is literal, never markup).
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")


def markdown_problems(body: str) -> list[str]:
    """What would break GitHub's rendering: an unclosed code fence or an unbalanced <details>/<summary>."""
    problems = []
    fence = None
    depth = {"details": 0, "summary": 0}
    for number, line in enumerate(body.splitlines(), 1):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) and not match.group(2).strip():
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        markup = _CODE_SPAN.sub("", line)
        for tag in depth:
            depth[tag] += len(re.findall(rf"<{tag}>", markup)) - len(re.findall(rf"</{tag}>", markup))
            if depth[tag] < 0:
                problems.append(f"line {number}: </{tag}> without <{tag}>")
                depth[tag] = 0
    if fence:
        problems.append(f"code fence {fence} never closed")
    problems += [f"<{tag}> opened {n} more time(s) than closed" for tag, n in depth.items() if n]
    return problems
