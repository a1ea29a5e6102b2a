"""The attributes that differ between two values of a resource, shown short and masked.

Terraform and the provider normalise `null` to `{}`, `[]` or `""` between
reads; those are not changes. JSON held in a string (container_definitions,
policies) is compared inside, so `container_definitions[0].image` is named
rather than the whole document - unless Terraform marks it sensitive.

A long value is shortened to its head and tail (an ARN's tail is its name and
revision), and two different values are never shortened to the same text:
when head and tail agree, both are shown around where they first differ.
"""

import json
from dataclasses import dataclass

from tbctl.comment.mask import MASK, Masker
from tbctl.comment.reasons import path_text

UNKNOWN = "(known after apply)"
SHOW_CHARS = 60
HEAD_CHARS = 20  # of a shortened value; the rest of SHOW_CHARS is its tail
CONTEXT_CHARS = 12  # kept before the first difference when two values are shown around it
CUT = "…"


@dataclass(frozen=True)
class AttributeChange:
    path: str
    before: str
    after: str
    steps: tuple = ()  # the path as Terraform writes it: ("tags", "owner"), ("container_definitions", 0, "image")

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


def _text(value, masker: Masker) -> str:
    if value is None:
        return "(none)"
    return masker.text(json.dumps(value, separators=(",", ":"), sort_keys=True))


def _escaped(text: str) -> str:
    # Shown as text, not code: a value such as "</details>" must not close the comment's markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(text: str) -> str:
    if len(text) <= SHOW_CHARS:
        return text
    return text[:HEAD_CHARS] + CUT + text[len(text) - (SHOW_CHARS - HEAD_CHARS - 1):]


def _around(text: str, first_difference: int) -> str:
    start = max(0, first_difference - CONTEXT_CHARS)
    window = text[start:start + SHOW_CHARS - 2]
    return (CUT if start else "") + window + (CUT if start + len(window) < len(text) else "")


def show(value, masker: Masker) -> str:
    """A value in at most SHOW_CHARS characters (head…tail), secrets redacted."""
    return _escaped(_short(_text(value, masker)))


def show_pair(before, after, masker: Masker) -> tuple[str, str]:
    """Two values shown short, and different whenever their (redacted) texts differ."""
    old, new = _text(before, masker), _text(after, masker)
    short_old, short_new = _short(old), _short(new)
    if short_old == short_new and old != new:
        same = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
        short_old, short_new = _around(old, same), _around(new, same)
    return _escaped(short_old), _escaped(short_new)


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
                                       UNKNOWN if unknown is True else MASK, tuple(path)))
        return
    if unknown is True:
        if path:
            out.append(AttributeChange(where, show(masker.value(before, bsens), masker), UNKNOWN, tuple(path)))
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
    # Lists of different lengths and mixed types are shown whole: their sensitive parts masked first.
    out.append(AttributeChange(where, *show_pair(masker.value(before, bsens), masker.value(after, asens), masker),
                               tuple(path)))
