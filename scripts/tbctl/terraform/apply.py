"""`terraform apply` for an environment: the saved plan when it is still valid, else a fresh one.

A saved plan is refused when the configuration changed after it was made
(Terraform itself only notices state changes), and it is used once.
"""

import os

from tbctl.errors import UserError
from tbctl.target import Target
from tbctl.terraform import bootstrap, plan
from tbctl.terraform.workspace import Workspace, first_error


def _check_confirmation(env, target: Target, confirm: str | None) -> None:
    if target.local or not env.production:
        return
    if confirm == "production" or os.environ.get("CI") == "true":
        return
    raise UserError("applying production on AWS needs an explicit confirmation",
                    "re-run with CONFIRM=production (CI runs are confirmed by CI=true)")


def _saved_plan_usable(env, workspace: Workspace, target: Target) -> bool:
    meta = plan.saved_meta(workspace)
    if not workspace.plan_file.exists() or meta is None:
        return False
    if meta.get("fingerprint") != plan.fingerprint(workspace) or meta.get("target") != target.name:
        raise UserError(f"the saved plan of {env.name} is stale: the configuration changed after `make plan`",
                        f"run `make plan ENV={env.short}` again, then `make apply ENV={env.short}`")
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
    if _saved_plan_usable(env, workspace, target):
        if echo:
            print(f"applying the saved plan of {env.name}")
    else:
        result = plan.run(env, target, echo=echo)
        if not result.changed:
            _discard(workspace)
            return False
    code, out, err = workspace.run("apply", "-input=false", "-no-color", "-lock-timeout=0s", str(workspace.plan_file),
                                   echo=echo, log=workspace.build / "apply.log")
    _discard(workspace)
    if code != 0:
        text = err or out
        if "Saved plan is stale" in text:
            raise UserError(f"the saved plan of {env.name} is stale: the state changed after `make plan`",
                            f"run `make plan ENV={env.short}` again, then `make apply ENV={env.short}`")
        if any(marker in text for marker in ("AlreadyExists", "already exists", "Duplicate")):
            raise UserError(f"terraform apply failed for {env.name}: {first_error(text)}",
                            "an earlier run created it but died before recording it: import or delete it "
                            "(README, 'After a crash'), then re-run `make apply`")
        raise plan.lock_error(env.name, text) or UserError(
            f"terraform apply failed for {env.name}: {first_error(text)}",
            f"fix the cause and re-run `make apply ENV={env.short}`; what was applied is in the state (log: {workspace.build / 'apply.log'})")
    return True
