"""The git release being shipped, resolved once: its tag, commit, image tag, and whether the tree is clean.

Every release verb takes its Release from identify() (deploy) or preview()
(render, diff), and rollback judges registered revisions by the same rules
(image_of, image_problem), so each promise below holds in this one place:

- Production runs exactly what git names: a clean tree (no uncommitted or
  untracked files), a tag on HEAD, and the image of that tag (image tag =
  git tag). IMAGE_TAG= cannot put another image under a tag's name there.
- TAG= names a tag on HEAD (annotated or lightweight); a tag on another
  commit, or none by that name, is refused.
- Without TAG=, HEAD's tag names the release. With several, the highest
  version wins (semver order: v1.10.0 > v1.9.0 > v1.9.0-rc.1; a leading `v`,
  any number of numeric parts, build metadata ignored), and the choice is
  stated; tags that are not versions count only when HEAD has no version
  tag. When no single tag wins (two spellings of one version, several
  non-version tags) the user names it with TAG=.
- Development ships any commit: untagged it is `dev-<shortsha>`; a dirty
  tree is marked git_dirty; IMAGE_TAG= may run another image.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tbctl.errors import UserError

# Docker's rule for image tags (ECR enforces it too).
IMAGE_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
# A version tag: optional v, numeric parts, optional semver pre-release and build metadata. ASCII digits only.
_IDENT = r"[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*"
VERSION = re.compile(rf"^[vV]?(?P<core>[0-9]+(?:\.[0-9]+)*)(?:-(?P<pre>{_IDENT}))?(?:\+{_IDENT})?$")


@dataclass(frozen=True)
class Release:
    tag: str  # the git tag (or dev-<shortsha>) this release is known by
    commit: str  # full sha of HEAD
    image_tag: str
    dirty: bool
    chosen: str = ""  # how the tag was chosen, when HEAD offered several

    @property
    def short_commit(self) -> str:
        return self.commit[:7]

    def describe(self) -> str:
        """`v1.2.0 (abc1234)`, with the reason for the tag when HEAD carries several."""
        return f"{self.tag} ({self.short_commit}{'; ' + self.chosen if self.chosen else ''})"

    def aws_tags(self, environment: str) -> dict[str, str]:
        """What every revision of this release carries, so rollback and status can find it."""
        tags = {"git_tag": self.tag, "git_commit": self.commit, "environment": environment, "managed-by": "tbctl"}
        if self.dirty:
            tags["git_dirty"] = "true"
        return tags


def version_key(tag: str) -> tuple | None:
    """A sort key in semver precedence order, None when `tag` is not a version. Equal keys: the same version."""
    match = VERSION.match(tag)
    if not match:
        return None
    core = [int(part) for part in match["core"].split(".")]
    while len(core) > 1 and core[-1] == 0:  # v1.2 is v1.2.0
        core.pop()
    if match["pre"] is None:
        return tuple(core), (1,)  # a release ranks above its pre-releases
    # Pre-release identifiers: numeric ones compare as numbers and below alphanumeric ones; more identifiers rank higher.
    pre = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in match["pre"].split("."))
    return tuple(core), (0, pre)


def choose(tags) -> tuple[str | None, str]:
    """(the tag that names a release of a commit carrying `tags`, how it was chosen: "" when there was no choice)."""
    tags = sorted(set(tags))
    if len(tags) <= 1:
        return (tags[0] if tags else None), ""
    versions = sorted((t for t in tags if version_key(t)), key=lambda t: (version_key(t), t), reverse=True)
    if not versions:
        raise UserError(f"HEAD carries several tags and none is a version ({', '.join(tags)}), so none names the release",
                        "pass TAG=<one of them>")
    best = versions[0]
    same = [t for t in versions if version_key(t) == version_key(best)]
    if len(same) > 1:
        raise UserError(f"HEAD carries tags of the same version ({', '.join(sorted(same))}), so none names the release",
                        "pass TAG=<one of them>")
    others = [t for t in tags if t not in versions]
    listed = ", ".join(versions) + (f"; not versions: {', '.join(others)}" if others else "")
    return best, f"highest version of HEAD's tags {listed}"


def image_of(tag: str) -> str | None:
    """The image tag a git tag's release runs: the git tag itself, or None when it cannot be an image tag."""
    return tag if IMAGE_TAG.match(tag) and tag != "latest" else None


def image_problem(containers: list, repository_url: str, image_tag: str | None) -> str | None:
    """Why `containers` do not run exactly the release image `<repository_url>:<image_tag>`; None when they do.

    Images of other repositories (sidecars, pinned in the committed template) are the template's business;
    any image of the release's repository must be the release's own, and one container must run it.
    """
    release_image = f"{repository_url}:{image_tag}" if image_tag else None
    runs_it = False
    for index, container in enumerate(containers or []):
        image = str(container.get("image", "")) if isinstance(container, dict) else ""
        name = container.get("name", f"#{index}") if isinstance(container, dict) else f"#{index}"
        if image == release_image:
            runs_it = True
        elif image.startswith((repository_url + ":", repository_url + "@")):
            return f"container {name} runs {image}, not the release image {release_image or '(none)'}"
    return None if runs_it else f"no container runs the release image {release_image or '(none)'}"


@dataclass(frozen=True)
class _Head:
    commit: str
    changes: list[str]  # paths that differ from HEAD: modified, staged, untracked (not ignored)
    tags: dict[str, str]  # every tag -> the commit it points at (annotated ones peeled)

    @property
    def on_head(self) -> list[str]:
        return sorted(name for name, commit in self.tags.items() if commit == self.commit)


def _git(cwd: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, input=stdin)
    except FileNotFoundError:
        raise UserError("git is not installed", "install git; releases are named by git tags") from None
    return done.returncode, done.stdout.strip("\n")


def _changes(cwd: Path) -> list[str]:
    """Paths that differ from HEAD. Untracked files count: a new .tf or template would ship without being committed."""
    _, out = _git(cwd, "status", "--porcelain", "-z")
    entries, paths = out.split("\0"), []
    skip = False
    for entry in entries:
        if skip:  # the original path of a rename or copy
            skip = False
            continue
        if len(entry) > 3:
            paths.append(entry[3:])
            skip = entry[0] in "RC"
    return paths


def _tags(cwd: Path) -> dict[str, str]:
    """Every tag and the commit it names, in two git calls however many tags there are (nested tags peeled too)."""
    _, refs = _git(cwd, "for-each-ref", "--format=%(refname)", "refs/tags")
    names = [line for line in refs.splitlines() if line]
    if not names:
        return {}
    _, peeled = _git(cwd, "cat-file", "--batch-check=%(objectname) %(objecttype)",
                     stdin="".join(f"{name}^{{commit}}\n" for name in names))
    tags = {}
    for name, line in zip(names, peeled.splitlines()):
        sha, _, kind = line.partition(" ")
        if kind == "commit":  # a tag of a tree or blob names no release
            tags[name[len("refs/tags/"):]] = sha
    return tags


def _head(cwd: Path) -> _Head:
    code, commit = _git(cwd, "rev-parse", "--verify", "HEAD")
    if code != 0:
        raise UserError(f"{cwd} is not a git repository with a commit", "commit your work; releases are named by git commits and tags")
    return _Head(commit=commit.strip(), changes=_changes(cwd), tags=_tags(cwd))


def _named(head: _Head, tag: str | None) -> tuple[str | None, str]:
    """(the tag naming the release, how it was chosen); TAG= must be a tag on HEAD."""
    on_head = head.on_head
    if not tag:
        return choose(on_head)
    if tag not in head.tags:
        listed = f"HEAD's tags: {', '.join(on_head)}" if on_head else "HEAD has no tag"
        raise UserError(f"TAG={tag} is not a tag in this repository ({listed})",
                        "pass TAG= one of HEAD's tags, or drop TAG=" if on_head else f"tag HEAD first (git tag {tag}), or drop TAG=")
    if head.tags[tag] != head.commit:
        raise UserError(f"TAG={tag} points at commit {head.tags[tag][:7]}, not at HEAD ({head.commit[:7]})",
                        f"check out {tag} (git checkout {tag}) to ship it, or drop TAG= to ship HEAD")
    return tag, ""


def _changed_list(changes: list[str]) -> str:
    return ", ".join(changes[:3]) + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")


def _image(name: str | None, head: _Head, image_tag: str | None, production: bool) -> str:
    implied = image_of(name) if name else f"dev-{head.commit[:7]}"
    if image_tag:
        if production and image_tag != implied:
            raise UserError(f"IMAGE_TAG={image_tag} would run another image under the name of release "
                            f"{name or 'HEAD'}; production runs only the image of its git tag ({implied or name})",
                            "drop IMAGE_TAG=; to ship that image, check out the commit it was built from, tag it, and deploy that tag")
        if not IMAGE_TAG.match(image_tag):
            raise UserError(f"IMAGE_TAG={image_tag} is not a valid image tag (letters, digits, '_', '.', '-'; up to 128)",
                            "pass IMAGE_TAG=<tag the image was pushed with>")
        if image_tag == "latest":
            raise UserError("IMAGE_TAG=latest does not name a release", "pass IMAGE_TAG=<the git tag the image was built from>, or drop it")
        return image_tag
    if implied:
        return implied
    why = f"git tag '{name}' cannot be an image tag (letters, digits, '_', '.', '-'; up to 128; not 'latest')"
    if production:
        raise UserError(f"{why}, and production runs the image named by its git tag",
                        "tag HEAD with a name that is a valid image tag (e.g. git tag v1.2.3) and deploy that tag")
    raise UserError(why, "pass IMAGE_TAG=<tag the image was pushed with>, or tag HEAD with a valid name (e.g. v1.2.3)")


def _resolve(cwd: Path, production: bool, tag: str | None, image_tag: str | None) -> tuple[Release, str | None]:
    """(the release, why production could not ship it yet or None). TAG=/IMAGE_TAG= mistakes always raise."""
    head = _head(cwd)
    tag, image_tag = (tag or "").strip() or None, (image_tag or "").strip() or None
    not_yet = None
    if production and head.changes:
        not_yet = UserError(f"production deploys only from a clean working tree, and this one has uncommitted changes "
                            f"({_changed_list(head.changes)})",
                            "commit or stash them (untracked files too), tag the commit, and deploy again")
    name, chosen = _named(head, tag)
    if production and not name and not not_yet:
        not_yet = UserError(f"production deploys only a tagged commit, and HEAD ({head.commit[:7]}) has no tag",
                            "tag it (git tag v1.2.3) and deploy again")
    image = _image(name, head, image_tag, production)
    release = Release(tag=name or f"dev-{head.commit[:7]}", commit=head.commit, image_tag=image,
                      dirty=bool(head.changes), chosen=chosen)
    return release, not_yet


def identify(cwd: Path, production: bool, tag: str | None = None, image_tag: str | None = None) -> Release:
    """The release at HEAD of the repository in `cwd`, or a UserError saying why it cannot ship."""
    release, not_yet = _resolve(cwd, production, tag, image_tag)
    if not_yet:
        raise not_yet
    return release


def preview(cwd: Path, production: bool, tag: str | None = None, image_tag: str | None = None) -> tuple[Release, str | None]:
    """The release as render and diff show it: production's clean-and-tagged rule only noted, (release, why it could not ship yet).

    TAG= and IMAGE_TAG= follow production's rules even here: a preview never shows another image under a tag's name.
    """
    release, not_yet = _resolve(cwd, production, tag, image_tag)
    return release, (not_yet.problem if not_yet else None)
