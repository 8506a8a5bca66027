"""Load the grading plugin (the --answers option and the `answer` fixture) for every test."""

pytest_plugins = ("mmgen.pytest_plugin",)
