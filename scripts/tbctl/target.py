"""Where AWS is: the local emulator (default) or the real account.

Every AWS client of ours is made here, so endpoint, credentials and the retry
policy (bounded, standard mode: throttling and transient errors are retried)
are decided once.
"""

import os
from dataclasses import dataclass

from tbctl.errors import UserError

TARGETS = ("local", "aws")
DEFAULT_LOCAL_PORT = 4599
LOCAL_REGION = "us-east-1"
# The emulator accepts any key; these fixed ones keep local runs off real credentials.
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
MAX_ATTEMPTS = int(os.environ.get("TBCTL_MAX_ATTEMPTS", "5"))


@dataclass(frozen=True)
class Target:
    name: str
    region: str
    endpoint: str | None  # None: AWS's own endpoints

    @property
    def local(self) -> bool:
        return self.name == "local"


def local_port() -> int:
    raw = os.environ.get("TBCTL_LOCAL_PORT") or os.environ.get("LOCAL_PORT") or str(DEFAULT_LOCAL_PORT)
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise UserError(f"LOCAL_PORT '{raw}' is not a port number", "set LOCAL_PORT to a number from 1024 to 65535")
    return int(raw)


def resolve(name: str | None = None) -> Target:
    key = (name or os.environ.get("TARGET") or "local").strip().lower()
    if key not in TARGETS:
        raise UserError(f"unknown target '{name}'", "use TARGET=local (the emulator, default) or TARGET=aws")
    if key == "local":
        return Target("local", LOCAL_REGION, f"http://127.0.0.1:{local_port()}")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return Target("aws", region, None)


def environ(target: Target) -> dict[str, str]:
    """Variables for child processes (terraform) so they talk to the same AWS as we do."""
    env = {"AWS_REGION": target.region, "AWS_DEFAULT_REGION": target.region}
    if target.local:
        env.update(LOCAL_CREDENTIALS)
        # Never let a developer's profile or AWS config files leak into (or break) local runs.
        env.update(AWS_PROFILE="", AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return env


_clients: dict = {}
_sessions: dict = {}


def client(target: Target, service: str):
    """A boto3 client for `service` on `target`, cached per process."""
    key = (target, service)
    if key not in _clients:
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
            connect_timeout=5,
            read_timeout=60,
        )
        kwargs = {"region_name": target.region, "config": config}
        if target.local:
            kwargs.update(
                endpoint_url=target.endpoint,
                aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            )
        _clients[key] = _session(target.local).client(service, **kwargs)
    return _clients[key]


def _session(local: bool):
    """One session per kind per process (loading the data files costs ~35 ms each time).

    The local one never reads the user's AWS settings: a mistyped AWS_PROFILE
    or a broken ~/.aws/config is no reason for the emulator to refuse.
    """
    if local not in _sessions:
        import boto3
        import botocore.session

        isolated = {"profile": (None, None, None, None), "config_file": (None, None, os.devnull, None),
                    "credentials_file": (None, None, os.devnull, None)}
        core = botocore.session.Session(session_vars=isolated) if local else None
        _sessions[local] = boto3.session.Session(botocore_session=core)
    return _sessions[local]


def account_id(target: Target) -> str:
    return client(target, "sts").get_caller_identity()["Account"]
