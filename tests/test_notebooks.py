"""The notebooks: generated deterministically, runnable top to bottom, gradable like .py answers."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from across_workers import shared_folder
from mmgen import notebooks
from mmgen.catalog import REPO, load_catalog

SLUGS = list(load_catalog())
CELL_TIMEOUT = 300
NOISE = ("absl", "cuda", "oneDNN", "cpu_feature_guard", "without encryption", "TF_ENABLE_ONEDNN_OPTS")


def execute(notebook, folder: Path, name: str, allow_errors: bool = False):
    """Save ``notebook`` as ``folder/name`` and run it there in a fresh kernel; returns the executed notebook."""
    path = folder / name
    nbformat.write(notebook, path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", "GRADE_STATE_DIR": str(folder.parent / "state"),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline", notebooks.QUICK_DEMOS: "1"}
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute(env=env)
    finally:
        nbformat.write(notebook, path)
    return notebook


def outputs(notebook, output_type: str | None = None) -> list:
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if output_type in (None, o.output_type)]


def text_of(output) -> str:
    if output.output_type == "stream":
        return output.text
    if output.output_type == "error":
        return "\n".join(output.traceback)
    return str(output.get("data", {}).get("text/plain", ""))


def solved_notebook(slug: str) -> nbformat.NotebookNode:
    """The notebook of one exercise with the reference solution in its answer cells."""
    source = (REPO / "solutions" / f"{slug}.py").read_text()
    return notebooks.with_answers(notebooks.build(load_catalog()[slug]), source)


def is_grade_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.source.startswith("grade_notebook(")


@pytest.fixture(scope="module", params=SLUGS)
def solved(request, tmp_path_factory):
    """The solved notebook of one exercise, executed without its grade cell, once per test run.

    That cell is the same call in every notebook: the stub-notebook test runs it in a kernel, the
    notebook-grading tests prove it scores notebook answers like .py answers, and
    test_solved_notebook_answer_cells_are_the_solution that every notebook hands it the solution's code;
    grading each solution again here would only repeat test_grader's run of the catalogue.
    """
    slug = request.param
    with shared_folder(tmp_path_factory, f"solved-{slug}") as (folder, fresh):
        if fresh:
            notebook = solved_notebook(slug)
            notebook.cells = [cell for cell in notebook.cells if not is_grade_cell(cell)]
            return slug, folder, execute(notebook, folder, f"{slug}.ipynb")
        return slug, folder, nbformat.read(folder / f"{slug}.ipynb", as_version=nbformat.NO_CONVERT)


@pytest.mark.parametrize("slug", SLUGS)
def test_committed_notebook_is_what_the_generator_makes(slug):
    path = REPO / "notebooks" / f"{slug}.ipynb"
    assert path.exists(), f"notebooks/{slug}.ipynb is missing: run python -m mmgen.notebooks"
    assert path.read_text() == notebooks.render(notebooks.build(load_catalog()[slug])), (
        f"notebooks/{slug}.ipynb differs from the generator's output: run python -m mmgen.notebooks {slug} --force"
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_every_exercise_has_a_demo(slug):
    assert (notebooks.DEMOS / f"{slug}.py").exists(), f"notebooks/demos/{slug}.py is missing"


def test_solved_notebook_runs_without_errors(solved):
    _, _, notebook = solved
    assert not outputs(notebook, "error")


@pytest.mark.parametrize("slug", SLUGS)
def test_solved_notebook_answer_cells_are_the_solution(slug, tmp_path):
    path = tmp_path / f"{slug}.ipynb"
    nbformat.write(solved_notebook(slug), path)
    solution = ast.parse((REPO / "solutions" / f"{slug}.py").read_text())
    assert ast.dump(ast.parse(notebooks.extract_answers(path))) == ast.dump(ast.Module(body=solution.body[1:], type_ignores=[]))


def test_solved_notebook_draws_pictures(solved):
    _, _, notebook = solved
    assert any("image/png" in o.get("data", {}) for o in outputs(notebook, "display_data"))


def test_solved_notebook_outputs_carry_no_kernel_noise(solved):
    _, _, notebook = solved
    noisy = [text_of(o)[:200] for o in outputs(notebook) if any(word in text_of(o) for word in NOISE)]
    assert not noisy


def test_running_a_notebook_leaves_no_stray_files(solved):
    slug, folder, _ = solved
    assert sorted(p.name for p in folder.iterdir()) == [f"{slug}.ipynb"]


def test_stub_notebook_stops_at_the_first_missing_answer_with_a_short_message(tmp_path):
    notebook = notebooks.build(load_catalog()["gan_losses"])
    with pytest.raises(CellExecutionError):
        execute(notebook, tmp_path, "gan_losses.ipynb")
    errors = outputs(notebook, "error")
    assert len(errors) == 1
    assert errors[0].traceback == [
        "not implemented yet: `sigmoid_cross_entropy`. Fill in its answer cell above, run it, then run this cell again."
    ]
    assert "not started" in "".join(text_of(o) for o in outputs(notebook, "stream"))


def grade(tmp_path: Path, *args: str) -> dict:
    report = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.json"
    subprocess.run([sys.executable, str(REPO / "grade.py"), *args, "--json", str(report)],
                   capture_output=True, text=True, timeout=600, cwd=tmp_path)
    return {e["slug"]: e for e in json.loads(report.read_text())["exercises"]}


def test_notebook_answers_score_like_the_same_py_answers(tmp_path):
    py, nb = tmp_path / "py", tmp_path / "nb"
    py.mkdir(), nb.mkdir()
    sources = {
        # The reference with one bug (smoothing the fake targets too), self-contained: an answer that
        # borrows the reference through mmgen would be flagged instead of graded.
        "gan_losses": (REPO / "solutions" / "gan_losses.py").read_text().replace(
            "ops.zeros_like(fake_logits)", "ops.full_like(fake_logits, real_smoothing)"),
        "text_to_image_gan": (REPO / "exercises" / "text_to_image_gan.py").read_text(),
    }
    for slug, source in sources.items():
        (py / f"{slug}.py").write_text(source)
        nbformat.write(notebooks.with_answers(notebooks.build(load_catalog()[slug]), source), nb / f"{slug}.ipynb")
    from_py = grade(tmp_path, *sources, "--answers", str(py))
    from_nb = grade(tmp_path, *sources, "--notebooks", str(nb))
    for slug in sources:
        assert [(c["name"], c["outcome"]) for c in from_nb[slug]["checks"]] == [(c["name"], c["outcome"]) for c in from_py[slug]["checks"]]
        assert from_nb[slug]["points"] == from_py[slug]["points"]
    assert 0 < from_py["gan_losses"]["points"] < from_py["gan_losses"]["max_points"]


def test_broken_notebooks_cost_only_their_exercise_with_a_clear_reason(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "gan_losses.ipynb").write_text("{ this is not json")
    notebook = notebooks.with_answers(notebooks.build(load_catalog()["text_to_image_gan"]),
                                      (REPO / "solutions" / "text_to_image_gan.py").read_text())
    answer_cells = [c for c in notebook.cells if "answer" in c.metadata.get("tags", [])]
    answer_cells[1].source = answer_cells[1].source.replace("def ", "def (", 1)
    nbformat.write(notebook, folder / "text_to_image_gan.ipynb")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    results = grade(tmp_path, "gan_losses", "text_to_image_gan", "--notebooks", str(folder))
    assert "is not a readable notebook" in results["gan_losses"]["checks"][0]["message"]
    assert "answer cell 2 of text_to_image_gan.ipynb has a syntax error" in results["text_to_image_gan"]["checks"][0]["message"]
    assert all(r["points"] == 0 for r in results.values())
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_deleted_answer_cell_names_what_is_missing(tmp_path):
    notebook = notebooks.build(load_catalog()["gan_losses"])
    notebook.cells = [c for c in notebook.cells if "def generator_loss" not in c.source]
    nbformat.write(notebook, tmp_path / "gan_losses.ipynb")
    source = notebooks.extract_answers(tmp_path / "gan_losses.ipynb")
    assert "def discriminator_loss" in source and "def generator_loss" not in source


def test_generator_keeps_a_learners_answers_unless_forced(tmp_path):
    notebooks.generate(["gan_losses"], folder=tmp_path)
    path = tmp_path / "gan_losses.ipynb"
    notebook = nbformat.read(path, as_version=4)
    next(c for c in notebook.cells if "answer" in c.metadata.get("tags", [])).source += "\n# my work"
    nbformat.write(notebook, path)
    changed = path.read_text()
    assert [slug for slug, _ in notebooks.generate(["gan_losses"], folder=tmp_path)[1]] == ["gan_losses"]
    assert path.read_text() == changed
    assert notebooks.generate(["gan_losses"], force=True, folder=tmp_path) == (["gan_losses"], [])
    assert path.read_text() == notebooks.render(notebooks.build(load_catalog()["gan_losses"]))


def test_generating_twice_changes_nothing(tmp_path):
    notebooks.generate(folder=tmp_path)
    first = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert notebooks.generate(folder=tmp_path) == ([], [])
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == first


def test_the_generator_copies_an_edited_stub_only_into_the_notebook_named(tmp_path, monkeypatch):
    monkeypatch.setattr(notebooks, "stub_edited", lambda slug: slug == "gan_losses")
    written, skipped = notebooks.generate(folder=tmp_path)
    assert "gan_losses" not in written and [slug for slug, _ in skipped] == ["gan_losses"]
    assert "holds your answers" in skipped[0][1]
    assert notebooks.generate(["gan_losses"], folder=tmp_path)[0] == ["gan_losses"]


def test_a_missing_stub_is_one_line_and_exit_status_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(notebooks, "REPO", tmp_path)
    assert notebooks.main(["gan_losses"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err] and "exercises/gan_losses.py is missing" in err
