"""`terraform plan` for an environment: saves the binary plan, its JSON and its text under build/.

build/<target>/<environment>/
  plan.tfplan  the binary plan `make apply` applies
  plan.json    `terraform show -json` of it (the PR comment and checkov read this)
  plan.txt     the human-readable plan
  plan.meta    the configuration fingerprint at plan time (a later change makes the plan stale)
  plan.error   the error, when the plan failed (the PR comment reports it)
"""

import hashlib
import json
import re
import sys
import threading
from dataclasses import dataclass

from tbctl import paths
from tbctl.errors import UserError
from tbctl.target import Target
from tbctl.terraform import bootstrap
from tbctl.terraform.workspace import Interrupted, Workspace, failure

_LOCK_FIELDS = re.compile(r"^\s*(ID|Path|Operation|Who|Created):\s*(.+)$", re.M)


@dataclass
class PlanResult:
    env: object
    changed: bool
    summary: str
    output: str


def fingerprint(workspace: Workspace) -> str:
    """A hash of everything the plan was made from: the root's and the modules' Terraform files, and TF_VAR_*."""
    import os

    digest = hashlib.sha256()
    # A variable set in the environment is as much a part of the plan as a file; hashed, so no value is kept.
    for name in sorted(k for k in os.environ if k.startswith("TF_VAR_")):
        digest.update(f"{name}={os.environ[name]}\0".encode())
    files = sorted(workspace.source.glob("*.tf")) + sorted(workspace.source.glob("*.tfvars"))
    files += sorted((paths.root() / "infrastructure" / "modules").rglob("*.tf"))
    for path in files:
        digest.update(str(path.relative_to(paths.root())).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def saved_meta(workspace: Workspace) -> dict | None:
    """What `make plan` recorded beside the saved plan (fingerprint, target), or None without one."""
    meta = workspace.build / "plan.meta"
    return json.loads(meta.read_text()) if meta.exists() else None


def emulator_instance(target: Target) -> str | None:
    """On the local target, which emulator (instance id, new at each start) holds the state a plan is made against."""
    if not target.local:
        return None
    from tbctl.emulator import control

    return control.instance()


def is_current(workspace: Workspace) -> bool:
    """Whether the saved plan JSON was made from the configuration as it is now."""
    meta = saved_meta(workspace)
    return bool(meta) and workspace.plan_json.exists() and meta.get("fingerprint") == fingerprint(workspace)


def lock_error(env_name: str, text: str) -> UserError | None:
    """A held state lock, as one line naming who holds it."""
    if "Error acquiring the state lock" not in text:
        return None
    info = dict(_LOCK_FIELDS.findall(text.replace("│", "")))
    who = info.get("Who", "someone")
    return UserError(
        f"the state of {env_name} is locked by {who} ({info.get('Operation', 'an operation')} since {info.get('Created', '?')}, lock {info.get('ID', '?')})",
        f"wait for that run to finish; if it died, run `make unlock ENV={env_name} LOCK_ID={info.get('ID', '<id>')}`",
        details=text)


def summarize(plan: dict) -> str:
    """The one-line summary `make plan` prints, counted exactly as the plan comment counts."""
    from tbctl.comment.build import incomplete
    from tbctl.comment.summarize import summarize as count

    summary = count(plan)
    text = "no changes" if summary.empty else summary.line()
    unfinished = incomplete(plan)
    return f"{text}; incomplete: {unfinished}" if unfinished else text


def run(env, target: Target, echo: bool = True, rerun: str | None = None) -> PlanResult:
    """Plan `env`; raise UserError when terraform fails (the error is also saved as plan.error).

    `rerun`: the command to give again after a Ctrl-C (`make apply` when planning for an apply).
    """
    bootstrap.ensure(target)
    workspace = Workspace.for_environment(env, target)
    for stale in (workspace.plan_file, workspace.plan_json, workspace.plan_text, workspace.build / "plan.meta",
                  workspace.build / "plan.error"):
        stale.unlink(missing_ok=True)
    workspace.init()
    try:
        code, out, err = workspace.run("plan", "-input=false", "-no-color", "-lock-timeout=0s", "-detailed-exitcode",
                                       f"-out={workspace.plan_file}", echo=echo, log=workspace.plan_text)
    except Interrupted:
        workspace.plan_file.unlink(missing_ok=True)  # a plan cut short is never applied
        raise UserError(f"the plan of {env.name} was interrupted (Ctrl-C); nothing was changed",
                        f"run `{rerun or f'make plan ENV={env.short}'}` again", code=130) from None
    if code not in (0, 2):
        (workspace.build / "plan.error").write_text(err or out)
        workspace.plan_file.unlink(missing_ok=True)
        raise lock_error(env.name, err) or failure(
            f"terraform plan failed for {env.name}",
            f"fix the configuration and re-run `make plan ENV={env.short}` (full output: {workspace.plan_text})",
            out, err, echoed=echo)
    show_code, show_out, show_err = workspace.run("show", "-json", "-no-color", str(workspace.plan_file))
    if show_code != 0:
        raise failure(f"terraform show failed for {env.name}", "re-run `make plan`", "", show_err)
    workspace.plan_json.write_text(show_out)
    (workspace.build / "plan.meta").write_text(json.dumps({"fingerprint": fingerprint(workspace), "target": target.name,
                                                           "emulator": emulator_instance(target)}))
    plan = json.loads(show_out)
    summary = summarize(plan)
    return PlanResult(env, code == 2, summary, out)


def run_many(envs: list, target: Target) -> list[PlanResult]:
    """Plan several environments at once; print each one's output whole, never interleaved."""
    if len(envs) == 1:
        return [run(envs[0], target)]
    bootstrap.ensure(target)  # once, before the threads race to do it
    results: dict = {}
    errors: dict = {}
    printing = threading.Lock()

    def one(env):
        try:
            results[env.name] = run(env, target, echo=False)
            with printing:
                sys.stdout.write(f"==> {env.name}\n{results[env.name].output}\n")
        except UserError as error:
            errors[env.name] = error
        except KeyboardInterrupt:  # Ctrl-C while terraform initialised: nothing was planned or changed
            errors[env.name] = UserError(f"the plan of {env.name} was interrupted (Ctrl-C); nothing was changed",
                                         "run the same command again", code=130)
        except Exception as exc:  # noqa: BLE001 - reported with the others below, as one line each
            from tbctl.errors import translate

            errors[env.name] = translate(exc) or UserError(f"unexpected {type(exc).__name__}: {exc}", "re-run with TBCTL_DEBUG=1")

    threads = [threading.Thread(target=one, args=(env,)) for env in envs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(errors) == 1:
        raise next(iter(errors.values()))
    if errors:
        for error in errors.values():
            print(f"error: {error}", file=sys.stderr)
        first = next(iter(errors.values()))
        raise UserError(f"{len(errors)} of {len(envs)} plans failed ({', '.join(errors)})", first.fix, code=first.code)
    return [results[env.name] for env in envs]
