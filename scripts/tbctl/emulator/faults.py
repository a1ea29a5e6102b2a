"""A control API on the emulator's own port, for drills and tests.

  GET  /_emulator/health                      -> {"emulator": "tbctl", "pid": ..., "instance": ...}
       instance: new each time an emulator starts (what a saved plan was made against)
  POST /_emulator/throttle  {"target": "AmazonEC2ContainerServiceV20141113.DescribeServices", "count": 2}
       the next `count` requests whose X-Amz-Target matches answer ThrottlingException (HTTP 400)
  POST /_emulator/ecs/fail-next-deployment {"cluster": "...", "service": "...", "reason": "..."}
       the service's next deployment fails its rollout (rolled back when the circuit breaker says so)
  GET  /_emulator/stats                       -> requests seen per X-Amz-Target / method+path, throttled count
"""

import json
import os
import threading
import uuid
from collections import Counter

from tbctl.emulator import ecs

_lock = threading.Lock()
_throttle: dict[str, int] = {}
_stats: Counter = Counter()
INSTANCE = uuid.uuid4().hex  # everything this process holds is gone with it: a restarted emulator is another AWS


def _json(start_response, status: str, body: dict):
    data = json.dumps(body, default=str).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _read(environ) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b"{}"
    return json.loads(raw or b"{}")


def _operation(environ) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target
    return f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"


class Faults:
    """WSGI middleware in front of moto's dispatcher."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_emulator/"):
            return self._control(path, environ, start_response)
        operation = _operation(environ)
        with _lock:
            _stats[operation] += 1
            left = _throttle.get(operation, 0)
            if left:
                _throttle[operation] = left - 1
                _stats["_throttled"] += 1
        if left:
            body = {"__type": "ThrottlingException", "message": "Rate exceeded"}
            data = json.dumps(body).encode()
            start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.1"),
                                               ("x-amzn-ErrorType", "ThrottlingException"),
                                               ("Content-Length", str(len(data)))])
            return [data]
        return self.app(environ, start_response)

    def _control(self, path, environ, start_response):
        if path == "/_emulator/health":
            return _json(start_response, "200 OK", {"emulator": "tbctl", "pid": os.getpid(), "instance": INSTANCE})
        if path == "/_emulator/stats":
            with _lock:
                return _json(start_response, "200 OK", dict(_stats))
        if path == "/_emulator/stats/reset":
            with _lock:
                _stats.clear()
            return _json(start_response, "200 OK", {})
        body = _read(environ)
        if path == "/_emulator/throttle":
            with _lock:
                _throttle[body["target"]] = int(body.get("count", 1))
            return _json(start_response, "200 OK", {"armed": body})
        if path == "/_emulator/ecs/fail-next-deployment":
            ecs.arm_failure(body["cluster"], body["service"], body.get("reason", "tasks failed to start."))
            return _json(start_response, "200 OK", {"armed": body})
        return _json(start_response, "404 Not Found", {"error": f"unknown control path {path}"})
