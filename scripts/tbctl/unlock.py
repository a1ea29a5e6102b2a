"""Release an environment's state lock that a dead terraform run left behind.

A run that is killed (SIGKILL, a lost CI runner, a crashed laptop) never
deletes its lock file in the S3 backend, so every later plan and apply stops
on it. Terraform's own `force-unlock` needs the working data tbctl keeps
under build/, so it runs here, in the same workspace as plan and apply. The
lock ID is required: it proves the caller read who held the lock. A lock
whose holder still runs on this machine is refused: removing it would let a
second run write the same state at once.
"""

import json
import os
import socket
from pathlib import Path

from tbctl import processes
from tbctl.errors import UserError
from tbctl.target import Target, client
from tbctl.terraform.workspace import Workspace, failure, state_bucket, state_key


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
    holder = live_holder(lock, target)
    if holder:
        pid, argv = holder
        raise UserError(f"the lock of {env.name} is held by a terraform still running on this machine: process {pid} "
                        f"(`{processes.describe(argv)}`, {lock.get('Operation')} since {lock.get('Created')})",
                        f"let it finish, or stop it with Ctrl-C (kill -INT {pid}) so it saves the state and releases "
                        "the lock itself; unlock only the lock of a run that died")
    workspace.init()
    code, out, err = workspace.run("force-unlock", "-force", "-no-color", lock_id)
    if code != 0:
        raise failure(f"terraform force-unlock failed for {env.name}", f"see `make plan ENV={env.short}` for the current lock",
                      out, err)
    return lock


def _backend(pid: int) -> dict:
    """The S3 backend settings a terraform process works with: its data dir's record of `terraform init`."""
    data_dir = processes.environment(pid).get("TF_DATA_DIR")
    if not data_dir:
        cwd = processes.working_dir(pid)
        data_dir = str(cwd / ".terraform") if cwd else None
    elif not Path(data_dir).is_absolute():
        cwd = processes.working_dir(pid)
        data_dir = str(cwd / data_dir) if cwd else None
    try:
        return json.loads((Path(data_dir) / "terraform.tfstate").read_text())["backend"]["config"] if data_dir else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def live_holder(lock: dict, target: Target) -> tuple[int, list[str]] | None:
    """The terraform process on this machine that holds `lock` (pid, argv), or None.

    Terraform records the holder as Who=user@host and the state as Path=bucket/key;
    a terraform process whose backend is that bucket and key (on the same endpoint,
    for the emulator) runs on this host when the host matches.
    """
    who = str(lock.get("Who") or "")
    if who.rpartition("@")[2] != socket.gethostname():
        return None  # another machine's run: only its owner can tell whether it is alive
    names = {"terraform", Path(os.environ.get("TERRAFORM") or "terraform").name}
    for pid in processes.all_pids():
        argv = processes.command_line(pid)
        if not argv or Path(argv[0]).name not in names:  # not its providers: they share its environment
            continue
        backend = _backend(pid)
        if f"{backend.get('bucket')}/{backend.get('key')}" != lock.get("Path"):
            continue
        if target.local and (backend.get("endpoints") or {}).get("s3") != target.endpoint:
            continue  # the same names in another emulator: another lock
        return pid, argv
    return None
