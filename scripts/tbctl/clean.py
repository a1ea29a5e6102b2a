"""`make clean`: stop this checkout's emulators and remove what tbctl made in build/, never state.

Runs as `python -m tbctl.clean` with the standard library only, so it works
without the virtualenv. It removes only the entries of build/ that tbctl and
the Makefile make (OUTPUTS); anything else found there is kept and named. The
AWS bootstrap state lives in state/, which clean never touches; one still in
build/ from before is moved there first.
"""

import fnmatch
import shutil
import sys
from pathlib import Path

from tbctl import paths
from tbctl.errors import UserError, translate

# The top-level entries of build/ that are ours: per-target working data, the CLI config, logs, scan reports.
OUTPUTS = ("local", "aws", "lint", "terraformrc", "checkov-*.json", "pip.log", "pip-checkov.log", "bench-*.log")


def _ours(entry: Path) -> bool:
    return any(fnmatch.fnmatchcase(entry.name, pattern) for pattern in OUTPUTS)


def _stop_emulators(build: Path) -> list[str]:
    """Stop every emulator this checkout started (one pid file per port): their pid files are about to go.

    One that another checkout started on the same port is left to it: its pid file is not ours to remove.
    """
    from tbctl.emulator import control

    ports = set()
    for pid_file in sorted((build / "local").glob("emulator-*.pid")) if (build / "local").is_dir() else []:
        number = pid_file.stem.removeprefix("emulator-")
        if number.isdigit():
            ports.add(int(number))
    lines = []
    for port in sorted(ports):
        result = control.down(port, started_here=True)
        lines += result.notes
        if result.stopped:
            lines.append(f"local AWS emulator on port {port} stopped")
    return lines


def clean() -> list[str]:
    """Do it; the lines to print, one per step."""
    lines = []
    note = paths.migrate_bootstrap_state()
    if note:
        lines.append(note)
    build = paths.root() / "build"
    if build.is_symlink() or (build.exists() and not build.is_dir()):
        return lines + [f"kept {paths.display(build)}: it is not a folder tbctl made (a file or a link); nothing removed"]
    if not build.exists():
        return lines + ["nothing to clean"]
    lines += _stop_emulators(build)
    kept = []
    for entry in sorted(build.iterdir()):
        if not _ours(entry):
            kept.append(entry.name)
        elif entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if kept:
        lines.append(f"removed tbctl's outputs from build/; kept what tbctl did not make: {', '.join(kept)}")
    else:
        build.rmdir()
        lines.append("removed build/")
    if paths.root().joinpath("state").is_dir():
        lines.append("kept state/ (Terraform state on this machine: the AWS bootstrap root's)")
    return lines


def main() -> int:
    try:
        for line in clean():
            print(line)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.code
    except OSError as exc:
        known = translate(exc)
        if not known:
            raise
        print(f"error: {known}", file=sys.stderr)
        return known.code
    return 0


if __name__ == "__main__":
    sys.exit(main())
