"""The configuration documents kept in the repo: config/<environment>/<name>.json and their schemas."""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from tbctl import paths
from tbctl.errors import UserError

# The documents the bot reads, in the order they are checked and pushed.
NAMES = ("strategy-config", "risk-params", "symbols-config", "notification-config")

# The most one document file may hold. The bot loads each document whole at start-up and on every
# reload; the largest real one is a few kilobytes, so a bigger file is a mistake (a pasted dump).
MAX_BYTES = 1024 * 1024
MAX_TEXT = "1 MB"


@dataclass(frozen=True)
class Document:
    name: str
    path: Path | str  # a file in the repo, or an s3:// address for a stored copy
    data: object

    @property
    def label(self) -> str:
        """Where the document is, as a user reads it: relative to the repo when it is a file."""
        return label(self.path)


def label(path: Path | str) -> str:
    if isinstance(path, Path):
        try:
            return str(path.relative_to(paths.root()))
        except (ValueError, UserError):
            pass
    return str(path)


def check_name(name: str | None) -> str:
    if name not in NAMES:
        raise UserError(f"unknown config document '{name or ''}'", f"use NAME= one of: {', '.join(NAMES)}")
    return name


def folder(env) -> Path:
    return paths.config_dir() / env.name


def parse(where: str, data: bytes, size: int | None = None) -> object:
    """A document file's content, read by every command (check and push alike), so its limits hold everywhere.

    `size` is the file's size when only its first bytes were read.
    """
    size = max(size or 0, len(data))
    if size > MAX_BYTES:
        raise UserError(f"{where} is {size:,} bytes, over the limit of {MAX_TEXT} ({MAX_BYTES:,} bytes) per document",
                        "keep each document under 1 MB (a dump or a generated list does not belong in it) and re-run make config-check")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{where} is not UTF-8 text (byte {exc.start + 1})",
                        "save the file as UTF-8 and re-run make config-check") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                        "correct the JSON syntax and re-run make config-check") from None


def read_file(path: Path) -> tuple[bytes, int]:
    """A file's first MAX_BYTES + 1 bytes and its size: enough to refuse a file of any size (even /dev/zero)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1), os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        raise UserError(f"{label(path)} is missing", "restore it from git, or add it (see config/schemas/)") from None
    except IsADirectoryError:
        raise UserError(f"{label(path)} is a folder, not a file", "replace it with the JSON document (see config/schemas/)") from None
    except OSError as exc:
        raise UserError(f"{label(path)} cannot be read: {exc.strerror}", "check the file's permissions") from None


def read_json(path: Path) -> object:
    """A JSON file's content; a syntax error names the file, line and column."""
    return parse(label(path), *read_file(path))


def schema(name: str) -> dict:
    return read_json(paths.config_dir() / "schemas" / f"{name}.schema.json")


def render(data: object) -> str:
    """How documents are written in the repo and printed by config-pull: 2-space JSON, keys in their order."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
