"""A document's history in the store, newest first, each version's checksum verified."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tbctl.config import canonical, documents
from tbctl.config.store import Store
from tbctl.errors import UserError


@dataclass(frozen=True)
class Version:
    metadata: dict
    intact: bool  # the stored document still matches its checksum
    current: bool


def versions(env, target, name: str) -> list[Version]:
    name = documents.check_name(name)
    store = Store(env, target)
    numbers = store.version_numbers(name)
    if not numbers:
        raise UserError(f"{store.where(f'versions/{name}/')} holds no versions yet",
                        f"publish it with make config-push ENV={env.short}")
    with ThreadPoolExecutor(max_workers=8) as pool:
        current = pool.submit(store.current, name)
        stored = list(pool.map(lambda n: store.version(name, n), reversed(numbers)))
        current = current.result()
    current_version = int(current.metadata["version"]) if current else None
    return [Version(item.metadata, canonical.sha256(item.document) == item.metadata["sha256"],
                    int(item.metadata["version"]) == current_version)
            for item in stored if item is not None]
