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
from dataclasses import dataclass, field
from pathlib import Path

from tbctl import paths, processes
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


def instance(port: int | None = None) -> str | None:
    """The running emulator's instance id (new at every start), or None when none answers."""
    answer = health(port or local_port())
    return answer.get("instance") if answer else None


@dataclass
class Stopped:
    stopped: bool  # our emulator was running and is stopped now
    notes: list[str] = field(default_factory=list)  # one line each: what was found and left alone


def _runs_our_server(argv: list[str] | None, port: int) -> bool:
    """argv is `<python> -m tbctl.emulator.server ... --port <port>`, as up() starts it."""
    pairs = list(zip(argv or [], (argv or [])[1:]))
    return ("-m", "tbctl.emulator.server") in pairs and ("--port", str(port)) in pairs


def _stop(pid: int, port: int) -> None:
    os.kill(pid, signal.SIGTERM)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return  # gone, and reaped
        time.sleep(0.1)
    # Still there: an emulator that ignores SIGTERM gets SIGKILL; an exited one waiting to be reaped has
    # no command line, and a process that took its pid has another one.
    if _runs_our_server(processes.command_line(pid), port):
        os.kill(pid, signal.SIGKILL)


def down(port: int | None = None, started_here: bool = False) -> Stopped:
    """Stop our emulator on `port`, and nothing else.

    A process is signalled only when its command line is our server's with this
    port and it listens on the port: a pid file can be stale (the pid reused by
    another program), edited, or garbage, and must never make us stop another process.
    `started_here`: only the one this checkout's pid file names, not one another
    checkout started on the same port (which `make local-down` stops too: it is
    the local AWS of every checkout using that port).
    """
    port = port or local_port()
    pid_file, _ = _files(port)
    result = Stopped(False)
    candidates = []
    if pid_file.exists():
        raw = pid_file.read_text(errors="replace")
        pid = processes.parse_pid(raw)
        if pid is None:
            result.notes.append(f"ignored {paths.display(pid_file)}: {raw.strip()[:40]!r} is not a process id")
        else:
            candidates.append(pid)
    answer = None if started_here else health(port)
    if answer and processes.parse_pid(answer.get("pid", "")):
        candidates.append(int(answer["pid"]))
    for pid in dict.fromkeys(candidates):
        argv = processes.command_line(pid)
        if argv is None:
            continue  # a stale pid file: that process is gone
        if not _runs_our_server(argv, port):
            result.notes.append(f"left process {pid} running: it is not the tbctl emulator on port {port} "
                                f"(it runs `{processes.describe(argv)}`)")
        elif not processes.listens(pid, port):
            result.notes.append(f"left process {pid} running: it runs the tbctl emulator but does not listen on port {port}")
        else:
            _stop(pid, port)
            result.stopped = True
    pid_file.unlink(missing_ok=True)
    return result
