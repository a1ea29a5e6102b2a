"""What config-sync copies: every field except those the schemas mark environment-specific.

A property whose schema, or the `$defs` entry it refers to, says
`"x-environment-specific": true` belongs to its environment: who is told
(chat ids, e-mail addresses), through which account (secret references, the
SMTP server and sender) and how loudly. jsonschema ignores the keyword. A sync
keeps the destination's own value of each such field; when the destination has
none, the sync is refused naming the fields, because the source's value is
never the fallback.

Markers sit on properties reached by object keys from the document's root
(`properties`, `$ref`), so each one marks a single path that means the same in
both environments. A marker inside an array's items or a map's values could
not be matched to the destination's value; the schema tests refuse one.
"""

import copy

KEYWORD = "x-environment-specific"
_ABSENT = object()


def walk(schema: dict):
    """(document path, schema pointers visited) for every property reachable by object keys, the root first."""
    def visit(node, path, pointer):
        pointers = [pointer]
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            if node.get(KEYWORD) is True:
                break  # marked where it is used: its target's marks do not matter
            pointer = node["$ref"][1:]
            node = _resolve(schema, pointer)
            pointers.append(pointer)
        yield path, pointers, node
        if isinstance(node, dict) and node.get(KEYWORD) is not True:
            for key, child in (node.get("properties") or {}).items():
                yield from visit(child, path + (key,), f"{pointer}/properties/{_escape(key)}")

    yield from visit(schema, (), "")


def _is_marked(schema: dict, pointers: list[str]) -> bool:
    return any(_resolve(schema, pointer).get(KEYWORD) is True for pointer in pointers)


def specific_paths(schema: dict) -> list[tuple[str, ...]]:
    """The document paths the schema marks environment-specific (a marked object covers everything in it)."""
    return [path for path, pointers, _ in walk(schema) if _is_marked(schema, pointers)]


def keep_own(schema: dict, source: object, destination: object | None) -> tuple[object, list[tuple[str, ...]]]:
    """`source` with each environment-specific field set to `destination`'s value, and the fields `destination` lacks.

    A field the destination lacks is left out of the result whatever the source holds there;
    the caller refuses the sync when the list is not empty.
    """
    result = copy.deepcopy(source)
    lacking = []
    for path in specific_paths(schema):
        ours = _get(destination, path)
        if ours is _ABSENT:
            if _get(source, path) is not _ABSENT:
                lacking.append(path)
            result = _delete(result, path)
        else:
            result = _set(result, path, copy.deepcopy(ours))
    return result, lacking


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _resolve(schema: dict, pointer: str) -> dict:
    node = schema
    for part in filter(None, pointer.split("/")):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _get(data, path):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return _ABSENT
        data = data[key]
    return data


def _set(data, path, value):
    if not path:
        return value
    if not isinstance(data, dict):
        data = {}
    data[path[0]] = _set(data.get(path[0]), path[1:], value)
    return data


def _delete(data, path):
    if not path:
        return None
    parent = _get(data, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
    return data
