"""Runs the emulator: `python -m tbctl.emulator.server --port N` (started by `tbctl local-up`)."""

import argparse
import os
import signal
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="moto server with tbctl's ECS extension and fault API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTO_PORT", str(args.port))

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    from tbctl.emulator import ecs, s3
    from tbctl.emulator.faults import Faults

    ecs.install()
    s3.install()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, Faults(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
