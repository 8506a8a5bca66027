"""The grader itself: isolation from hostile answers, statuses, reports, and never touching the answers."""

import json
import os
import queue
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from across_workers import shared_folder
from mmgen import cli, limits, practice, preflight, render, results, scheduling, supervision
from mmgen.answers import Answer
from mmgen.catalog import REPO, load_catalog
from mmgen.checks import expect_shape
from mmgen.exhibits import MAX_PER_EXERCISE
from mmgen.integrity import ExpectedCheck, expected_checks
from mmgen.protocol import PROTOCOL_VERSION
from mmgen.pytest_plugin import describe
from mmgen.sandbox import missing_layers

SOLUTION = (REPO / "solutions" / "gan_losses.py").read_text()
# Each hostile answer: file content, the status it must get, and a phrase its reason must contain.
HOSTILE = {
    "syntax_error": ("def sigmoid_cross_entropy(logits, targets:\n    return logits\n", "failed", "syntax error at line 1"),
    "import_error": ("import numpyy\n", "failed", "ModuleNotFoundError"),
    "raise_at_import": ("raise RuntimeError('boom at import')\n", "failed", "raised RuntimeError: boom at import"),
    "sys_exit_at_import": ("import sys\nsys.exit(0)\n", "failed", "called sys.exit(0)"),
    # os._exit is also what the tamper scan looks for: the exit costs the points and flags the answer.
    "os_exit_at_import": ("import os\nos._exit(0)\n", "flagged", "the process exited before reporting (exit code 0)"),
    "hang_at_import": ("while True:\n    pass\n", "timed out", "timed out after 8 s while importing"),
    "hang_in_function": (SOLUTION + "\n\ndef generator_loss(fake_logits):\n    while True:\n        pass\n", "timed out", "during check"),
    "huge_memory": ("import numpy as np\nBLOCK = np.ones(30 * 10**9, dtype=np.uint8)\n", "failed", "MemoryError"),
    "returns_none": (
        "def sigmoid_cross_entropy(logits, targets):\n    return None\n\n\n"
        "def discriminator_loss(real_logits, fake_logits, real_smoothing=0.0):\n    return None\n\n\n"
        "def generator_loss(fake_logits):\n    return None\n",
        "failed", "returned None",
    ),
    "returns_numpy": (
        SOLUTION + "\n\n_tensor_loss = generator_loss\n\n\ndef generator_loss(fake_logits):\n"
        "    import numpy as np\n    return np.asarray(_tensor_loss(fake_logits))\n",
        "failed", "expected a tensor",
    ),
    "wrong_shape": (
        SOLUTION + "\n\n_elementwise = sigmoid_cross_entropy\n\n\ndef sigmoid_cross_entropy(logits, targets):\n"
        "    return ops.mean(_elementwise(logits, targets))\n",
        "failed", "returned shape ()",
    ),
    "nan_outputs": (
        SOLUTION + "\n\ndef sigmoid_cross_entropy(logits, targets):\n"
        "    return ops.convert_to_tensor(logits, 'float32') * float('nan')\n",
        "failed", "NaN",
    ),
}
# Runs of two hostile answers each (gan_losses, text_to_image_gan); "stub" and "solution" are the real files.
RUNS = [
    ("returns_none", "syntax_error"),
    ("returns_numpy", "import_error"),
    ("wrong_shape", "raise_at_import"),
    ("nan_outputs", "sys_exit_at_import"),
    ("huge_memory", "stub"),
    ("solution", "os_exit_at_import"),
    ("hang_in_function", "hang_at_import"),
]


def source_of(slug: str, case: str) -> str:
    if case == "stub":
        return (REPO / "exercises" / f"{slug}.py").read_text()
    if case == "solution":
        return (REPO / "solutions" / f"{slug}.py").read_text()
    return HOSTILE[case][0]


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (recursively) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_grade(*args: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict]:
    """Run grade.py as a user would, with --json, and return the process and the parsed report."""
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "grade.py"), *args, "--json", str(report)],
        capture_output=True, text=True, cwd=tmp_path, timeout=900,
    )
    return proc, json.loads(report.read_text()) if report.exists() else {}


def by_slug(report: dict) -> dict[str, dict]:
    return {e["slug"]: e for e in report["exercises"]}


@pytest.fixture(scope="module")
def server():
    """One grading server for the tests that grade in-process (each grade.py run starts its own)."""
    zygote = supervision.Zygote()
    yield zygote
    zygote.close()


def graded_in_process(answers: Path, zygote: supervision.Zygote, slug: str = "gan_losses") -> dict:
    """The JSON report's entry for ``slug``, graded from ``answers`` on a shared server."""
    (result,) = scheduling.grade([load_catalog()[slug]], answers, zygote=zygote)
    return render.to_json([result])["exercises"][0]


def reasons(exercise: dict) -> str:
    return " | ".join([exercise["reason"], *(c["message"] for c in exercise["checks"])])


def test_grading_leaves_no_files_in_the_temporary_folder(tmp_path):
    """Grading children exit without Python's clean-up, so the modules AutoGraph writes (the
    gan_balance reference compiles its updates with tf.function) must go where the grader deletes them."""
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "GRADE_STATE_DIR": str(tmp_path / "state")}
    proc = subprocess.run([sys.executable, str(REPO / "grade.py"), "gan_balance", "--solutions"],
                          capture_output=True, text=True, timeout=600, env=env, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(p.name for p in temp.iterdir()) == []


@pytest.fixture(scope="module")
def solutions_run(tmp_path_factory):
    """Three exercises' solutions graded once per test run, with --junit: (process, report) and the folder of junit.xml."""
    with shared_folder(tmp_path_factory, "solutions-run") as (tmp, fresh):
        if fresh:
            proc, _ = run_grade("gan_losses", "text_to_image_gan", "seed_code_review", "--solutions", "--junit", str(tmp / "junit.xml"), tmp_path=tmp)
            (tmp / "process.json").write_text(json.dumps([proc.args, proc.returncode, proc.stdout, proc.stderr]))
    proc = subprocess.CompletedProcess(*json.loads((tmp / "process.json").read_text()))
    return (proc, json.loads((tmp / "report.json").read_text())), tmp


def test_stubs_are_all_not_started_with_zero_points(tmp_path):
    proc, report = run_grade("--answers", str(REPO / "exercises"), tmp_path=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert set(by_slug(report)) == set(load_catalog()), "every exercise in the catalogue is graded"
    for slug, exercise in by_slug(report).items():
        assert exercise["status"] == "not started", f"{slug}: {exercise['status']}: {reasons(exercise)}"
        assert exercise["points"] == 0 and exercise["max_points"] > 0
    assert "not started" in proc.stdout


def test_solutions_get_full_points_and_exit_zero(solutions_run):
    (proc, report), _ = solutions_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for slug, exercise in by_slug(report).items():
        assert exercise["status"] == "passed", f"{slug}: {reasons(exercise)}"
        assert exercise["points"] == exercise["max_points"] > 0
    assert report["points"] == report["max_points"]


def test_grading_the_solutions_twice_gives_the_same_results(solutions_run, tmp_path):
    (_, first), _ = solutions_run
    _, second = run_grade("gan_losses", "text_to_image_gan", "seed_code_review", "--solutions", tmp_path=tmp_path)

    def outcomes(report):
        return {(e["slug"], c["name"]): (c["outcome"], c["points"], c["message"]) for e in report["exercises"] for c in e["checks"]}

    assert outcomes(first) == outcomes(second)


def test_a_learning_check_shows_what_the_model_produced(solutions_run):
    (_, report), _ = solutions_run
    shown = by_slug(report)["text_to_image_gan"]["exhibits"]
    assert [(s["check"], len(s["pictures"]), len(s["texts"])) for s in shown] == [("test_training_moves_generated_images_toward_the_data", 8, 8)]


def test_junit_report_lists_every_check(solutions_run):
    (_, report), tmp = solutions_run
    root = ET.parse(tmp / "junit.xml").getroot()
    cases = {(case.get("classname"), case.get("name")) for case in root.iter("testcase")}
    assert cases == {(e["slug"], c["name"]) for e in report["exercises"] for c in e["checks"]}
    assert root.get("failures") == "0"


@pytest.mark.parametrize(("gan_case", "t2i_case"), RUNS, ids=[f"{a}+{b}" for a, b in RUNS])
def test_hostile_answers_cost_only_their_own_exercise(tmp_path, gan_case, t2i_case):
    answers = tmp_path / "answers"
    answers.mkdir()
    cases = {"gan_losses": gan_case, "text_to_image_gan": t2i_case}
    for slug, case in cases.items():
        (answers / f"{slug}.py").write_text(source_of(slug, case))
    before = folder_state(answers)
    proc, report = run_grade(*cases, "--answers", str(answers), "--time-limit", "8", tmp_path=tmp_path)

    assert proc.returncode == 1, proc.stdout + proc.stderr
    graded = by_slug(report)
    for slug, case in cases.items():
        exercise = graded[slug]
        if case in HOSTILE:
            _, status, phrase = HOSTILE[case]
            assert exercise["status"] == status, f"{slug} ({case}): {exercise['status']}: {reasons(exercise)}"
            assert phrase in reasons(exercise), f"{slug} ({case}): {reasons(exercise)}"
            assert exercise["points"] < exercise["max_points"]
        else:
            assert exercise["status"] == {"stub": "not started", "solution": "passed"}[case], reasons(exercise)
    assert folder_state(answers) == before, "the grader changed the answers folder"


def test_a_stopped_grading_server_is_reported_as_the_graders_failure(tmp_path):
    zygote = supervision.Zygote()
    limits.kill_group(zygote.process.pid)
    try:
        result = scheduling.grade_one(load_catalog()["gan_losses"], REPO / "solutions", tmp_path, 30.0, zygote)
    finally:
        zygote.close()
    assert result.status == "crashed"
    assert "the grading server stopped" in result.reason


def test_training_and_other_checks_in_two_children_report_as_one_run(tmp_path):
    exercise, zygote = load_catalog()["gan_balance"], supervision.Zygote()
    try:
        whole = scheduling.grade_one(exercise, REPO / "solutions", tmp_path, 60.0, zygote)
        split = scheduling.grade_one(exercise, REPO / "solutions", tmp_path, 60.0, zygote, ("training", "other"))
    finally:
        zygote.close()
    assert split.status == whole.status == "passed"
    assert [(c.name, c.earned, c.training) for c in split.checks] == [(c.name, c.earned, c.training) for c in whole.checks]
    assert {c.training for c in split.checks} == {True, False}


def test_merged_parts_keep_the_file_order_and_the_worst_fate():
    exercise = load_catalog()["gan_losses"]

    def part(status: str, reason: str, *indices: int) -> results.Result:
        checks = [results.Check(f"test_{i}", 1, outcome="passed", earned=1, index=i) for i in indices]
        return results.Result(exercise.slug, exercise.title, status, float(len(indices)), checks, reason)

    merged = results.merge(exercise, [part("timed out", "timed out after 30 s", 1, 3), part("passed", "", 0, 2)])
    assert [c.name for c in merged.checks] == ["test_0", "test_1", "test_2", "test_3"]
    assert (merged.status, merged.reason, merged.seconds) == ("timed out", "timed out after 30 s", 2.0)
    assert results.merge(exercise, [part("passed", "", 1), part("passed", "", 0)]).status == "passed"


def test_a_check_file_that_cannot_be_loaded_crashes_the_exercise(tmp_path):
    checks, report = tmp_path / "test_broken.py", tmp_path / "events.jsonl"
    checks.write_text("from mmgen.checks import no_such_helper\n\n\ndef test_a(answer):\n    pass\n")
    proc = subprocess.run([sys.executable, "-m", "pytest", str(checks), "-p", "mmgen.pytest_plugin", "--report", str(report)],
                          capture_output=True, text=True, check=False, cwd=tmp_path, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    result = results.summarise(load_catalog()["gan_losses"], expected_checks(checks), results.read_events(report), proc.returncode, 1.0, 30.0)
    assert result.status == "crashed"
    assert "cannot import name 'no_such_helper'" in result.reason
    assert result.max_points == 1, "a crash must not make the exercise's points vanish from the total"


def test_no_checks_at_all_is_not_passed():
    assert results.status_of([]) == "failed"


DECLARED = [ExpectedCheck("test_a", 1, False, 0), ExpectedCheck("test_b", 2, False, 1)]
COLLECTED = {"event": "collected", "version": PROTOCOL_VERSION, "checks": [{"name": "test_a", "points": 1}, {"name": "test_b", "points": 2}]}


def summary(*events: dict, returncode: int | None = 0) -> results.Result:
    """What the grader makes of ``events`` from a child that ran the two DECLARED checks."""
    return results.summarise(load_catalog()["gan_losses"], DECLARED, list(events), returncode, 3.0, 30.0)


def reported(name: str, outcome: str = "passed", kind: str = "") -> dict:
    return {"event": "result", "name": name, "outcome": outcome, "kind": kind, "message": "m"}


def test_a_timeout_names_the_running_check():
    result = summary(COLLECTED, {"event": "start", "name": "test_a"}, reported("test_a"), {"event": "start", "name": "test_b"},
                     returncode=None)
    assert result.status == "timed out"
    assert result.points == 1 and result.max_points == 3
    assert result.checks[1].message == "timed out after 30 s during check `b`"


def test_a_killed_child_is_crashed_with_its_signal():
    result = summary(COLLECTED, {"event": "start", "name": "test_a"}, returncode=-9)
    assert result.status == "crashed"
    assert "signal SIGKILL" in result.reason


def test_a_child_that_never_collected_keeps_the_declared_points_in_the_total():
    result = summary(returncode=-9)
    assert (result.status, result.points, result.max_points) == ("crashed", 0, 3)


def test_all_not_implemented_is_not_started_but_one_real_failure_is_failed():
    def result(kind_b: str) -> results.Result:
        return summary(COLLECTED, reported("test_a", "failed", "not_implemented"), reported("test_b", "failed", kind_b))

    assert result("not_implemented").status == "not started"
    assert result("check").status == "failed"


def test_a_collected_list_other_than_the_check_file_is_flagged_and_earns_nothing():
    forged = {**COLLECTED, "checks": [{"name": "test_a", "points": 500}]}
    result = summary(forged, reported("test_a"), reported("test_b"))
    assert result.status == "flagged"
    assert result.points == 0 and result.earned == 3 and result.max_points == 3
    assert "another list of checks" in result.flags[0]


def test_a_child_speaking_another_protocol_is_flagged():
    result = summary({**COLLECTED, "version": PROTOCOL_VERSION + 1}, reported("test_a"), reported("test_b"))
    assert result.status == "flagged" and "protocol" in result.flags[0]


@pytest.mark.parametrize("extra", [reported("test_a"), reported("test_forged")], ids=["twice", "undeclared"])
def test_a_result_reported_twice_or_for_an_undeclared_check_is_flagged(extra):
    result = summary(COLLECTED, reported("test_a", "failed", "check"), extra, reported("test_b"))
    assert result.status == "flagged" and result.points == 0
    assert result.checks[0].outcome == "failed", "the first report of a check is the one that counts"


def exhibit_event(check: str = "test_a", level: int = 255) -> dict:
    return {"event": "exhibit", "check": check, "title": "t", "pictures": [[[level]]], "texts": []}


def test_exhibits_are_kept_and_earn_nothing():
    result = summary(COLLECTED, exhibit_event(), reported("test_a", "failed", "check"), reported("test_b", "failed", "check"))
    assert result.status == "failed" and result.points == 0
    assert [(shown.check, shown.pictures) for shown in result.exhibits] == [("test_a", [[[255]]])]


@pytest.mark.parametrize("exhibits", [[exhibit_event(level=256)], [exhibit_event()] * (MAX_PER_EXERCISE + 1)], ids=["malformed", "too many"])
def test_a_malformed_exhibit_or_too_many_are_flagged(exhibits):
    result = summary(COLLECTED, *exhibits, reported("test_a"), reported("test_b"))
    assert result.status == "flagged" and result.points == 0 and "exhibit" in result.flags[0]


def test_learner_output_drops_tensorflow_noise_and_keeps_the_last_lines(tmp_path):
    out = tmp_path / "child.out"
    noise = [
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
        "I0000 00:00:1795899217.850644    1816 cpu_feature_guard.cc:227] This TensorFlow binary is optimized",
        "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags.",
    ]
    mine = [f"my print {i}" for i in range(supervision.OUTPUT_LINES + 5)] + ["x" * 500]
    out.write_text("\n".join(noise + mine) + "\n")
    shown = supervision.learner_output(out).splitlines()
    assert not any("TensorFlow" in line or "absl" in line for line in shown)
    assert shown[0] == f"(last {supervision.OUTPUT_LINES} of {len(mine)} lines)"
    assert shown[-1] == "x" * (supervision.OUTPUT_LINE_CHARS - 1) + "…"


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["--list"], 0, "gan_losses"),
        (["--hint", "gan_losses"], 0, "hint 1 of 7 for gan_losses:"),
        (["no_such_exercise"], 2, "unknown exercise 'no_such_exercise'; see --list"),
        (["gan_losess"], 2, "did you mean 'gan_losses'?"),
        (["--hint", "no_such_exercise"], 2, "unknown exercise"),
        (["--answers", "/no/such/folder"], 2, "does not exist"),
        (["--answers", str(REPO / "README.md")], 2, "is a file"),
        (["--notebooks", "gan_losses"], 2, "python grade.py gan_losses --notebooks"),
        (["--time-limit", "-5"], 2, "not a time limit"),
        (["--time-limit", "nan"], 2, "not a time limit"),
        (["--time-limit", "0"], 2, "not a time limit"),
        (["--time-limit", "0.01"], 2, "not a time limit"),
        (["--json", "/no/such/folder/report.json"], 2, "does not exist"),
        (["--junit", str(REPO)], 2, "is a folder"),
        (["mock", "--minutes", "-5"], 2, "not a duration"),
    ],
)
def test_command_line_answers_without_grading(args, code, text, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("GRADE_STATE_DIR", str(tmp_path))
    try:
        returned = cli.main(args)
    except SystemExit as exc:  # argparse refuses an option's value
        returned = exc.code
    out = capsys.readouterr()
    assert returned == code, out.out + out.err
    assert text in out.out + out.err
    assert len((out.out + out.err).strip().splitlines()) <= 40, "one line per problem, not a traceback"


def test_a_missing_dependency_is_one_line_and_records_nothing(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("GRADE_STATE_DIR", str(tmp_path))
    monkeypatch.setattr(preflight.importlib.util, "find_spec", lambda name: None if name == "tensorflow" else object())
    assert cli.main(["gan_losses"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err] and "TensorFlow is not installed in this Python" in err
    assert not practice.state_path().exists()


def failure_of(call):
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the exception under description
        return exc
    raise AssertionError("expected the call to raise")


def test_a_learners_exception_is_described_at_their_line_without_library_frames(tmp_path):
    (tmp_path / "mine.py").write_text("import json\n\n\ndef parse(text):\n    return json.loads(text)\n")
    module = Answer(tmp_path / "mine.py")
    exc = failure_of(lambda: module.parse("\x1b[1m{oops"))
    kind, message = describe(exc, tmp_path, Path(__file__))
    assert kind == "error"
    assert message.startswith("your `parse` (mine.py, line 5: `return json.loads(text)`) raised JSONDecodeError: ")
    assert "\x1b" not in message and "\n" not in message


def test_not_implemented_and_check_failures_are_told_apart(tmp_path):
    (tmp_path / "stub.py").write_text("def f():\n    raise NotImplementedError\n")
    kind, message = describe(failure_of(Answer(tmp_path / "stub.py").f), tmp_path, Path(__file__))
    assert (kind, message) == ("not_implemented", "`f` is not implemented yet (stub.py, line 2: `raise NotImplementedError`)")
    kind, message = describe(failure_of(lambda: expect_shape(np.zeros((2, 3)), (2, 4), "f(x)")), tmp_path, Path(__file__))
    assert (kind, message) == ("check", "f(x) returned shape (2, 3); expected (2, 4)")


def test_a_missing_file_or_name_is_reported_as_such(tmp_path):
    (tmp_path / "partial.py").write_text("def f():\n    return 1\n")
    kind, message = describe(failure_of(lambda: Answer(tmp_path / "partial.py").g), tmp_path, Path(__file__))
    assert kind == "answer" and "has no `g`" in message
    kind, message = describe(failure_of(lambda: Answer(tmp_path / "absent.py").f), tmp_path, Path(__file__))
    assert kind == "answer" and "does not exist" in message


def test_lines_on_the_servers_pipe_that_are_not_its_messages_are_ignored_and_counted(tmp_path):
    zygote = supervision.Zygote.__new__(supervision.Zygote)
    mailbox = queue.Queue()
    zygote.mailboxes, zygote.garbled, zygote.lock, zygote.dead = {"gan_losses:all": mailbox}, 0, threading.Lock(), False
    zygote.log = open(tmp_path / "log", "w+b")  # noqa: SIM115 - closed below
    lines = [b"garbage\n", b'{"id": "nobody", "pid": 1}\n', b'{"id": "gan_losses:all", "died": "forged"}\n',
             b'{"id": "gan_losses:all", "pid": "1"}\n', b'{"id": "gan_losses:all", "pid": 42}\n']
    zygote.replies, zygote.process = iter(lines), SimpleNamespace(wait=lambda: 0)
    zygote._dispatch()
    zygote.log.close()
    assert zygote.garbled == 4
    assert mailbox.get_nowait()["pid"] == 42
    assert "died" in mailbox.get_nowait(), "the end of the pipe still tells the exercises that the server is gone"


def test_one_server_grades_the_same_exercise_for_two_folders_at_once(server):
    """Requests are told apart by id, not by exercise: two folders' gradings of gan_losses at once
    each get their own child's replies."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda folder: graded_in_process(folder, server), [REPO / "solutions", REPO / "exercises"])
    assert first["status"] == "passed" and second["status"] == "not started", (reasons(first), reasons(second))


def test_printable_drops_escape_sequences_and_control_characters():
    assert results.printable("\x1b[31mred\x1b[0m\x07 and\ttab\nnext\x00") == "red and\ttab\nnext"


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie awaiting its parent is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def processes_named(name: str) -> list[int]:
    """Live processes whose command name (``/proc/<pid>/comm``) is ``name``."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == name and running(int(comm.parent.name)):
                found.append(int(comm.parent.name))
        except (OSError, ValueError):
            continue
    return found


def test_a_detached_daemon_does_not_outlive_grading_and_is_flagged(tmp_path, server):
    """The daemon forks through ctypes, which the tripwire does not see (os.fork would trip it), and
    names itself so that the test can look for it; the server must end it with its grading."""
    answers, name = tmp_path / "answers", f"mm{os.getpid() % 10**9}"
    answers.mkdir()
    daemon = (
        "\n\nimport ctypes, os, time\nfork = ctypes.pythonapi.fork\nif fork() == 0:\n    os.setsid()\n    if fork() == 0:\n"
        f"        ctypes.pythonapi.prctl(15, {name.encode()!r}, 0, 0, 0)\n        time.sleep(600)\n    os._exit(0)\n"
    )
    (answers / "gan_losses.py").write_text(SOLUTION + daemon)
    exercise = graded_in_process(answers, server)
    assert exercise["status"] == "flagged" and exercise["points"] == 0, reasons(exercise)
    assert any("imports ctypes" in reason for reason in exercise["flags"])
    assert processes_named(name) == [], "the daemon survived grading"


BORROWING = {
    # Reading the reference through a path built at run time: the source scan cannot see it, the tripwire can.
    "reads_the_reference": (
        "import pathlib as p\nexec(p.Path(p.Path.cwd().anchor, *{parts!r}, 'gan_' + 'losses.py').read_text())\n",
        "opened {repo}/solutions/gan_losses.py",
    ),
    "peeks_at_the_server": ("import os as o\nprint(o.readlink('/pr' + 'oc/' + str(o.getppid()) + '/cwd'))\n", "calls os.getppid()"),
}


@pytest.mark.parametrize("case", BORROWING, ids=list(BORROWING))
def test_borrowing_at_run_time_is_flagged_and_earns_nothing(tmp_path, case, server):
    answers = tmp_path / "answers"
    answers.mkdir()
    source, phrase = BORROWING[case]
    (answers / "gan_losses.py").write_text(source.format(parts=REPO.parts[1:] + ("solutions",)))
    exercise = graded_in_process(answers, server)
    assert exercise["status"] == "flagged" and exercise["points"] == 0, reasons(exercise)
    assert any(phrase.format(repo=REPO) in reason for reason in exercise["flags"]), exercise["flags"]


def test_an_exercise_whose_grading_server_died_is_graded_again_on_a_fresh_one():
    zygote = supervision.Zygote()
    limits.kill_group(zygote.process.pid)
    try:
        (result,) = scheduling.grade([load_catalog()["gan_losses"]], REPO / "solutions", zygote=zygote)
    finally:
        zygote.close()
    assert result.status == "passed", result.reason


# What the tripwire cannot see (TensorFlow's own file system, in C++), the sandbox stops.
REACHING_THROUGH_TENSORFLOW = {
    "reads_a_neighbours_answer": "tf.io.read_file({neighbour!r}).numpy()",
    "plants_a_file_in_a_neighbours_folder": "tf.io.write_file({neighbour!r} + '.planted', 'x')",
    "overwrites_a_neighbours_answer": "tf.io.write_file({neighbour!r}, 'x')",
}


@pytest.mark.skipif(bool(missing_layers()), reason="this machine cannot confine answers")
@pytest.mark.parametrize("case", REACHING_THROUGH_TENSORFLOW, ids=list(REACHING_THROUGH_TENSORFLOW))
def test_an_answer_cannot_reach_a_neighbours_folder_through_tensorflow(tmp_path, case, server):
    answers, neighbour = tmp_path / "answers", tmp_path / "neighbour"
    answers.mkdir()
    neighbour.mkdir()
    (neighbour / "gan_losses.py").write_text(SOLUTION)
    before = folder_state(neighbour)
    reach = REACHING_THROUGH_TENSORFLOW[case].format(neighbour=str(neighbour / "gan_losses.py"))
    (answers / "gan_losses.py").write_text(f"{SOLUTION}\n\nimport tensorflow as tf\n\n{reach}\n")
    exercise = graded_in_process(answers, server)
    assert exercise["points"] == 0 and "PermissionDenied" in reasons(exercise), reasons(exercise)
    assert folder_state(neighbour) == before


def test_junit_is_valid_compact_xml_with_failures_errors_time_outs_and_flags():
    def checks(*outcomes: tuple[str, str, str]) -> list[results.Check]:
        return [results.Check(f"test_{i}", 1, outcome, int(outcome == "passed"), message, kind, traceback="frame\n" * 5000)
                for i, (outcome, kind, message) in enumerate(outcomes)]

    colour = "\x1b[31mValueError\x1b[0m: shapes \x07differ"
    graded = [
        results.Result("gan_losses", "GAN", "failed", 1.0, checks(("passed", "", ""), ("failed", "check", colour))),
        results.Result("text_to_audio", "TTA", "crashed", 2.0, checks(("failed", "unreported", "exited (signal SIGKILL)"))),
        results.Result("ctc", "CTC", "timed out", 3.0, checks(("failed", "unreported", "timed out after 20 s"))),
        results.Result("fusion", "Fusion", "flagged", 1.0, checks(("passed", "", "")), flags=["imports gc"]),
        results.Result("vae", "VAE", "crashed", 0.0, [], reason="the checks could not be loaded"),
    ]
    text = render.junit_text(graded)
    root = ET.fromstring(text)
    counts = {key: int(root.get(key)) for key in ("tests", "failures", "errors")}
    assert counts == {"tests": 7, "failures": 2, "errors": 3}
    assert "\x1b" not in text and "\x07" not in text and "ValueError: shapes differ" in text
    assert "frame" not in text, "JUnit carries the learner-facing message, not tracebacks"


def test_the_test_suite_never_writes_the_learners_progress_file():
    assert (REPO / ".grade") not in practice.state_path().parents


def test_the_count_of_lines_left_out_covers_the_whole_output(tmp_path):
    out = tmp_path / "child.out"
    out.write_text("".join(f"print number {i:06d}\n" for i in range(9000)) + "y" * 200_000 + "\nlast\n")
    shown = supervision.learner_output(out).splitlines()
    assert shown[0] == f"(last {supervision.OUTPUT_LINES} of 9002 lines)"
    assert shown[-2] == "y" * (supervision.OUTPUT_LINE_CHARS - 1) + "…" and shown[-1] == "last"


def failing(name: str, kind: str, message: str, hint: int = 0) -> results.Check:
    return results.Check(name, 1, "failed", 0, message, kind, hint=hint)


def test_the_hint_shown_is_the_one_the_failed_check_names():
    exercise = load_catalog()["gan_losses"]
    result = results.Result("gan_losses", "", "failed", 1.0, [failing("test_a", "check", "wrong", hint=3)])
    assert render.fitting_hints(result, exercise) == [f"hint 3 of {len(exercise.hints)}: {exercise.hints[2]}"]
    result.checks[0].hint = 0
    assert render.fitting_hints(result, exercise) == [f"hint 1 of {len(exercise.hints)}: {exercise.hints[0]}"]


def test_no_hint_follows_a_missing_file_or_a_stub():
    exercise = load_catalog()["gan_losses"]
    for kind in ("answer", "not_implemented", "unreported"):
        result = results.Result("gan_losses", "", "failed", 1.0, [failing("test_a", kind, "missing", hint=3)])
        assert render.fitting_hints(result, exercise) == []


@pytest.mark.parametrize("exercise", load_catalog().values(), ids=lambda e: e.slug)
def test_every_hint_a_check_names_exists(exercise):
    assert all(0 <= check.hint <= len(exercise.hints) for check in expected_checks(exercise.check_file))


def test_one_cause_is_told_once_however_many_checks_it_failed():
    cause = "gan_losses.py has a syntax error at line 3"
    result = results.Result("gan_losses", "", "failed", 1.0, [failing(f"test_{i}", "answer", cause) for i in range(14)])
    lines = render.check_lines(result, verbose=False)
    assert sum(cause in line for line in lines) == 1 and "13 more checks" in lines[0]
