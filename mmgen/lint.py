"""The authoring lint: do an exercise's pieces agree with each other? (``python -m mmgen.lint``)

An exercise lives in several files: its catalogue entry, the stub, the reference solution, the
checks, the known answers, the demo and the notebook. This reads them all (without importing
TensorFlow, in well under two seconds) and names every disagreement, one line each:

- the catalogue has its format version and every field of every entry;
- each slug has its full set of files;
- the stub and the solution define the same names with the same signatures;
- the stub's docstring is the solution's up to its model answer, then the grading line;
- every stub function raises ``NotImplementedError``, after at most the code it hands over (the
  start of the solution's own);
- every solution has a model answer and a checklist for the spoken answer;
- every hint a check names exists, and every ``CAUGHT_BY`` of a known answer names a check;
- the README's exercise table lists the catalogue, in its order;
- pyproject.toml's dependencies are requirements.txt's.

Exit status 0 when nothing is found, 1 otherwise.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterator

from mmgen.catalog import CATALOG, FORMAT, REPO
from mmgen.integrity import expected_checks
from mmgen.paths import Layout

FIELDS = {"slug": str, "title": str, "seed": str, "kind": str, "difficulty": int, "requires": list, "time_limit": int,
          "hints": list}
KINDS = ("coding", "conceptual")
ANSWER_SECTIONS = ("Model answer", "Checklist")


def signatures(tree: ast.Module) -> dict[str, str]:
    """``name`` (and ``Class.method``) -> its argument list, for the module's functions and classes."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = ast.unparse(node.args)
        elif isinstance(node, ast.ClassDef):
            found[node.name] = "class"
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    found[f"{node.name}.{item.name}"] = ast.unparse(item.args)
    return found


def bodies(tree: ast.Module) -> dict[str, list[ast.stmt]]:
    """``name`` (and ``Class.method``) -> its statements without the docstring."""
    functions: list[tuple[str, ast.FunctionDef]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions.append((node.name, node))
        elif isinstance(node, ast.ClassDef):
            functions.extend((f"{node.name}.{m.name}", m) for m in node.body if isinstance(m, ast.FunctionDef))
    return {name: f.body[1:] if ast.get_docstring(f) is not None else f.body for name, f in functions}


def raises_not_implemented(body: list[ast.stmt]) -> bool:
    return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.unparse(body[0])


def catalogue_findings(entries: list[dict], version: object) -> Iterator[str]:
    """Missing or mistyped fields, unknown kinds and prerequisites, and the format version."""
    if version != FORMAT:
        yield f"catalog.toml: format is {version!r}, the grader reads format {FORMAT}"
    slugs = [entry.get("slug") for entry in entries]
    for entry in entries:
        where = f"catalog.toml [{entry.get('slug', '?')}]"
        for name, kind in FIELDS.items():
            if not isinstance(entry.get(name), kind):
                yield f"{where}: `{name}` is missing or not a {kind.__name__}"
        if entry.get("kind") not in KINDS:
            yield f"{where}: kind {entry.get('kind')!r} is not one of {', '.join(KINDS)}"
        for required in entry.get("requires", []):
            if required not in slugs:
                yield f"{where}: requires {required!r}, which is not in the catalogue"


def exercise_findings(slug: str, hints: int) -> Iterator[str]:
    """Disagreements between one exercise's files."""
    files = Layout.for_slug(slug, REPO)
    missing = [path for path in files.all() if not path.exists()]
    yield from (f"{slug}: {path.relative_to(REPO)} is missing" for path in missing)
    if missing:
        return
    stub_source, solution_source = files.stub.read_text(), files.solution.read_text()
    stub, solution = ast.parse(stub_source), ast.parse(solution_source)
    stub_names, solution_names = signatures(stub), signatures(solution)
    # The solution may add private helpers and methods (a layer's build, say); the stub's names and
    # the solution's public functions and classes must agree.
    public = {name for name in solution_names if "." not in name and not name.startswith("_")}
    for name in sorted(stub_names.keys() | public):
        if stub_names.get(name) != solution_names.get(name):
            yield (f"{slug}: `{name}` is ({stub_names.get(name, 'absent')}) in the stub but "
                   f"({solution_names.get(name, 'absent')}) in the solution")
    solution_bodies = bodies(solution)
    for name, body in bodies(stub).items():
        handed = body[:-1] if body and raises_not_implemented(body[-1:]) else body  # code the stub hands over
        given = solution_bodies.get(name, [])[: len(handed)]
        if [ast.dump(s) for s in handed] != [ast.dump(s) for s in given]:
            yield f"{slug}: the stub's `{name}` is neither NotImplementedError nor the start of the solution's code"
    solution_doc, stub_doc = ast.get_docstring(solution, clean=False) or "", ast.get_docstring(stub, clean=False) or ""
    for section in ANSWER_SECTIONS:
        if f"\n{section}" not in solution_doc:
            yield f"{slug}: the solution's docstring has no `{section}` section"
    if "\nModel answer" in solution_doc:
        expected = solution_doc[: solution_doc.index("\nModel answer") + 1] + f"Grade with: python grade.py {slug}\n"
        if stub_doc != expected:
            yield f"{slug}: the stub's docstring is not the solution's up to `Model answer`, then `Grade with: python grade.py {slug}`"
    checks = expected_checks(files.checks)
    yield from (f"{slug}: `{c.name}` names hint {c.hint}, but there are {hints}" for c in checks if c.hint > hints)
    names = {c.name for c in checks}
    for known in sorted(files.known_answers.glob("*.py")):
        tree = ast.parse(known.read_text())
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "CAUGHT_BY" for t in node.targets):
                for name in ast.literal_eval(node.value):
                    if name not in names:
                        yield f"{slug}: {known.relative_to(REPO)} says it is caught by `{name}`, which is not a check"


def readme_findings(slugs: list[str]) -> Iterator[str]:
    """The README's exercise table must list the catalogue, in its order."""
    lines = (REPO / "README.md").read_text().splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("| slug |")), len(lines))
    table = [line for line in lines[start + 2:] if line.startswith("|")]
    table = table[: next((i for i, line in enumerate(lines[start + 2:]) if not line.startswith("|")), len(table))]
    listed = [line.split("|")[1].strip().strip("`") for line in table]
    if listed != slugs:
        yield f"README.md: the exercise table lists {listed}, the catalogue {slugs}"


def dependency_findings() -> Iterator[str]:
    """pyproject.toml's [project] dependencies must be requirements.txt's, in its order."""
    with open(REPO / "pyproject.toml", "rb") as handle:
        declared = tomllib.load(handle).get("project", {}).get("dependencies", [])
    required = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    required = [line for line in required if line]
    if declared != required:
        yield f"pyproject.toml: [project] dependencies {declared} are not requirements.txt's {required}"


def findings() -> list[str]:
    """Every disagreement, one line each."""
    with open(CATALOG, "rb") as handle:
        data = tomllib.load(handle)
    entries = data.get("exercise", [])
    found = list(catalogue_findings(entries, data.get("format")))
    for entry in entries:
        found.extend(exercise_findings(entry["slug"], len(entry.get("hints", []))))
    found.extend(readme_findings([entry["slug"] for entry in entries]))
    found.extend(dependency_findings())
    return found


def main() -> int:
    found = findings()
    print("\n".join(found) if found else "lint: every exercise's files agree")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
