"""Bad input to `make comment` ends as one line with a fix, a non-zero exit and no comment printed."""

import gzip
import json

import pytest

from comment_helpers import comment, fixture, plan, tbctl

BAD_PLANS = {
    "malformed JSON": b'{"format_version": "1.2", "resource_changes": [',
    "empty file": b"",
    "JSON that is a list": b"[1, 2, 3]",
    "a state file, not a plan": json.dumps({"version": 4, "terraform_version": "1.11.4", "resources": []}).encode(),
    "a binary plan": b"PK\x03\x04\x14\x00\x08\x00\x08\x00\xff\xfe\x00binary",
    "plan format 2": json.dumps({"format_version": "2.0", "resource_changes": []}).encode(),
}


def _one_line_error(done, *words):
    assert done.returncode != 0
    assert done.stdout == "", "nothing half-done: no comment is printed"
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and ". Fix: " in lines[0]
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("content", BAD_PLANS.values(), ids=BAD_PLANS.keys())
def test_a_file_that_is_not_a_plan_gives_one_line_and_a_non_zero_exit(tmp_path, content):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    _one_line_error(comment(path), str(path))


def test_malformed_json_names_where_it_breaks(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{\n  "format_version": "1.2",\n  "resource_changes": [\n')
    _one_line_error(comment(path), "line 4")


def test_a_missing_plan_says_to_run_make_plan_first(tmp_path):
    _one_line_error(comment(tmp_path / "nowhere.json", "dev"), "make plan ENV=dev")


def test_a_folder_given_as_plan_is_named_as_such(tmp_path):
    _one_line_error(comment(tmp_path), "is a folder")


def test_a_corrupt_gzip_plan_gives_one_line(tmp_path):
    (tmp_path / "plan.json.gz").write_bytes(b"\x1f\x8bnot really gzip")
    _one_line_error(comment(tmp_path / "plan.json"), "gzip")


def test_a_gzipped_plan_reads_like_the_plain_one(tmp_path):
    (tmp_path / "plan.json.gz").write_bytes(gzip.compress(json.dumps(plan("replace")).encode()))
    zipped, plain = comment(tmp_path / "plan.json"), comment(fixture("replace"))
    assert zipped.returncode == plain.returncode == 0
    assert zipped.stdout.splitlines()[:6] == plain.stdout.splitlines()[:6]


@pytest.mark.parametrize("args, words", [
    (["--env", "staging"], ["unknown environment 'staging'"]),
    ([], ["no environment given"]),
    (["--env", "dev", "--pr", "abc"], ["PR 'abc'"]),
    (["--env", "dev", "--pr", "0"], ["PR '0'"]),
], ids=["unknown env", "no env", "PR not a number", "PR zero"])
def test_bad_options_give_one_line(args, words):
    _one_line_error(tbctl("comment", *args, "--plan-json", str(fixture("creates"))), *words)


def test_a_bad_checkov_report_gives_one_line(tmp_path):
    (tmp_path / "plan.json").write_text(json.dumps(plan("creates")))
    (tmp_path / "checkov.json").write_text("{not json")
    _one_line_error(comment(tmp_path / "plan.json"), "checkov")


def test_make_comment_with_malformed_plan_json_gives_one_error_line(repo):
    """The bad-input catalog's plan-comment row, through make as a user types it."""
    from conftest import make

    bad = repo / "bad-plan.json"
    bad.write_text('{"format_version": "1.2", "resource_changes": [}')
    done = make(repo, "comment", "ENV=dev", f"PLAN_JSON={bad}")
    assert done.returncode != 0 and done.stdout == ""
    ours = [line for line in done.stderr.splitlines() if not line.startswith("make")]
    assert len(ours) == 1 and ours[0].startswith(f"error: {bad} is not valid JSON") and "Fix:" in ours[0]


def test_every_case_of_the_regenerate_script_has_its_fixture():
    """The fixtures are what regenerate.py writes: none missing, none stale from a removed case."""
    import importlib.util

    from comment_helpers import PLANS

    spec = importlib.util.spec_from_file_location("regenerate", PLANS / "regenerate.py")
    regenerate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(regenerate)
    written = {path.name.split(".")[0] for path in PLANS.iterdir() if path.is_file() and path.suffix != ".py"}
    assert written == set(regenerate.CASES)
    for case in regenerate.CASES:
        assert (PLANS / f"{case}.error").exists() or plan(case)["format_version"].startswith("1.")
