"""Copy one environment's current configuration to another: refuse production, back up, copy, verify.

Production only ever gets configuration pushed from the repo (reviewed, with
its own stricter limits), so it is refused as a destination before anything
is read. What travels is everything but the fields the schemas mark
environment-specific (see travel): those keep the destination's own values.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

from tbctl.config import canonical, check, documents, envelope, travel
from tbctl.config.push import unchanged
from tbctl.config.store import Store, current_key, say
from tbctl.errors import UserError


@dataclass(frozen=True)
class Report:
    backup_prefix: str | None  # None when the destination held nothing to back up
    copied: list[str]
    unchanged: list[str]


def keep_own(source, destination, wanted: dict, before: dict) -> dict:
    """The documents to write: the source's, with the destination's own values in every environment-specific field.

    Refused, naming the fields, when the destination has no value of its own for one the source has.
    """
    desired, lacking = {}, []
    for name, stored in wanted.items():
        own = before[name].document if before[name] is not None else None
        desired[name], missing = travel.keep_own(documents.schema(name), stored.document, own)
        if missing and own is None:
            lacking.append(f"no {name} of its own")
        elif missing:
            lacking.append(f"no {', '.join(map(travel.dotted, missing))} in its {name}")
    if lacking:
        raise UserError(f"{destination.name} has {'; '.join(lacking)}, and environment-specific fields (recipients, "
                        f"secrets) are never copied from {source.name}",
                        f"publish {destination.name}'s own with make config-push ENV={destination.short}, "
                        f"then re-run make config-sync FROM={source.short} TO={destination.short}")
    return desired


def refuse(source, destination) -> None:
    if destination.production:
        raise UserError(f"config sync into {destination.name} is refused",
                        f"production configuration is published from the repo: edit config/{destination.name}/ and run make config-push ENV={destination.short}")
    if source == destination:
        raise UserError(f"config sync from {source.name} to itself", "pass two different environments as FROM= and TO=")


def sync(source, destination, target, dry_run: bool = False) -> Report:
    refuse(source, destination)
    origin, store = Store(source, target), Store(destination, target)
    if origin.bucket == store.bucket:
        raise UserError(f"{source.name} and {destination.name} share the bucket {store.bucket}",
                        "give each environment its own bucket (check TBCTL_CONFIG_BUCKET contains {env})")
    wanted = origin.currents(documents.NAMES)
    missing = [name for name, stored in wanted.items() if stored is None]
    if missing:
        raise UserError(f"{source.name} has no {', '.join(missing)} in its store",
                        f"run make config-push ENV={source.short} first")
    for stored in wanted.values():
        envelope.verify(stored.envelope, origin.where(stored.key))
    found = check.problems([documents.Document(name, origin.where(s.key), s.document) for name, s in wanted.items()])
    if found:
        raise UserError(f"{source.name}'s stored configuration is invalid: {found[0]}",
                        f"fix config/{source.name}/ and run make config-push ENV={source.short} first")

    before = store.currents(documents.NAMES)
    for stored in before.values():
        if stored is not None:  # its own values are about to be kept: they must be the ones it was given
            envelope.verify(stored.envelope, store.where(stored.key))
    desired = keep_own(source, destination, wanted, before)
    found = check.problems([documents.Document(name, store.where(current_key(name)), desired[name]) for name in documents.NAMES])
    if found:
        raise UserError(f"{source.name}'s configuration with {destination.name}'s own environment-specific values would be invalid: {found[0]}",
                        f"correct config/{destination.name}/ and run make config-push ENV={destination.short} first")
    kept = [name for name in documents.NAMES if travel.specific_paths(documents.schema(name))]
    if kept:
        say(f"{', '.join(kept)}: {destination.name}'s own values kept in the environment-specific fields (config/schemas/)")
    checksums = {name: canonical.sha256(document) for name, document in desired.items()}
    changing = [name for name in documents.NAMES if not unchanged(before[name], checksums[name])]
    if dry_run:
        say(f"would back up and replace {', '.join(changing) or 'nothing'} in {store.where('configs/')} [dry run]")
        return Report(None, changing, [n for n in documents.NAMES if n not in changing])

    prefix = None
    existing = [stored for stored in before.values() if stored is not None]
    if existing and changing:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        prefix = f"backups/{stamp}-before-sync-from-{source.short}"
        store.backup(prefix, existing)
        say(f"backed up {len(existing)} documents of {destination.name} to {store.where(prefix + '/')}")

    for name in changing:
        source_meta = wanted[name].metadata
        version = int(before[name].metadata["version"]) + 1 if before[name] else 1
        new = envelope.build(name, destination, desired[name], version, source_meta.get("git_commit", "unknown"),
                             action="sync", synced_from=source.short, source_version=int(source_meta["version"]))
        store.publish(name, new, before[name])
        say(f"{name}: copied {source.short} version {source_meta['version']} as {destination.short} version {version}")

    # Verify every document the bot will read, changed or not.
    after = store.currents(documents.NAMES)
    for name in documents.NAMES:
        now = after[name]
        if now is None:
            raise UserError(f"{store.where(f'configs/{name}.json')} is missing after the sync", "re-run the sync")
        envelope.verify(now.envelope, store.where(now.key))
        if canonical.sha256(now.document) != checksums[name]:
            raise UserError(f"{store.where(now.key)} does not match {source.name} after the sync",
                            "another writer changed it meanwhile; re-run the sync" + (f" (backup: {prefix})" if prefix else ""))
    say(f"verified {len(documents.NAMES)} checksums in {store.where('configs/')}")
    return Report(prefix, changing, [n for n in documents.NAMES if n not in changing])
