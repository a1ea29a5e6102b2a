"""One environment's config bucket: its layout, reads, and the race-safe write.

  configs/<name>.json                the current envelope: what the bot reads
  versions/<name>/<000042>.json      an immutable copy of every version, written once
  backups/<UTC time>-before-sync-from-<env>/configs/<name>.json   what config-sync replaced

Two writers must never silently lose one another. A write of configs/<name>.json
is conditional on the ETag that was read (If-Match; If-None-Match: * for the
first version), so S3 refuses the second of two racing writes. Should a store
ever let both through (moto checks the condition and writes without a lock
unless our emulator layer serialises it), object versions settle it: after
writing, the version before ours must be the one we read; otherwise we withdraw
our version and report the lost race.
"""

import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tbctl.config import envelope
from tbctl.errors import UserError

LOST_CODES = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
MISSING_CODES = {"NoSuchKey", "404", "NotFound"}


def current_key(name: str) -> str:
    return f"configs/{name}.json"


def version_key(name: str, version: int) -> str:
    return f"versions/{name}/{version:06d}.json"


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


class LostRace(UserError):
    def __init__(self, where: str, name: str):
        super().__init__(f"lost the race: another writer changed {where} while this command ran; nothing of this run was kept for {name}",
                         "re-run the same command: it starts from the new current version (see make config-versions)")


@dataclass(frozen=True)
class Stored:
    key: str
    body: bytes
    etag: str
    version_id: str | None
    envelope: dict

    @property
    def metadata(self) -> dict:
        return self.envelope["metadata"]

    @property
    def document(self) -> object:
        return self.envelope["document"]


class Store:
    def __init__(self, env, target):
        from tbctl.config import bucket
        from tbctl.target import client

        if target.local:
            from tbctl.emulator import control

            control.up(quiet=True)
        self.env, self.target = env, target
        self.bucket = bucket.name(env, target)
        self.s3 = client(target, "s3")
        self._versioning_checked = False

    def where(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def _missing_bucket(self) -> UserError:
        return UserError(f"the config bucket {self.bucket} of {self.env.name} does not exist on TARGET={self.target.name}",
                         f"run `make apply ENV={self.env.short}` (or check {'TBCTL_CONFIG_BUCKET'})")

    # -- reads -----------------------------------------------------------------
    def get(self, key: str) -> Stored | None:
        """The envelope at `key` (not yet verified), or None when there is none."""
        try:
            reply = self.s3.get_object(Bucket=self.bucket, Key=key)
        except Exception as exc:  # botocore's ClientError, imported lazily
            if _code(exc) in MISSING_CODES:
                return None
            if _code(exc) == "NoSuchBucket":
                raise self._missing_bucket() from None
            raise
        body = reply["Body"].read()
        return Stored(key, body, reply["ETag"], reply.get("VersionId"), envelope.decode(body, self.where(key)))

    def current(self, name: str) -> Stored | None:
        return self.get(current_key(name))

    def currents(self, names) -> dict[str, Stored | None]:
        """Every named document's current envelope, fetched in parallel (the unchanged push is all reads)."""
        names = list(names)
        with ThreadPoolExecutor(max_workers=min(8, len(names) or 1)) as pool:
            return dict(zip(names, pool.map(self.current, names)))

    def version(self, name: str, version: int) -> Stored | None:
        return self.get(version_key(name, version))

    def version_numbers(self, name: str) -> list[int]:
        """The versions kept under versions/<name>/, oldest first."""
        numbers = []
        paginator = self.s3.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=f"versions/{name}/"):
                for item in page.get("Contents", []):
                    stem = item["Key"].rsplit("/", 1)[-1].removesuffix(".json")
                    if stem.isdigit():
                        numbers.append(int(stem))
        except Exception as exc:
            if _code(exc) == "NoSuchBucket":
                raise self._missing_bucket() from None
            raise
        return sorted(numbers)

    # -- writes ----------------------------------------------------------------
    def _require_versioning(self) -> None:
        if self._versioning_checked:
            return
        try:
            status = self.s3.get_bucket_versioning(Bucket=self.bucket).get("Status")
        except Exception as exc:
            if _code(exc) == "NoSuchBucket":
                raise self._missing_bucket() from None
            raise
        if status != "Enabled":
            raise UserError(f"the config bucket {self.bucket} has versioning off, so history could be lost",
                            "enable versioning on it (the config-store Terraform module does) and re-run")
        self._versioning_checked = True

    def publish(self, name: str, new: dict, expected: Stored | None) -> Stored:
        """Make `new` the current envelope of `name`, provided the current one is still `expected`."""
        self._require_versioning()
        key = current_key(name)
        body = envelope.encode(new)
        condition = {"IfMatch": expected.etag} if expected else {"IfNoneMatch": "*"}
        try:
            reply = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json", **condition)
        except Exception as exc:
            if _code(exc) in LOST_CODES or (expected and _code(exc) in MISSING_CODES):
                raise LostRace(self.where(key), name) from None
            raise
        ours = reply.get("VersionId")
        self._confirm_successor(key, ours, expected.version_id if expected else None, name)
        written = Stored(key, body, reply["ETag"], ours, new)
        if expected:
            self._keep_copy(name, expected, missing_only=True)  # heals a copy a crashed run never wrote
        self._keep_copy(name, written)
        return written

    def _confirm_successor(self, key: str, ours: str, before: str | None, name: str) -> None:
        listing = self.s3.list_object_versions(Bucket=self.bucket, Prefix=key)
        chain = [item["VersionId"] for item in listing.get("Versions", []) if item["Key"] == key]  # newest first
        position = chain.index(ours) if ours in chain else None
        previous = chain[position + 1] if position is not None and position + 1 < len(chain) else None
        if position is not None and previous == before:
            return
        # Another write landed between ours and the one we read: withdraw ours so the winner stays current.
        self.s3.delete_object(Bucket=self.bucket, Key=key, VersionId=ours)
        raise LostRace(self.where(key), name)

    def _keep_copy(self, name: str, stored: Stored, missing_only: bool = False) -> None:
        key = version_key(name, int(stored.metadata["version"]))
        if missing_only:
            try:
                self.s3.head_object(Bucket=self.bucket, Key=key)
                return
            except Exception as exc:
                if _code(exc) not in MISSING_CODES:
                    raise
        try:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=stored.body, ContentType="application/json", IfNoneMatch="*")
        except Exception as exc:
            if _code(exc) not in LOST_CODES:
                raise
            existing = self.get(key)
            if existing is None or existing.body != stored.body:
                raise UserError(f"{self.where(key)} already holds a different version {stored.metadata['version']}",
                                "inspect the bucket's history (make config-versions); the copies are never overwritten") from None

    def backup(self, prefix: str, stored: list[Stored]) -> list[str]:
        """Copy the exact bytes of `stored` under `prefix`; the keys written."""
        keys = []
        for item in stored:
            key = f"{prefix}/{item.key}"
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=item.body, ContentType="application/json", IfNoneMatch="*")
            keys.append(key)
        return keys


def say(line: str) -> None:
    """Progress for people, on stderr so stdout stays for documents and --json."""
    print(line, file=sys.stderr, flush=True)
