"""Load the grading plugin (the --answers option and the `answer` fixture) for every test, and keep
the repository's own tests away from the learner's progress file."""

import pytest

pytest_plugins = ("mmgen.pytest_plugin",)


@pytest.fixture(autouse=True, scope="session")
def progress_of_its_own(tmp_path_factory):
    """Progress written while testing (grade.py runs, practice) goes to a temporary folder, never to .grade/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADE_STATE_DIR", str(tmp_path_factory.mktemp("progress")))
        yield
