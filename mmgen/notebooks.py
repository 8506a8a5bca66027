"""Notebooks: build one per exercise, read the answers back out, and helpers the notebooks call.

Build (deterministic: stable cell ids, no outputs, no timestamps):
    python -m mmgen.notebooks [SLUG ...] [--force]
A notebook whose answer cells differ from what was generated (a learner's work) is skipped
unless --force is given; without slugs, a stub a learner has edited is not copied into its
notebook.

Each notebook: the question and contract (from the stub's docstring and the catalogue), a
setup cell, the stub's code as cells tagged ``answer``, a cell that grades those answers, and
a demo from ``notebooks/demos/<slug>.py`` (cells separated by ``# %%`` lines, Markdown cells
by ``# %% [markdown]``).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import subprocess
import sys
import traceback
from pathlib import Path

import nbformat

from mmgen.catalog import REPO, Exercise, load_catalog

NOTEBOOKS = REPO / "notebooks"
DEMOS = NOTEBOOKS / "demos"
ANSWER_TAG = "answer"


class NotebookError(Exception):
    """A notebook's answers cannot be read (invalid JSON, a cell with a syntax error, ...)."""


# --- building -------------------------------------------------------------------------------


def split_module(source: str) -> tuple[str, list[str]]:
    """The module docstring and the code after it, cut into one chunk per top-level def/class.

    Imports and constants before the first definition form the first chunk.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    docstring = ast.get_docstring(tree) or ""
    body = tree.body[1:] if docstring else tree.body
    starts = [min([n.lineno, *(d.lineno for d in getattr(n, "decorator_list", []))]) for n in body]
    cut = [s for n, s in zip(body, starts) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]
    bounds = sorted({starts[0], *cut}) if body else []
    chunks = ["\n".join(lines[a - 1 : b - 1]).strip() for a, b in zip(bounds, bounds[1:] + [len(lines) + 1])]
    return docstring, [c for c in chunks if c]


def demo_cells(slug: str) -> list:
    """Cells of ``notebooks/demos/<slug>.py``: ``# %%`` starts a code cell, ``# %% [markdown]`` a text cell."""
    path = DEMOS / f"{slug}.py"
    cells: list = []
    kind: str | None = None
    block: list[str] = []

    def flush():
        text = "\n".join(block).strip()
        if kind == "markdown":
            text = "\n".join(line.removeprefix("# ").removeprefix("#") for line in text.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif kind == "code" and text:
            cells.append(nbformat.v4.new_code_cell(text))

    for line in path.read_text().splitlines() if path.exists() else []:
        if line.startswith("# %%"):
            flush()
            kind, block = ("markdown" if "[markdown]" in line else "code"), []
        elif kind is not None:
            block.append(line)
    flush()
    return cells


def answer_hash(sources: list[str]) -> str:
    return hashlib.sha256("\n\0".join(sources).encode()).hexdigest()[:16]


def build(exercise: Exercise) -> nbformat.NotebookNode:
    """The notebook of one exercise, as the generator makes it."""
    docstring, chunks = split_module((REPO / "exercises" / f"{exercise.slug}.py").read_text())
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        md(f"# {exercise.title}\n\nSeed section: {exercise.seed}. Answer in the cells tagged `answer` "
           f"(the same code as `exercises/{exercise.slug}.py`), save the notebook, then run the check cell.\n\n"
           f"```text\n{docstring}\n```"),
        code("import sys, pathlib\nsys.path.insert(0, str(pathlib.Path.cwd().resolve().parent))\n"
             "from mmgen.notebooks import setup_notebook, grade_notebook\nsetup_notebook()"),
        md("## Your answer"),
        *(code(chunk, metadata={"tags": [ANSWER_TAG]}) for chunk in chunks),
        md("## Check your answer\n\nGrades the answer cells of the saved notebook with the same checks as "
           f"`python grade.py {exercise.slug} --notebooks`."),
        code(f'grade_notebook("{exercise.slug}")'),
        md("## Demo"),
        *demo_cells(exercise.slug),
    ]
    for number, cell in enumerate(cells):
        cell["id"] = f"{exercise.slug.replace('_', '-')}-{number:02d}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "mmgen": {"slug": exercise.slug, "answer_hash": answer_hash(chunks)},
    }
    return notebook


def render(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def with_answers(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """A copy of ``notebook`` whose answer cells hold the module ``source`` instead (e.g. a solution)."""
    filled = nbformat.from_dict(notebook)
    cells = filled.cells
    first = next(i for i, c in enumerate(cells) if ANSWER_TAG in c.metadata.get("tags", []))
    kept = [c for c in cells if ANSWER_TAG not in c.metadata.get("tags", [])]
    answers = [nbformat.v4.new_code_cell(chunk, metadata={"tags": [ANSWER_TAG]}) for chunk in split_module(source)[1]]
    for number, cell in enumerate(answers):
        cell["id"] = f"answer-{number:02d}"
    filled.cells = kept[:first] + answers + kept[first:]
    return filled


def answer_sources(notebook: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in notebook.cells if c.cell_type == "code" and ANSWER_TAG in c.metadata.get("tags", [])]


def learner_changed(path: Path) -> bool:
    """Whether the answer cells of an existing notebook differ from those it was generated with."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable notebook is not overwritten silently either
        return True
    return answer_hash(answer_sources(notebook)) != notebook.metadata.get("mmgen", {}).get("answer_hash")


def stub_edited(slug: str) -> bool:
    """Whether ``exercises/<slug>.py`` differs from the committed stub (a learner's answers are in
    it); without git to ask, it is taken as edited."""
    try:
        status = subprocess.run(["git", "status", "--porcelain", "--", f"exercises/{slug}.py"], cwd=REPO,
                                capture_output=True, text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(status.strip())


def generate(slugs: list[str] | None = None, force: bool = False,
             folder: Path = NOTEBOOKS) -> tuple[list[str], list[tuple[str, str]]]:
    """Write notebooks; returns (written, skipped as (slug, why)).

    A notebook whose answer cells a learner changed is kept unless ``force``; a notebook is built
    from an edited stub (the learner's answers in exercises/) only when its slug was named.
    """
    written, skipped = [], []
    for exercise in load_catalog().values():
        if slugs and exercise.slug not in slugs:
            continue
        path = folder / f"{exercise.slug}.ipynb"
        if not (REPO / "exercises" / f"{exercise.slug}.py").is_file():
            raise NotebookError(f"exercises/{exercise.slug}.py is missing: restore it (git checkout exercises/{exercise.slug}.py)")
        if path.exists() and not force and learner_changed(path):
            skipped.append((exercise.slug, "its answer cells changed; --force overwrites"))
            continue
        if not slugs and stub_edited(exercise.slug):
            skipped.append((exercise.slug, f"exercises/{exercise.slug}.py holds your answers; name the exercise to build from it"))
            continue
        text = render(build(exercise))
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            written.append(exercise.slug)
    return written, skipped


# --- reading answers back -------------------------------------------------------------------


def extract_answers(path: Path) -> str:
    """The module source formed by a notebook's answer cells, in order (raises NotebookError)."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise NotebookError(f"{path} does not exist") from None
    except Exception as exc:  # noqa: BLE001 - invalid JSON or not a notebook
        raise NotebookError(f"{path} is not a readable notebook ({type(exc).__name__}: {exc})") from None
    sources = answer_sources(notebook)
    if not sources:
        raise NotebookError(f"{path} has no cells tagged '{ANSWER_TAG}'")
    for number, source in enumerate(sources, 1):
        try:
            compile(source, f"answer cell {number}", "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise NotebookError(
                f"answer cell {number} of {path.name} has a syntax error at line {exc.lineno}: {exc.msg} "
                f"(`{(exc.text or '').strip()}`)"
            ) from None
    return "\n\n\n".join(sources) + "\n"


def write_answers_from_notebooks(notebooks: Path, slugs: list[str], target: Path) -> None:
    """Write ``target/<slug>.py`` for each notebook; an unreadable one becomes a file that says why."""
    for slug in slugs:
        try:
            source = extract_answers(notebooks / f"{slug}.ipynb")
        except NotebookError as exc:
            source = f"raise ImportError({str(exc)!r})\n"
        (target / f"{slug}.py").write_text(source)


# --- inside a notebook ----------------------------------------------------------------------


def _not_implemented(shell, etype, value, tb, tb_offset=None):
    """Show a NotImplementedError from an answer cell as one line instead of a traceback."""
    frames = traceback.extract_tb(tb)
    name = frames[-1].name if frames else "an answer"
    shell._showtraceback(etype, value, [f"not implemented yet: `{name}`. Fill in its answer cell above, run it, then run this cell again."])


QUICK_DEMOS = "MMGEN_QUICK_DEMOS"  # set by the repository's tests, which run every notebook
QUICK_STEPS = 12  # enough for every demo's plots (some smooth over 10 steps)


def demo_steps(steps: int) -> int:
    """A demo's training steps: ``steps``, or a dozen when the repository's tests run the notebook."""
    return min(steps, QUICK_STEPS) if os.environ.get(QUICK_DEMOS) else steps


def setup_notebook() -> None:
    """Quiet TensorFlow's start-up logs, seed everything, and shorten 'not implemented' errors."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    sys.stderr.flush()
    os.dup2(devnull, 2)  # TensorFlow's C++ start-up lines ignore the log level
    try:
        import keras
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
        keras.utils.set_random_seed(0)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotImplementedError,), _not_implemented)


def grade_notebook(slug: str) -> None:
    """Grade the answer cells of the saved ``<slug>.ipynb`` next to this kernel, as grade.py does."""
    from mmgen.cli import main

    main([slug, "--notebooks", str(Path.cwd())])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mmgen.notebooks", description="Build the exercise notebooks.")
    parser.add_argument("slugs", nargs="*", metavar="SLUG")
    parser.add_argument("--force", action="store_true", help="overwrite notebooks whose answer cells were changed")
    args = parser.parse_args(argv)
    unknown = [slug for slug in args.slugs if slug not in load_catalog()]
    if unknown:
        print(f"python -m mmgen.notebooks: unknown exercise {unknown[0]!r}; see python grade.py --list", file=sys.stderr)
        return 2
    try:
        written, skipped = generate(args.slugs, args.force)
    except NotebookError as exc:
        print(f"python -m mmgen.notebooks: {exc}", file=sys.stderr)
        return 2
    print(f"written: {', '.join(written) or 'none'}")
    for slug, why in skipped:
        print(f"skipped {slug}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
