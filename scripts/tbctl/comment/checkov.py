"""The checkov result for an environment (what `make lint` saved), as counts and the failed checks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FailedCheck:
    check_id: str
    name: str
    resource: str
    where: str  # the Terraform file and line in the repo; "" when checkov scanned the plan JSON (no public place)
    guideline: str


@dataclass(frozen=True)
class CheckovResult:
    passed: int
    failed: int
    skipped: int
    failures: tuple[FailedCheck, ...]


def _where(check: dict) -> str:
    """`infrastructure/modules/x/main.tf:12` for a finding in the code; "" for one in a build file or elsewhere."""
    path = str(check.get("file_path") or "")
    if not path.endswith(".tf"):
        return ""
    from tbctl import paths
    from tbctl.errors import UserError

    try:
        root = str(paths.root())
    except UserError:
        root = "\0"
    path = path[len(root):] if path.startswith(root) else path
    path = path.lstrip("/")
    if path.startswith(("build/", ".")) or "/.terraform/" in path:
        return ""
    lines = check.get("file_line_range") or []
    return path + (f":{lines[0]}" if lines else "")


def summarize(reports: list[dict] | None) -> CheckovResult | None:
    """None when no scan ran; otherwise totals over checkov's reports (one per framework)."""
    if reports is None:
        return None
    passed = failed = skipped = 0
    failures = []
    for report in reports:
        summary = report.get("summary") or {}
        passed += int(summary.get("passed") or 0)
        failed += int(summary.get("failed") or 0)
        skipped += int(summary.get("skipped") or 0)
        for check in (report.get("results") or {}).get("failed_checks") or []:
            where = _where(check)
            failures.append(FailedCheck(check.get("check_id") or "?", check.get("check_name") or "",
                                        check.get("resource") or "?", where, check.get("guideline") or ""))
    return CheckovResult(passed, failed, skipped, tuple(failures))
