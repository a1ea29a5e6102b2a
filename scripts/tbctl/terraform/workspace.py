"""One Terraform root on one target: its folders, backend, environment and commands.

The working data (TF_DATA_DIR) lives under build/<target>/<root>/ so local and
AWS runs never share a backend; the AWS bootstrap root's local state lives in
state/ (paths.bootstrap_state), out of `make clean`'s reach. On the local target
a generated, git-ignored `tbctl_local_override.tf` points the AWS provider at
the emulator; the real configuration is never edited. `terraform init` is
skipped when nothing it depends on (backend settings, CLI config, module
sources, provider versions, lock file) changed since the last successful init.
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tbctl import paths
from tbctl.errors import UserError
from tbctl.target import Target, environ
from tbctl.terraform import cliconfig

OVERRIDE_NAME = "tbctl_local_override.tf"
STATE_BUCKET_PREFIX = "trading-bot-tfstate"
LOCAL_ACCOUNT = "123456789012"  # moto's default account
# Services the environments use; each is pointed at the emulator on the local target.
LOCAL_SERVICES = (
    "applicationautoscaling", "cloudwatch", "cloudwatchlogs", "ec2", "ecr", "ecs", "eventbridge",
    "iam", "kms", "route53", "s3", "secretsmanager", "servicediscovery", "sns", "sqs", "ssm", "sts",
)
# What terraform prints on stdout the moment it gets SIGINT (it then stops at a safe point and saves the state).
INTERRUPT_NOTICE = "Interrupt received"
HARD_STOP_NOTICE = "Two interrupts received"
_INIT_INPUTS = re.compile(r'^\s*(?:source|version|required_version|backend)\b.*$', re.M)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a terraform command (ours or terraform's own); terraform has ended and saved what it did."""

    def __init__(self, command: str, code: int, out: str, err: str):
        super().__init__(command)
        self.command, self.code, self.out, self.err = command, code, out, err

    @property
    def finished(self) -> bool:
        """terraform completed its work before the interrupt could stop it."""
        return self.code == 0

    @property
    def abrupt(self) -> bool:
        """A second Ctrl-C made terraform quit at once, without saving what was in flight."""
        return HARD_STOP_NOTICE in self.out + self.err


def _wait(process: subprocess.Popen, heard: threading.Event) -> tuple[int, bool]:
    """Wait for terraform to end; (its exit code, whether we got SIGINT meanwhile).

    Ctrl-C in a terminal reaches terraform as well as us, and terraform says so at
    once; a signal to tbctl alone (kill -INT, a CI runner's cancel) does not reach
    it, so it is passed on, once: a second SIGINT makes terraform quit without
    saving the state. Either way we wait for terraform to save and unlock.
    """
    received = threading.Event()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda *_: received.set()) if main else None
    forwarded = False
    try:
        while True:
            try:
                return process.wait(timeout=0.1), received.is_set()
            except subprocess.TimeoutExpired:
                pass
            if received.is_set() and not forwarded:
                forwarded = True
                if not heard.wait(1.0) and process.poll() is None:
                    process.send_signal(signal.SIGINT)
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def terraform_bin() -> str:
    found = shutil.which(os.environ.get("TERRAFORM", "terraform"))
    if not found:
        raise UserError("terraform is not installed or not on PATH",
                        "install Terraform 1.10 or newer, or set TERRAFORM=/path/to/terraform")
    return found


def state_bucket(target: Target) -> str:
    if os.environ.get("TF_STATE_BUCKET"):
        return os.environ["TF_STATE_BUCKET"]
    if target.local:
        return f"{STATE_BUCKET_PREFIX}-{LOCAL_ACCOUNT}"
    from tbctl.target import account_id

    return f"{STATE_BUCKET_PREFIX}-{account_id(target)}"


def state_key(name: str) -> str:
    return f"trading-bot/{name}.tfstate"


@dataclass
class Workspace:
    name: str  # development, production, bootstrap
    source: Path  # the root module's folder
    target: Target
    backend: str = "s3"  # s3 for environments; local for the bootstrap root; none for validation only
    _env: dict = field(default_factory=dict, repr=False)

    @classmethod
    def for_environment(cls, env, target: Target) -> "Workspace":
        source = paths.environment_dir(env.name)
        if not source.is_dir():
            raise UserError(f"the Terraform root of {env.name} is missing ({source})", "restore it from git")
        return cls(env.name, source, target)

    @classmethod
    def for_bootstrap(cls, target: Target) -> "Workspace":
        if not target.local:
            note = paths.migrate_bootstrap_state()
            if note:
                print(note, file=sys.stderr)
        return cls("bootstrap", paths.bootstrap_dir(), target, backend="local")

    # -- folders -------------------------------------------------------------
    @property
    def build(self) -> Path:
        return paths.build(self.target.name, self.name)

    @property
    def plan_file(self) -> Path:
        return self.build / "plan.tfplan"

    @property
    def plan_json(self) -> Path:
        return self.build / "plan.json"

    @property
    def plan_text(self) -> Path:
        return self.build / "plan.txt"

    # -- process environment --------------------------------------------------
    def environ(self) -> dict:
        if not self._env:
            env = dict(os.environ)
            env.update(environ(self.target))
            env.update(
                TF_DATA_DIR=str(self.build / "tfdata"),
                TF_CLI_CONFIG_FILE=str(cliconfig.ensure()),
                TF_IN_AUTOMATION="1",
                CHECKPOINT_DISABLE="1",
                TF_INPUT="0",
            )
            self._env = env
        return self._env

    # -- backend ---------------------------------------------------------------
    def backend_config(self) -> str:
        if self.backend == "none":
            return "none\n"
        if self.backend == "local":
            return f'path = "{paths.bootstrap_state(self.target.name)}"\n'
        lines = [
            f'bucket       = "{state_bucket(self.target)}"',
            f'key          = "{state_key(self.name)}"',
            f'region       = "{self.target.region}"',
            "use_lockfile = true",
            "encrypt      = true",
        ]
        if self.target.local:
            lines += [
                f'endpoints    = {{ s3 = "{self.target.endpoint}", sts = "{self.target.endpoint}" }}',
                "use_path_style              = true",
                "skip_credentials_validation = true",
                "skip_requesting_account_id  = true",
                "skip_metadata_api_check     = true",
                'access_key                  = "test"',
                'secret_key                  = "test"',
            ]
        return "\n".join(lines) + "\n"

    def _write_override(self) -> None:
        override = self.source / OVERRIDE_NAME
        if self.backend == "none":
            return  # validation never talks to AWS
        if not self.target.local:
            override.unlink(missing_ok=True)
            return
        width = max(len(name) for name in LOCAL_SERVICES)  # aligned as `terraform fmt` would
        endpoints = "\n".join(f'    {name:<{width}} = "{self.target.endpoint}"' for name in LOCAL_SERVICES)
        content = (
            "# Generated by tbctl for TARGET=local (git-ignored): the AWS provider talks to the emulator.\n"
            'provider "aws" {\n'
            '  access_key                  = "test"\n'
            '  secret_key                  = "test"\n'
            "  s3_use_path_style           = true\n"
            "  skip_credentials_validation = true\n"
            "  skip_metadata_api_check     = true\n"
            "  skip_requesting_account_id  = true\n"
            "  max_retries                 = 2\n"  # a dead emulator fails in seconds, not minutes
            f"  endpoints {{\n{endpoints}\n  }}\n"
            "}\n"
        )
        if not override.exists() or override.read_text() != content:
            override.write_text(content)

    # -- commands --------------------------------------------------------------
    def terraform(self):
        from python_terraform import Terraform

        return Terraform(working_dir=str(self.source), terraform_bin_path=terraform_bin())

    def run(self, *args: str, echo: bool = False, log: Path | None = None) -> tuple[int, str, str]:
        """Run `terraform <args>` in this root; stream stdout when echo, keep a copy in log.

        python-terraform builds the command line; we start the process ourselves
        because its cmd() cannot stream output or take a per-call environment
        (and passes its `synchronous` flag on to terraform). Raises Interrupted
        when Ctrl-C stopped terraform, after terraform has ended.
        """
        command = self.terraform().generate_cmd_string(args[0], *args[1:])
        process = subprocess.Popen(command, cwd=self.source, env=self.environ(), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines: list[str] = []
        errors: list[bytes] = []
        heard = threading.Event()  # terraform said it received an interrupt

        def pump() -> None:
            for raw in process.stdout:
                line = raw.decode("utf-8", "replace")
                lines.append(line)
                if line.startswith(INTERRUPT_NOTICE):
                    heard.set()
                if echo:
                    sys.stdout.write(line)
                    sys.stdout.flush()

        readers = [threading.Thread(target=pump), threading.Thread(target=lambda: errors.append(process.stderr.read()))]
        for reader in readers:
            reader.start()
        code, received = _wait(process, heard)
        for reader in readers:
            reader.join()
        out, err = "".join(lines), b"".join(errors).decode("utf-8", "replace")
        if log:
            log.write_text(out + err)
        if received or heard.is_set():
            raise Interrupted(args[0], code, out, err)
        return code, out, err

    def _init_fingerprint(self) -> str:
        digest = hashlib.sha256()
        digest.update(self.backend_config().encode())
        digest.update(cliconfig.ensure().read_bytes())
        lock = self.source / ".terraform.lock.hcl"
        if lock.exists():
            digest.update(lock.read_bytes())
        for tf_file in sorted(self.source.glob("*.tf")) + sorted((paths.root() / "infrastructure" / "modules").glob("*/*.tf")):
            digest.update(tf_file.name.encode())
            digest.update("\n".join(_INIT_INPUTS.findall(tf_file.read_text())).encode())
        return digest.hexdigest()

    def init(self, quiet: bool = True) -> bool:
        """Initialise when needed; True when terraform init actually ran."""
        self._write_override()
        stamp = self.build / "init.stamp"
        fingerprint = self._init_fingerprint()
        if stamp.exists() and stamp.read_text() == fingerprint and (self.build / "tfdata").is_dir():
            return False
        stamp.unlink(missing_ok=True)  # a failed init must never leave a matching stamp behind
        if self.backend == "none":
            backend_args = ["-backend=false"]
        else:
            config = self.build / f"backend.{self.backend}.tfbackend"
            config.write_text(self.backend_config())
            backend_args = ["-reconfigure", f"-backend-config={config}"]
        code, out, err = self.run("init", "-input=false", "-no-color", *backend_args)
        if code != 0:
            (self.build / "init.log").write_text(out + err)
            raise failure(f"terraform init failed for {self.name}", f"see {self.build / 'init.log'}", out, err)
        stamp.write_text(fingerprint)
        if not quiet:
            print(f"initialised {self.name}", file=sys.stderr)
        return True


def first_error(text: str) -> str:
    """Terraform's first error as one line: summary, where, and the first sentence of the detail.

    The detail is a paragraph terraform wraps at about 78 columns; it is joined
    before its first sentence is taken, so the line never ends mid-sentence. In
    terraform's error box the source snippet is indented and the detail is not:
      │ Error: Invalid value for variable
      │   on main.tf line 64, in module "ecs_service":
      │   64:   memory = 4096
      │ memory is not a valid Fargate pair for this cpu: 256 takes 512/1024/2048.
    """
    body = [_unboxed(line) for line in text.splitlines()]
    for index, line in enumerate(body):
        if not line.startswith("Error:"):
            continue
        summary, where, paragraph = line[len("Error:"):].strip(), "", []
        for follow in body[index + 1:]:
            if follow.startswith(("Error:", "Warning:")):
                break
            if follow.startswith("  on ") and not where and not paragraph:
                where = follow.strip()[3:].split(",")[0].rstrip(":")
            elif follow and not follow[0].isspace():
                paragraph.append(follow.strip())
            elif paragraph:
                break  # the detail's paragraph ended
        detail = re.split(r"(?<=[.])\s+(?=[A-Z(\"'`])", " ".join(paragraph))[0].rstrip(".:") if paragraph else ""
        return summary + (f" ({where})" if where else "") + (f": {detail}" if detail else "")
    rest = [line.strip(" │╷╵\t") for line in text.splitlines() if line.strip(" │╷╵\t")]
    return rest[-1] if rest else "no output"


def _unboxed(line: str) -> str:
    """A line of terraform's diagnostics without the box a terminal gets (`│ ` in front, `╷`/`╵` around)."""
    line = line.rstrip()
    if line.startswith(("╷", "╵")):
        return ""
    if line.startswith("│"):
        return line[2:] if line.startswith("│ ") else line[1:]
    return line


def failure(problem: str, fix: str, out: str, err: str, echoed: bool = False) -> UserError:
    """A failed terraform command: terraform's own text whole as the details, ours as the one line.

    `echoed`: terraform's stdout was already shown as it ran, so only its stderr is new to the user.
    """
    text = err if err.strip() else out
    details = err if echoed else (err if err.strip() else out)
    return UserError(f"{problem}: {first_error(text)}", fix, details=details)
