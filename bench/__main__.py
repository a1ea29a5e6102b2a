"""`python -m bench`: print every figure, then the ones that miss their target."""

import importlib
import os
import pkgutil
import sys
import traceback

import bench
from bench._harness import Context

SKIP = {name for name in os.environ.get("BENCH_SKIP", "").split(",") if name}


def main() -> int:
    context = Context()
    missed, broken = [], []
    modules = sorted(info.name for info in pkgutil.iter_modules(bench.__path__) if not info.name.startswith("_"))
    for name in modules:
        if name in SKIP or (os.environ.get("BENCH_ONLY") and name not in os.environ["BENCH_ONLY"].split(",")):
            continue
        module = importlib.import_module(f"bench.{name}")
        try:
            for figure in module.figures(context):
                print(figure.line(), flush=True)
                if not figure.ok:
                    missed.append(figure.name)
        except Exception as exc:  # a broken benchmark is reported, not hidden
            broken.append(name)
            print(f"{name}: failed: {exc}", file=sys.stderr)
            if os.environ.get("BENCH_DEBUG"):
                traceback.print_exc()
        finally:
            getattr(module, "teardown", lambda _ctx: None)(context)
    print(f"missed targets: {', '.join(missed) if missed else 'none'}" + (f"; broken: {', '.join(broken)}" if broken else ""))
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
