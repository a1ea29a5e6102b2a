"""Keep secrets out of the comment.

Two layers. In structures, anything Terraform marks in before_sensitive /
after_sensitive (or an output marked sensitive) is shown as `(sensitive)`.
In text, every secret value we can find anywhere in the plan is collected
first and then redacted wherever it appears: a value Terraform marks
sensitive, a sensitive variable's value, a value stored under a secret-looking
name (also inside JSON strings such as container_definitions) - plus regexes
for things that look like credentials. The text layer also runs over the plan
text, the plan error and every rendered line, so a secret nested inside a
larger attribute cannot leak through any section.
"""

import json
import os
import re

MASK = "(sensitive)"
# Shorter values are masked in place but not searched for in free text (too many false hits).
MIN_SECRET_LENGTH = 4
# Below this length a secret is redacted only where it stands alone, not inside a longer word.
WORD_SECRET_LENGTH = 8
SECRET_NAME = re.compile(r"pass(word|wd|phrase)?$|passw|secret|token|api[_-]?key|private[_-]?key|credential|auth",
                         re.I)
NOT_SECRET_NAME = re.compile(r"(_arn|_id|_ids|_name|_version|_length|_days|_type|_count|secrets|valuefrom)$", re.I)
PATTERNS = [
    # Whole PEM private keys.
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S), MASK),
    # AWS access key ids, GitHub and Slack tokens.
    (re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b"), MASK),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{20,}\b"), MASK),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), MASK),
    # Credentials in URLs: scheme://user:password@host.
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/\s\"'@]+:)([^@/\s\"']+)(@)", re.I), r"\1" + MASK + r"\3"),
    # name = "value" / "name": "value" where the name says secret; "(sensitive value)" and friends stay.
    (re.compile(r"""((?:password|passwd|secret[_-]?key|secret|api[_-]?key|access[_-]?token|auth[_-]?token)"""
                r"""["']?\s*[:=]\s*["']?)(?!\()([^"'\s,;}]{4,})""", re.I), r"\1" + MASK),
]


# Where Terraform keeps a value's sensitivity beside it, when the names are not <value>/<value>_sensitive.
SENSITIVITY_PAIRS = {"sensitive_values": "values", "config_sensitive": "config_values"}
# The keys that hold resource values (searched for secret-looking names): changes, states, action configs.
VALUE_KEYS = ("before", "after", "values", "config_values")


def _leaves(value, out: list) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _leaves(item, out)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, out)
    elif isinstance(value, str):
        out.append(value)


def _marks_something(sensitive) -> bool:
    """Whether a sensitivity structure has a `true` anywhere."""
    if sensitive is True:
        return True
    if isinstance(sensitive, dict):
        return any(_marks_something(item) for item in sensitive.values())
    if isinstance(sensitive, list):
        return any(_marks_something(item) for item in sensitive)
    return False


def _same_shape(value, sensitive) -> bool:
    return (isinstance(value, dict) and isinstance(sensitive, dict)) or (
        isinstance(value, list) and isinstance(sensitive, list))


def _secretish(name) -> bool:
    return isinstance(name, str) and bool(SECRET_NAME.search(name)) and not NOT_SECRET_NAME.search(name)


class Masker:
    """Collects secrets from a plan, then masks structures and redacts text."""

    def __init__(self):
        self.secrets: set[str] = set()
        self._forms: list[str] | None = None  # every secret's written forms, longest first; rebuilt after an add

    # -- collecting -------------------------------------------------------------
    def add(self, value) -> None:
        found: list = []
        _leaves(value, found)
        for item in found:
            if len(item) >= MIN_SECRET_LENGTH:
                self.secrets.add(item)
                self._forms = None

    def forms(self) -> list[str]:
        """Each secret as it may be written: as is, JSON-escaped, and escaped twice (JSON inside a JSON string)."""
        if self._forms is None:
            found: dict[str, None] = {}
            for secret in self.secrets:
                escaped = json.dumps(secret)[1:-1]
                found.update(dict.fromkeys((secret, escaped, json.dumps(escaped)[1:-1])))
            self._forms = sorted(found, key=len, reverse=True)
        return self._forms

    def collect_marked(self, value, sensitive) -> None:
        """Every value under a `true` of Terraform's sensitivity structure (all of it when the shapes disagree)."""
        if sensitive is True or (_marks_something(sensitive) and not _same_shape(value, sensitive)):
            self.add(value)
        elif isinstance(sensitive, dict) and isinstance(value, dict):
            for key, marks in sensitive.items():
                self.collect_marked(value.get(key), marks)
        elif isinstance(sensitive, list) and isinstance(value, list):
            for item, marks in zip(value, sensitive):
                self.collect_marked(item, marks)

    def collect_named(self, value, depth: int = 0) -> None:
        """Values kept under secret-looking names, including inside JSON strings (container definitions)."""
        if depth > 12:
            return
        if isinstance(value, dict):
            name = value.get("name")
            if _secretish(name) and isinstance(value.get("value"), str) and set(value) <= {"name", "value"}:
                self.add(value["value"])
            for key, item in value.items():
                if isinstance(item, str) and _secretish(key) and not item.startswith("arn:"):
                    self.add(item)
                else:
                    self.collect_named(item, depth + 1)
        elif isinstance(value, list):
            for item in value:
                self.collect_named(item, depth + 1)
        elif isinstance(value, str) and value[:1] in "[{" and len(value) > 2:
            try:
                self.collect_named(json.loads(value), depth + 1)
            except ValueError:
                pass

    @classmethod
    def for_plan(cls, plan: dict) -> "Masker":
        masker = cls()
        masker._collect_everywhere(plan)
        declared = ((plan.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
        for name, variable in (plan.get("variables") or {}).items():
            if (declared.get(name) or {}).get("sensitive") or _secretish(name):
                masker.add((variable or {}).get("value") if isinstance(variable, dict) else variable)
        # The token we post with must never be echoed back, whatever happens.
        if os.environ.get("GITHUB_TOKEN"):
            masker.add(os.environ["GITHUB_TOKEN"])
        return masker

    def _collect_everywhere(self, plan: dict) -> None:
        """Every value the plan marks sensitive or names like a secret, in every part of the plan.

        Walked whole rather than section by section, so a collection Terraform adds later
        (deferred changes, action invocations, ...) is covered the day it appears."""
        stack = [plan]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
                continue
            if not isinstance(node, dict):
                continue
            for key, marks in node.items():
                if not isinstance(key, str):
                    continue
                base = SENSITIVITY_PAIRS.get(key) or (key[:-len("_sensitive")] if key.endswith("_sensitive") else None)
                if base and base in node:
                    self.collect_marked(node[base], marks)
            if node.get("sensitive") is True:  # outputs in a state, variables in the configuration
                for key in ("value", "default"):
                    self.add(node.get(key))
            for key in VALUE_KEYS:
                if key in node:
                    self.collect_named(node[key])
            stack.extend(value for value in node.values() if isinstance(value, (dict, list)))

    # -- masking ----------------------------------------------------------------
    def value(self, value, sensitive):
        """`value` with everything under a `true` in `sensitive` replaced by MASK."""
        if sensitive is True:
            return MASK
        if _marks_something(sensitive) and not _same_shape(value, sensitive):
            return MASK  # marks that do not fit the value: hide all of it rather than guess
        if isinstance(sensitive, dict) and isinstance(value, dict):
            return {key: self.value(item, sensitive.get(key)) for key, item in value.items()}
        if isinstance(sensitive, list) and isinstance(value, list):
            return [self.value(item, sensitive[i] if i < len(sensitive) else None) for i, item in enumerate(value)]
        return value

    def text(self, text: str) -> str:
        """`text` with every collected secret (also in its JSON-escaped form) and credential pattern redacted."""
        if not text:
            return text
        for form in self.forms():
            if form not in text:
                continue
            if len(form) < WORD_SECRET_LENGTH:
                # A short value inside a longer word is not that value ("live" in "delivery").
                text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", MASK, text)
            else:
                text = text.replace(form, MASK)
        for pattern, replacement in PATTERNS:
            text = pattern.sub(replacement, text)
        return text
