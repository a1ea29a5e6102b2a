"""The plan corpus: real `terraform show -json` plans of every shape, and what a reviewer must see in each comment.

The plans are committed (tests/fixtures/plans/, written by regenerate.py), so
these tests need no terraform and no emulator. The first group keeps the corpus
honest: each case still has the shape it exists for. The second runs
`tbctl comment --plan-json` on every plan and checks what must hold whatever
the plan: every change named, counts equal to the plan's, a plan that did not
complete never reads as "no changes" and fails the command, no secret, valid
markdown within GitHub's limit.
"""

import contextlib
import functools
import importlib.util
import io
import json
import os
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from comment_helpers import LIMIT, PLANS, REPO, markdown_problems, plan_text

_spec = importlib.util.spec_from_file_location("regenerate", PLANS / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)
shapes = regenerate.shapes

CORPUS = sorted(name for name, case in regenerate.CASES.items() if case.shapes)
# Terraform's own verbs, from the JSON format's `actions`; a replacement is one change, not an add and a destroy.
VERBS = {("create",): "add", ("update",): "change", ("delete",): "destroy", ("forget",): "forget",
         ("create", "delete"): "replace", ("delete", "create"): "replace"}


# Corpus cases the comment does not handle yet; strict, so a fix shows up as a failure until its line goes.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def cases(test: str, names: list[str] | None = None) -> list:
    """`names` (default: the whole corpus) as parameters, known gaps marked as expected failures."""
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[test, name]))
            if (test, name) in KNOWN_GAPS else name for name in (CORPUS if names is None else names)]


def _plan(name: str) -> dict:
    return regenerate.read_plan(name)


def _path(name: str):
    return PLANS / f"{name}.json"  # the loader finds <name>.json.gz itself


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environ(values: dict):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _run(*args: str) -> Done:
    """`tbctl <args>` in this process (one interpreter start would cost more than the rendering), with the
    environment comment_helpers.tbctl gives the command outside a pull request."""
    from tbctl import cli

    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_") and k not in {"ENV", "TARGET"}}
    out, err = io.StringIO(), io.StringIO()
    with _environ(dict(env, TBCTL_ROOT=str(REPO))), redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return Done(code, out.getvalue(), err.getvalue())


def _comment_args(name: str) -> list[str]:
    return ["comment", "--env", regenerate.CASES[name].environment, "--plan-json", str(_path(name))]


@functools.cache
def _rendered(name: str) -> tuple[Done, str]:
    """`tbctl comment --env <the case's environment> --plan-json <plan>`, and the body it printed."""
    done = _run(*_comment_args(name))
    return done, done.stdout.rstrip("\n")


def _managed(plan: dict) -> list[dict]:
    return [c for c in plan.get("resource_changes") or [] if c.get("mode", "managed") == "managed"]


def _is_change(change: dict) -> bool:
    """A change a reviewer must see: any action but no-op, a move, or an import."""
    body = change.get("change") or {}
    return (body.get("actions") != ["no-op"] or bool(change.get("previous_address"))
            or bool(body.get("importing")))


def _drift_moves(plan: dict) -> list[dict]:
    """Moves a refresh-only plan records only in resource_drift (elsewhere a move is also a resource change)."""
    planned = {c["address"] for c in plan.get("resource_changes") or []}
    return [c for c in plan.get("resource_drift") or [] if c.get("previous_address") and c["address"] not in planned]


def _did_not_complete(plan: dict) -> bool:
    return plan.get("errored") is True or plan.get("complete") is False


# --- the corpus keeps its shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CORPUS)
def test_each_plan_still_has_the_shape_it_exists_for(name):
    assert shapes.missing(_plan(name), regenerate.CASES[name].shapes) == []


def test_the_corpus_covers_every_shape_terraform_writes():
    declared = {shape for case in regenerate.CASES.values() for shape in case.shapes}
    assert set(shapes.SHAPES) - declared == set()


@pytest.mark.parametrize("name", [name for name in CORPUS if regenerate.CASES[name].handwritten])
def test_hand_written_plans_say_why_and_are_copied_unchanged(name):
    case = regenerate.CASES[name]
    source = PLANS / "src" / case.src
    assert "Hand-written" in (source / "README.md").read_text()
    assert _plan(name) == json.loads((source / "plan.json").read_text())


@pytest.mark.parametrize("name", [name for name in CORPUS if not regenerate.CASES[name].handwritten])
def test_generated_plans_come_from_terraform_with_its_text(name):
    plan = _plan(name)
    major, minor = (int(part) for part in plan["terraform_version"].split(".")[:2])
    assert plan["format_version"].startswith("1.") and (major, minor) >= (1, 10)
    assert (PLANS / f"{name}.txt").exists() or (PLANS / f"{name}.txt.gz").exists()


# --- what the comment must show for every plan ---------------------------------------------------------------


@pytest.mark.parametrize("name", CORPUS)
def test_the_comment_fits_githubs_limit_and_its_markdown_is_balanced(name):
    _, body = _rendered(name)
    assert body.startswith("### Terraform plan")
    assert len(body) <= LIMIT
    assert markdown_problems(body) == []


@pytest.mark.parametrize("name", CORPUS)
def test_every_resource_change_is_shown_or_named(name):
    plan = _plan(name)
    _, body = _rendered(name)
    missing = [c["address"] for c in _managed(plan) if _is_change(c) and f"`{c['address']}`" not in body]
    missing += [c["previous_address"] for c in _managed(plan) if c.get("previous_address")
                and f"`{c['previous_address']}`" not in body]
    assert missing == []


@pytest.mark.parametrize("name", CORPUS)
def test_every_output_change_is_named(name):
    outputs = _plan(name).get("output_changes") or {}
    _, body = _rendered(name)
    assert [key for key, change in outputs.items() if change.get("actions") != ["no-op"] and f"`{key}`" not in body] == []


@pytest.mark.parametrize("name", cases("moved-in-drift", [n for n in CORPUS if any(
    c.get("previous_address") for c in _plan(n).get("resource_drift") or [])]))
def test_moves_inside_drift_are_named(name):
    """A refresh-only plan records moves only in resource_drift: they must not vanish."""
    _, body = _rendered(name)
    for change in _plan(name)["resource_drift"]:
        if change.get("previous_address"):
            assert f"`{change['previous_address']}`" in body and f"`{change['address']}`" in body


@pytest.mark.parametrize("name", cases("named", [n for n in CORPUS if _plan(n).get("deferred_changes")
                                                 or _plan(n).get("action_invocations")]))
def test_deferred_changes_and_action_invocations_are_named(name):
    plan = _plan(name)
    _, body = _rendered(name)
    addresses = [d["resource_change"]["address"] for d in plan.get("deferred_changes") or []]
    addresses += [a["address"] for a in plan.get("action_invocations") or []]
    assert [address for address in addresses if address not in body] == []


@pytest.mark.parametrize("name", CORPUS)
def test_move_import_forget_and_deposed_are_named_as_such(name):
    plan = _plan(name)
    body = _rendered(name)[1].lower()
    managed = _managed(plan)
    if any(c.get("previous_address") for c in managed):
        assert "move" in body
    if any((c.get("change") or {}).get("importing") for c in managed):
        assert "import" in body
    if any(c["change"]["actions"] == ["forget"] for c in managed):
        assert "forget" in body
    for change in managed:
        if change.get("deposed"):  # the current object of the same address is a different one
            assert "deposed" in body and change["deposed"] in body


@pytest.mark.parametrize("name", CORPUS)
def test_the_summary_counts_equal_the_plans_actions(name):
    plan = _plan(name)
    _, body = _rendered(name)
    expected = dict.fromkeys(("add", "change", "destroy", "replace", "move", "import", "forget"), 0)
    for change in _managed(plan):
        verb = VERBS.get(tuple(change["change"]["actions"]))
        if verb:
            expected[verb] += 1
        expected["move"] += bool(change.get("previous_address"))
        expected["import"] += bool(change["change"].get("importing"))
    expected["move"] += len(_drift_moves(plan))
    line = next(line for line in body.splitlines() if line.startswith("**Plan"))
    shown = {verb: int(n) for n, verb in re.findall(r"(\d+) to (\w+)", line)}
    assert {verb: shown.get(verb, 0) for verb in expected} == expected


@pytest.mark.parametrize("name", [name for name in CORPUS if not _did_not_complete(_plan(name))])
def test_the_heading_counts_every_change_once(name):
    """`N changes` in the first line of a complete plan: each resource with an action, a move or an import,
    once, and each action invocation (something the apply does too)."""
    plan = _plan(name)
    heading = _rendered(name)[1].splitlines()[0]
    changed = sum(1 for change in _managed(plan) if _is_change(change)) + len(_drift_moves(plan))
    changed += len(plan.get("action_invocations") or [])
    number = re.search(r": (\d+) changes?\b", heading)
    if number:
        assert int(number.group(1)) == changed
    else:
        assert changed == 0, heading


@pytest.mark.parametrize("name", cases("complete"))
def test_a_plan_that_did_not_complete_never_reads_as_no_changes_and_fails(name):
    plan = _plan(name)
    done, body = _rendered(name)
    if not _did_not_complete(plan):
        assert done.returncode == 0, done.stderr
        return
    own_words = re.sub(r"^```.*?^```", "", body, flags=re.M | re.S)  # Terraform's quoted text may say it
    assert "no changes" not in own_words.lower()
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("error: ") and "Fix:" in done.stderr


@pytest.mark.parametrize("name", cases("errored-fix", [n for n in CORPUS if _plan(n).get("errored")]))
def test_an_errored_plans_fix_points_at_the_error(name):
    """Terraform stopped on an error: the fix is that error, not dropping a -target nobody used."""
    done, _ = _rendered(name)
    assert done.returncode != 0 and "-target" not in done.stderr


@pytest.mark.parametrize("name", CORPUS)
def test_json_output_is_json_only_and_tells_a_script_what_the_text_tells_a_person(name):
    plan = _plan(name)
    done = _run(*_comment_args(name), "--json")
    document = json.loads(done.stdout)
    assert document["body"].rstrip("\n") == _rendered(name)[1]
    assert done.returncode == _rendered(name)[0].returncode
    if _did_not_complete(plan):
        assert document["failed"] or document["incomplete"]


# --- secrets ---------------------------------------------------------------------------------------------------

# Shorter sensitive values ("paper", "1") also occur as ordinary words; what a leak looks like is a real secret.
SECRET_MIN = 6


def _leaves(value):
    if isinstance(value, dict):
        for child in value.values():
            yield from _leaves(child)
    elif isinstance(value, list):
        for child in value:
            yield from _leaves(child)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def _masked(value, mask):
    """The leaves of `value` that `mask` (a before_sensitive/after_sensitive/sensitive_values tree) marks."""
    if mask is True:
        yield from _leaves(value)
    elif isinstance(mask, dict) and isinstance(value, dict):
        for key, child in mask.items():
            yield from _masked(value.get(key), child)
    elif isinstance(mask, list) and isinstance(value, list):
        for child_value, child_mask in zip(value, mask):
            yield from _masked(child_value, child_mask)


def _modules(module: dict | None):
    if module:
        yield module
        for child in module.get("child_modules") or []:
            yield from _modules(child)


def sensitive_values(plan: dict) -> set[str]:
    """Every value the plan marks sensitive, found from the plan's own marks (not the comment's masker)."""
    found: set[str] = set()
    changes = list(plan.get("resource_changes") or []) + list(plan.get("resource_drift") or [])
    changes += [d.get("resource_change") or {} for d in plan.get("deferred_changes") or []]
    for change in changes:
        body = change.get("change") or {}
        found.update(_masked(body.get("before"), body.get("before_sensitive")))
        found.update(_masked(body.get("after"), body.get("after_sensitive")))
    for body in (plan.get("output_changes") or {}).values():
        found.update(_masked(body.get("before"), body.get("before_sensitive")))
        found.update(_masked(body.get("after"), body.get("after_sensitive")))
    for values in (plan.get("planned_values") or {}, (plan.get("prior_state") or {}).get("values") or {}):
        for module in _modules(values.get("root_module")):
            for resource in module.get("resources") or []:
                found.update(_masked(resource.get("values"), resource.get("sensitive_values")))
        for output in (values.get("outputs") or {}).values():
            if output.get("sensitive"):
                found.update(_leaves(output.get("value")))
    declared = ((plan.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
    for name, variable in (plan.get("variables") or {}).items():
        if (declared.get(name) or {}).get("sensitive"):
            found.update(_leaves(variable.get("value")))
    for invocation in plan.get("action_invocations") or []:
        found.update(_masked(invocation.get("config_values"), invocation.get("config_sensitive")))
    return {value for value in found if len(value) >= SECRET_MIN}


def test_the_corpus_holds_secrets_deep_in_lists_and_maps():
    """The leak test below is only as good as its secrets: the nested case must yield the venue secrets."""
    found = sensitive_values(_plan("sensitive-nested"))
    assert {"fixture-venue-secret-rotated-3m4n", "fixture-venue-secret-4d5e6f", "fixture-venue-secret-8r9s0t",
            regenerate.FAKE_API_KEY} <= found
    assert "binance" not in found  # the venue's name beside its secret is not sensitive


@pytest.mark.parametrize("name", CORPUS)
def test_no_sensitive_value_appears_in_the_comment(name):
    _, body = _rendered(name)
    assert sorted(secret for secret in sensitive_values(_plan(name)) if secret in body) == []


# --- drift, and values a reader must be able to tell apart -------------------------------------------------------


def _terraforms_drift(text: str) -> set[str]:
    """The resources Terraform's own text lists as changed outside Terraform: only drift that matters to the plan."""
    if "Objects have changed outside of Terraform" not in text:
        return set()
    section = re.split(r"^(?:─|This is a refresh-only plan|Terraform used the selected providers)", text, flags=re.M)[0]
    return set(re.findall(r"^  # (\S+) (?:has changed|has been deleted)", section, re.M))


def _our_drift(body: str) -> set[str]:
    match = re.search(r"^#### Changed outside Terraform.*?$(.*?)(?=^#### |^<details>|\Z)", body, re.M | re.S)
    return set(re.findall(r"^- `([^`]+)`", match.group(1), re.M)) if match else set()


@pytest.mark.parametrize("name", cases("drift", [n for n in CORPUS if not regenerate.CASES[n].handwritten]))
def test_drift_is_listed_where_terraform_lists_it_or_the_plan_undoes_it(name):
    """Terraform lists drift only where relevant_attributes says it matters: the comment lists all of that, and
    beyond it only drift on resources the plan changes anyway (it undoes what was done by hand); never drift of
    what nothing in the plan touches, such as the task definition a deploy moved the service to."""
    plan = _plan(name)
    ours, terraforms = _our_drift(_rendered(name)[1]), _terraforms_drift(plan_text(name))
    touched = {c["address"] for c in _managed(plan) if c["change"]["actions"] != ["no-op"]}
    assert terraforms - ours == set()
    assert ours - terraforms - touched == set()


@pytest.mark.parametrize("name", cases("distinct"))
def test_a_before_and_after_never_read_the_same(name):
    """A change shown as `x → x` (two values truncated to one text) tells the reader nothing."""
    _, body = _rendered(name)
    pairs = re.findall(r"`[^`]+` (.+?) → (.+?)(?=, `|$)", body, re.M)
    assert [(a, b) for a, b in pairs if a == b and a not in {"(sensitive)", "(sensitive value)"}] == []


def _machine_paths(body: str) -> list[str]:
    """Absolute paths whose first two folders exist here: where the comment was rendered, not what it describes."""
    found = re.findall(r"(?<![\w:/.-])(/[\w.-]+/[\w.-]+(?:/[\w.-]+)*)", body)
    return sorted({path for path in found if Path(*Path(path).parts[:3]).is_dir()})


@pytest.mark.parametrize("name", cases("paths"))
def test_no_path_of_this_machine_appears_in_the_comment(name):
    """A comment is read on GitHub: a file on the machine that rendered it means nothing there."""
    assert _machine_paths(_rendered(name)[1]) == []


@pytest.mark.parametrize("name", cases("checks", [n for n in CORPUS if any(
    check.get("status") == "fail" for check in _plan(n).get("checks") or [])]))
def test_a_failing_check_is_named(name):
    """A failed `check` assertion is only a warning to Terraform; the reviewer must still see which one."""
    _, body = _rendered(name)
    failing = [check["address"]["to_display"] for check in _plan(name)["checks"] if check.get("status") == "fail"]
    assert [address for address in failing if address not in body] == []
