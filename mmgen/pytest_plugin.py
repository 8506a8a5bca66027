"""The pytest side of grading: the ``--answers`` option, the ``answer`` and ``reference``
fixtures, points, and (registered only when ``--report`` is given, as pytest's junitxml plugin
does) the :class:`Reporter`, which writes one JSON line per event for the grader that started
this process. State lives under stash keys, not in private attributes.

Failures are rewritten into one short paragraph: a check's own message, or the learner's
exception with their file and line instead of the frames of Keras below it.
"""

from __future__ import annotations

import json
import linecache
import re
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from mmgen import exhibits, tripwire
from mmgen.answers import Answer, AnswerError, load, where
from mmgen.checks import seed_everything
from mmgen.paths import REPO, SOLUTIONS, Layout
from mmgen.protocol import PROTOCOL_VERSION, Event, FailureKind, Outcome

CHECK_HELPERS = (REPO / "mmgen" / "checks.py", REPO / "mmgen" / "differential.py")
REFERENCE = SOLUTIONS
MAX_MESSAGE = 600
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PARTS = ("all", "training", "other")


def pytest_addoption(parser):
    group = parser.getgroup("answers")
    group.addoption("--answers", default=str(SOLUTIONS), help="folder with <slug>.py answers (default: solutions/)")
    group.addoption("--report", default=None, help="write one JSON line per check event to this file (used by grade.py)")
    group.addoption("--part", choices=PARTS, default="all",
                    help="run only the checks that train, or only the others (grade.py runs the two side by side on idle cores)")
    group.addoption("--threads", type=int, default=0,
                    help="TensorFlow threads for this process (grade.py passes 1 while more children wait than there are cores; 0: TensorFlow's default)")


def configure_tensorflow(threads: int) -> None:
    """Settings for speed that leave every result as it is.

    Grappler, TensorFlow's graph optimiser, is off: the checks trace many small graphs and run
    each at most a few hundred times, so rewriting a graph costs more than it saves (the first
    compiled call of CTC's training step took 0.90 s with it, 0.36 s without; later steps 0.016 s
    either way). ``threads`` (when not 0) caps the thread pools, so that children grading side by
    side do not fight over the same cores.
    """
    import tensorflow as tf

    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)


REPORTER = pytest.StashKey["Reporter"]()
INDEX = pytest.StashKey[int]()  # a check's position in its file


def pytest_configure(config):
    configure_tensorflow(config.getoption("--threads"))
    config.addinivalue_line("markers", "points(n): points a check is worth (default 1)")
    config.addinivalue_line("markers", "training: the check trains a model (its time is the exercise's own training time)")
    config.addinivalue_line("markers", "hint(n): the exercise's hint (1-based, catalog.toml) that fits this check's failure")
    path = config.getoption("--report")
    if path:
        config.stash[REPORTER] = reporter = Reporter(path)
        config.pluginmanager.register(reporter, "mmgen-reporter")
        # Plain Python tracebacks: pytest's own style parses the source of every frame, seconds per failure.
        config.option.tbstyle = "native"


def points(item) -> int:
    """Points of a check, from its ``points`` marker (default 1)."""
    marker = item.get_closest_marker("points")
    return int(marker.args[0]) if marker else 1


def answers_dir(config) -> Path:
    return Path(config.getoption("--answers")).resolve()


def slug_of(request) -> str:
    """The exercise a check file ``tests/test_<slug>.py`` belongs to."""
    return request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")


@pytest.fixture
def answer(request) -> Answer:
    """The answer module ``<answers>/<slug>.py`` for ``tests/test_<slug>.py``, with seeds fixed."""
    seed_everything()
    reporter = request.config.stash.get(REPORTER, None)
    notify = reporter.note if reporter else lambda text: None
    return Answer(answers_dir(request.config) / f"{slug_of(request)}.py", notify=notify)


@pytest.fixture
def exhibit(request) -> Callable[[Callable[[], dict]], None]:
    """Show what the answer's model produced in the interviewer's report: call it with a function
    that returns a payload of :func:`mmgen.exhibits.pictures` or :func:`mmgen.exhibits.texts`.
    Shown, never judged; outside grading the function is not even called."""
    reporter = request.config.stash.get(REPORTER, None)

    def show(make: Callable[[], dict]) -> None:
        if reporter is not None and (shown := exhibits.drawn(make)) is not None:
            reporter.emit(event=Event.EXHIBIT, check=request.node.name, **shown)

    return show


@pytest.fixture
def reference(request) -> Answer:
    """The reference solution ``solutions/<slug>.py``, which differential checks compare the answer with."""
    return Answer(Layout.for_slug(slug_of(request)).solution)


def is_training(item) -> bool:
    return item.get_closest_marker("training") is not None


def pytest_collection_modifyitems(config, items):
    """Number the checks in file order, then keep only those of the requested ``--part``."""
    for index, item in enumerate(items):
        item.stash[INDEX] = index
    part = config.getoption("--part")
    if part != "all":
        keep = [item for item in items if is_training(item) == (part == "training")]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep


def arm_tripwire(items) -> None:
    """When grading: read the reference the checks compare with, then arm the tripwire, so that
    from here on (the answer is loaded by the first check) nothing reaches the reference."""
    for slug in {item.module.__name__.rsplit(".", 1)[-1].removeprefix("test_") for item in items}:
        try:
            load(Layout.for_slug(slug).solution)
        except AnswerError:
            pass  # a check that asks for the reference reports it
        # Tracebacks through the reference read its source: cache its lines before the tripwire is armed.
        linecache.getlines(str(Layout.for_slug(slug).solution.resolve()))
    hidden = tuple({path for path in (Path(item.fspath).resolve() for item in items) if REPO not in path.parents})
    for path in hidden:
        linecache.getlines(str(path))  # the same for hidden check files, which the answer may not open
    tripwire.install(REPO, Path.cwd(), hidden)


def _shorten(text, limit: int = MAX_MESSAGE) -> str:
    """One paragraph: no colour codes, no Keras 'Arguments received' dump, at most ``limit``
    characters, cut in the middle so that the end (where the actual error usually is) stays."""
    text = ANSI.sub("", str(text)).split("Arguments received by")[0]
    text = " ".join(text.split())
    half = (limit - 3) // 2
    return text if len(text) <= limit else f"{text[:half]} … {text[-half:]}"


def learner_traceback(exc: BaseException, answers: Path, check_file: Path, frames: int = 8) -> str:
    """The frames of the answer and of the check (not pytest's, Keras's or TensorFlow's), the last
    ``frames`` of them, then the exception's own last line, whole."""
    ours = [f for f in traceback.extract_tb(exc.__traceback__)
            if Path(f.filename).resolve().parent == answers or Path(f.filename).resolve() in (check_file, *CHECK_HELPERS)]
    return ANSI.sub("", "".join(traceback.format_list(ours[-frames:]) + traceback.format_exception_only(type(exc), exc)))


def describe(exc: BaseException, answers: Path, check_file: Path) -> tuple[str, str]:
    """Kind and one-paragraph message for an exception that failed a check.

    Kinds: ``answer`` (file missing or unimportable), ``not_implemented``, ``check`` (a check's
    assertion), ``error`` (the learner's code raised).
    """
    if isinstance(exc, AnswerError):
        return FailureKind.ANSWER, str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if Path(f.filename).resolve().parent == answers]
    deepest = Path(frames[-1].filename).resolve() if frames else None
    if isinstance(exc, NotImplementedError) and mine:
        return FailureKind.NOT_IMPLEMENTED, f"`{mine[-1].name}` is not implemented yet ({where(mine[-1].filename, mine[-1].lineno)})"
    if isinstance(exc, AssertionError) and (deepest in (check_file, *CHECK_HELPERS) or not mine):
        return FailureKind.CHECK, _shorten(exc)
    detail = f"{type(exc).__name__}: {_shorten(exc)}" if str(exc) else type(exc).__name__
    if isinstance(exc, SystemExit):
        detail = f"sys.exit({exc.code!r}); an answer must not exit the process"
    if mine:
        return FailureKind.ERROR, f"your `{mine[-1].name}` ({where(mine[-1].filename, mine[-1].lineno)}) raised {detail}"
    return FailureKind.ERROR, f"the check raised {detail} while using what your code returned"


class Reporter:
    """The reporting half of the plugin, registered only with ``--report``: one JSON line per event
    (see :mod:`mmgen.protocol`) for the grader that started this process, and the tripwire."""

    def __init__(self, path: str) -> None:
        self.stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed at unconfigure
        self.started: dict[str, float] = {}
        self.failures: dict[str, dict] = {}  # the first failure of each check, by node id

    def emit(self, **event) -> None:
        """Write one event line and hand it to the OS at once, so it survives a crash that follows."""
        self.stream.write(json.dumps(event) + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        self.emit(event=Event.NOTE, text=text)

    def pytest_unconfigure(self, config) -> None:
        self.stream.close()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector):
        """A check file that cannot be loaded is the grader's failure, not the answer's: say so, with pytest's reason."""
        outcome = yield
        report = outcome.get_result()
        if report.failed:
            errors = [line[1:].strip() for line in report.longreprtext.splitlines() if line.startswith("E ")]
            self.emit(event=Event.BROKEN, message=_shorten(errors[-1] if errors else report.longreprtext))

    def pytest_collection_finish(self, session) -> None:
        arm_tripwire(session.items)
        checks = [
            {"name": item.name, "points": points(item), "doc": (item.obj.__doc__ or "").strip(),
             "training": is_training(item), "index": item.stash[INDEX]}
            for item in session.items
        ]
        self.emit(event=Event.COLLECTED, version=PROTOCOL_VERSION, checks=checks)

    def pytest_runtest_setup(self, item) -> None:
        self.started[item.nodeid] = time.perf_counter()
        self.emit(event=Event.START, name=item.name)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        """Remember the first failure of a check (setup, call or teardown); report once at teardown."""
        outcome = yield
        report = outcome.get_result()
        if report.failed and item.nodeid not in self.failures:
            if call.excinfo is not None:
                answers, check_file = answers_dir(item.config), Path(item.fspath).resolve()
                kind, message = describe(call.excinfo.value, answers, check_file)
                trace = learner_traceback(call.excinfo.value, answers, check_file)
            else:
                kind, message, trace = FailureKind.ERROR, "the check failed", ""
            self.failures[item.nodeid] = {"kind": kind, "message": message, "traceback": trace}
        if report.when == "teardown":
            seconds = round(time.perf_counter() - self.started[item.nodeid], 3)
            event = {"event": Event.RESULT, "name": item.name, "points": points(item), "outcome": Outcome.PASSED, "seconds": seconds}
            if item.nodeid in self.failures:
                event.update(outcome=Outcome.FAILED, **self.failures[item.nodeid])
            self.emit(**event)
