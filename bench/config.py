"""Issue 5: `make config-push ENV=dev` when no document changed: reads only, within 1 s including start-up.

Runs against an emulator of its own on a free loopback port with a versioned
bucket named through TBCTL_CONFIG_BUCKET, so it needs no applied environment
and never touches the developer's emulator.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

from bench._harness import REPO, Figure

WRITES = ("PUT ", "POST ", "DELETE ")
_state: dict = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _control(port: int, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}/_emulator/{path}", data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=5) as reply:
        return json.loads(reply.read())


def _start_emulator() -> int:
    port = _free_port()
    log = open(REPO / "build" / f"bench-config-emulator-{port}.log", "wb")
    _state["process"] = subprocess.Popen([sys.executable, "-m", "tbctl.emulator.server", "--port", str(port)],
                                         stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _control(port, "health")
            return port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the benchmark's emulator did not start")


def figures(ctx):
    (REPO / "build").mkdir(exist_ok=True)
    port = _start_emulator()
    import boto3

    bucket = f"bench-config-{uuid.uuid4().hex[:8]}-dev"
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    env = {"LOCAL_PORT": str(port), "TBCTL_CONFIG_BUCKET": bucket.replace("-dev", "-{env}"), "TARGET": "local"}
    ctx.run("make", "config-push", "ENV=dev", env=env)  # first push: the four documents become version 1
    _control(port, "stats/reset", {})
    seconds = ctx.time("make", "config-push", "ENV=dev", env=env)
    stats = _control(port, "stats")
    written = sum(n for op, n in stats.items() if op.startswith(WRITES))
    reads = sum(n for op, n in stats.items() if op.startswith("GET ") and f"/{bucket}/" in op)
    return [
        Figure("config-push ENV=dev, nothing changed: write requests", written, "requests", 0,
               note=f"{reads} reads over the timed runs"),
        Figure("config-push ENV=dev, nothing changed (make, start-up included)", seconds, "s", 1.0, note="median of runs"),
    ]


def teardown(ctx):
    process = _state.pop("process", None)
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
