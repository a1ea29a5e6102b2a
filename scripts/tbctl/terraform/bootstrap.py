"""What must exist before the environments' backends: the state bucket and the shared registry.

On the local target this is automatic and cheap: two look-ups, and the
bootstrap root is applied only when the emulator lacks them (a fresh or
restarted emulator). On AWS it is an explicit, once-per-account `make bootstrap`.
"""

import sys

from tbctl.errors import UserError
from tbctl.target import Target, client
from tbctl.terraform.workspace import Interrupted, Workspace, failure, state_bucket

REPOSITORY = "trading-bot"


def _exists(target: Target) -> bool:
    try:
        client(target, "s3").head_bucket(Bucket=state_bucket(target))
        client(target, "ecr").describe_repositories(repositoryNames=[REPOSITORY])
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        if code in {"404", "NoSuchBucket", "NotFound", "RepositoryNotFoundException"}:
            return False
        raise
    return True


def check_identity(target: Target) -> str:
    """The caller's ARN; missing or expired credentials become one clear line (errors.translate)."""
    return client(target, "sts").get_caller_identity()["Arn"]


def apply(target: Target, echo: bool = True) -> None:
    workspace = Workspace.for_bootstrap(target)
    workspace.init()
    # Locally the bootstrap state is this checkout's own file, applied once per fresh emulator
    # before any other run: a lock would only outlive an interrupted run and block the next.
    lock = "-lock=false" if target.local else "-lock-timeout=0s"
    try:
        code, out, err = workspace.run("apply", "-input=false", "-no-color", "-auto-approve", lock,
                                       echo=echo, log=workspace.build / "apply.log")
    except Interrupted:
        raise UserError("the bootstrap apply was interrupted (Ctrl-C): terraform saved what it had created in the state",
                        "run the same command again to finish", code=130) from None
    if code != 0:
        raise failure("bootstrap apply failed", f"see {workspace.build / 'apply.log'}", out, err, echoed=echo)


def ensure(target: Target) -> None:
    """Make the target ready for an environment's terraform: emulator up and bootstrapped, or credentials valid."""
    if not target.local:
        from tbctl import preflight

        preflight.run(target, "plan")  # identity, then every permission a plan needs, named if missing
        return
    from tbctl.emulator import control

    control.up()
    if not _exists(target):
        print("bootstrapping the local AWS (state bucket, trading-bot registry)", file=sys.stderr)
        apply(target, echo=False)
