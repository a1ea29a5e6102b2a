"""Read the inputs of a comment: the plan JSON (validated), its text, a plan error, a checkov report.

Fixtures and CI artifacts may be gzipped: `<name>.gz` is read transparently.
"""

import gzip
import json
from pathlib import Path

from tbctl.errors import UserError


def _read_bytes(path: Path) -> bytes:
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.is_file():
            data = candidate.read_bytes()
            if candidate.suffix == ".gz":
                try:
                    return gzip.decompress(data)
                except (OSError, EOFError) as exc:
                    raise UserError(f"{candidate} is not a valid gzip file ({exc})",
                                    "re-download the plan artifact or re-run `make plan`") from None
            return data
    raise FileNotFoundError(path)


def exists(path: Path) -> bool:
    return path.is_file() or path.with_name(path.name + ".gz").is_file()


def plan(path: Path, hint: str) -> dict:
    """The plan as a dict; one clear UserError for a missing file, bad JSON or JSON that is no plan."""
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a plan JSON file", "pass the file `terraform show -json` wrote")
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        raise UserError(f"no plan JSON at {path}", hint) from None
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path} is not text (a binary plan?)",
                        "pass the JSON plan (`terraform show -json plan.tfplan > plan.json`), not the binary plan") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                        "pass the output of `terraform show -json <plan>`, or re-run `make plan`") from None
    if not isinstance(document, dict) or "format_version" not in document or not (
            "resource_changes" in document or "planned_values" in document or "prior_state" in document):
        raise UserError(f"{path} is JSON but not a Terraform plan (no format_version / resource_changes)",
                        "pass the output of `terraform show -json <plan>` (state JSON and other files are not plans)")
    major = str(document["format_version"]).split(".")[0]
    if major != "1":
        raise UserError(f"{path} has plan format {document['format_version']}, this tool reads format 1.x",
                        "plan with Terraform 1.x")
    return document


def text(path: Path) -> str | None:
    """A text file (plan text, plan error), or None when absent."""
    try:
        return _read_bytes(path).decode("utf-8", "replace")
    except FileNotFoundError:
        return None


def checkov(path: Path) -> list | None:
    """checkov's JSON report (one report, or a list of them), or None when no scan ran."""
    raw = text(path)
    if raw is None or not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UserError(f"the checkov report {path} is not valid JSON ({exc.msg})", "re-run `make lint`") from None
    reports = data if isinstance(data, list) else [data]
    return [report for report in reports if isinstance(report, dict)]
