"""Where things are: the repo root (from TBCTL_ROOT or the working directory), the build folder, the state folder.

build/ holds what tbctl can make again (plans, working data, logs, the
emulator's pid file); `make clean` removes it. state/ holds what it cannot:
Terraform state kept on this machine (the AWS bootstrap root's), which
`make clean` never touches.
"""

import os
from functools import lru_cache
from pathlib import Path

from tbctl.errors import UserError


@lru_cache(maxsize=None)
def root() -> Path:
    if os.environ.get("TBCTL_ROOT"):
        return Path(os.environ["TBCTL_ROOT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "infrastructure" / "environments").is_dir():
            return folder
    raise UserError("not inside the infrastructure repository", "run from the repo root, or set TBCTL_ROOT")


def display(path: Path) -> str:
    """`path` as the user knows it: relative to the repo when inside it."""
    try:
        return str(Path(path).relative_to(root()))
    except ValueError:
        return str(path)


def _folder(path: Path) -> Path:
    """`path` as an existing folder; what stands in the way is named (a file where a folder must be, no permission)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        raise UserError(f"{display(blocker)} is a file, but tbctl needs a folder there",
                        f"move or delete the file {display(blocker)}, then re-run") from None
    except PermissionError:
        parent = next((p for p in path.parents if p.exists()), path.parent)
        raise UserError(f"cannot create {display(path)}: {display(parent)} is not writable",
                        f"make it writable (chmod u+w {display(parent)}) or remove it, then re-run") from None
    return path


def build(*parts: str) -> Path:
    return _folder(root().joinpath("build", *parts))


def state(*parts: str) -> Path:
    return _folder(root().joinpath("state", *parts))


def environment_dir(env_name: str) -> Path:
    return root() / "infrastructure" / "environments" / env_name


def bootstrap_dir() -> Path:
    return root() / "infrastructure" / "bootstrap"


def templates_dir() -> Path:
    return root() / "task-definitions"


def config_dir() -> Path:
    return root() / "config"


# Where `make bootstrap TARGET=aws` kept its state before state/ existed: `make clean` deleted it with build/.
LEGACY_BOOTSTRAP_STATE = ("build", "aws", "bootstrap", "terraform.tfstate")


def bootstrap_state(target_name: str) -> Path:
    """The bootstrap root's local state file. The emulator's lives and dies with the emulator, in build/;
    an AWS account's is the only record of the state bucket and registry, so it lives in state/."""
    if target_name == "local":
        return build("local", "bootstrap") / "terraform.tfstate"
    return state(target_name) / "bootstrap.tfstate"


def migrate_bootstrap_state() -> str | None:
    """Move an AWS bootstrap state left in build/ to state/; the line to print when it did."""
    old = root().joinpath(*LEGACY_BOOTSTRAP_STATE)
    if not old.is_file():
        return None
    new = bootstrap_state("aws")
    if new.exists():  # both: never overwrite, and never leave one where clean deletes it
        aside = next(new.with_name(f"bootstrap.from-build-{n}.tfstate") for n in range(1, 10 ** 6)
                     if not new.with_name(f"bootstrap.from-build-{n}.tfstate").exists())
        _move(old, aside)
        return (f"moved an AWS bootstrap state from {display(old)} to {display(aside)}: {display(new)} exists and stays "
                f"the one tbctl uses; compare the two and delete the older")
    _move(old, new)
    return f"moved the AWS bootstrap state from {display(old)} to {display(new)}, where `make clean` never reaches"


def _move(state_file: Path, to: Path) -> None:
    """Move a state file and terraform's backup of it."""
    state_file.replace(to)
    backup = state_file.with_name(state_file.name + ".backup")
    if backup.is_file():
        backup.replace(to.with_name(to.name + ".backup"))
