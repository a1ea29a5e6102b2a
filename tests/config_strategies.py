"""Hypothesis strategies for config documents, built from the schemas themselves so they follow any change to them."""

import json
from pathlib import Path

from hypothesis import strategies as st

from tbctl.config import travel

SCHEMAS = Path(__file__).resolve().parents[1] / "config" / "schemas"
NOTIFICATION = json.loads((SCHEMAS / "notification-config.schema.json").read_text())
DEFS = NOTIFICATION["$defs"]
TELEGRAM = NOTIFICATION["properties"]["telegram"]["properties"]
EMAIL = NOTIFICATION["properties"]["email"]["properties"]


def pattern(node: dict) -> st.SearchStrategy:
    return st.from_regex(node["pattern"], fullmatch=True)


secret = pattern(DEFS["secret_reference"])
address = pattern(DEFS["email_address"])


@st.composite
def notification(draw) -> dict:
    """A valid notification-config with any recipients, senders, servers and secret references."""
    levels = TELEGRAM["notification_levels"]["items"]["enum"]
    telegram_on, email_on = draw(st.booleans()), draw(st.booleans())
    return {
        "telegram": {"enabled": telegram_on, "chat_id": draw(pattern(TELEGRAM["chat_id"])), "bot_token_secret": draw(secret),
                     "notification_levels": draw(st.lists(st.sampled_from(levels), unique=True, min_size=int(telegram_on)))},
        "email": {"enabled": email_on, "smtp_server": draw(pattern(EMAIL["smtp_server"])),
                  "smtp_port": draw(st.integers(1, 65535)), "sender_email": draw(address),
                  "password_secret": draw(secret),
                  "recipient_emails": draw(st.lists(address, unique=True, min_size=int(email_on), max_size=4))},
    }


def leaves(data, path=()):
    """(path, value) of every scalar, lists' items included (under their list's path)."""
    if isinstance(data, dict):
        for key, child in data.items():
            yield from leaves(child, path + (key,))
    elif isinstance(data, list):
        for child in data:
            yield from leaves(child, path)
    else:
        yield path, data


def specific_strings(doc: dict) -> set[str]:
    """The strings a notification-config holds in its environment-specific fields."""
    found = set()
    for path in travel.specific_paths(NOTIFICATION):
        value = doc
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        found |= {v for _, v in leaves({"v": value}) if isinstance(v, str)}
    return found
