"""The one rule for "this name holds a secret", shared by the validator, Terraform and the comment's masker.

The patterns live in data/secret_names.json (with the reasoning); Terraform's
environment_variables validation carries the same two strings, checked by test.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

RULE_FILE = Path(__file__).resolve().parent / "data" / "secret_names.json"


@lru_cache(maxsize=1)
def patterns() -> tuple[str, str]:
    """(secret, not_secret) exactly as written in the rule file (also what Terraform must carry)."""
    rule = json.loads(RULE_FILE.read_text())
    return rule["secret"], rule["not_secret"]


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern, re.Pattern]:
    # RE2's `$` is the very end; Python's also matches before a final newline. `\Z` is RE2's `$` in Python.
    secret, not_secret = (pattern.replace("$", r"\Z") for pattern in patterns())
    return re.compile(secret), re.compile(not_secret)


def is_secret_name(name) -> bool:
    """True when `name` names a secret value (BYBIT_API_KEY), not a setting about one (TOKEN_TTL)."""
    if not isinstance(name, str):
        return False
    secret, not_secret = _compiled()
    return bool(secret.search(name)) and not not_secret.search(name)
