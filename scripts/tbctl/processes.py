"""What runs on this machine: a process's command line, working folder, environment, listening ports.

Read from /proc on Linux; elsewhere (macOS) from `ps` and `lsof`. Used before
anything is signalled or unlocked, so every answer errs on "not known": None,
False or empty, never a guess.
"""

import os
import subprocess
from pathlib import Path

_PROC = Path("/proc/self/cmdline").exists()


def parse_pid(text: str) -> int | None:
    """A process id, or None: only plain decimal numbers above 1 (0 and -1 would signal whole groups, 1 is init)."""
    text = str(text).strip()
    return int(text) if text.isascii() and text.isdigit() and 1 < int(text) < 2 ** 22 else None


def _run(*command: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def command_line(pid: int) -> list[str] | None:
    """The process's argv, or None when there is no such process (or it cannot be read)."""
    if _PROC:
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part] or None
    return _run("ps", "-ww", "-o", "command=", "-p", str(pid)).split() or None


def all_pids() -> list[int]:
    if _PROC:
        return sorted(int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return sorted(pid for pid in map(parse_pid, _run("ps", "-A", "-o", "pid=").split()) if pid)


def working_dir(pid: int) -> Path | None:
    if _PROC:
        try:
            return Path(os.readlink(f"/proc/{pid}/cwd"))
        except OSError:
            return None
    for line in _run("lsof", "-a", "-p", str(pid), "-d", "cwd", "-Fn").splitlines():
        if line.startswith("n"):
            return Path(line[1:])
    return None


def environment(pid: int) -> dict[str, str]:
    """The process's environment; empty when it cannot be read (another user's process, or no /proc)."""
    if not _PROC:
        return {}
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.decode("utf-8", "replace").partition("=") for item in raw.split(b"\0") if b"=" in item)
    return {name: value for name, _, value in pairs}


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            # local address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the socket's inode
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def _link(path: Path) -> str | None:
    try:
        return os.readlink(path)
    except OSError:  # closed meanwhile
        return None


def listens(pid: int, port: int) -> bool:
    """Whether process `pid` holds a listening TCP socket on `port`."""
    if _PROC:
        wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            return False
        return any(_link(fd) in wanted for fd in fds)
    return str(pid) in _run("lsof", "-nP", "-a", "-p", str(pid), f"-iTCP:{port}", "-sTCP:LISTEN", "-t").split()


def describe(argv: list[str]) -> str:
    """A command line short enough for a one-line message."""
    text = " ".join(argv)
    return text if len(text) <= 80 else text[:77] + "..."
