"""Start, find and stop the emulator process (pid file + readiness check)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tbctl import paths
from tbctl.errors import UserError
from tbctl.target import local_port

READY_TIMEOUT = 30.0


def _files(port: int) -> tuple[Path, Path]:
    folder = paths.build("local")
    return folder / f"emulator-{port}.pid", folder / f"emulator-{port}.log"


def health(port: int) -> dict | None:
    """The emulator's health answer, or None when nothing of ours answers on the port."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_emulator/health", timeout=2) as reply:
            body = json.loads(reply.read() or b"{}")
            return body if body.get("emulator") == "tbctl" else None
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def up(port: int | None = None, quiet: bool = False) -> int:
    """Make sure the emulator answers on `port`; start it when it does not. Returns its pid."""
    port = port or local_port()
    pid_file, log_file = _files(port)
    answer = health(port)
    if answer:
        return int(answer["pid"])
    if _port_taken(port):
        raise UserError(f"port {port} is in use by another program, not the tbctl emulator",
                        "stop that program, or pick a free port with LOCAL_PORT=<port>")
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tbctl.emulator.server", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # survives the make that started it
        )
    pid_file.write_text(str(process.pid))
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if health(port):
            if not quiet:
                print(f"local AWS emulator started on 127.0.0.1:{port} (pid {process.pid}, log {log_file})", file=sys.stderr)
            return process.pid
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    pid_file.unlink(missing_ok=True)
    tail = log_file.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
    raise UserError(f"the local AWS emulator did not start on port {port} ({tail[0]})", f"see {log_file}")


def down(port: int | None = None) -> bool:
    """Stop the emulator on `port`. True when one was running."""
    port = port or local_port()
    pid_file, _ = _files(port)
    pids = set()
    if pid_file.exists():
        pids.add(int(pid_file.read_text().strip() or 0))
    answer = health(port)
    if answer:
        pids.add(int(answer["pid"]))
    pids.discard(0)
    stopped = False
    for pid in pids:
        if not _alive(pid):
            continue
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if not _alive(pid):
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
        stopped = True
    pid_file.unlink(missing_ok=True)
    return stopped
