"""Build one environment's comment from the files `make plan` (and `make lint`) left behind.

build/<target>/<environment>/ holds plan.json, plan.txt, plan.error (when the
plan failed) and checkov.json (when a scan ran). An explicit plan JSON brings
its siblings: <stem>.txt, <stem>.error and checkov.json in the same folder.

Before anything is rendered the plan must say it is of this environment
(identity.py). After rendering, `Comment.problem` is the one verdict the
command exits by: a plan that failed or that Terraform did not finish is
commented (saying so) and then fails the command.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from tbctl.comment import identity, load
from tbctl.comment.checkov import summarize as summarize_checkov
from tbctl.comment.cost import estimate, prices
from tbctl.comment.drift import drifted, refresh_only
from tbctl.comment.inline import one_line
from tbctl.comment.markdown import View, parts
from tbctl.comment.mask import Masker
from tbctl.comment.reasons import dangers
from tbctl.comment.summarize import summarize, unrendered_json
from tbctl.comment.truncate import fit
from tbctl.errors import UserError


@dataclass(frozen=True)
class Inputs:
    env_name: str
    env_short: str
    target: str
    plan_json: Path
    plan_text: Path
    plan_error: Path
    checkov_json: Path
    hint: str  # how to make the missing plan


@dataclass(frozen=True)
class Comment:
    body: str
    result: str  # no changes / N changes / failed / incomplete / output changes only
    failed: bool
    error: str | None  # the plan error's first line, masked
    error_file: Path
    counts: dict
    dangers: tuple
    marker: str
    incomplete: str | None = None  # why Terraform did not finish the plan
    unrendered: tuple = ()  # [{"address", "kind"}] of the changes named but not rendered
    env_name: str = ""
    env_short: str = ""
    errored: bool = False  # Terraform stopped on an error (the plan JSON says so)

    def problem(self) -> UserError | None:
        """Why the command must exit non-zero after printing (and posting) this comment, if it must."""
        if self.failed:
            return UserError(f"the plan for {self.env_name} failed: {self.error}",
                             f"fix the error (shown in the comment and in {self.error_file}), "
                             f"then re-run `make plan ENV={self.env_short}`")
        if self.incomplete and self.errored:
            return UserError(f"the plan for {self.env_name} is not complete: {self.incomplete}",
                             f"fix what Terraform reported (the comment names failing checks and errors), "
                             f"then re-run `make plan ENV={self.env_short}` and comment that plan")
        if self.incomplete:
            return UserError(f"the plan for {self.env_name} is not complete: {self.incomplete}",
                             f"plan the whole configuration again with `make plan ENV={self.env_short}` "
                             "(no -target) and comment that plan")
        return None


def _stem(path: Path) -> Path:
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    name = name[:-5] if name.endswith(".json") else name
    return path.with_name(name)


def inputs(env, target: str, plan_json: str | None = None, plan_text: str | None = None,
           checkov_json: str | None = None) -> Inputs:
    from tbctl import paths

    folder = paths.root() / "build" / target / env.name
    json_path = Path(plan_json) if plan_json else folder / "plan.json"
    stem = _stem(json_path)
    return Inputs(
        env.name, env.short, target, json_path,
        Path(plan_text) if plan_text else stem.with_name(stem.name + ".txt"),
        stem.with_name(stem.name + ".error"),
        Path(checkov_json) if checkov_json else json_path.parent / "checkov.json",
        f"run `make plan ENV={env.short}` first, or pass PLAN_JSON=<file from `terraform show -json`>",
    )


def _failed(given: Inputs) -> bool:
    if not load.exists(given.plan_error):
        return False
    if not load.exists(given.plan_json):
        return True
    try:
        return given.plan_error.stat().st_mtime >= given.plan_json.stat().st_mtime
    except FileNotFoundError:  # gzipped siblings: the error wins, it is never written beside a good plan
        return True


def errored(plan: dict) -> bool:
    """Terraform stopped planning with an error; anything but a plain `false` is not trusted as fine."""
    return plan.get("errored") not in (None, False)


def incomplete(plan: dict) -> str | None:
    """Why Terraform did not finish this plan (Terraform 1.10+ says so), or None for a whole plan."""
    if errored(plan):
        return "Terraform stopped with an error while planning (`errored: true`)"
    if plan.get("complete") not in (None, True):
        return ("Terraform planned only part of the configuration (`complete: false`: "
                "a `-target` plan, or changes deferred to a later plan)")
    return None


def where_full_plan(given: Inputs) -> str | None:
    """Where a reader finds what was cut: the CI run's artifact; nothing when run locally."""
    server, repo, run = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    if server and repo and run:
        return f"the `plan-{given.env_short}` artifact of [this run]({server}/{repo}/actions/runs/{run})"
    return None


def _repo_relative(text: str | None) -> str | None:
    """Terraform's text with this machine's checkout path taken out (`/home/runner/work/x/x/infra/...` -> `infra/...`)."""
    if not text:
        return text
    from tbctl import paths

    try:
        root = str(paths.root())
    except UserError:
        return text
    return text.replace(root + os.sep, "").replace(root, ".")


def build(given: Inputs) -> Comment:
    failed = _failed(given)
    plan = None if failed else load.plan(given.plan_json, given.hint, f"`make plan ENV={given.env_short}`")
    if plan is not None:
        from tbctl.environments import ENVIRONMENTS

        identity.check(plan, ENVIRONMENTS[given.env_short], given.plan_json)
    masker = Masker.for_plan(plan or {})
    error = _repo_relative(load.text(given.plan_error)) if failed else None
    summary = summarize(plan) if plan else None
    found_dangers = dangers(plan) if plan else []
    view = View(
        env_name=given.env_name, env_short=given.env_short, target=given.target, masker=masker, plan=plan,
        summary=summary, dangers=found_dangers, drift=drifted(plan, masker) if plan else [],
        cost=estimate(plan, prices()) if plan else None,
        checkov=summarize_checkov(load.checkov(given.checkov_json)),
        plan_text=_repo_relative(load.text(given.plan_text)), error=error if error is None else (error or "(no error text)"),
        where=where_full_plan(given), commit=os.environ.get("GITHUB_SHA"),
        incomplete=incomplete(plan) if plan else None, errored=bool(plan) and errored(plan), refresh_only=bool(plan) and refresh_only(plan),
    )
    rendered = parts(view)
    # The one place every line made from the plan is masked, and kept to one line outside code blocks.
    # Markup (heads and tails) is ours: masking it could break the comment's structure and hides nothing.
    for part in rendered:
        part.lines = [masker.text(line) if part.code else one_line(masker.text(line)) for line in part.lines]
    body = fit(rendered, view.where)
    first_error = None
    if error is not None:
        first_error = masker.text(next((line.strip() for line in error.splitlines() if line.strip()), "no error text"))
    return Comment(body, view.result, failed, first_error, given.plan_error, dict(summary.counts) if summary else {},
                   tuple(found_dangers), f"<!-- tbctl-plan:{given.env_short} -->", view.incomplete,
                   tuple(unrendered_json(summary)) if summary else (), given.env_name, given.env_short, view.errored)
