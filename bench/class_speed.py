"""Measure grading a class: ``grade.py batch`` on N copies of the reference solutions, against
grading one candidate alone.

    python bench/class_speed.py [--candidates 4] [--out bench/class_latest.json]

Prints seconds per candidate in the class and alone, and the target of issue 19: the class within
1.2 x (its training time summed over the candidates, divided by the cores) + one server start
(the floor, ``python -c "import tensorflow"``); the training time is what one candidate's
training checks take when it is graded alone, times the number of candidates.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from grade_speed import REPO, timed, training_seconds

CLASS_FACTOR = 1.2


def run(command: list[str]) -> float:
    """Wall-clock seconds of one run of ``command``."""
    return timed(command, 1)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument("--out", default=str(REPO / "bench" / "class_latest.json"))
    args = parser.parse_args()
    python, grade = sys.executable, str(REPO / "grade.py")
    with tempfile.TemporaryDirectory() as tmp:
        floor = run([python, "-c", "import tensorflow"])
        alone = run([python, grade, "--solutions", "--json", str(Path(tmp) / "alone.json")])
        # Training time as one candidate graded alone spends it (side by side, each check's clock also counts waiting).
        training = args.candidates * training_seconds(json.loads((Path(tmp) / "alone.json").read_text()))
        for index in range(args.candidates):
            shutil.copytree(REPO / "solutions", Path(tmp) / "class" / f"candidate{index:02d}",
                            ignore=shutil.ignore_patterns("__pycache__", "review_programs"))
        whole = run([python, grade, "batch", str(Path(tmp) / "class"), "--out", str(Path(tmp) / "book")])
        if not (Path(tmp) / "book" / "gradebook.json").exists():
            raise SystemExit("grade.py batch wrote no gradebook: run it by hand to see why")
    target = CLASS_FACTOR * training / (os.cpu_count() or 1) + floor
    result = {"candidates": args.candidates, "cpus": os.cpu_count(), "floor_seconds": round(floor, 2),
              "one_candidate_alone_seconds": round(alone, 2), "class_seconds": round(whole, 2),
              "class_seconds_per_candidate": round(whole / args.candidates, 2), "training_seconds": round(training, 2),
              "target_seconds": round(target, 2), "meets_target": whole <= target}
    print(json.dumps(result, indent=2))
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
