"""Publish an environment's documents: validate all, then upload only those whose checksum changed."""

from dataclasses import dataclass

from tbctl.config import canonical, check, envelope, files
from tbctl.config.store import Store, Stored, say


@dataclass(frozen=True)
class Outcome:
    name: str
    changed: bool
    version: int  # the current version after the push (the would-be one on a dry run)
    sha256: str


def unchanged(stored: Stored | None, sha: str) -> bool:
    """True when the stored document is intact and equal to ours: nothing to write."""
    return (stored is not None and stored.metadata.get("sha256") == sha
            and canonical.sha256(stored.document) == sha)


def push(env, target, dry_run: bool = False) -> list[Outcome]:
    source = files.to_publish(env)  # production: committed files only, or refused here
    docs = check.require_valid([source])[env.short]
    store = Store(env, target)
    currents = store.currents(doc.name for doc in docs)
    outcomes = []
    for doc in docs:
        sha = canonical.sha256(doc.data)
        stored = currents[doc.name]
        if unchanged(stored, sha):
            outcomes.append(Outcome(doc.name, False, int(stored.metadata["version"]), sha))
            say(f"{doc.name}: unchanged (version {stored.metadata['version']})")
            continue
        version = int(stored.metadata["version"]) + 1 if stored else 1
        if dry_run:
            say(f"{doc.name}: would upload version {version} (sha256 {sha[:12]}…) [dry run]")
        else:
            new = envelope.build(doc.name, env, doc.data, version, source.commit, action="push")
            store.publish(doc.name, new, stored)
            say(f"{doc.name}: uploaded version {version} (sha256 {sha[:12]}…)")
        outcomes.append(Outcome(doc.name, True, version, sha))
    return outcomes
