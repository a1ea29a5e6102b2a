"""Download a document's current version and verify its checksum before anyone uses it."""

from tbctl.config import documents, envelope
from tbctl.config.store import Store, Stored
from tbctl.errors import UserError


def pull(env, target, name: str) -> Stored:
    name = documents.check_name(name)
    store = Store(env, target)
    stored = store.current(name)
    if stored is None:
        raise UserError(f"{store.where(f'configs/{name}.json')} does not exist yet",
                        f"publish it with make config-push ENV={env.short}")
    envelope.verify(stored.envelope, store.where(stored.key))
    return stored
