"""The git release being shipped: tag, commit, image tag, and whether the tree is clean.

Production ships only a clean tree whose HEAD carries a tag; development ships
any commit, named by HEAD's tag, an explicit TAG=, or `dev-<shortsha>`.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tbctl.errors import UserError

# Docker's rule for image tags (ECR enforces it too).
IMAGE_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


@dataclass(frozen=True)
class Release:
    tag: str  # the git tag (or dev-<shortsha>) this release is known by
    commit: str  # full sha of HEAD
    image_tag: str
    dirty: bool

    @property
    def short_commit(self) -> str:
        return self.commit[:7]

    def aws_tags(self, environment: str) -> dict[str, str]:
        """What every revision of this release carries, so rollback and status can find it."""
        tags = {"git_tag": self.tag, "git_commit": self.commit, "environment": environment, "managed-by": "tbctl"}
        if self.dirty:
            tags["git_dirty"] = "true"
        return tags


def _git(cwd: Path, *args: str) -> tuple[int, str]:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError:
        raise UserError("git is not installed", "install git; releases are named by git tags") from None
    return done.returncode, done.stdout.strip()


def identify(cwd: Path, production: bool, tag: str | None = None, image_tag: str | None = None) -> Release:
    """The release at HEAD of the repository in `cwd`, or a UserError saying why it cannot ship."""
    return _identify(cwd, production, tag, image_tag)


def preview(cwd: Path, production: bool, tag: str | None = None, image_tag: str | None = None) -> tuple[Release, str | None]:
    """The release as render and diff show it: production's rules only noted, (release, why it could not ship yet)."""
    try:
        return _identify(cwd, production, tag, image_tag), None
    except UserError as refused:
        if not production:
            raise
        return _identify(cwd, False, tag, image_tag), refused.problem


def _identify(cwd: Path, production: bool, tag: str | None, image_tag: str | None) -> Release:
    code, commit = _git(cwd, "rev-parse", "--verify", "HEAD")
    if code != 0:
        raise UserError(f"{cwd} is not a git repository with a commit", "commit your work; releases are named by git commits and tags")
    _, status = _git(cwd, "status", "--porcelain", "--untracked-files=no")
    dirty = bool(status)
    _, points_at = _git(cwd, "tag", "--points-at", "HEAD")
    head_tags = points_at.split()
    code, described = _git(cwd, "describe", "--tags", "--exact-match", "HEAD")
    head_tag = described if code == 0 else (head_tags[0] if head_tags else None)
    tag = (tag or "").strip() or None

    if production:
        if dirty:
            raise UserError("production deploys only from a clean working tree, and this one has uncommitted changes",
                            "commit or stash them, tag the commit, and deploy again")
        if not head_tag:
            raise UserError(f"production deploys only a tagged commit, and HEAD ({commit[:7]}) has no tag",
                            "tag it (git tag v1.2.3) and deploy again")
    if tag and head_tags and tag not in head_tags:
        raise UserError(f"TAG={tag} but HEAD is tagged {', '.join(head_tags)}",
                        f"drop TAG= to ship {head_tag}, or check out the commit tagged {tag}")
    if production and tag and not head_tags:
        raise UserError(f"TAG={tag} does not point at HEAD", f"check out {tag} to deploy it, or use `make rollback TO={tag}`")
    name = tag or head_tag or f"dev-{commit[:7]}"
    image = (image_tag or "").strip() or name
    if not IMAGE_TAG.match(image):
        raise UserError(f"'{image}' is not a valid image tag (letters, digits, '_', '.', '-'; up to 128)",
                        "pass IMAGE_TAG=<tag the image was pushed with>")
    if image == "latest":
        raise UserError("the image tag 'latest' does not name a release", "pass IMAGE_TAG=<the git tag the image was built from>")
    return Release(tag=name, commit=commit, image_tag=image, dirty=dirty)
