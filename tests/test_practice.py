"""Practice features: progress, one hint at a time, watch mode, mock interviews, plain piped output."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from mmgen import answer_files, api, cli, practice, watch
from mmgen.catalog import REPO, Exercise, load_catalog
from mmgen.explain import checklist, explain
from mmgen.integrity import expected_checks
from mmgen.output import Output
from mmgen.results import Check, Result


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    """Keep every test's state in its own folder, never in the repository."""
    monkeypatch.setenv("GRADE_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


def result(slug: str, status: str, outcomes: tuple[str, ...]) -> Result:
    """A result whose checks are worth 10 points each, with the given outcomes."""
    checks = [Check(f"test_{i}", points=10, outcome=o, earned=10 if o == "passed" else 0) for i, o in enumerate(outcomes)]
    return Result(slug, slug, status, 1.0, checks)


def test_progress_keeps_the_best_result_of_each_exercise():
    catalog = load_catalog()
    practice.record([result("gan_losses", "failed", ("passed", "failed"))], catalog)
    line = practice.record([result("gan_losses", "failed", ("failed", "failed"))], catalog)
    assert practice.load_state()["best"]["gan_losses"]["points"] == 10
    assert line.startswith(f"progress: 0 of {len(catalog)} exercises passed")
    assert "next: gan_losses" in line


def test_progress_counts_points_out_of_the_whole_catalogue_even_after_a_crash():
    catalog = load_catalog()
    whole = sum(c.points for e in catalog.values() for c in expected_checks(e.check_file))
    practice.record([result("gan_losses", "failed", ("passed", "failed"))], catalog)
    line = practice.record([Result("gan_losses", "GAN losses", "crashed", 0.0, [])], catalog)
    assert f"best points so far 10/{whole}" in line


def test_a_corrupt_progress_file_is_kept_aside_and_reported(state_dir, capsys):
    state_dir.mkdir(parents=True)
    (state_dir / "state.json").write_text("{not json")
    assert practice.load_state() == {}
    kept = list(state_dir.glob("state.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{not json"
    assert "could not be read" in capsys.readouterr().err


def exercise(slug: str, difficulty: int, requires: tuple[str, ...] = (), kind: str = "coding") -> Exercise:
    return Exercise(slug, slug.title(), "§0", 10.0, ("a hint",), kind, difficulty, requires)


def test_next_is_the_easiest_exercise_whose_prerequisites_are_passed():
    catalog = {e.slug: e for e in [exercise("a", 2), exercise("b", 1, ("c",)), exercise("c", 3)]}
    assert practice.suggest_next(catalog, set()).slug == "a"
    assert practice.suggest_next(catalog, {"a"}).slug == "c"
    assert practice.suggest_next(catalog, {"a", "c"}).slug == "b"
    assert practice.suggest_next(catalog, {"a", "b", "c"}) is None


def test_the_progress_line_names_the_suggestion():
    catalog = load_catalog()
    line = practice.record([result("gan_losses", "passed", ("passed",))], catalog)
    upcoming = practice.suggest_next(catalog, {"gan_losses"})
    assert f"1 of {len(catalog)} exercises passed" in line and f"next: {upcoming.slug}" in line


def test_a_mock_interview_reviews_the_exercise_passed_longest_ago_once_all_are_passed():
    catalog = {e.slug: e for e in [exercise("old", 1), exercise("new", 1), exercise("talk", 1, kind="conceptual")]}
    best = {slug: {"status": "passed", "points": 1, "max_points": 1, "passed_at": at}
            for slug, at in (("old", 100.0), ("new", 200.0), ("talk", 50.0))}
    assert [e.slug for e in practice.draw(catalog, best, seed=1)] == ["talk", "old"]
    best["new"]["status"] = "failed"
    assert [e.slug for e in practice.draw(catalog, best, seed=1)] == ["talk", "new"]


def test_all_hints_seen_so_far_can_be_shown_again_without_revealing_more():
    exercise_ = load_catalog()["gan_losses"]
    assert "no hint shown yet" in practice.hints_seen(exercise_)
    first, second = practice.next_hint(exercise_), practice.next_hint(exercise_)
    assert practice.hints_seen(exercise_).splitlines() == [first, second]
    assert practice.hints_seen(exercise_).splitlines() == [first, second]


def test_reset_forgets_everything():
    practice.record([result("gan_losses", "failed", ("passed", "failed"))], load_catalog())
    practice.reset()
    assert practice.load_state() == {}


def test_hints_come_one_at_a_time_then_say_there_are_no_more():
    exercise = load_catalog()["gan_losses"]
    shown = [practice.next_hint(exercise) for _ in range(len(exercise.hints) + 1)]
    for number, hint in enumerate(exercise.hints, 1):
        assert shown[number - 1] == f"hint {number} of {len(exercise.hints)} for gan_losses: {hint}"
    assert shown[-1].startswith("no more hints for gan_losses")


def test_changes_lists_only_checks_that_flipped():
    before = result("gan_losses", "failed", ("failed", "passed"))
    after = result("gan_losses", "passed", ("passed", "passed"))
    lines = practice.changes(before, after)
    assert lines[0] == "gan_losses: failed 10/20 -> passed 20/20"
    assert lines[1:] == ["   now passing: 0"]


def test_mock_draw_is_reproducible_and_mixes_question_kinds():
    catalog = load_catalog()
    first = practice.draw(catalog, {}, seed=11)
    assert first == practice.draw(catalog, {}, seed=11)
    assert [e.kind for e in first] == sorted({e.kind for e in catalog.values()}, key=("conceptual", "coding").index)


def test_model_answers_are_found_in_every_solution():
    for slug in load_catalog():
        answer = practice.docstring_section(REPO / "solutions" / f"{slug}.py", "Model answer")
        assert len(answer.split()) > 40, f"solutions/{slug}.py has no model answer to say aloud"


def run_grade(*args, state_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "GRADE_STATE_DIR": str(state_dir)}
    return subprocess.run([sys.executable, str(REPO / "grade.py"), *args], capture_output=True, text=True, env=env, timeout=600, **kwargs)


def test_mock_interview_shows_questions_then_grades_and_gives_model_answers(state_dir):
    started = run_grade("mock", "--seed", "5", "--minutes", "30", state_dir=state_dir)
    assert started.returncode == 0
    slugs = practice.load_state()["mock"]["slugs"]
    assert "Question 1" in started.stdout and "python grade.py mock --finish" in started.stdout
    finished = run_grade("mock", "--finish", state_dir=state_dir)
    for slug in slugs:
        assert f"   {slug}: not touched" in finished.stdout
    assert "Model answer to say aloud" in finished.stdout and "of 30 minutes" in finished.stdout
    assert "mock" not in practice.load_state()


def test_mock_interview_with_wait_grades_by_itself_when_time_is_up(state_dir):
    proc = run_grade("mock", "--seed", "5", "--minutes", "0.02", "--wait", state_dir=state_dir)
    assert "Question 1" in proc.stdout and "time is up" in proc.stdout, proc.stdout
    assert "Model answer to say aloud" in proc.stdout and "of 0.02 minutes" in proc.stdout
    assert "mock" not in practice.load_state()


def test_piped_output_has_no_terminal_control_codes(state_dir):
    proc = run_grade("gan_losses", state_dir=state_dir)
    assert "\x1b" not in proc.stdout + proc.stderr and "\r" not in proc.stdout + proc.stderr


def test_watch_regrades_on_save_and_stops_cleanly_on_ctrl_c(tmp_path, state_dir):
    answers = tmp_path / "answers"
    answers.mkdir()
    answer = answers / "gan_losses.py"
    answer.write_text((REPO / "exercises" / "gan_losses.py").read_text())
    env = {**os.environ, "GRADE_STATE_DIR": str(state_dir), "PYTHONUNBUFFERED": "1"}
    # Ctrl-C must reach grade.py even when this test runs in the background, where SIGINT is ignored.
    proc = subprocess.Popen([sys.executable, str(REPO / "grade.py"), "--watch", "gan_losses", "--answers", str(answers)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509 - one signal call
    lines = []

    def read_until(text: str, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if text in line:
                return
        raise AssertionError(f"never saw {text!r}: {''.join(lines)[-2000:]}")

    try:
        read_until("watching 1 answer file")
        answer.write_text((REPO / "solutions" / "gan_losses.py").read_text())
        read_until("gan_losses: not started 0/")
        read_until("now passing")
        proc.send_signal(signal.SIGINT)
        read_until("stopped watching", seconds=60)
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0


def test_watch_mode_records_the_progress_of_the_learners_own_answers(monkeypatch, state_dir):
    grades = iter([[result("gan_losses", "failed", ("failed",))], [result("gan_losses", "passed", ("passed",))]])
    saves = iter([1.0, 2.0])

    def saved(path):
        try:
            return next(saves)
        except StopIteration:
            raise KeyboardInterrupt from None  # the learner stops watching after one save

    monkeypatch.setattr(watch, "Zygote", lambda: SimpleNamespace(close=lambda: None))
    monkeypatch.setattr(api, "grade", lambda slugs, source, time_limit=None, zygote=None: next(grades))
    monkeypatch.setattr(watch.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(practice, "mtime", saved)
    catalog = load_catalog()
    assert watch.watch([catalog["gan_losses"]], catalog, api.Source.of(), Output()) == 0
    assert practice.passed_slugs(practice.load_state()["best"]) == {"gan_losses"}


@pytest.mark.parametrize(("source", "own"), [
    ({}, True), ({"notebooks": REPO / "notebooks"}, True), ({"solutions": True}, False), ({"answers": "elsewhere"}, False),
    ({"notebooks": "elsewhere"}, False),
])
def test_only_the_learners_own_answers_count_as_progress(source, own):
    assert api.Source.of(**source).own_work is own


def test_the_reference_opens_only_once_the_exercise_is_passed(capsys):
    assert cli.main(["solution", "gan_losses"]) == 2
    assert "not passed yet" in capsys.readouterr().err
    practice.record([result("gan_losses", "passed", ("passed",))], load_catalog())
    assert cli.main(["solution", "gan_losses"]) == 0
    shown = capsys.readouterr().out
    assert "+++ reference: solutions/gan_losses.py" in shown and "Model answer to say aloud" in shown


def test_forcing_the_reference_open_warns_first(capsys):
    assert cli.main(["solution", "gan_losses", "--force"]) == 0
    out = capsys.readouterr()
    assert "warning: gan_losses is not passed yet" in out.err and "reference: solutions/gan_losses.py" in out.out


def test_reset_puts_the_stub_back_and_keeps_the_learners_file(tmp_path):
    answer = tmp_path / "gan_losses.py"
    answer.write_text("my work\n")
    said = answer_files.reset("gan_losses", answer)
    assert answer.read_text() == answer_files.committed_stub("gan_losses")
    (backup,) = answer_files.backup_folder().glob("gan_losses-*.py")
    assert backup.read_text() == "my work\n" and str(backup) in said


def test_a_running_mock_interview_is_not_dropped_without_asking(capsys):
    assert cli.main(["mock", "--seed", "1"]) == 0
    started = practice.load_state()["mock"]["started"]
    assert cli.main(["mock", "--seed", "2"]) == 2
    assert "mock --restart" in capsys.readouterr().err
    assert practice.load_state()["mock"]["started"] == started
    assert cli.main(["mock", "--seed", "2", "--restart"]) == 0 and practice.load_state()["mock"]["seed"] == 2


@pytest.mark.parametrize("slug", list(load_catalog()))
def test_every_reference_has_a_checklist_for_the_spoken_answer(slug):
    assert 5 <= len(checklist(slug)) <= 8, f"solutions/{slug}.py needs a Checklist section of 5 to 8 points"


def test_explain_asks_then_shows_the_checklist_and_keeps_what_was_ticked():
    exercise_ = load_catalog()["modality_fusion"]
    replies, said = iter(["(spoken)", "1, 3 and 99, or x"]), []
    covered, points = explain(exercise_, ask=lambda prompt: next(replies), say=said.append)
    assert (covered, points) == (2, len(checklist("modality_fusion")))
    question = practice.docstring_section(REPO / "exercises" / "modality_fusion.py", "Interview question")
    assert question in said[0] and checklist("modality_fusion")[0] in said[1]
    assert practice.load_state()["spoken"]["modality_fusion"]["covered"] == 2
    assert f"spoken answers 2/{points}" in practice.progress_line({}, load_catalog())
