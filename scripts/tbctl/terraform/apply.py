"""`terraform apply` for an environment: the saved plan when it is still valid, else a fresh one.

A saved plan is refused when the configuration changed after it was made
(Terraform itself only notices state changes), made again when it was planned
against a local emulator that has stopped since (its state went with it), and
used once. On Ctrl-C terraform stops at a safe point and saves the state; the
one line says so and that `make apply` finishes the rest.
"""

import os

from tbctl.errors import UserError
from tbctl.target import Target
from tbctl.terraform import bootstrap, plan
from tbctl.terraform.workspace import Interrupted, Workspace, failure


def _check_confirmation(env, target: Target, confirm: str | None) -> None:
    if target.local or not env.production:
        return
    if confirm == "production" or os.environ.get("CI") == "true":
        return
    raise UserError("applying production on AWS needs an explicit confirmation",
                    "re-run with CONFIRM=production (CI runs are confirmed by CI=true)")


def _saved_plan_usable(env, workspace: Workspace, target: Target, echo: bool) -> bool:
    meta = plan.saved_meta(workspace)
    if not workspace.plan_file.exists() or meta is None:
        return False
    if meta.get("fingerprint") != plan.fingerprint(workspace) or meta.get("target") != target.name:
        raise UserError(f"the saved plan of {env.name} is stale: the configuration or a TF_VAR_ variable changed after `make plan`",
                        f"run `make plan ENV={env.short}` again, then `make apply ENV={env.short}`")
    if target.local and meta.get("emulator") != plan.emulator_instance(target):
        # The emulator it was planned against is gone with its state (`make local-down`, a crash):
        # the plan describes an AWS that no longer exists, so plan again against this one.
        if echo:
            print(f"the saved plan of {env.name} was made on a local AWS emulator that has stopped since; planning again")
        _discard(workspace)
        return False
    return True


def _discard(workspace: Workspace) -> None:
    for name in ("plan.tfplan", "plan.meta"):
        (workspace.build / name).unlink(missing_ok=True)


def run(env, target: Target, confirm: str | None = None, echo: bool = True) -> bool:
    """Bring `env` to its configuration. True when anything was applied."""
    _check_confirmation(env, target, confirm)
    bootstrap.ensure(target)
    workspace = Workspace.for_environment(env, target)
    workspace.init()
    rerun = f"make apply ENV={env.short}"
    if _saved_plan_usable(env, workspace, target, echo):
        if echo:
            print(f"applying the saved plan of {env.name}")
    else:
        result = plan.run(env, target, echo=echo, rerun=rerun)
        if not result.changed:
            _discard(workspace)
            return False
    try:
        code, out, err = workspace.run("apply", "-input=false", "-no-color", "-lock-timeout=0s", str(workspace.plan_file),
                                       echo=echo, log=workspace.build / "apply.log")
    except Interrupted as stop:
        _discard(workspace)
        if stop.abrupt:
            raise UserError(f"the apply of {env.name} was stopped at once by a second Ctrl-C: the state may lack the "
                            "changes that were in flight, and the lock may be left",
                            f"run `{rerun}` again (if it names a lock, `make unlock ENV={env.short} LOCK_ID=<id>`; "
                            "README, 'After a crash')", code=130) from None
        if stop.finished:
            raise UserError(f"interrupted (Ctrl-C) just after {env.name} was applied: everything was applied and saved "
                            "in the state", f"run `{rerun}` again to confirm (it finds nothing to do)", code=130) from None
        raise UserError(f"the apply of {env.name} was interrupted (Ctrl-C): terraform finished the changes in progress "
                        "and saved them in the state", f"run `{rerun}` again to finish the rest", code=130) from None
    _discard(workspace)
    if code != 0:
        text = err or out
        if "Saved plan is stale" in text:
            raise UserError(f"the saved plan of {env.name} is stale: the state changed after `make plan`",
                            f"run `make plan ENV={env.short}` again, then `make apply ENV={env.short}`", details=err)
        if any(marker in text for marker in ("AlreadyExists", "already exists", "Duplicate")):
            raise failure(f"terraform apply failed for {env.name}",
                          "an earlier run created it but died before recording it: import or delete it "
                          f"(README, 'After a crash'), then re-run `{rerun}`", out, err, echoed=echo)
        raise plan.lock_error(env.name, text) or failure(
            f"terraform apply failed for {env.name}",
            f"fix the cause and re-run `{rerun}`; what was applied is in the state (log: {workspace.build / 'apply.log'})",
            out, err, echoed=echo)
    return True
