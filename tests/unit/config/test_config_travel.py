"""What config-sync copies: everything but the fields the schemas mark `x-environment-specific`.

The schemas decide, field by field; these tests walk the schemas and the
shipped documents, then generate documents nobody wrote (any recipients, any
secrets, any shape of schema) and check that no environment-specific value of
the source ever reaches the destination, while everything else does.
"""

import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config_strategies import leaves, notification, specific_strings
from tbctl.config import canonical, check, documents, travel
from tbctl.config.store import Stored
from tbctl.config.sync import keep_own
from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError

REPO = Path(__file__).resolve().parents[3]
DEV, PROD = ENVIRONMENTS["dev"], ENVIRONMENTS["prod"]
# Names that say "who is told, or with which account": such a field anywhere must be environment-specific.
RECIPIENT_LIKE = re.compile(r"chat|e_?mail|recipient|webhook|url|phone|channel|secret|token|password|smtp|sender", re.I)


def schema(name: str) -> dict:
    return json.loads((REPO / "config" / "schemas" / f"{name}.schema.json").read_text())


def shipped(env_name: str) -> dict:
    return {name: json.loads((REPO / "config" / env_name / f"{name}.json").read_text()) for name in documents.NAMES}


def raw(node, pointer=""):
    """(JSON pointer, node) for every object in a schema, wherever it sits."""
    if isinstance(node, dict):
        yield pointer, node
        for key, child in node.items():
            yield from raw(child, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from raw(child, f"{pointer}/{index}")


def value_at(data, path):
    for key in path:
        data = data[key]
    return data


# -- the schemas ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", documents.NAMES)
def test_every_marker_marks_one_fixed_path_and_is_true(name):
    doc_schema = schema(name)
    visited = {pointer for _, pointers, _ in travel.walk(doc_schema) for pointer in pointers}
    for pointer, node in raw(doc_schema):
        if travel.KEYWORD in node:
            assert node[travel.KEYWORD] is True, f"{name}{pointer}: write true, or leave the keyword out"
            assert pointer in visited, f"{name}{pointer}: a marker must sit on a property reached by object keys, not inside items or a map"


@pytest.mark.parametrize("name", documents.NAMES)
def test_recipients_and_secret_references_are_environment_specific_wherever_they_are(name):
    doc_schema = schema(name)
    marked = travel.specific_paths(doc_schema)
    reachable = {path: pointers for path, pointers, _ in travel.walk(doc_schema)}

    def stays(path) -> bool:
        """Marked itself, inside a marked object, or an object all of whose properties stay."""
        children = [other for other in reachable if len(other) == len(path) + 1 and other[:len(path)] == path]
        return any(path[:len(m)] == m for m in marked) or (bool(children) and all(map(stays, children)))

    for pointer, node in raw(doc_schema):
        properties = node.get("properties")
        if re.search(r"/(if|then|else)(/|$)", pointer):
            continue  # a condition refines properties declared beside it; it declares none
        for key in properties if isinstance(properties, dict) else {}:
            if RECIPIENT_LIKE.search(key):
                where = [path for path, pointers in reachable.items() if f"{pointer}/properties/{key}" in pointers]
                assert where, f"{name}{pointer}/properties/{key} looks like a recipient or an account but cannot be marked there"
                assert all(map(stays, where)), f"{name}: {key} is not environment-specific"
    for path, pointers, node in travel.walk(doc_schema):
        if any(travel._resolve(doc_schema, p).get("x-secret-reference") for p in pointers):
            assert stays(path), f"{name}: secret reference {path} travels"


def test_the_decisions_are_the_ones_the_readme_states():
    assert travel.specific_paths(schema("notification-config")) == [
        ("telegram", "enabled"), ("telegram", "chat_id"), ("telegram", "bot_token_secret"), ("telegram", "notification_levels"),
        ("email", "enabled"), ("email", "smtp_server"), ("email", "smtp_port"), ("email", "sender_email"),
        ("email", "recipient_emails"), ("email", "password_secret")]
    for name in ("strategy-config", "risk-params", "symbols-config"):
        assert travel.specific_paths(schema(name)) == [], name  # strategies, limits and symbols travel whole
    readme = (REPO / "README.md").read_text()
    for path in travel.specific_paths(schema("notification-config")):
        assert f"`{travel.dotted(path)}`" in readme, f"README does not name {travel.dotted(path)}"


# -- the shipped documents ----------------------------------------------------------------------------------------

def stored(name, document, version=1):
    envelope = {"metadata": {"name": name, "version": version, "sha256": canonical.sha256(document)}, "document": document}
    return Stored(f"configs/{name}.json", b"", "etag", None, envelope)


def synced(source_docs: dict, destination_docs: dict | None) -> dict:
    wanted = {name: stored(name, doc) for name, doc in source_docs.items()}
    before = {name: (stored(name, destination_docs[name]) if destination_docs and name in destination_docs else None)
              for name in documents.NAMES}
    return keep_own(PROD, DEV, wanted, before)


def test_production_to_development_keeps_developments_notifications_and_copies_the_rest():
    production, development = shipped("production"), shipped("development")
    result = synced(production, development)
    for name in documents.NAMES:
        marked = travel.specific_paths(schema(name))
        for path in marked:
            assert value_at(result[name], path) == value_at(development[name], path), (name, path)
        for path, value in leaves(production[name]):
            if not any(path[:len(m)] == m for m in marked):
                assert value in [v for p, v in leaves(result[name]) if p == path], (name, path)
    assert result["risk-params"] == production["risk-params"] and result["strategy-config"] == production["strategy-config"]
    assert result["notification-config"] == development["notification-config"]
    text = canonical.dumps(result).decode()
    for address in ("-1001000000001", "trading-oncall@example.com", "trading-bot-prod"):
        assert address in json.dumps(production) and address not in text
    assert check.problems([documents.Document(n, f"/{n}.json", d) for n, d in result.items()]) == []


@pytest.mark.parametrize("destination, words", [
    (None, "development has no notification-config of its own, and environment-specific fields"),
    ("no email", "development has no email.enabled, email.smtp_server, email.smtp_port, email.sender_email, "
                 "email.recipient_emails, email.password_secret in its notification-config"),
])
def test_a_destination_without_its_own_values_is_refused_never_given_the_sources(destination, words):
    development = shipped("development")
    if destination is None:
        del development["notification-config"]
    else:
        del development["notification-config"]["email"]
    with pytest.raises(UserError) as refused:
        synced(shipped("production"), development)
    assert words in str(refused.value) and "make config-push ENV=dev" in str(refused.value)
    assert "FROM=prod TO=dev" in str(refused.value)


# -- generated notification documents --------------------------------------------------------------------------------

NOTIFICATION = schema("notification-config")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=notification(), destination=notification())
def test_no_recipient_or_secret_of_the_source_ever_reaches_the_destination(source, destination):
    production, development = shipped("production"), shipped("development")
    production["notification-config"], development["notification-config"] = source, destination
    result = synced(production, development)
    assert result["notification-config"] == destination
    # No value of the source's marked fields anywhere in what is written, unless it is also the destination's own
    # or travelling content; long ones not even inside another string.
    legitimate = {"own": destination, "travels": {n: d for n, d in production.items() if n != "notification-config"}}
    legitimate_text = canonical.dumps(legitimate).decode()
    written = {value for _, value in leaves(result)}
    text = canonical.dumps(result).decode()
    for value in specific_strings(source) - {value for _, value in leaves(legitimate)}:
        assert value not in written, value
        if len(value) >= 8 and value not in legitimate_text:
            assert value not in text, value
    assert check.problems([documents.Document(n, f"/{n}.json", d) for n, d in result.items()]) == []


# -- any schema, any marking -------------------------------------------------------------------------------------------

KEYS = st.text(st.characters(categories=["Ll", "Nd"], include_characters="_-/~"), min_size=1, max_size=6)


@st.composite
def marked_schema(draw, depth=3):
    """An object schema: some properties marked (directly, or through a $ref to a marked $defs entry), some nested."""
    properties = {}
    for key in draw(st.lists(KEYS, unique=True, min_size=1, max_size=4)):
        kind = draw(st.sampled_from(["leaf", "marked", "ref", "object"] if depth else ["leaf", "marked", "ref"]))
        if kind == "object":
            properties[key] = draw(marked_schema(depth=depth - 1))
        elif kind == "ref":
            properties[key] = {"$ref": "#/$defs/own"}
        else:
            properties[key] = {"type": "string", **({travel.KEYWORD: True} if kind == "marked" else {})}
    if draw(st.booleans()) and depth:
        properties = {"wrapper": {"type": "object", travel.KEYWORD: True, "properties": properties}}
    return {"type": "object", "properties": properties}


def instance(draw, node, root, token):
    if "$ref" in node:
        return token()
    if node.get("type") == "object":
        return {key: instance(draw, child, root, token) for key, child in node["properties"].items()
                if draw(st.integers(0, 9))}  # now and then a property is absent
    return token()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_marking_keeps_the_destinations_values_and_copies_the_rest(data):
    doc_schema = data.draw(marked_schema())
    doc_schema["$defs"] = {"own": {"type": "string", travel.KEYWORD: True}}
    counter = iter(range(10**6))
    source = instance(data.draw, doc_schema, doc_schema, lambda: f"src-{next(counter)}-value")
    destination = None if data.draw(st.booleans()) else instance(data.draw, doc_schema, doc_schema,
                                                                  lambda: f"dst-{next(counter)}-value")
    before = copy.deepcopy((source, destination))
    result, lacking = travel.keep_own(doc_schema, source, destination)
    assert (source, destination) == before  # neither input is changed
    marked = travel.specific_paths(doc_schema)

    def covered(path):
        return any(path[:len(m)] == m for m in marked)

    for path, value in leaves(source):
        if covered(path):
            assert value not in json.dumps(result), (path, value)  # no marked value of the source, anywhere
        else:
            assert value_at(result, path) == value  # everything else travels
    for path in marked:
        mine = destination
        for key in path:
            mine = mine.get(key) if isinstance(mine, dict) else None
        if mine is not None:
            assert value_at(result, path) == mine
    missing = [path for path in marked if travel._get(destination, path) is travel._ABSENT
               and travel._get(source, path) is not travel._ABSENT]
    assert lacking == missing
