"""Make an earlier version current again, as a new version: history is never rewritten."""

from tbctl.config import canonical, documents, envelope
from tbctl.config.store import Store, say
from tbctl.errors import UserError


def parse_version(text: str | None) -> int:
    raw = (text or "").strip().lower().removeprefix("v")
    if not raw.isdigit() or int(raw) < 1:
        raise UserError(f"'{text or ''}' is not a version number", "pass TO=<n> with a version listed by make config-versions")
    return int(raw)


def rollback(env, target, name: str, to: str, dry_run: bool = False) -> dict:
    """The metadata of the version now current."""
    name = documents.check_name(name)
    wanted = parse_version(to)
    store = Store(env, target)
    earlier = store.version(name, wanted)
    if earlier is None:
        raise UserError(f"version {wanted} of {name} is not in {store.where(f'versions/{name}/')}",
                        f"pick one listed by make config-versions ENV={env.short} NAME={name}")
    envelope.verify(earlier.envelope, store.where(earlier.key))
    current = store.current(name)
    sha = earlier.metadata["sha256"]
    if current is not None and current.metadata.get("sha256") == sha and canonical.sha256(current.document) == sha:
        say(f"{name}: version {current.metadata['version']} already has the content of version {wanted}; nothing changed")
        return current.metadata
    version = int(current.metadata["version"]) + 1 if current else 1
    if dry_run:
        say(f"{name}: would restore version {wanted} as version {version} [dry run]")
        return earlier.metadata
    new = envelope.build(name, env, earlier.document, version, earlier.metadata.get("git_commit", "unknown"),
                         action="rollback", restored_version=wanted)
    store.publish(name, new, current)
    # Verify what the bot will read, not what we meant to write.
    now = store.current(name)
    envelope.verify(now.envelope, store.where(now.key))
    if now.metadata["sha256"] != sha or int(now.metadata["version"]) != version:
        raise UserError(f"{store.where(now.key)} is not the restored version after the rollback",
                        "another writer changed it meanwhile; check make config-versions and re-run")
    say(f"{name}: restored version {wanted} as version {version} (sha256 {sha[:12]}…, verified)")
    return now.metadata
