"""The single entry point: `tbctl <command>`. Parses options and calls the command.

Each module in tbctl/commands/ is one command: it sets HELP, OPTIONS (the
shared options it takes, defined once below) and defines add_arguments() and
run(). Failures a user can cause end as one line on stderr and a non-zero exit.
"""

import argparse
import importlib
import os
import pkgutil
import sys

from tbctl import commands
from tbctl.errors import UserError, one_line, translate

# Shared options: defined once, taken by the commands that list them in OPTIONS.
SHARED = {
    "env": (("--env",), dict(default=os.environ.get("ENV"), help="dev, development, prod or production")),
    "target": (("--target",), dict(default=os.environ.get("TARGET") or "local", help="local (emulator, default) or aws")),
    "json": (("--json",), dict(action="store_true", help="print machine-readable JSON")),
    "dry_run": (("--dry-run",), dict(action="store_true", default=os.environ.get("DRY_RUN", "") not in ("", "0"),
                                     help="show what would change and change nothing")),
}


def _command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield info.name


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tbctl", description="Ship the trading bot to ECS Fargate.")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for name in _command_modules():
        module = importlib.import_module(f"tbctl.commands.{name}")
        command = sub.add_parser(name.replace("_", "-"), help=module.HELP, description=module.HELP)
        for option in getattr(module, "OPTIONS", ()):
            flags, kwargs = SHARED[option]
            command.add_argument(*flags, **kwargs)
        if hasattr(module, "add_arguments"):
            module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except UserError as error:
        _report(error, args)
        return error.code
    except BrokenPipeError:
        # the reader (e.g. `| head`) has what it wanted; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; nothing further was changed. Fix: re-run the same command to finish", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into one line
        if os.environ.get("TBCTL_DEBUG"):
            raise
        known = translate(exc)
        if known:
            _report(known, args)
            return known.code
        print(f"error: unexpected {type(exc).__name__}: {one_line(exc)}. Fix: re-run with TBCTL_DEBUG=1 and report it",
              file=sys.stderr)
        return 70


def _report(error: UserError, args) -> None:
    """Another program's own text whole (on stdout, like its output; stderr under --json), then our one line."""
    if error.details and error.details.strip():
        stream = sys.stderr if getattr(args, "json", False) else sys.stdout
        stream.write(error.details.rstrip("\n") + "\n")
        stream.flush()
    print(f"error: {one_line(error)}", file=sys.stderr)
