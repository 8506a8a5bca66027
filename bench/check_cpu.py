"""List what each check costs: CPU seconds per check, run in one process on one answer.

    python bench/check_cpu.py [SLUG ...] [--answers DIR] [--top N]

Each check runs as the known-answer tests run it (``tests/test_known_answers.run_check``), with
TensorFlow set up as in a grading child while more wait than there are cores (one thread, no
Grappler) and one OpenBLAS thread, as grade.py gives every child; the
exercises run one after the other in this process, so an exercise's first check also pays for
that exercise's first use of its operations, as in a grading child. Prints each exercise's total
and the ``--top`` dearest checks of the run: where to look first when the checks' CPU budget
(``bench/grade_speed.py``) is exceeded.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # as grade.py's children have it (before NumPy loads)
REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from mmgen.catalog import load_catalog  # noqa: E402


def check_names(slug: str) -> list[str]:
    """The checks of ``tests/test_<slug>.py``, in file order."""
    module = importlib.import_module(f"test_{slug}")
    return [name for name, value in vars(module).items() if name.startswith("test_") and callable(value)]


def costs(slug: str, answer: Path) -> list[tuple[float, str, bool]]:
    """(CPU seconds, check name, passed) for every check of ``slug`` on ``answer``."""
    from test_known_answers import run_check

    rows = []
    for name in check_names(slug):
        start = time.process_time()
        failure = run_check(slug, name, answer)
        rows.append((time.process_time() - start, name, failure is None))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("slugs", nargs="*", help="exercises (default: all)")
    parser.add_argument("--answers", default=str(REPO / "solutions"), help="folder of <slug>.py answers (default: solutions/)")
    parser.add_argument("--top", type=int, default=25, help="how many of the dearest checks to list")
    args = parser.parse_args()
    from mmgen.pytest_plugin import configure_tensorflow

    configure_tensorflow(threads=1)
    everything = []
    for slug in args.slugs or list(load_catalog()):
        rows = costs(slug, Path(args.answers) / f"{slug}.py")
        failed = [name for _, name, passed in rows if not passed]
        print(f"{slug:<24} {sum(seconds for seconds, _, _ in rows):6.2f} s CPU  {len(rows)} checks" + (f", failed: {', '.join(failed)}" if failed else ""))
        everything += [(seconds, f"{slug}::{name}") for seconds, name, _ in rows]
    print(f"{'total':<24} {sum(seconds for seconds, _ in everything):6.2f} s CPU\n")
    for seconds, name in sorted(everything, reverse=True)[:args.top]:
        print(f"{seconds:6.3f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
