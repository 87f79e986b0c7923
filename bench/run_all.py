"""Run every `bench/bench_*.py` in turn and print their figures (`make bench`).

Each script runs in its own process with the environment of this one (BENCH_* variables
reach them all); a script that fails is reported and the others still run.

    .venv/bin/python bench/run_all.py [name-fragment ...]   # e.g. run_all.py pages load
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main(fragments: list[str]) -> int:
    scripts = sorted(BENCH.glob("bench_*.py"))
    if fragments:
        scripts = [s for s in scripts if any(f in s.stem for f in fragments)]
    failures = []
    for script in scripts:
        print(f"\n##### {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], check=False)
        took = time.perf_counter() - started
        status = "ok" if result.returncode == 0 else f"FAILED (exit code {result.returncode})"
        print(f"##### {script.name}: {status} in {took:.0f} s", flush=True)
        if result.returncode:
            failures.append(script.name)
    print(f"\n{len(scripts)} benchmarks run; failed: {', '.join(failures) if failures else 'none'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
