"""Production publishes only committed files: every way a working tree can differ from HEAD under config/production/.

Each case starts from a real git repository holding the shipped documents,
committed, changes it one way, and asks for the documents to publish. The
refusal must name the file and how it differs; anything outside
config/production/ must not matter.
"""

import io
import os
import shutil
import subprocess

import pytest

from conftest import REPO, VENV
from tbctl import paths
from tbctl.config import documents, files
from tbctl.environments import ENVIRONMENTS
from tbctl.errors import UserError

PROD, DEV = ENVIRONMENTS["prod"], ENVIRONMENTS["dev"]
RISK = "config/production/risk-params.json"


def git(repo, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout.strip()


def commit_all(repo, message="initial"):
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "config", root / "config")
    (root / "Makefile").write_text("all:\n")
    git(root, "init", "-q", "-b", "main")
    commit_all(root)
    monkeypatch.setenv("TBCTL_ROOT", str(root))
    paths.root.cache_clear()
    yield root
    paths.root.cache_clear()


def edit(repo, path=RISK, old='"max_positions": 3', new='"max_positions": 30'):
    file = repo / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def _staged(repo):
    edit(repo)
    git(repo, "add", RISK)


def _staged_then_reverted(repo):
    _staged(repo)
    edit(repo, old='"max_positions": 30', new='"max_positions": 3')  # the working tree equals HEAD again


def _new_document(repo):
    (repo / "config/production/risk-params-v2.json").write_text("{}")


def _new_file_in_a_subfolder(repo):
    (repo / "config/production/drafts").mkdir()
    (repo / "config/production/drafts/risk-params.json").write_text("{}")


def _ignored(repo):
    (repo / ".git/info/exclude").write_text("*.local.json\n")
    (repo / "config/production/risk-params.local.json").write_text("{}")


def _deleted(repo):
    (repo / RISK).unlink()


def _removed_with_git(repo):
    git(repo, "rm", "-q", RISK)


def _renamed(repo):
    git(repo, "mv", RISK, "config/production/risk.json")


def _assume_unchanged(repo):
    git(repo, "update-index", "--assume-unchanged", RISK)
    edit(repo)
    assert git(repo, "status", "--porcelain") == ""  # invisible to git status


def _skip_worktree(repo):
    git(repo, "update-index", "--skip-worktree", RISK)
    edit(repo)
    assert git(repo, "status", "--porcelain") == ""


def _symlink_to_development(repo):
    (repo / RISK).unlink()
    (repo / RISK).symlink_to("../development/risk-params.json")


def _mode(repo):
    (repo / RISK).chmod(0o755)


def _pipe(repo):
    os.mkfifo(repo / "config/production/notes.json")


def _intent_to_add(repo):
    _new_document(repo)
    git(repo, "add", "-N", "config/production/risk-params-v2.json")


def _whitespace_only(repo):
    edit(repo, old="{", new="{ ")  # the same data: still not what was committed


CHANGES = [
    ("modified", edit, "risk-params.json modified"),
    ("staged", _staged, "risk-params.json modified"),
    ("staged, then reverted in the working tree", _staged_then_reverted, "risk-params.json staged"),
    ("new document", _new_document, "risk-params-v2.json not committed"),
    ("new file in a subfolder", _new_file_in_a_subfolder, "drafts/risk-params.json not committed"),
    ("ignored file", _ignored, "risk-params.local.json not committed"),
    ("intent to add", _intent_to_add, "risk-params-v2.json not committed"),
    ("deleted", _deleted, "risk-params.json deleted"),
    ("git rm", _removed_with_git, "risk-params.json deleted"),
    ("git mv", _renamed, "risk.json not committed"),
    ("assume-unchanged", _assume_unchanged, "risk-params.json modified but hidden from git status by assume-unchanged"),
    ("skip-worktree", _skip_worktree, "risk-params.json modified but hidden from git status by skip-worktree"),
    ("symbolic link", _symlink_to_development, "risk-params.json is a symbolic link"),
    ("file mode", _mode, "risk-params.json mode changed"),
    ("named pipe", _pipe, "notes.json is not a regular file"),
    ("whitespace only", _whitespace_only, "risk-params.json modified"),
]


@pytest.mark.parametrize("change, words", [(c[1], c[2]) for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_any_uncommitted_change_under_config_production_is_refused_naming_it(repo, change, words):
    change(repo)
    with pytest.raises(UserError) as refused:
        files.to_publish(PROD)
    message = str(refused.value)
    assert "config/production/ has uncommitted changes" in message and words in message, message
    assert "\n" not in message and "Fix: commit them" in message and "make config-push ENV=prod" in message


def test_the_documents_published_are_the_committed_bytes_with_the_commit_they_come_from(repo):
    head = git(repo, "rev-parse", "HEAD")
    source = files.to_publish(PROD)
    assert source.commit == head  # never `-dirty`
    for name in documents.NAMES:
        assert source.document(name) == documents.read_json(repo / "config" / "production" / f"{name}.json")
    assert source.unknown() == []


def test_changes_outside_config_production_do_not_block_it(repo):
    edit(repo, "config/development/risk-params.json", '"max_positions": 10', '"max_positions": 11')
    (repo / "Makefile").write_text("changed:\n")
    (repo / "notes.txt").write_text("untracked elsewhere")
    assert files.to_publish(PROD).commit == git(repo, "rev-parse", "HEAD")


def test_development_still_publishes_its_working_tree_marked_dirty(repo):
    edit(repo, "config/development/risk-params.json", '"max_positions": 10', '"max_positions": 11')
    source = files.to_publish(DEV)
    assert source.document("risk-params")["global_limits"]["max_positions"] == 11
    assert source.commit == git(repo, "rev-parse", "HEAD") + "-dirty"


def test_line_ending_conversion_on_checkout_is_not_a_change(repo):
    git(repo, "config", "core.autocrlf", "true")
    for path in (repo / "config" / "production").iterdir():
        path.unlink()
    git(repo, "checkout", "--", "config/production")
    assert b"\r\n" in (repo / RISK).read_bytes()  # what a Windows checkout looks like
    assert files.to_publish(PROD).commit == git(repo, "rev-parse", "HEAD")


def test_a_committed_fix_is_published_and_git_dir_in_the_environment_cannot_redirect_it(repo, tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))  # as inside a git hook of another repository
    edit(repo)
    with pytest.raises(UserError, match="uncommitted changes"):
        files.to_publish(PROD)
    monkeypatch.delenv("GIT_DIR")
    commit_all(repo, "raise the limit")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    assert files.to_publish(PROD).document("risk-params")["global_limits"]["max_positions"] == 30


def test_outside_git_or_before_the_first_commit_production_is_refused(tmp_path, monkeypatch):
    root = tmp_path / "plain"
    shutil.copytree(REPO / "config", root / "config")
    monkeypatch.setenv("TBCTL_ROOT", str(root))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # the test's own tmp folder might sit in a repo
    paths.root.cache_clear()
    try:
        with pytest.raises(UserError, match="published only from committed files, and git finds no commit"):
            files.to_publish(PROD)
        git(root, "init", "-q")
        with pytest.raises(UserError, match="git finds no commit"):
            files.to_publish(PROD)
    finally:
        paths.root.cache_clear()


def test_config_push_of_production_with_an_edit_is_one_line_before_any_aws_call(repo):
    edit(repo)
    env = {k: v for k, v in os.environ.items() if k not in {"ENV", "TARGET", "TBCTL_CONFIG_BUCKET"}}
    for extra in ([], ["--dry-run"]):
        done = subprocess.run([str(VENV / "bin" / "tbctl"), "config-push", "--env", "prod", *extra], capture_output=True, text=True,
                              env=dict(env, TBCTL_ROOT=str(repo), LOCAL_PORT="1"), timeout=60)  # port 1: an AWS call would fail
        lines = done.stderr.strip().splitlines()
        assert done.returncode != 0 and len(lines) == 1, done.stderr
        assert lines[0].startswith("error: config/production/ has uncommitted changes (risk-params.json modified)")


def test_a_committed_production_document_over_1_mb_is_refused_like_any_other(repo):
    from tbctl.config import check

    path = repo / RISK
    path.write_bytes(path.read_bytes() + b" " * (1024 * 1024))
    commit_all(repo, "pad")
    with pytest.raises(UserError, match=r"risk-params.json is 1,048,8\d\d bytes, over the limit of 1 MB"):
        check.require_valid([files.to_publish(PROD)], out=io.StringIO())
