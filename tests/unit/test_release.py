"""Git release identity in real temporary repositories: which tag names HEAD, which image runs, what production refuses."""

import subprocess

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tbctl.errors import UserError
from tbctl.release import choose, identify, image_problem, preview, version_key


def git(repo, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout.strip()


def new_repo(path):
    git(path, "init", "-q", "-b", "main")
    (path / "app.txt").write_text("one\n")
    (path / ".gitignore").write_text("/build/\n")
    git(path, "add", "app.txt", ".gitignore")
    git(path, "commit", "-q", "-m", "one")
    return path


@pytest.fixture
def repo(tmp_path):
    return new_repo(tmp_path)


def sha(repo, rev="HEAD"):
    return git(repo, "rev-parse", rev)


def dirty(repo):
    (repo / "app.txt").write_text("changed\n")


def commit(repo, text):
    (repo / "app.txt").write_text(text + "\n")
    git(repo, "commit", "-q", "-am", text)


def refused(*args, **kwargs) -> UserError:
    with pytest.raises(UserError) as caught:
        identify(*args, **kwargs)
    assert caught.value.fix, "every refusal says how to fix it"
    return caught.value


# -- which tag names the release ----------------------------------------------------------------------------

@pytest.mark.parametrize("production", [False, True])
@pytest.mark.parametrize("annotated", [False, True])
def test_tagged_clean_head_is_named_by_its_tag_and_ships_that_image(repo, production, annotated):
    git(repo, "tag", *(["-a", "-m", "release"] if annotated else []), "v1.0.0")
    release = identify(repo, production)
    assert (release.tag, release.image_tag, release.commit, release.dirty) == ("v1.0.0", "v1.0.0", sha(repo), False)
    assert release.describe() == f"v1.0.0 ({sha(repo)[:7]})"


def test_a_pre_release_tag_ships_to_production_like_any_other(repo):
    git(repo, "tag", "v2.0.0-rc.1")
    assert identify(repo, production=True).image_tag == "v2.0.0-rc.1"


def test_a_tag_of_a_tag_still_names_the_commit_it_leads_to(repo):
    git(repo, "tag", "-a", "-m", "inner", "inner")
    git(repo, "-c", "advice.nestedTag=false", "tag", "-a", "-m", "outer", "v2.0.0", "inner")
    git(repo, "tag", "-d", "inner")
    assert identify(repo, production=True).tag == "v2.0.0"


def test_untagged_dev_commit_is_named_after_the_commit(repo):
    release = identify(repo, production=False)
    assert release.tag == release.image_tag == f"dev-{sha(repo)[:7]}"


@pytest.mark.parametrize("production", [False, True])
def test_explicit_tag_on_head_picks_among_heads_tags(repo, production):
    git(repo, "tag", "v1.9.0")
    git(repo, "tag", "v1.10.0")
    release = identify(repo, production, tag="v1.9.0")
    assert (release.tag, release.image_tag, release.chosen) == ("v1.9.0", "v1.9.0", "")


@pytest.mark.parametrize("production", [False, True])
@pytest.mark.parametrize("annotated", [False, True])
def test_explicit_tag_on_another_commit_is_refused_naming_that_commit(repo, production, annotated):
    git(repo, "tag", *(["-a", "-m", "old"] if annotated else []), "v1")
    old = sha(repo)
    commit(repo, "two")
    git(repo, "tag", "v2")
    error = refused(repo, production, tag="v1")
    assert f"TAG=v1 points at commit {old[:7]}, not at HEAD ({sha(repo)[:7]})" in error.problem
    assert "git checkout v1" in error.fix and "TAG=" in error.fix


@pytest.mark.parametrize("production", [False, True])
@pytest.mark.parametrize("head_tags", [[], ["v3"]])
def test_explicit_tag_that_does_not_exist_is_refused(repo, production, head_tags):
    for tag in head_tags:
        git(repo, "tag", tag)
    error = refused(repo, production, tag="v9")
    assert "TAG=v9 is not a tag in this repository" in error.problem and "TAG=" in error.fix
    assert ("v3" in error.problem) == bool(head_tags)


def test_a_branch_of_that_name_is_not_a_tag(repo):
    git(repo, "branch", "v7")
    assert "TAG=v7 is not a tag" in refused(repo, False, tag="v7").problem


@pytest.mark.parametrize("tags, expected", [
    (["v1.9.0", "v1.10.0"], "v1.10.0"),
    (["v2.0.0-rc.1", "v2.0.0"], "v2.0.0"),
    (["v2.0.0-rc.2", "v2.0.0-rc.10"], "v2.0.0-rc.10"),
    (["v2.0.0-alpha", "v2.0.0-1"], "v2.0.0-alpha"),
    (["v1.0.0", "stable", "deployed"], "v1.0.0"),
    (["2026.11.3", "2026.11.20"], "2026.11.20"),
])
def test_several_tags_on_head_choose_the_highest_version_and_say_so(repo, tags, expected):
    for tag in tags:
        git(repo, "tag", tag)
    release = identify(repo, production=True)
    assert release.tag == release.image_tag == expected
    assert release.chosen.startswith(f"highest version of HEAD's tags {expected}")
    assert release.chosen in release.describe()
    for tag in tags:
        assert tag in release.chosen


@pytest.mark.parametrize("tags, words", [
    (["stable", "candidate"], "none is a version"),
    (["v1.2.0", "1.2.0"], "same version"),
    (["v1.2", "v1.2.0"], "same version"),
    (["v1.2.0+build.1", "v1.2.0+build.2"], "same version"),
])
def test_several_tags_with_no_single_highest_version_must_be_named_with_tag(repo, tags, words):
    for tag in tags:
        git(repo, "tag", tag)
    error = refused(repo, production=False)
    assert words in error.problem and "TAG=" in error.fix
    for tag in tags:
        assert tag in error.problem
    assert identify(repo, production=False, tag=tags[0], image_tag="v1.2.0").tag == tags[0]


# -- the image ----------------------------------------------------------------------------------------------

def test_production_refuses_an_image_tag_other_than_its_git_tags(repo):
    git(repo, "tag", "v3")
    error = refused(repo, production=True, image_tag="dev-1234567")
    assert "IMAGE_TAG=dev-1234567" in error.problem and "v3" in error.problem
    assert "drop IMAGE_TAG=" in error.fix


def test_production_preview_refuses_another_image_too(repo):
    git(repo, "tag", "v3")
    dirty(repo)
    with pytest.raises(UserError, match="IMAGE_TAG=other"):
        preview(repo, production=True, image_tag="other")


def test_production_accepts_image_tag_equal_to_its_git_tag(repo):
    git(repo, "tag", "v3")
    assert identify(repo, production=True, image_tag="v3").image_tag == "v3"


def test_development_may_run_another_image_under_its_name(repo):
    git(repo, "tag", "v3")
    release = identify(repo, production=False, image_tag="v3-hotfix")
    assert (release.tag, release.image_tag) == ("v3", "v3-hotfix")


@pytest.mark.parametrize("image_tag", ["latest", "has/slash", "-leading-dash", "x" * 129])
def test_image_tags_that_cannot_name_a_release_are_refused_naming_image_tag(repo, image_tag):
    error = refused(repo, production=False, image_tag=image_tag)
    assert "IMAGE_TAG=" in error.problem and "IMAGE_TAG=" in error.fix


@pytest.mark.parametrize("tag", ["release/1.2", "v1.2.0+build.5", "latest"])
def test_a_git_tag_that_cannot_be_an_image_tag(repo, tag):
    git(repo, "tag", tag)
    assert f"git tag '{tag}' cannot be an image tag" in refused(repo, production=True).problem
    dev = refused(repo, production=False)
    assert "IMAGE_TAG=" in dev.fix
    assert identify(repo, production=False, image_tag="v1").image_tag == "v1"


@pytest.mark.parametrize("containers, problem", [
    ([{"name": "app", "image": "r.example/app:v1"}], None),
    ([{"name": "app", "image": "r.example/app:v1"}, {"name": "log", "image": "public.ecr.aws/x/fluent-bit:3.0"}], None),
    ([{"name": "app", "image": "r.example/app:dev-abc"}], "container app runs r.example/app:dev-abc"),
    ([{"name": "app", "image": "r.example/app:v1"}, {"name": "b", "image": "r.example/app:v0"}], "container b runs"),
    ([{"name": "app", "image": "r.example/app@sha256:" + "a" * 64}], "container app runs"),
    ([{"name": "app", "image": "other.example/app:v1"}], "no container runs the release image r.example/app:v1"),
    ([], "no container runs"),
])
def test_image_problem_names_any_image_of_the_release_repository_that_is_not_the_tags(containers, problem):
    found = image_problem(containers, "r.example/app", "v1")
    assert (found is None) if problem is None else (problem in found)


# -- the tree -----------------------------------------------------------------------------------------------

def test_dirty_dev_tree_may_deploy_and_is_marked_dirty_in_the_revision_tags(repo):
    git(repo, "tag", "v1.0.0")
    dirty(repo)
    release = identify(repo, production=False)
    assert release.dirty
    assert release.aws_tags("development")["git_dirty"] == "true"


def test_an_untracked_file_makes_the_tree_dirty_and_an_ignored_one_does_not(repo):
    git(repo, "tag", "v1")
    (repo / "build").mkdir()
    (repo / "build" / "plan.json").write_text("{}")
    assert not identify(repo, production=True).dirty
    (repo / "extra.tf").write_text("# not committed\n")
    assert "extra.tf" in refused(repo, production=True).problem


@pytest.mark.parametrize("setup, words", [
    (dirty, "clean working tree"),
    (lambda repo: None, "has no tag"),
    (lambda repo: (git(repo, "tag", "v1"), dirty(repo)), "uncommitted changes (app.txt)"),
])
def test_production_refuses_a_dirty_tree_or_an_untagged_commit(repo, setup, words):
    setup(repo)
    assert words in str(refused(repo, production=True))


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


# -- generated tags -----------------------------------------------------------------------------------------

# A version as data: (numeric parts, pre-release identifiers or None); the oracle below orders these by the
# semver rules directly, never by parsing a name.
identifiers = st.lists(st.one_of(st.integers(0, 30), st.sampled_from(["alpha", "beta", "rc", "pre", "x-y"])),
                       min_size=1, max_size=3)
# Small parts, so equal cores (where pre-releases decide) come up often.
versions = st.tuples(st.lists(st.integers(0, 2), min_size=3, max_size=3), st.none() | identifiers)


def spelled(version, prefix="v") -> str:
    core, pre = version
    return prefix + ".".join(map(str, core)) + ("-" + ".".join(map(str, pre)) if pre else "")


def semver_greater(a, b) -> bool:
    """a > b by semver.org section 11, on the data."""
    if a[0] != b[0]:
        return a[0] > b[0]
    if a[1] is None or b[1] is None:
        return a[1] is None and b[1] is not None
    for x, y in zip(a[1], b[1]):
        if x == y:
            continue
        if isinstance(x, int) and isinstance(y, int):
            return x > y
        if isinstance(x, int) != isinstance(y, int):
            return isinstance(y, int)  # numeric identifiers rank below alphanumeric ones
        return x > y
    return len(a[1]) > len(b[1])


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory):
    return new_repo(tmp_path_factory.mktemp("tags"))


def retag(repo, names, annotated):
    """Exactly `names` as HEAD's tags; plumbing, so names git's porcelain refuses (a leading '-') can be made too."""
    for ref in git(repo, "for-each-ref", "--format=%(refname)", "refs/tags").split():
        git(repo, "update-ref", "-d", ref)
    for name, note in zip(names, annotated):
        if note:
            git(repo, "tag", "-a", "-m", name, "annotated-object")
            target = sha(repo, "refs/tags/annotated-object")
            git(repo, "update-ref", "-d", "refs/tags/annotated-object")
        else:
            target = sha(repo)
        git(repo, "update-ref", f"refs/tags/{name}", target)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(versions, min_size=1, max_size=6, unique_by=lambda v: (tuple(v[0]), tuple(v[1] or ()) or None)),
       st.lists(st.booleans(), min_size=6, max_size=6), st.randoms(use_true_random=False),
       st.lists(st.sampled_from(["stable", "deployed", "candidate"]), max_size=2, unique=True))
def test_the_chosen_tag_is_the_semver_highest_whatever_order_kind_or_other_tags(shared_repo, found, annotated, rnd, others):
    names = [spelled(v) for v in found] + others
    rnd.shuffle(names)
    retag(shared_repo, names, annotated + [False] * len(others))
    best = next(v for v in found if not any(semver_greater(o, v) for o in found if o != v))
    release = identify(shared_repo, production=True)
    assert release.tag == release.image_tag == spelled(best)
    assert (release.chosen != "") == (len(names) > 1)


@given(versions, versions, st.sampled_from(["", "v", "V"]), st.sampled_from(["", "+build.7", "+exp.sha.5114f85"]))
def test_version_order_is_semver_order_whatever_the_prefix_or_build_metadata(a, b, prefix, build):
    ka, kb = version_key(spelled(a, prefix) + build), version_key(spelled(b, "v"))
    assert ka is not None and kb is not None
    assert (ka > kb) == semver_greater(a, b)
    assert (ka == kb) == (not semver_greater(a, b) and not semver_greater(b, a))


@given(st.lists(st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), min_size=1, max_size=12),
                min_size=1, max_size=5))
def test_choice_is_one_of_the_tags_or_a_refusal_that_names_tag_never_a_crash(tags):
    try:
        name, chosen = choose(tags)
    except UserError as error:
        assert "TAG=" in error.fix
        return
    assert name in tags
    assert choose(list(reversed(tags))) == (name, chosen)


def valid_ref(name: str) -> bool:
    return subprocess.run(["git", "check-ref-format", f"refs/tags/{name}"], capture_output=True).returncode == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), min_size=1, max_size=20).filter(valid_ref),
       st.booleans(), st.booleans())
def test_any_tag_name_ships_as_its_own_image_or_is_refused_in_one_line(shared_repo, name, annotated, production):
    retag(shared_repo, [name], [annotated])
    try:
        release = identify(shared_repo, production)
    except UserError as error:
        assert name in error.problem and "\n" not in str(error) and error.fix
        return
    assert release.tag == release.image_tag == name
    assert identify(shared_repo, production, tag=name) == release
