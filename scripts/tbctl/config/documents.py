"""The configuration documents kept in the repo: config/<environment>/<name>.json and their schemas."""

import json
from dataclasses import dataclass
from pathlib import Path

from tbctl import paths
from tbctl.errors import UserError

# The documents the bot reads, in the order they are checked and pushed.
NAMES = ("strategy-config", "risk-params", "symbols-config", "notification-config")


@dataclass(frozen=True)
class Document:
    name: str
    path: Path | str  # a file in the repo, or an s3:// address for a stored copy
    data: object

    @property
    def label(self) -> str:
        """Where the document is, as a user reads it: relative to the repo when it is a file."""
        if isinstance(self.path, Path):
            try:
                return str(self.path.relative_to(paths.root()))
            except (ValueError, UserError):
                pass
        return str(self.path)


def check_name(name: str | None) -> str:
    if name not in NAMES:
        raise UserError(f"unknown config document '{name or ''}'", f"use NAME= one of: {', '.join(NAMES)}")
    return name


def folder(env) -> Path:
    return paths.config_dir() / env.name


def read_json(path: Path) -> object:
    """A JSON file's content; a syntax error names the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path} is missing", "restore it from git, or add it (see config/schemas/)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                        "correct the JSON syntax and re-run make config-check") from None


def load(env) -> list[Document]:
    """The environment's four documents, parsed."""
    base = folder(env)
    if not base.is_dir():
        raise UserError(f"no config folder for {env.name} ({base})", f"add config/{env.name}/ with {', '.join(NAMES)}")
    return [Document(name, base / f"{name}.json", read_json(base / f"{name}.json")) for name in NAMES]


def unknown_files(env) -> list[Path]:
    """JSON files in the environment's folder that are not one of the documents (likely a typo in a name)."""
    known = {f"{name}.json" for name in NAMES}
    return sorted(p for p in folder(env).glob("*.json") if p.name not in known)


def schema(name: str) -> dict:
    return read_json(paths.config_dir() / "schemas" / f"{name}.schema.json")


def render(data: object) -> str:
    """How documents are written in the repo and printed by config-pull: 2-space JSON, keys in their order."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
