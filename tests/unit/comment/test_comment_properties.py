"""Generated plans, not chosen ones: whatever Terraform (or a later Terraform) writes, the comment keeps its promises.

Each plan has random resource changes with every action list Terraform documents plus ones it does not
(yet), drift, outputs, collections of changes this tool has never heard of, and secrets: values that look
like real credentials or random text, marked sensitive at random depths (before_sensitive/after_sensitive,
sensitive outputs and variables, sensitive parts of an action's config). Text everywhere may carry
markdown that would break the comment: backticks, fences, <details>, pipes, line breaks.

Promises checked on every plan: no secret reaches the comment; it fits GitHub's 65,536 characters; its
code fences and <details> are balanced; the counts it states are the plan's own; an unfinished plan never
reads "no changes". The counts are worked out here from Terraform's documented action lists, apart from
the code under test.
"""

import json
import os
import re
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comment_helpers import LIMIT, REPO, markdown_problems
from tbctl.comment import build, identity
from tbctl.comment.attributes import show_pair
from tbctl.comment.mask import Masker
from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError

os.environ.setdefault("TBCTL_ROOT", str(REPO))
# More examples for a deeper search: TBCTL_HYPOTHESIS_EXAMPLES=2000 .venv/bin/pytest tests/unit/comment
EXAMPLES = int(os.environ.get("TBCTL_HYPOTHESIS_EXAMPLES", "100"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Terraform's documented action lists (jsonplan: Change.Actions) and what the summary calls them.
DOCUMENTED = {("no-op",): None, ("create",): "add", ("update",): "change", ("delete",): "destroy",
              ("delete", "create"): "replace", ("create", "delete"): "replace", ("forget",): "forget"}
NOT_YET = [("create", "forget"), ("invoke",), (), ("read",), ("delete", "forget"), ("archive", "create")]
KINDS = ("add", "change", "destroy", "replace", "move", "import", "forget")

MARKDOWN = ["`", "``", "```", "````", "~~~", "<details>", "</details>", "<summary>", "</summary>", "|", "\n",
            "\r\n", "**", "_", "<!--", "-->", "# ", "\\", '"', "&amp;", "<br>", "- ", "é", "→", "\u2028", "\t"]
# No digits in free text: only secrets carry a long run of them, so a secret cannot appear by coincidence.
noise = st.lists(st.sampled_from(MARKDOWN) | st.text(string.ascii_letters + " .:/-[]{}()", max_size=4),
                 max_size=4).map("".join)
keys = st.sampled_from(["name", "value", "image", "cpu", "nested", "items", "x-y", "a b", "`k`", "|p|",
                        "</details>", "DB_PASSWORD", "token", "environment_variables"])
plain_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), noise)


@st.composite
def secrets(draw, found: list):
    """A value that looks like a credential (or is random text) around a core no other generated text holds."""
    core = draw(st.text(string.ascii_letters, min_size=4, max_size=10)) + str(draw(st.integers(10**7, 10**9)))
    shape = draw(st.sampled_from(["{core}", "AKIA{core}", "ghp_{core}", "xoxb-{core}", "postgres://bot:{core}@db:5432/x",
                                  "-----BEGIN RSA PRIVATE KEY-----\n{core}\n-----END RSA PRIVATE KEY-----",
                                  "{noise}{core}{noise}"]))
    secret = shape.replace("{noise}", draw(noise), 1).replace("{noise}", draw(noise)).replace("{core}", core)
    found.append((secret, core))
    return secret


@st.composite
def tree(draw, found: list, depth: int = 0, top: bool = False):
    """(value, sensitivity): a value with secrets at random depths, and Terraform's structure marking them.

    A resource's value (top) is an object, as Terraform writes it; anything may sit inside."""
    choices = ["leaf", "secret"] + (["dict", "list", "sensitive container"] if depth < 3 else [])
    kind = "dict" if top else draw(st.sampled_from(choices))
    if kind == "leaf":
        return draw(plain_values), None
    if kind == "secret":
        return draw(secrets(found)), True
    if kind == "sensitive container":  # a whole object or list marked sensitive, secrets inside
        value, _ = draw(tree(found, depth + 1))
        return {"inner": value, "key": draw(secrets(found))}, True
    if kind == "dict":
        names = draw(st.lists(keys, unique=True, max_size=3))
        children = {name: draw(tree(found, depth + 1)) for name in names}
        marks = {name: mark for name, (_, mark) in children.items() if mark is not None}
        return {name: value for name, (value, _) in children.items()}, marks
    children = draw(st.lists(tree(found, depth + 1), max_size=3))
    marks = [mark if mark is not None else False for _, mark in children]
    return [value for value, _ in children], (marks if any(m is not False for m in marks) else None)


def _sensitivity(marks):
    return {} if marks is None else marks


@st.composite
def change_body(draw, found: list, actions: tuple):
    before, before_marks = draw(tree(found, top=True)) if "create" != actions[:1] or "delete" in actions else (None, None)
    after, after_marks = draw(tree(found, top=True)) if actions != ("delete",) else (None, None)
    if actions == ("no-op",):
        after, after_marks = before, before_marks
    body = {"actions": list(actions), "before": before, "after": after,
            "before_sensitive": _sensitivity(before_marks) if before is not None else False,
            "after_sensitive": _sensitivity(after_marks) if after is not None else False,
            "after_unknown": draw(st.sampled_from([{}, {"id": True}, True])) if after is not None else {}}
    if draw(st.booleans()) and len(actions) == 2:
        body["replace_paths"] = [[draw(keys)]]
    if draw(st.integers(0, 5)) == 0:
        body["importing"] = {"id": draw(noise) or "id-1"}
    return body


@st.composite
def resource_change(draw, found: list, index: int, section: str = "resource_changes"):
    mode = draw(st.sampled_from(["managed"] * 5 + ["data"]))
    kind = draw(st.sampled_from(["aws_ecs_service", "aws_ssm_parameter", "terraform_data"]))
    name = f"r{index}"
    key = draw(st.sampled_from(["", "[0]", '["a`b"]', '["</details>"]', '["x|y"]']))
    address = f"{'data.' if mode == 'data' else ''}{kind}.{name}{key}"
    if section == "resource_drift":
        actions = draw(st.sampled_from([("update",), ("delete",), ("no-op",)] + NOT_YET))
    elif mode == "data":
        actions = draw(st.sampled_from([("read",), ("no-op",), ("update",), ("delete",)]))
    else:
        actions = draw(st.sampled_from(list(DOCUMENTED) * 2 + NOT_YET))
    change = {"address": address, "mode": mode, "type": kind, "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
              "change": draw(change_body(found, actions or ("update",))) | {"actions": list(actions)}}
    if draw(st.integers(0, 4)) == 0:
        change["previous_address"] = f"{kind}.old_{name}"
    if draw(st.integers(0, 6)) == 0:
        change["action_reason"] = draw(st.sampled_from(["replace_because_tainted", "delete_because_count_index",
                                                        "a_reason_from_the_future"]))
    if draw(st.integers(0, 8)) == 0 and actions == ("delete",):
        change["deposed"] = "00abcdef"
    return change


@st.composite
def plans(draw):
    found: list = []
    changes = [draw(resource_change(found, i)) for i in range(draw(st.integers(0, 8)))]
    drift = [draw(resource_change(found, 100 + i, "resource_drift")) for i in range(draw(st.integers(0, 4)))]
    drift = [d for d in drift if d["mode"] == "managed"]
    outputs = {"environment": {"actions": ["no-op"], "before": "production", "after": "production",
                               "before_sensitive": False, "after_sensitive": False, "after_unknown": False}}
    for i in range(draw(st.integers(0, 4))):
        sensitive = draw(st.booleans())
        actions = draw(st.sampled_from([["create"], ["update"], ["delete"], ["no-op"], ["archive"]]))
        value = (lambda: draw(tree(found))[0]) if sensitive else (lambda: draw(plain_values))
        outputs[f"out_{i}"] = {"actions": actions, "before": value(), "after": value(), "before_sensitive": sensitive,
                               "after_sensitive": sensitive, "after_unknown": False}
    password = draw(secrets(found))
    document = {
        "format_version": "1.2", "terraform_version": "1.11.4",
        "variables": {"db_password": {"value": password}, "region": {"value": "us-east-1"}},
        "planned_values": {"outputs": {"environment": {"sensitive": False, "value": "production"}}, "root_module": {}},
        "resource_changes": changes, "resource_drift": drift, "output_changes": outputs,
        "configuration": {"root_module": {"variables": {"db_password": {"sensitive": True}}}},
        "relevant_attributes": [{"resource": d["address"], "attribute": [draw(keys)]} for d in drift if draw(st.booleans())],
        "errored": draw(st.sampled_from([False] * 4 + [True])), "complete": draw(st.sampled_from([True] * 4 + [False])),
    }
    if draw(st.booleans()):
        secret_tree, marks = draw(tree(found, top=True))
        document["deferred_changes"] = [{"reason": "resource_config_unknown", "resource_change": {
            "address": "aws_ssm_parameter.later", "mode": "managed", "type": "aws_ssm_parameter", "name": "later",
            "change": {"actions": ["create"], "before": None, "after": secret_tree, "after_sensitive": _sensitivity(marks)}}}]
    if draw(st.booleans()):
        document["action_invocations"] = [{"address": "action.aws_lambda_invoke.notify", "type": "aws_lambda_invoke",
                                           "config_values": {"payload": draw(secrets(found))},
                                           "config_sensitive": {"payload": True}}]
    if draw(st.booleans()):
        value, marks = draw(tree(found, top=True))
        document["future_changes"] = [{"address": "aws_x.future", "before": value, "before_sensitive": _sensitivity(marks)}]
    if not changes and not drift and draw(st.booleans()):
        document.pop("resource_changes")  # a refresh-only plan has none
    return document, found, draw(noise)


def _render(document: dict, text: str = "") -> build.Comment:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps(document))
        (Path(folder) / "plan.txt").write_text(text)
        return build.build(build.inputs(ENVIRONMENTS["prod"], "local", str(path)))


def _expected(document: dict) -> tuple[dict, int, int]:
    """(counts by kind, changes not rendered, outputs changed), from Terraform's documented action lists."""
    counts, unrendered, moves = dict.fromkeys(KINDS, 0), 0, set()
    for change in document.get("resource_changes") or []:
        actions = tuple(change["change"]["actions"])
        if change["mode"] == "data":
            unrendered += actions not in (("read",), ("no-op",))
            continue
        if actions not in DOCUMENTED:
            unrendered += 1  # named whole, with its address
            continue
        if DOCUMENTED[actions]:
            counts[DOCUMENTED[actions]] += 1
        if change.get("previous_address"):
            counts["move"] += 1
            moves.add((change["previous_address"], change["address"]))
        counts["import"] += bool(change["change"].get("importing"))
    for change in document.get("resource_drift") or []:
        unrendered += tuple(change["change"]["actions"]) not in (("update",), ("delete",), ("no-op",))
        if change.get("previous_address") and (change["previous_address"], change["address"]) not in moves:
            counts["move"] += 1
    outputs = 0
    for body in document["output_changes"].values():
        if body["actions"] in (["create"], ["update"], ["delete"]):
            outputs += 1
        elif body["actions"] != ["no-op"]:
            unrendered += 1
    unrendered += sum(len(document.get(key) or []) for key in ("deferred_changes", "action_invocations", "future_changes"))
    return counts, unrendered, outputs


def _stated(line: str) -> tuple[dict, int, int]:
    """The counts the comment's summary line states (absent ones are zero)."""
    counts = {kind: int(m.group(1)) if (m := re.search(rf"(\d+) to {kind}\b", line)) else 0
              for kind in ("add", "change", "destroy", "replace", "move", "import", "forget")}
    unrendered = re.search(r"(\d+) of a kind this tool does not render", line)
    outputs = re.search(r"(\d+) outputs? to change", line)
    return counts, int(unrendered.group(1)) if unrendered else 0, int(outputs.group(1)) if outputs else 0


def _no_secret(comment: build.Comment, found: list) -> None:
    everything = comment.body + json.dumps({"counts": comment.counts, "dangers": [d.reason for d in comment.dangers],
                                            "not_rendered": comment.unrendered, "error": comment.error})
    for secret, core in found:
        assert core not in everything, f"secret {secret!r} leaked"


def _fits_and_balanced(body: str) -> None:
    assert len(body) <= LIMIT
    assert markdown_problems(body) == []
    assert body.endswith("<!-- tbctl-plan:prod -->")


def _counts_are_the_plans(comment: build.Comment, document: dict) -> None:
    counts, unrendered, outputs = _expected(document)
    heading, line = comment.body.splitlines()[:2]
    assert _stated(line) == (counts, unrendered, outputs), line
    assert {k: comment.counts[k] for k in KINDS} == counts and len(comment.unrendered) == unrendered
    if document["errored"] or not document["complete"]:
        assert "no changes" not in heading + line and comment.problem() is not None
    elif not any(counts.values()) and not unrendered and not outputs:  # a refresh-only plan's drift is its change
        assert "no changes" in heading or ("refresh-only, changed outside Terraform" in heading
                                           and not document.get("resource_changes"))


# One generated plan checks every promise: generating plans is the slow part, not rendering them.
@SETTINGS
@given(plans())
def test_a_generated_plan_leaks_no_secret_fits_stays_balanced_and_counts_true(generated):
    document, found, text = generated
    comment = _render(document, text)
    _no_secret(comment, found)
    _fits_and_balanced(comment.body)
    _counts_are_the_plans(comment, document)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.integers(0, 299), st.text(min_size=1, max_size=3))
def test_two_different_values_are_never_shown_as_the_same_text(text, where, insert):
    other = text[:where] + insert + text[where:]
    assert show_pair(text, other, Masker())[0] != show_pair(text, other, Masker())[1]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_two_random_values_shown_alike_are_the_same_value(first, second):
    shown = show_pair(first, second, Masker())
    assert (shown[0] == shown[1]) == (first == second)


NAMES = ["dev", "development", "prod", "production", "Production", "staging", ""]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["output", "variable", "tag", "prior tag", "data tag"]), st.sampled_from(NAMES)),
       st.sampled_from(["dev", "prod"]))
def test_a_plan_is_accepted_only_when_everything_it_says_names_this_environment(claims, env):
    document = {"format_version": "1.2", "resource_changes": [], "output_changes": {}, "variables": {},
                "prior_state": {"values": {"root_module": {"resources": []}}}}
    if "output" in claims:
        document["output_changes"]["environment"] = {"actions": ["no-op"], "before": claims["output"],
                                                     "after": claims["output"]}
    if "variable" in claims:
        document["variables"]["environment"] = {"value": claims["variable"]}
    if "tag" in claims:
        document["resource_changes"].append({"address": "aws_x.a", "mode": "managed", "change": {
            "actions": ["create"], "before": None, "after": {"tags_all": {"environment": claims["tag"]}}}})
    resources = document["prior_state"]["values"]["root_module"]["resources"]
    if "prior tag" in claims:
        resources.append({"address": "aws_x.b", "mode": "managed", "values": {"tags": {"environment": claims["prior tag"]}}})
    if "data tag" in claims:  # read, not owned: never a claim
        resources.append({"address": "data.aws_x.c", "mode": "data", "values": {"tags": {"environment": claims["data tag"]}}})
    said = {value.lower() for place, value in claims.items() if place != "data tag" and value}
    short = {"development": "dev", "production": "prod"}
    accepted = bool(said) and all(short.get(value, value) == env for value in said)
    try:
        identity.check(document, ENVIRONMENTS[env], "plan.json")
        assert accepted, said
    except UserError as error:
        assert not accepted, str(error)
