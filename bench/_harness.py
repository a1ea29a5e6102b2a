"""What every benchmark module shares: timing a command, the median, and one printed line per figure.

A figure is a median of N runs, compared with its target; a ratio figure
divides by a baseline measured in the same run, so a slow or busy machine
moves both sides alike.
"""

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float
    higher_is_worse: bool = True
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value <= self.target if self.higher_is_worse else self.value >= self.target

    def line(self) -> str:
        sign = "≤" if self.higher_is_worse else "≥"
        extra = f"  [{self.note}]" if self.note else ""
        return f"{self.name}: {self.value:.3g} {self.unit} (target {sign} {self.target:g}){extra}"


@dataclass
class Context:
    """Shared state: the emulator port and environment for commands run by benchmarks."""

    env: dict = field(default_factory=dict)

    def run(self, *command: str, cwd: Path = REPO, check: bool = True, env: dict | None = None,
            ok_codes: tuple = (0,)) -> subprocess.CompletedProcess:
        """Run a command; a failure raises, so a benchmark never times a failed command."""
        # A benchmark's own settings win: drop what an outer `make bench VAR=...` would force on inner makes.
        inherited = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}}
        full_env = dict(inherited, **self.env, **(env or {}))
        done = subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True)
        if check and done.returncode not in ok_codes:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {(done.stderr or done.stdout)[-800:]}")
        return done

    def time(self, *command: str, runs: int = RUNS, **kwargs) -> float:
        """Median wall time in seconds of `command` over `runs` runs."""
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            self.run(*command, **kwargs)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)


def median_of(fn, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def python() -> str:
    return sys.executable
