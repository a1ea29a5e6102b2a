"""Canonical JSON and its SHA-256: the checksum survives any re-formatting of a document."""

import hashlib
import json


def dumps(data: object) -> bytes:
    """Sorted keys, no whitespace, UTF-8: equal documents give equal bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def sha256(data: object) -> str:
    return hashlib.sha256(dumps(data)).hexdigest()
