"""Where the document files a command reads come from: the working tree, or the commit at HEAD.

`to_publish` is the one place config-push gets its documents. Development
publishes its working tree (metadata records `<sha>-dirty` when it differs from
HEAD). Production is published only from committed files: its documents are
read from HEAD's git objects, so nothing uncommitted can slip in between the
check and the upload, and the push is refused while anything under
config/production/ differs from HEAD. "Differs" is decided by hashing every file
there as `git add` would and comparing with HEAD's tree, not by asking
`git status`, which trusts the index: modified, staged, deleted, new and
ignored files count, and so do edits hidden by assume-unchanged or
skip-worktree. Symbolic links are refused: a link's committed content is its
target's name, not the document.
"""

import os
import subprocess
from pathlib import Path

from tbctl import paths
from tbctl.config import documents
from tbctl.errors import UserError

_REGULAR = {"100644", "100755"}
_LISTED = 5
_REDIRECTS = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
              "GIT_COMMON_DIR", "GIT_NAMESPACE"}  # changed files named in the refusal; the rest are counted


class Source:
    """One environment's document files, and the commit the store's metadata records for them."""

    def __init__(self, env, commit):
        self.env = env
        self._commit = commit

    @property
    def commit(self) -> str:
        if callable(self._commit):  # resolved on first use: a push that uploads nothing never asks git
            self._commit = self._commit()
        return self._commit

    def path(self, filename: str) -> Path:
        return documents.folder(self.env) / filename

    def filenames(self) -> list[str]:
        """The `*.json` files directly in the environment's folder."""
        raise NotImplementedError

    def read(self, filename: str) -> tuple[bytes, int]:
        raise NotImplementedError

    def document(self, name: str) -> object:
        path = self.path(f"{name}.json")
        return documents.parse(documents.label(path), *self.read(path.name))

    def unknown(self) -> list[Path]:
        """JSON files in the folder that are not one of the documents (likely a typo in a name)."""
        known = {f"{name}.json" for name in documents.NAMES}
        return [self.path(name) for name in self.filenames() if name not in known]


class WorkingTree(Source):
    def __init__(self, env):
        from tbctl.config import envelope

        super().__init__(env, envelope.git_commit)

    def filenames(self) -> list[str]:
        return sorted(path.name for path in documents.folder(self.env).glob("*.json"))

    def read(self, filename: str) -> tuple[bytes, int]:
        return documents.read_file(self.path(filename))


class Committed(Source):
    def __init__(self, env, commit: str, files: dict[str, bytes]):
        super().__init__(env, commit)
        self.files = files

    def filenames(self) -> list[str]:
        return sorted(self.files)

    def read(self, filename: str) -> tuple[bytes, int]:
        if filename not in self.files:
            raise UserError(f"{documents.label(self.path(filename))} is missing from commit {self.commit[:12]}",
                            "add it (see config/schemas/) and commit it")
        return self.files[filename], len(self.files[filename])


def working_tree(env) -> WorkingTree:
    base = documents.folder(env)
    if not base.is_dir():
        raise UserError(f"no config folder for {env.name} ({base})",
                        f"add config/{env.name}/ with {', '.join(documents.NAMES)}")
    return WorkingTree(env)


def to_publish(env) -> Source:
    """The documents config-push may publish for `env`: production's only as committed at HEAD."""
    return committed(env) if env.production else working_tree(env)


def committed(env) -> Committed:
    """The environment's files as committed at HEAD; refused while the working tree differs from HEAD there."""
    folder = f"config/{env.name}"
    head = _git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        why = _first_line(head.stderr) or "no commit yet"
        raise UserError(f"{env.name} configuration is published only from committed files, and git finds no commit in "
                        f"{paths.root()} ({why})", f"commit config/{env.name}/ in this repository, then re-run make config-push ENV={env.short}")
    commit = head.stdout.decode().strip()
    tree = _tree(commit, folder)
    changes = _changes(commit, folder, tree)
    if changes:
        named = [f"{path.removeprefix(folder + '/')} {kind}" for path, kind in sorted(changes.items())]
        more = f" and {len(named) - _LISTED} more" if len(named) > _LISTED else ""
        raise UserError(f"{folder}/ has uncommitted changes ({', '.join(named[:_LISTED])}{more}), and {env.name} "
                        "configuration is published only from committed files",
                        f"commit them (git add {folder} && git commit) or undo them, then re-run make config-push ENV={env.short}")
    files = {}
    for path, (_, sha) in tree.items():
        name = path.removeprefix(folder + "/")
        if "/" not in name and name.endswith(".json"):
            files[name] = _git_ok("cat-file", "blob", sha).stdout
    return Committed(env, commit, files)


def _tree(commit: str, folder: str) -> dict[str, tuple[str, str]]:
    """{path: (mode, object id)} of every entry under `folder` in `commit`."""
    entries = {}
    for record in _git_ok("ls-tree", "-r", "-z", commit, "--", f"{folder}/").stdout.split(b"\0"):
        if record:
            meta, _, path = record.partition(b"\t")
            mode, _, sha = meta.decode().split(" ")
            entries[os.fsdecode(path)] = (mode, sha)
    return entries


def _changes(commit: str, folder: str, tree: dict[str, tuple[str, str]]) -> dict[str, str]:
    """{path: how it differs} for every file under `folder` whose working tree or index differs from `commit`."""
    root = paths.root()
    on_disk, links, special = [], [], []
    for top, dirs, names in os.walk(root / folder):
        for name in dirs + names:
            path = Path(top) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                links.append(relative)
            elif name in names:
                (on_disk if path.is_file() else special).append(relative)  # never hash a pipe: it would block
    changes = {path: "is a symbolic link" for path in links}
    changes.update({path: "is not a regular file" for path in special})
    changes.update({path: "is a symbolic link in the commit" for path, (mode, _) in tree.items()
                    if mode == "120000" and path not in links})
    changes.update({path: "is not a file in the commit" for path, (mode, _) in tree.items() if mode not in _REGULAR | {"120000"}})
    hashed = _git_ok("hash-object", "--", *on_disk).stdout.decode().split() if on_disk else []
    hidden = _hidden_from_status(folder)
    for path, sha in zip(on_disk, hashed):
        if path not in tree:
            changes.setdefault(path, "not committed")
        elif tree[path][1] != sha:
            changes.setdefault(path, "modified" if path not in hidden else
                               f"modified but hidden from git status by {hidden[path]} (undo with git update-index --no-{hidden[path]} {path})")
    for path in tree:
        if path not in on_disk and path not in links and path not in special:
            changes.setdefault(path, "deleted")
    # git's own view adds what content hashes cannot see: a staged version the working tree no longer
    # shows, and a changed file mode.
    for kind, args in (("staged", ("--cached", commit)), ("mode changed", ())):
        listed = _git_ok("diff", *args, "--name-only", "-z", "--no-renames", "--relative", "--", f"{folder}/")
        for path in filter(None, listed.stdout.split(b"\0")):
            changes.setdefault(os.fsdecode(path), kind)
    return changes


def _hidden_from_status(folder: str) -> dict[str, str]:
    """Files whose index entry tells git to skip the working tree: edits to them never show in git status."""
    hidden = {}
    for record in _git_ok("ls-files", "-v", "-z", "--", f"{folder}/").stdout.split(b"\0"):
        if len(record) > 2:
            flag, path = record[:1].decode(), os.fsdecode(record[2:])
            if flag == "S":
                hidden[path] = "skip-worktree"
            elif flag.islower():
                hidden[path] = "assume-unchanged"
    return hidden


def _git(*args: str) -> subprocess.CompletedProcess:
    # The repo is the one tbctl works on: GIT_DIR and friends (set inside git hooks) must not point elsewhere.
    env = {key: value for key, value in os.environ.items() if key not in _REDIRECTS}
    try:
        return subprocess.run(["git", *args], cwd=paths.root(), env=env, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise UserError("git is not installed, and production configuration is published only from committed files",
                        "install git") from None


def _git_ok(*args: str) -> subprocess.CompletedProcess:
    done = _git(*args)
    if done.returncode != 0:
        raise UserError(f"git {args[0]} failed in {paths.root()}: {_first_line(done.stderr)}",
                        "run the same git command to see why, fix the repository, and re-run")
    return done


def _first_line(output: bytes) -> str:
    lines = output.decode(errors="replace").strip().splitlines()
    return lines[0] if lines else ""
