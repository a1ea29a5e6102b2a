"""`make lint`: Terraform format and validity, checkov on the code and on the plans, config documents.

checkov runs from its own virtualenv (it pins old boto3). It must report zero
failed checks: a finding is fixed, or skipped inline with its reason
(`#checkov:skip=CKV_...:why`), and the README keeps the table of skips.
"""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tbctl import paths
from tbctl.errors import UserError
from tbctl.target import Target
from tbctl.terraform import cliconfig
from tbctl.terraform.workspace import OVERRIDE_NAME, Workspace, failure, terraform_bin


@dataclass
class CheckovResult:
    passed: int
    failed: int
    skipped: int
    failures: list  # "CKV_AWS_1 resource (file:line)"

    def line(self, what: str) -> str:
        return f"checkov {what}: {self.passed} passed, {self.failed} failed, {self.skipped} skipped (inline, justified)"


def check_format() -> None:
    """`terraform fmt -check` on our Terraform; the generated local override is not ours to format."""
    infra = paths.root() / "infrastructure"
    files = [str(f) for f in sorted(infra.rglob("*.tf")) if f.name != OVERRIDE_NAME and ".terraform" not in f.parts]
    env = dict(os.environ, TF_CLI_CONFIG_FILE=str(cliconfig.ensure()), CHECKPOINT_DISABLE="1")
    done = subprocess.run([terraform_bin(), "fmt", "-check", "-list=true", *files], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        names = ", ".join(str(Path(f).relative_to(paths.root())) for f in done.stdout.split())
        raise UserError(f"Terraform files are not formatted: {names or done.stderr.strip()}", "run `make fmt`")


def validate(name: str, source: Path) -> None:
    workspace = Workspace(name, source, Target("lint", "us-east-1", None), backend="none")
    workspace.init()
    code, out, err = workspace.run("validate", "-no-color")
    if code != 0:
        raise failure(f"terraform validate failed for {name}", f"fix {source}", out, err)


def _parse(report_text: str) -> CheckovResult:
    data = json.loads(report_text) if report_text.strip() else {}
    reports = data if isinstance(data, list) else [data]
    passed = failed = skipped = 0
    failures = []
    for report in reports:
        summary = report.get("summary", {})
        passed += summary.get("passed", 0)
        failed += summary.get("failed", 0)
        skipped += summary.get("skipped", 0)
        for check in report.get("results", {}).get("failed_checks", []):
            lines = check.get("file_line_range") or ["?"]
            failures.append(f"{check['check_id']} {check['resource']} ({check['file_path']}:{lines[0]})")
    return CheckovResult(passed, failed, skipped, failures)


def checkov(binary: str, args: list[str], save_to: Path) -> CheckovResult:
    if not Path(binary).exists():
        raise UserError(f"checkov is not installed at {binary}", "run `make lint`, which installs it into .venv-checkov")
    command = [binary, *args, "--quiet", "--compact", "-o", "json", "--skip-download",
               "--skip-path", OVERRIDE_NAME.replace(".", r"\.")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=paths.root(),
                          env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
                               "BC_SKIP_MAPPING": "TRUE", "LOG_LEVEL": "ERROR"})
    if done.returncode not in (0, 1):
        said = (done.stderr or done.stdout).strip()
        raise UserError(f"checkov could not run: {(said.splitlines() or ['no output'])[-1]}", "see its output above",
                        details=said)
    save_to.write_text(done.stdout)
    try:
        return _parse(done.stdout)
    except json.JSONDecodeError:
        raise UserError("checkov printed something that is not JSON", f"see {save_to}") from None
