"""Where things are: the repo root (from TBCTL_ROOT or the working directory) and the build folder."""

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


def build(*parts: str) -> Path:
    path = root().joinpath("build", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def environment_dir(env_name: str) -> Path:
    return root() / "infrastructure" / "environments" / env_name


def bootstrap_dir() -> Path:
    return root() / "infrastructure" / "bootstrap"


def templates_dir() -> Path:
    return root() / "task-definitions"


def config_dir() -> Path:
    return root() / "config"
