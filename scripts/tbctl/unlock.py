"""Release an environment's state lock that a dead terraform run left behind.

A run that is killed (SIGKILL, a lost CI runner, a crashed laptop) never
deletes its lock file in the S3 backend, so every later plan and apply stops
on it. Terraform's own `force-unlock` needs the working data tbctl keeps
under build/, so it runs here, in the same workspace as plan and apply. The
lock ID is required: it proves the caller read who held the lock.
"""

import json

from tbctl.errors import UserError
from tbctl.target import Target, client
from tbctl.terraform.workspace import Workspace, first_error, state_bucket, state_key


def current_lock(env, target: Target) -> dict | None:
    """The lock file's content (ID, Who, Operation, Created, ...), or None when the state is not locked."""
    try:
        body = client(target, "s3").get_object(Bucket=state_bucket(target), Key=state_key(env.name) + ".tflock")["Body"]
    except Exception as exc:  # botocore's ClientError, imported lazily
        if getattr(exc, "response", {}).get("Error", {}).get("Code", "") in {"NoSuchKey", "NoSuchBucket", "404"}:
            return None
        raise
    return json.loads(body.read() or b"{}")


def unlock(env, target: Target, lock_id: str | None) -> dict:
    """Remove `env`'s lock when `lock_id` is the one held; returns what the lock said."""
    lock_id = (lock_id or "").strip()
    if not lock_id:
        raise UserError("no lock ID given",
                        f"pass LOCK_ID=<ID> from the lock error of `make plan ENV={env.short}` (it names the holder)")
    if target.local:
        from tbctl.emulator import control

        control.up()
    lock = current_lock(env, target)
    if lock is None:
        raise UserError(f"the state of {env.name} is not locked", f"nothing to unlock; run `make apply ENV={env.short}`")
    if lock.get("ID") != lock_id:
        raise UserError(f"{lock_id} is not the lock of {env.name}: it is {lock.get('ID')}, held by {lock.get('Who')} "
                        f"({lock.get('Operation')} since {lock.get('Created')})",
                        f"make sure that run is dead, then pass LOCK_ID={lock.get('ID')}")
    workspace = Workspace.for_environment(env, target)
    workspace.init()
    code, out, err = workspace.run("force-unlock", "-force", "-no-color", lock_id)
    if code != 0:
        raise UserError(f"terraform force-unlock failed for {env.name}: {first_error(err or out)}",
                        f"see `make plan ENV={env.short}` for the current lock")
    return lock
