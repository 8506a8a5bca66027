"""Grading a class into a gradebook: the gradebook agrees with grading each candidate alone,
shards merge into the whole class, an interrupted run resumes, reports stand alone, and copied
answers are pointed out."""

import csv
import io
import json
import re
import shutil
import subprocess
import tokenize
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from across_workers import shared_folder
from mmgen import gradebook, render, reports, scheduling, similarity, supervision
from mmgen.catalog import REPO, load_catalog
from mmgen.exhibits import data_uri
from mmgen.integrity import exercise_checks

SLUGS = ("gan_losses", "seed_code_review")
# Each candidate: the file behind each exercise (a path, a key of WRITTEN, or None for no file):
# good, bad, hostile, stubs and missing answers.
CLASS = {
    "ada": ("solutions/gan_losses.py", "solutions/seed_code_review.py"),
    "ben": ("exercises/gan_losses.py", "exercises/seed_code_review.py"),
    "cai": ("bad: smoothing ignored", None),
    "dee": (None, "tests/answers/seed_code_review/bad_padding_two_same_scene_leakage.py"),
    "eli": ("hostile: exit", "tests/answers/seed_code_review/good_blind_review_plain_tuples.py"),
    "fay": ("hostile: syntax", "tests/answers/seed_code_review/bad_program_names_with_py_suffix.py"),
    "gus": ("bad: smoothing ignored", "tests/answers/seed_code_review/bad_missed_prev_frame_shift.py"),
    "hal": (None, None),
}
# Twelve more candidates who answered only the code review, each with one of its known bad reviews: a class of 20.
CLASS.update({f"rev{i:02d}": (None, str(path.relative_to(REPO))) for i, path in
              enumerate(sorted((REPO / "tests" / "answers" / "seed_code_review").glob("bad_*.py"))[:12])})
WRITTEN = {
    "hostile: exit": "import os\nos._exit(0)\n",
    "hostile: syntax": "def generator_loss(:\n",
    "bad: smoothing ignored": (REPO / "solutions" / "gan_losses.py").read_text().replace("1.0 - real_smoothing", "1.0"),
}


def build_class(root: Path) -> Path:
    """The candidate folders of ``CLASS`` under ``root``."""
    for name, files in CLASS.items():
        folder = root / name
        folder.mkdir(parents=True)
        for slug, source in zip(SLUGS, files):
            if source in WRITTEN:
                (folder / f"{slug}.py").write_text(WRITTEN[source])
            elif source:
                shutil.copy(REPO / source, folder / f"{slug}.py")
    return root


@pytest.fixture(scope="module")
def server():
    zygote = supervision.Zygote()
    yield zygote
    zygote.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, server):
    """The class graded in two shards and merged, once per test run; the root, the shards' output
    folders and the merged book (read back from the shards' gradebook.json). Read only: a test
    that changes the class works on its own copy."""
    with shared_folder(tmp_path_factory, "class") as (tmp, fresh):
        shards = [tmp / "shard1", tmp / "shard2"]
        if fresh:
            root = build_class(tmp / "class")
            exercises = [load_catalog()[slug] for slug in SLUGS]
            for k, out in enumerate(shards, 1):
                gradebook.grade_class(root, exercises, out, gradebook.Shard(k, 2), server)
    return tmp / "class", shards, gradebook.merge([json.loads((out / "gradebook.json").read_text()) for out in shards])


def test_shard_parses_k_of_n_and_refuses_anything_else():
    assert gradebook.Shard.parse("2/3") == gradebook.Shard(2, 3)
    for text in ("0/2", "3/2", "1", "a/b"):
        with pytest.raises(ValueError):
            gradebook.Shard.parse(text)


def test_shards_split_the_class_into_disjoint_slices_that_cover_it():
    names = [f"c{i:02d}" for i in range(11)]
    slices = [gradebook.Shard(k, 3).of(names) for k in (1, 2, 3)]
    assert sorted(sum(slices, [])) == names and all(slices)


def test_merged_shards_hold_every_candidate(graded):
    _, _, book = graded
    assert sorted(book["candidates"]) == sorted(CLASS)


def test_every_gradebook_cell_is_what_grading_that_candidate_alone_gives(graded, server):
    root, _, book = graded
    exercises = [load_catalog()[slug] for slug in SLUGS]
    rows = {row["candidate"]: row for row in csv.DictReader(io.StringIO(gradebook.csv_text(book)))}
    for name in CLASS:
        alone = render.to_json(scheduling.grade(exercises, root / name, zygote=server))
        for exercise in alone["exercises"]:
            cell = (rows[name][f"{exercise['slug']} points"], rows[name][f"{exercise['slug']} status"])
            assert cell == (str(exercise["points"]), exercise["status"]), (name, exercise["slug"], exercise["reason"])
        assert rows[name]["points"] == str(alone["points"])


def test_hostile_candidates_cost_only_their_own_cells(graded):
    _, _, book = graded
    report = {e["slug"]: e for e in book["candidates"]["eli"]["report"]["exercises"]}
    assert report["gan_losses"]["points"] == 0 and report["seed_code_review"]["status"] == "passed"


def test_a_resumed_run_grades_only_the_candidates_whose_files_changed(graded, server, capsys, tmp_path):
    root, first_half = (shutil.copytree(folder, tmp_path / folder.name) for folder in (graded[0], graded[1][0]))
    kept = {path.name: path.read_text() for path in (first_half / "candidates").iterdir()}
    changed = sorted(kept)[0].removesuffix(".json")
    (root / changed / "gan_losses.py").write_text((REPO / "solutions" / "gan_losses.py").read_text() + "\n# edited\n")
    exercises = [load_catalog()[slug] for slug in SLUGS]
    gradebook.grade_class(root, exercises, first_half, gradebook.Shard(1, 2), server)
    lines = capsys.readouterr().err.splitlines()
    graded_again = [line for line in lines if "kept from an earlier run" not in line]
    assert len(lines) == len(kept) and len(graded_again) == 1 and f"] {changed}:" in graded_again[0], lines


def test_reports_are_self_contained_html_that_names_every_failed_check(graded):
    _, (first_half, second_half), book = graded
    for name, entry in book["candidates"].items():
        page = report_page([first_half, second_half], name).read_text()
        parser = HTMLParser()
        parser.feed(page)
        assert "<script" not in page and "http" not in page
        assert all(source.startswith("data:image/png;base64,") for source in re.findall(r"\bsrc=(\S+)", page))
        for exercise in entry["report"]["exercises"]:
            for check in exercise["checks"]:
                assert (check["name"] in page) == (check["outcome"] != "passed"), (name, check["name"])


def report_page(shards: list[Path], name: str) -> Path:
    """The HTML report of candidate ``name``, from whichever shard graded them."""
    return next(page for out in shards if (page := out / "report" / f"{name}.html").exists())


def headless_chromium() -> tuple[str, list[str]]:
    """The Chromium that ``npm ci --prefix tests/browser`` installs: its executable (unpacked on first
    use) and the flags it runs headless with, as its package gives them."""
    script = "import('@sparticuz/chromium').then(async ({default: c}) => console.log(JSON.stringify([await c.executablePath(), c.args])))"
    proc = subprocess.run(["node", "-e", script], cwd=REPO / "tests" / "browser", capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"no headless Chromium (run npm ci --prefix tests/browser): {proc.stderr[-500:]}"
    executable, flags = json.loads(proc.stdout)
    return executable, flags


@dataclass
class Browsed:
    """What headless Chromium saw of a page: errors, requests, the text shown, and the images it could not draw."""

    errors: list[str]
    requests: list[str]
    text: str
    undrawn_images: int


def browse(page_file: Path) -> Browsed:
    """Open ``page_file`` in headless Chromium and record what it saw."""
    from playwright.sync_api import sync_playwright

    executable, flags = headless_chromium()
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=flags)
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        undrawn = page.evaluate("Array.from(document.images).filter(image => !(image.complete && image.naturalWidth > 0)).length")
        browsed = Browsed(errors, requests, page.inner_text("body"), undrawn)
        browser.close()
    return browsed


def test_a_report_renders_in_a_real_browser_without_errors_or_requests(graded):
    _, shards, book = graded
    page_file = report_page(shards, "gus")  # failed checks in both exercises
    browsed = browse(page_file)
    assert browsed.errors == [] and browsed.requests == [page_file.as_uri()], browsed
    failed = [c["name"] for e in book["candidates"]["gus"]["report"]["exercises"] for c in e["checks"] if c["outcome"] != "passed"]
    assert failed and all(name in browsed.text for name in failed), failed


def exhibit(check: str, level: int, title: str = "samples") -> dict:
    """An exhibit of one 2 x 2 picture and its caption (markup, which the report must escape)."""
    return {"check": check, "title": title, "pictures": [[[level, 0], [0, level]]], "texts": ["<b>a caption</b>"]}


def entry_with_pictures() -> tuple[dict, dict]:
    """A candidate's entry whose exercise shows an exhibit from a visible check and one from a
    hidden check, and the reference's exhibits beside which the report shows them."""
    checks = [{"name": "test_learns", "outcome": "failed", "message": "m", "hidden": False},
              {"name": "test_secret", "outcome": "passed", "message": "", "hidden": True}]
    exercise = {"slug": "text_to_image_gan", "points": 0, "max_points": 2, "status": "failed", "reason": "", "flags": [],
                "checks": checks, "exhibits": [exhibit("test_learns", 100), exhibit("test_secret", 50, "secret")]}
    return {"report": {"points": 0, "max_points": 2, "exercises": [exercise]}, "excerpts": {}}, {"text_to_image_gan": [exhibit("test_learns", 200)]}


def test_a_report_shows_the_candidates_pictures_beside_the_references_and_none_of_a_hidden_check():
    entry, reference = entry_with_pictures()
    page = reports.html_page("ivy", entry, reference)
    mine, theirs, hidden = (data_uri(exhibit(check, level)["pictures"][0]) for check, level in
                            (("test_learns", 100), ("test_learns", 200), ("test_secret", 50)))
    assert mine in page and theirs in page and page.index(mine) < page.index(theirs), "the candidate's column, then the reference's"
    assert hidden not in page and "secret" not in page
    assert "&lt;b&gt;a caption&lt;/b&gt;" in page and "<b>" not in page


def test_report_pictures_are_drawn_by_a_real_browser(tmp_path):
    entry, reference = entry_with_pictures()
    page_file = tmp_path / "ivy.html"
    page_file.write_text(reports.html_page("ivy", entry, reference))
    browsed = browse(page_file)
    assert browsed.errors == [] and browsed.requests == [page_file.as_uri()] and browsed.undrawn_images == 0, browsed
    assert "a caption" in browsed.text


def test_a_report_shows_the_candidates_code_at_the_line_a_message_points_at():
    report = {"exercises": [{"slug": "gan_losses", "reason": "", "checks": [
        {"outcome": "failed", "message": "your `<module>` (gan_losses.py, line 3: `raise ValueError`) raised ValueError"}]}]}
    assert reports.excerpts({"gan_losses": "a = 1\nb = 2\nraise ValueError\nc = 3\n"}, report) == {"gan_losses": [[1, "a = 1", False], [2, "b = 2", False],
                                                               [3, "raise ValueError", True], [4, "c = 3", False]]}


def test_copied_answers_are_listed_and_stubs_are_not(graded):
    _, _, book = graded
    pairs = {(p["exercise"], p["a"], p["b"]) for p in book["similar"]}
    assert ("gan_losses", "cai", "gus") in pairs, "two candidates handed in the same file"
    assert ("gan_losses", "ada", similarity.REFERENCE) in pairs, "a copy of the reference"
    assert not any("ben" in (a, b) for _, a, b in pairs), "the untouched stub has nothing of its own"


def test_an_answer_too_small_to_compare_has_no_signature():
    stub = (REPO / "exercises" / "gan_losses.py").read_text()
    one_line = stub.replace("raise NotImplementedError", "return ops.mean(ops.softplus(-fake_logits))", 1)
    assert similarity.signature(one_line, "gan_losses") is None


def test_candidate_folders_with_unsafe_names_are_skipped(tmp_path):
    for name in ("ada", "=HYPERLINK(x)", "-rf", "a b"):
        (tmp_path / name).mkdir()
    assert gradebook.candidate_names(tmp_path) == (["ada"], ["-rf", "=HYPERLINK(x)", "a b"])


def test_shards_keep_a_candidate_in_its_slice_when_others_join():
    names = [f"c{i:02d}" for i in range(20)]
    shard = gradebook.Shard(1, 3)
    assert set(shard.of(names)) <= set(shard.of([*names, "newcomer", "another"]))


def test_renamed_variables_do_not_hide_a_copy():
    source = (REPO / "solutions" / "gan_losses.py").read_text()
    new_names = {"logits": "scores", "targets": "labels", "real_term": "first", "fake_term": "second"}
    renamed = tokenize.untokenize(
        (token.type, new_names.get(token.string, token.string) if token.type == tokenize.NAME else token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline))
    assert renamed != source
    assert similarity.estimate(similarity.signature(source, "gan_losses"), similarity.signature(renamed, "gan_losses")) == 1.0


def test_merging_gradebooks_of_another_version_is_refused(graded):
    _, _, book = graded
    with pytest.raises(ValueError, match="version"):
        gradebook.merge([book, {**book, "version": 0}])


def test_the_gradebook_json_is_written_beside_the_csv(graded):
    _, (first_half, _), _ = graded
    book = json.loads((first_half / "gradebook.json").read_text())
    assert book["version"] == gradebook.GRADEBOOK_VERSION
    assert (first_half / "gradebook.csv").read_text() == gradebook.csv_text(book)


HIDDEN_CHECKS = '''import numpy as np
import pytest


def test_hidden_generator_loss_at_zero_logits_is_log_two(answer):
    loss = float(answer.generator_loss(np.zeros((4, 1), np.float32)))
    assert abs(loss - np.log(2.0)) < 1e-4, "SECRET: expected log 2"


@pytest.mark.points(2)
def test_hidden_that_no_answer_passes(answer):
    raise AssertionError("SECRET: the interviewer's own message")
'''


def test_hidden_checks_count_and_their_messages_stay_out_of_the_report(tmp_path, server):
    root = tmp_path / "class"
    (root / "ada").mkdir(parents=True)
    shutil.copy(REPO / "solutions" / "gan_losses.py", root / "ada" / "gan_losses.py")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "test_gan_losses.py").write_text(HIDDEN_CHECKS)
    exercises = gradebook.with_hidden_checks([load_catalog()["gan_losses"]], hidden)
    book = gradebook.grade_class(root, exercises, tmp_path / "out", zygote=server)
    (exercise,) = book["candidates"]["ada"]["report"]["exercises"]
    outcomes = {c["name"]: (c["outcome"], c["hidden"]) for c in exercise["checks"]}
    assert outcomes["test_hidden_generator_loss_at_zero_logits_is_log_two"] == ("passed", True)
    assert outcomes["test_hidden_that_no_answer_passes"] == ("failed", True)
    assert exercise["max_points"] - exercise["points"] == 2 and exercise["flags"] == []
    page = (tmp_path / "out" / "report" / "ada.html").read_text()
    assert "test_hidden_that_no_answer_passes" in page and "SECRET" not in page


def test_an_answer_that_reads_the_hidden_checks_is_flagged(tmp_path, server):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "test_gan_losses.py").write_text(HIDDEN_CHECKS)
    (tmp_path / "class" / "eve").mkdir(parents=True)
    peek = f"\n\nSEEN = open({str(hidden / 'test_gan_losses.py')!r}).read()\n"
    (tmp_path / "class" / "eve" / "gan_losses.py").write_text((REPO / "solutions" / "gan_losses.py").read_text() + peek)
    exercises = gradebook.with_hidden_checks([load_catalog()["gan_losses"]], hidden)
    book = gradebook.grade_class(tmp_path / "class", exercises, tmp_path / "out", zygote=server)
    (exercise,) = book["candidates"]["eve"]["report"]["exercises"]
    assert exercise["status"] == "flagged" and exercise["points"] == 0
    assert any("test_gan_losses.py" in flag for flag in exercise["flags"]), exercise["flags"]


def test_a_hidden_check_may_not_take_a_visible_checks_name(tmp_path):
    (tmp_path / "test_gan_losses.py").write_text("def test_generator_loss_is_log2_at_zero_logits(answer):\n    pass\n")
    (exercise,) = gradebook.with_hidden_checks([load_catalog()["gan_losses"]], tmp_path)
    with pytest.raises(ValueError, match="names of their own"):
        exercise_checks(exercise)


SHOWING_CHECK = '''from mmgen import exhibits


def test_shows_a_caption(answer, exhibit):
    exhibit(lambda: exhibits.texts("captions", ["small circle top"]))
'''


def test_the_references_pictures_are_graded_once_and_kept(tmp_path, server):
    (tmp_path / "test_gan_losses.py").write_text(SHOWING_CHECK)
    exercises = gradebook.with_hidden_checks([load_catalog()["gan_losses"]], tmp_path)
    shown = gradebook.reference_exhibits(exercises, tmp_path, "inputs", server)
    assert shown == {"gan_losses": [{"check": "test_shows_a_caption", "title": "captions", "pictures": [], "texts": ["small circle top"]}]}
    kept = (tmp_path / "reference.json").stat().st_mtime_ns
    assert gradebook.reference_exhibits(exercises, tmp_path, "inputs", server) == shown
    assert (tmp_path / "reference.json").stat().st_mtime_ns == kept, "graded again though nothing changed"
