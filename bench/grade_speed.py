"""Measure how fast grading is, against the floor of starting Python and importing TensorFlow.

    python bench/grade_speed.py [--repeat 3] [--slugs SLUG ...] [--no-pytest] [--out bench/latest.json]

Each command runs --repeat times (the full pytest run once unless --pytest-repeat says more);
the median wall-clock and CPU seconds are printed, the wall-clock also as a ratio to the floor, and written as JSON.

Targets (issue 7, for a 2-core machine): one exercise within 1.5 x (floor + its own training
time), where the training time is what its checks marked ``training`` took in the same run
(from the grader's JSON report); the whole catalogue within 30 s. For the catalogue it also
prints floor + training / cores: what the run would take if every check that does not train
took no time at all, and the checks' CPU seconds (what the grading children spent, from the
grader's JSON report) against their budget of 26 s: grading runs on every core, so its wall-clock
is about the server's import plus the checks' CPU over the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mmgen.catalog import load_catalog  # noqa: E402


EXERCISE_FACTOR = 1.5
CATALOGUE_TARGET_SECONDS = 30.0
CHECK_CPU_BUDGET_SECONDS = 26.0  # what the grading children of the whole catalogue may spend


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``command`` run ``repeat`` times (output discarded).

    CPU seconds count every process the command waited for (the grading server and each exercise's
    child): the work grading costs, which the wall-clock time hides once both cores are busy.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), children_cpu()
        subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(children_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def training_seconds(report: dict) -> float:
    """Seconds the checks marked ``training`` took in a grader JSON report."""
    return sum(c["seconds"] for e in report["exercises"] for c in e["checks"] if c["training"])


def check_cpu_seconds(report: dict) -> float:
    """CPU seconds the grading children spent in a grader JSON report: the checks' own cost,
    without the grader and the server's one import of TensorFlow."""
    return sum(e["cpu_seconds"] for e in report["exercises"])


def grading_seconds(slugs: list[str], repeat: int) -> dict[str, float]:
    """Medians over ``repeat`` runs of ``grade.py SLUG... --solutions``: wall-clock and CPU seconds of
    the command, seconds of its training checks, and CPU seconds of its grading children."""
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        for _ in range(repeat):
            wall, cpu = timed([sys.executable, str(REPO / "grade.py"), *slugs, "--solutions", "--json", str(report)], 1)
            graded = json.loads(report.read_text())
            runs.append({"seconds": wall, "cpu_seconds": cpu, "training_seconds": training_seconds(graded),
                         "check_cpu_seconds": check_cpu_seconds(graded)})
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pytest-repeat", type=int, default=1)
    parser.add_argument("--slugs", nargs="*", help="exercises to time one by one (default: all)")
    parser.add_argument("--no-pytest", action="store_true", help="skip the full pytest run")
    parser.add_argument("--out", default=str(REPO / "bench" / "latest.json"))
    args = parser.parse_args()
    python = sys.executable
    floor, floor_cpu = timed([python, "-c", "import tensorflow"], args.repeat)
    rows: list[dict] = [{"command": "floor: python -c 'import tensorflow'", "seconds": floor, "cpu_seconds": floor_cpu}]
    for slug in args.slugs or list(load_catalog()):
        row = grading_seconds([slug], args.repeat)
        rows.append({"command": f"grade.py {slug} --solutions", **row, "target_seconds": EXERCISE_FACTOR * (floor + row["training_seconds"])})
    row = grading_seconds([], args.repeat)  # no slug: every exercise
    # Even if every other check took no time, the training checks share the cores after the floor.
    rows.append({"command": "grade.py --solutions (all)", **row, "training_bound_seconds": floor + row["training_seconds"] / (os.cpu_count() or 1),
                 "target_seconds": CATALOGUE_TARGET_SECONDS, "check_cpu_budget_seconds": CHECK_CPU_BUDGET_SECONDS})
    if not args.no_pytest:
        wall, cpu = timed([python, "-m", "pytest", "-q", "-n", "auto"], args.pytest_repeat)  # as the README runs it
        rows.append({"command": "python -m pytest -n auto (the test suite)", "seconds": wall, "cpu_seconds": cpu})
    width = max(len(row["command"]) for row in rows)
    for row in rows:
        row.update({key: round(value, 2) for key, value in row.items() if isinstance(value, float)}, ratio_to_floor=round(row["seconds"] / floor, 2))
        line = f"{row['command']:<{width}}  {row['seconds']:7.1f} s  {row['cpu_seconds']:7.1f} s CPU  {row['ratio_to_floor']:5.1f}x floor"
        if "target_seconds" in row:
            row["meets_target"] = row["seconds"] <= row["target_seconds"]
            training = f"training {row['training_seconds']:5.1f} s, " if "training_seconds" in row else ""
            if "training_bound_seconds" in row:
                training += f"floor + training / cores {row['training_bound_seconds']:5.1f} s, "
            line += f"  ({training}target {row['target_seconds']:5.1f} s: {'met' if row['meets_target'] else 'MISSED'})"
        if "check_cpu_seconds" in row:
            line += f"  checks' CPU {row['check_cpu_seconds']:5.1f} s"
        if "check_cpu_budget_seconds" in row:
            row["meets_check_cpu_budget"] = row["check_cpu_seconds"] <= row["check_cpu_budget_seconds"]
            line += f" (budget {row['check_cpu_budget_seconds']:4.1f} s: {'met' if row['meets_check_cpu_budget'] else 'MISSED'})"
        print(line)
    Path(args.out).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "repeat": args.repeat, "floor_seconds": round(floor, 2), "results": rows,
    }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
