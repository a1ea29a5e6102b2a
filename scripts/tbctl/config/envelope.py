"""What is stored for each document: {"metadata": {...}, "document": ...}.

The checksum is the SHA-256 of the document's canonical JSON, so a reader can
verify the document without trusting how the bytes were formatted.
"""

import getpass
import json
import subprocess
from datetime import datetime, timezone

from tbctl import paths
from tbctl.config import canonical
from tbctl.errors import UserError


def git_commit() -> str:
    """HEAD of the repo, with `-dirty` when the working tree has changes; `unknown` outside git."""
    try:
        root = str(paths.root())
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "config"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def short_commit(commit: str) -> str:
    """12 characters of the hash, keeping the `-dirty` mark."""
    head, dirty, _ = str(commit).partition("-dirty")
    return head[:12] + ("-dirty" if dirty else "")


def build(name: str, env, document: object, version: int, commit: str, **extra) -> dict:
    metadata = {
        "name": name,
        "environment": env.short,
        "version": version,
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "sha256": canonical.sha256(document),
        "git_commit": commit,
        "pushed_by": _user(),
        **extra,
    }
    return {"metadata": metadata, "document": document}


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def encode(envelope: dict) -> bytes:
    return (json.dumps(envelope, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def decode(body: bytes, where: str) -> dict:
    """Parse a stored envelope; anything else is an error naming the object."""
    try:
        envelope = json.loads(body)
        metadata = envelope["metadata"]
        int(metadata["version"])
        str(metadata["sha256"])
        envelope["document"]
    except (ValueError, KeyError, TypeError):
        raise UserError(f"{where} is not a config envelope ({{metadata, document}})",
                        "restore a good version with make config-rollback (see make config-versions)") from None
    return envelope


def verify(envelope: dict, where: str) -> dict:
    """The envelope when its document matches its checksum; otherwise the checksum error naming the object."""
    actual = canonical.sha256(envelope["document"])
    expected = envelope["metadata"]["sha256"]
    if actual != expected:
        raise UserError(f"checksum mismatch in {where}: metadata says sha256 {expected[:12]}…, the document hashes to {actual[:12]}…",
                        "the object was changed outside tbctl; restore a good version with make config-rollback (see make config-versions)")
    return envelope
