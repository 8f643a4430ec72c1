"""Run every bench/bench_*.py in turn with this interpreter and print their output.

    python bench/run_all.py              all benchmarks
    python bench/run_all.py parser       only those whose name contains "parser"

`make bench` calls this with a throwaway PostgreSQL cluster in DATABASE_URL. Each
script runs from the repository root with DJANGO_SETTINGS_MODULE set; a failing
script is reported and the others still run. Exit status 1 if any failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
EXPECTED = ("bench_reading.py", "bench_parser.py", "bench_search.py")
TIMEOUT_S = int(os.environ.get("BENCH_TIMEOUT", "1800"))


def main(argv: list[str]) -> int:
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(word in s.stem for word in argv)]
    else:
        for name in EXPECTED:
            if not (BENCH_DIR / name).exists():
                print(f"note: bench/{name} does not exist yet; skipping it", flush=True)
    if not scripts:
        print("no benchmarks to run", flush=True)
        return 0

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    results: list[tuple[str, str, float]] = []
    for script in scripts:
        print(f"\n==> {script.relative_to(REPO_ROOT)}", flush=True)
        started = time.perf_counter()
        try:
            code = subprocess.run(
                [sys.executable, str(script)], cwd=REPO_ROOT, env=env, timeout=TIMEOUT_S, check=False
            ).returncode
            status = "ok" if code == 0 else f"FAILED (exit {code})"
        except subprocess.TimeoutExpired:
            status = f"FAILED (timed out after {TIMEOUT_S}s)"
        results.append((script.name, status, time.perf_counter() - started))

    print("\n==> bench summary", flush=True)
    for name, status, seconds in results:
        print(f"  {name:<28} {status:<24} {seconds:8.1f}s")
    return 0 if all(status == "ok" for _, status, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
