"""Keep secrets out of the comment.

Two layers. In structures, anything Terraform marks in before_sensitive /
after_sensitive (or an output marked sensitive) is shown as `(sensitive)`.
In text, every secret value we can find anywhere in the plan is collected
first and then redacted wherever it appears: a value Terraform marks
sensitive, a sensitive variable's value, a value stored under a secret-looking
name (tbctl.secret_names: the validator's and Terraform's rule too; also inside JSON
strings such as container_definitions) - plus regexes
for things that look like credentials. The text layer also runs over the plan
text, the plan error and every rendered line, so a secret nested inside a
larger attribute cannot leak through any section.
"""

import json
import os
import re

from tbctl.secret_names import is_secret_name

MASK = "(sensitive)"
# Shorter values are masked in place but not searched for in free text (too many false hits).
MIN_SECRET_LENGTH = 4
# Below this length a secret is redacted only where it stands alone, not inside a longer word.
WORD_SECRET_LENGTH = 8
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


def _leaves(value, out: list) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _leaves(item, out)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, out)
    elif isinstance(value, str):
        out.append(value)


def _secretish(name) -> bool:
    return is_secret_name(name)


class Masker:
    """Collects secrets from a plan, then masks structures and redacts text."""

    def __init__(self):
        self.secrets: set[str] = set()

    # -- collecting -------------------------------------------------------------
    def add(self, value) -> None:
        found: list = []
        _leaves(value, found)
        for item in found:
            if len(item) >= MIN_SECRET_LENGTH:
                self.secrets.add(item)

    def collect_marked(self, value, sensitive) -> None:
        """Every value under a `true` of Terraform's sensitivity structure."""
        if sensitive is True:
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
        for section in ("resource_changes", "resource_drift"):
            for change in plan.get(section) or []:
                body = change.get("change") or {}
                for side in ("before", "after"):
                    masker.collect_marked(body.get(side), body.get(f"{side}_sensitive"))
                    masker.collect_named(body.get(side))
        for body in (plan.get("output_changes") or {}).values():
            for side in ("before", "after"):
                masker.collect_marked(body.get(side), body.get(f"{side}_sensitive"))
        for state in (plan.get("prior_state"), plan.get("planned_values")):
            values = (state or {}).get("values", state) or {}
            masker._collect_module(values.get("root_module") or {})
            for output in (values.get("outputs") or {}).values():
                if output.get("sensitive"):
                    masker.add(output.get("value"))
        declared = ((plan.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
        for name, variable in (plan.get("variables") or {}).items():
            if (declared.get(name) or {}).get("sensitive") or _secretish(name):
                masker.add(variable.get("value"))
        # The token we post with must never be echoed back, whatever happens.
        if os.environ.get("GITHUB_TOKEN"):
            masker.add(os.environ["GITHUB_TOKEN"])
        return masker

    def _collect_module(self, module: dict) -> None:
        for resource in module.get("resources") or []:
            self.collect_marked(resource.get("values"), resource.get("sensitive_values"))
            self.collect_named(resource.get("values"))
        for child in module.get("child_modules") or []:
            self._collect_module(child)

    # -- masking ----------------------------------------------------------------
    def value(self, value, sensitive):
        """`value` with everything under a `true` in `sensitive` replaced by MASK."""
        if sensitive is True:
            return MASK
        if isinstance(sensitive, dict) and isinstance(value, dict):
            return {key: self.value(item, sensitive.get(key)) for key, item in value.items()}
        if isinstance(sensitive, list) and isinstance(value, list):
            return [self.value(item, sensitive[i] if i < len(sensitive) else None) for i, item in enumerate(value)]
        return value

    def text(self, text: str) -> str:
        """`text` with every collected secret (also in its JSON-escaped form) and credential pattern redacted."""
        if not text:
            return text
        for secret in sorted(self.secrets, key=len, reverse=True):
            escaped = json.dumps(secret)[1:-1]
            for form in dict.fromkeys((secret, escaped, json.dumps(escaped)[1:-1])):
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
