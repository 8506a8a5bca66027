"""Load the grading plugin (the --answers option and the `answer` fixture) for every test, keep
the repository's own tests away from the learner's progress file, and give NumPy one OpenBLAS
thread, as grading children have (set before the plugin loads NumPy)."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402

pytest_plugins = ("mmgen.pytest_plugin",)


@pytest.fixture(autouse=True, scope="session")
def progress_of_its_own(tmp_path_factory):
    """Progress written while testing (grade.py runs, practice) goes to a temporary folder, never to .grade/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADE_STATE_DIR", str(tmp_path_factory.mktemp("progress")))
        yield
