"""Measure how fast grading is, against the floor of starting Python and importing TensorFlow.

    python bench/grade_speed.py [--repeat 3] [--slugs SLUG ...] [--no-pytest] [--out bench/latest.json]

Each command runs --repeat times (the full pytest run once unless --pytest-repeat says more);
the median wall-clock seconds are printed, each also as a ratio to the floor, and written as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mmgen.catalog import load_catalog  # noqa: E402


def seconds(command: list[str], repeat: int) -> float:
    """Median wall-clock time of ``command`` run ``repeat`` times (output discarded)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pytest-repeat", type=int, default=1)
    parser.add_argument("--slugs", nargs="*", help="exercises to time one by one (default: all)")
    parser.add_argument("--no-pytest", action="store_true", help="skip the full pytest run")
    parser.add_argument("--out", default=str(REPO / "bench" / "latest.json"))
    args = parser.parse_args()
    python, grade = sys.executable, str(REPO / "grade.py")
    rows: list[tuple[str, float]] = []
    floor = seconds([python, "-c", "import tensorflow"], args.repeat)
    rows.append(("floor: python -c 'import tensorflow'", floor))
    for slug in args.slugs or list(load_catalog()):
        rows.append((f"grade.py {slug} --solutions", seconds([python, grade, slug, "--solutions"], args.repeat)))
    rows.append(("grade.py --solutions (all)", seconds([python, grade, "--solutions"], args.repeat)))
    if not args.no_pytest:
        rows.append(("python -m pytest (everything)", seconds([python, "-m", "pytest", "-q"], args.pytest_repeat)))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:8.1f} s  {value / floor:6.1f}x floor")
    Path(args.out).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "repeat": args.repeat, "floor_seconds": round(floor, 2),
        "results": [{"command": name, "median_seconds": round(value, 2), "ratio_to_floor": round(value / floor, 2)} for name, value in rows],
    }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
