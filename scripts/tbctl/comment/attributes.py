"""The attributes that differ between two values of a resource, shown short and masked.

Terraform and the provider normalise `null` to `{}`, `[]` or `""` between
reads; those are not changes. JSON held in a string (container_definitions,
policies) is compared inside, so `container_definitions[0].image` is named
rather than the whole document - unless Terraform marks it sensitive.
"""

import json
from dataclasses import dataclass

from tbctl.comment.mask import MASK, Masker
from tbctl.comment.reasons import path_text

UNKNOWN = "(known after apply)"
SHOW_CHARS = 60


@dataclass(frozen=True)
class AttributeChange:
    path: str
    before: str
    after: str

    def text(self) -> str:
        return f"`{self.path}` {self.before} → {self.after}"


def _empty(value) -> bool:
    return value is None or value == {} or value == [] or value == ""


def _child(marks, key):
    if isinstance(marks, dict):
        return marks.get(key)
    if isinstance(marks, list) and isinstance(key, int) and key < len(marks):
        return marks[key]
    return None


def _json(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return None
    return None


def show(value, masker: Masker) -> str:
    """A value in at most SHOW_CHARS characters, secrets redacted."""
    if value is None:
        return "(none)"
    text = json.dumps(value, separators=(",", ":"), sort_keys=True)
    text = masker.text(text)
    text = text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 1] + "…"
    # Shown as text, not code: a value such as "</details>" must not close the comment's markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def changes(body: dict, masker: Masker, limit: int = 200) -> list[AttributeChange]:
    """What differs between body["before"] and body["after"] (a `change` object of the plan)."""
    out: list[AttributeChange] = []
    _walk(body.get("before"), body.get("after"), body.get("before_sensitive"), body.get("after_sensitive"),
          body.get("after_unknown"), [], out, masker, limit)
    return out


def _walk(before, after, bsens, asens, unknown, path, out, masker, limit) -> None:
    if len(out) >= limit:
        return
    where = path_text(path) or "(whole resource)"
    if bsens is True or asens is True:
        if before != after or unknown is True:
            out.append(AttributeChange(where, MASK if before is not None else "(none)",
                                       UNKNOWN if unknown is True else MASK))
        return
    if unknown is True:
        if path:
            out.append(AttributeChange(where, show(before, masker), UNKNOWN))
        return
    if _empty(before) and _empty(after) and not isinstance(unknown, (dict, list)):
        return
    if isinstance(before or {}, dict) and isinstance(after or {}, dict) and (isinstance(before, dict) or isinstance(after, dict)):
        before, after = before or {}, after or {}
        for key in sorted(set(before) | set(after) | (set(unknown) if isinstance(unknown, dict) else set())):
            _walk(before.get(key), after.get(key), _child(bsens, key), _child(asens, key), _child(unknown, key),
                  path + [key], out, masker, limit)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after)):
            _walk(old, new, _child(bsens, index), _child(asens, index), _child(unknown, index),
                  path + [index], out, masker, limit)
        return
    if before == after:
        return
    parsed_before, parsed_after = _json(before), _json(after)
    if parsed_before is not None and parsed_after is not None:
        _walk(parsed_before, parsed_after, None, None, None, path, out, masker, limit)
        return
    out.append(AttributeChange(where, show(before, masker), show(after, masker)))
