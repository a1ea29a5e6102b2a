"""Read the inputs of a comment: the plan JSON (validated), its text, a plan error, a checkov report.

Fixtures and CI artifacts may be gzipped: `<name>.gz` is read transparently.
Text may come from Windows: a UTF-8 byte-order mark, or UTF-16 (what Windows
PowerShell's `>` writes), is decoded rather than refused.
"""

import codecs
import gzip
import json
from pathlib import Path

from tbctl.errors import UserError

# The JSON format's 1.x versions are written by Terraform 1.1 and later (1.0 still wrote 0.2).
READS_FORMAT = "1"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ZIP = b"PK\x03\x04"  # a binary plan file is a zip archive


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


def _encoding(data: bytes) -> str:
    """UTF-8 unless a byte-order mark or the zero bytes of UTF-16 say otherwise (JSON starts with ASCII)."""
    for bom, name in _BOMS:  # UTF-32's marks start with UTF-16's: checked first
        if data.startswith(bom):
            return name
    if len(data) >= 2 and data[0] and not data[1]:
        return "utf-16-le"
    if len(data) >= 2 and not data[0] and data[1]:
        return "utf-16-be"
    return "utf-8"


def decode(data: bytes) -> str:
    """Text from any encoding Windows or Unix tools write JSON in; UnicodeDecodeError when it is none."""
    return data.decode(_encoding(data))


def plan(path: Path, hint: str, remake: str = "`make plan`") -> dict:
    """The plan as a dict; one clear UserError for a missing file, bad JSON or JSON that is no plan.

    `remake` is the command that makes this plan again (`make plan ENV=dev`)."""
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a plan JSON file", "pass the file `terraform show -json` wrote")
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        raise UserError(f"no plan JSON at {path}", hint) from None
    if data.startswith(_ZIP):
        raise UserError(f"{path} is a binary plan file, not its JSON",
                        "pass the JSON: `terraform show -json plan.tfplan > plan.json`") from None
    try:
        document = json.loads(decode(data))
    except UnicodeDecodeError:
        raise UserError(f"{path} is neither UTF-8 nor UTF-16 text",
                        "re-save it as UTF-8 (PowerShell: `terraform show -json plan.tfplan | "
                        "Out-File -Encoding utf8 plan.json`)") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                        "pass the output of `terraform show -json <plan>`, or re-run `make plan`") from None
    if not isinstance(document, dict) or "format_version" not in document or not (
            "resource_changes" in document or "planned_values" in document or "prior_state" in document):
        raise UserError(f"{path} is JSON but not a Terraform plan (no format_version / resource_changes)",
                        "pass the output of `terraform show -json <plan>` (state JSON and other files are not plans)")
    version = str(document["format_version"])
    major = version.split(".")[0]
    if major != READS_FORMAT:
        written_by = document.get("terraform_version")
        by = f", written by Terraform {written_by}" if isinstance(written_by, str) and written_by else ""
        if major.isdigit() and int(major) < int(READS_FORMAT):
            raise UserError(f"{path} has plan format {version}{by}; this tool reads format 1.x, "
                            "which Terraform 1.1 and later write",
                            f"re-create the plan with Terraform 1.10 or later (what this repo requires): {remake}")
        raise UserError(f"{path} has plan format {version}{by}; this tool reads format 1.x only",
                        f"plan with Terraform 1.x (this repo requires 1.10 or later): {remake}; "
                        "or update tbctl to read the new format")
    return document


def text(path: Path) -> str | None:
    """A text file (plan text, plan error), or None when absent."""
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        return None
    try:
        return decode(data)
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


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
