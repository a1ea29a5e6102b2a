"""One Terraform root on one target: its folders, backend, environment and commands.

The working data (TF_DATA_DIR) lives under build/<target>/<root>/ so local and
AWS runs never share a backend. On the local target a generated, git-ignored
`tbctl_local_override.tf` points the AWS provider at the emulator; the real
configuration is never edited. `terraform init` is skipped when nothing it
depends on (backend settings, CLI config, module sources, provider versions,
lock file) changed since the last successful init.
"""

import hashlib
import os
import re
import shutil
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
_INIT_INPUTS = re.compile(r'^\s*(?:source|version|required_version|backend)\b.*$', re.M)


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
            return f'path = "{self.build / "terraform.tfstate"}"\n'
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
        (and passes its `synchronous` flag on to terraform).
        """
        command = self.terraform().generate_cmd_string(args[0], *args[1:])
        process = subprocess.Popen(command, cwd=self.source, env=self.environ(), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        errors: list[bytes] = []
        reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))
        reader.start()
        lines = []
        try:
            for raw in process.stdout:
                line = raw.decode("utf-8", "replace")
                lines.append(line)
                if echo:
                    sys.stdout.write(line)
                    sys.stdout.flush()
        except KeyboardInterrupt:
            # terraform got the same Ctrl-C: let it save the state and release the lock first
            process.wait()
            reader.join()
            raise
        code = process.wait()
        reader.join()
        out, err = "".join(lines), b"".join(errors).decode("utf-8", "replace")
        if log:
            log.write_text(out + err)
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
            raise UserError(f"terraform init failed for {self.name}: {first_error(err or out)}",
                            f"see {self.build / 'init.log'}")
        stamp.write_text(fingerprint)
        if not quiet:
            print(f"initialised {self.name}", file=sys.stderr)
        return True


def first_error(text: str) -> str:
    """Terraform's first error as one line: summary, where, and the first sentence of the detail.

    In terraform's error box the source snippet is indented and the detail is not:
      │ Error: Invalid value for variable
      │   on main.tf line 64, in module "ecs_service":
      │   64:   memory = 4096
      │ memory is not a valid Fargate pair for this cpu: 256 takes 512/1024/2048.
    """
    body = [line.lstrip("╷╵").removeprefix("│").removeprefix(" ").rstrip() for line in text.splitlines()]
    for index, line in enumerate(body):
        if not line.startswith("Error:"):
            continue
        summary, where, detail = line[len("Error:"):].strip(), "", ""
        for follow in body[index + 1:]:
            if follow.startswith("Error:") or detail:
                break
            if follow.startswith("  on ") and not where:
                where = follow.strip()[3:].split(",")[0].rstrip(":")
            elif follow and not follow[0].isspace():
                detail = follow.split(". ")[0].rstrip(".")
        return summary + (f" ({where})" if where else "") + (f": {detail}" if detail else "")
    rest = [line.strip(" │╷╵\t") for line in text.splitlines() if line.strip(" │╷╵\t")]
    return rest[-1] if rest else "no output"
