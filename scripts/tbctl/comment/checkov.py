"""The checkov result for an environment (what `make lint` saved), as counts and the failed checks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FailedCheck:
    check_id: str
    name: str
    resource: str
    where: str  # file:line
    guideline: str


@dataclass(frozen=True)
class CheckovResult:
    passed: int
    failed: int
    skipped: int
    failures: tuple[FailedCheck, ...]


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
            lines = check.get("file_line_range") or []
            where = f"{check.get('file_path') or '?'}" + (f":{lines[0]}" if lines else "")
            failures.append(FailedCheck(check.get("check_id") or "?", check.get("check_name") or "",
                                        check.get("resource") or "?", where, check.get("guideline") or ""))
    return CheckovResult(passed, failed, skipped, tuple(failures))
