"""Git release identity in real temporary repositories: tagged, untagged, dirty; production refuses the last two."""

import subprocess

import pytest

from tbctl.errors import UserError
from tbctl.release import identify, preview


def git(repo, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "app.txt").write_text("one\n")
    git(tmp_path, "add", "app.txt")
    git(tmp_path, "commit", "-q", "-m", "one")
    return tmp_path


def sha(repo):
    return git(repo, "rev-parse", "HEAD")


def dirty(repo):
    (repo / "app.txt").write_text("changed\n")


@pytest.mark.parametrize("production", [False, True])
def test_tagged_clean_head_is_named_by_its_tag_and_ships_that_image(repo, production):
    git(repo, "tag", "v1.0.0")
    release = identify(repo, production)
    assert (release.tag, release.image_tag, release.commit, release.dirty) == ("v1.0.0", "v1.0.0", sha(repo), False)


@pytest.mark.parametrize("tag, expected", [(None, "dev-{short}"), ("feature-x", "feature-x")])
def test_untagged_dev_commit_uses_explicit_tag_else_one_derived_from_the_commit(repo, tag, expected):
    release = identify(repo, production=False, tag=tag)
    assert release.tag == expected.format(short=sha(repo)[:7])
    assert release.image_tag == release.tag


def test_dirty_dev_tree_may_deploy_and_is_marked_dirty_in_the_revision_tags(repo):
    git(repo, "tag", "v1.0.0")
    dirty(repo)
    release = identify(repo, production=False)
    assert release.dirty
    assert release.aws_tags("development")["git_dirty"] == "true"


@pytest.mark.parametrize("setup, words", [
    (dirty, "clean working tree"),
    (lambda repo: None, "has no tag"),
    (lambda repo: (git(repo, "tag", "v1"), dirty(repo)), "uncommitted changes"),
])
def test_production_refuses_a_dirty_tree_or_an_untagged_commit(repo, setup, words):
    setup(repo)
    with pytest.raises(UserError) as caught:
        identify(repo, production=True)
    assert words in str(caught.value) and caught.value.fix


def test_explicit_tag_that_contradicts_the_head_tag_is_refused(repo):
    git(repo, "tag", "v2")
    with pytest.raises(UserError, match="HEAD is tagged v2"):
        identify(repo, production=False, tag="v1")


def test_image_tag_override_keeps_the_release_name(repo):
    git(repo, "tag", "v3")
    release = identify(repo, production=True, image_tag="v3-hotfix")
    assert (release.tag, release.image_tag) == ("v3", "v3-hotfix")


@pytest.mark.parametrize("image_tag", ["latest", "has/slash", "-leading-dash"])
def test_image_tags_that_cannot_name_a_release_are_refused(repo, image_tag):
    with pytest.raises(UserError, match="image tag"):
        identify(repo, production=False, image_tag=image_tag)


def test_revision_tags_name_tag_commit_and_environment(repo):
    git(repo, "tag", "v4")
    tags = identify(repo, production=True).aws_tags("production")
    assert tags == {"git_tag": "v4", "git_commit": sha(repo), "environment": "production", "managed-by": "tbctl"}


def test_a_folder_without_git_history_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="not a git repository"):
        identify(tmp_path, production=False)


def test_a_preview_of_production_from_an_untagged_dirty_tree_is_rendered_and_says_why_it_could_not_ship(repo):
    dirty(repo)
    release, why = preview(repo, production=True)
    assert release.tag == f"dev-{sha(repo)[:7]}" and "clean working tree" in why


def test_a_preview_of_a_releasable_commit_has_nothing_to_note(repo):
    git(repo, "tag", "v5")
    assert preview(repo, production=True) == (identify(repo, production=True), None)
