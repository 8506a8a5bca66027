"""What the grader trusts, and the tripwires for what it cannot prevent.

The grading child runs the learner's code, so nothing it reports is taken on faith:

- the list of checks and their points is read here from the check file's syntax tree, never
  from the child (a child that reports other checks, or a check twice, is tampering);
- an answer file must be a regular file inside the answers folder (a symlink could lend it the
  reference's code);
- the answer's source is scanned for what an honest answer never needs: the grader's own
  modules, the reference, pytest, introspection and process tricks. A finding does not cost
  points; it marks the exercise **flagged**, for a person to review;
- the checkout's files (but the learner's own exercises/ and notebooks/) are fingerprinted
  before and after grading, so that a change to the checks, the reference or the catalogue
  during grading is reported.
"""

from __future__ import annotations

import ast
import hashlib
import os
import stat
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mmgen.catalog import Exercise

# The grader reads check files and answers in its worker threads, and CPython 3.11 builds syntax trees
# with state that threads share: two at once can fail with "SystemError: AST constructor recursion
# depth mismatch" (python/cpython#106905; seen here grading a class).
PARSING = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, one thread at a time."""
    with PARSING:
        return ast.parse(source, filename)

# Modules an answer has no business importing: the grader, the reference, the checks and the
# machinery that could reach or rewrite them.
FORBIDDEN_MODULES = frozenset({
    "mmgen", "solutions", "tests", "conftest", "reference_copy", "pytest", "_pytest", "pluggy", "gc", "inspect", "ctypes", "cffi",
    "importlib", "builtins", "signal", "multiprocessing", "subprocess", "pty", "resource", "runpy", "code",
})
# Built-in functions that run code or reach namespaces by name.
FORBIDDEN_BUILTINS = frozenset({"exec", "eval", "compile", "__import__", "globals", "breakpoint", "open"})
# Functions of ``os`` that start, stop or detach processes, or move the process elsewhere.
FORBIDDEN_OS_CALLS = frozenset({
    "fork", "forkpty", "setsid", "setpgid", "setpgrp", "kill", "killpg", "getppid", "system", "popen", "execv",
    "execve", "execvp", "execl", "spawnv", "posix_spawn", "_exit", "dup2", "chdir", "symlink", "chmod", "open",
    "remove", "unlink", "rename", "replace", "rmdir", "removedirs", "truncate", "write",
})
FORBIDDEN_ATTRIBUTES = frozenset({
    "_getframe", "modules", "settrace", "setprofile", "addaudithook", "f_back", "f_globals", "f_locals",
    "__code__", "__globals__", "__builtins__", "__subclasses__", "tb_frame", "gi_frame", "__loader__",
})
TOY_DATA = "mmgen.toy_data"  # the one module of the grader's package an answer may use (the stubs import it)
FORBIDDEN_TEXT = ("/proc", "solutions/", "tests/", ".git/", ".grade", "catalog.toml", "start_from_reference")
FORBIDDEN_WORDS = frozenset({"solutions", "tests", "answers", "mmgen", ".git", "proc", "pytest"})


@dataclass(frozen=True)
class ExpectedCheck:
    """A check as its file declares it: name, points, whether it trains, position in the file, the
    exercise's hint that fits its failure (1-based; 0: none named), and whether it shows what the
    answer's model produced (it takes the ``exhibit`` fixture)."""

    name: str
    points: int
    training: bool
    index: int
    hint: int = 0
    hidden: bool = False  # from a check file kept outside the repository: its messages stay with the interviewer
    shows: bool = False


def _marker(decorator: ast.expr) -> tuple[str, list]:
    """``pytest.mark.NAME(args)`` or ``pytest.mark.NAME`` as (NAME, literal args); ("", []) otherwise."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call else decorator
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute) and target.value.attr == "mark":
        return target.attr, [ast.literal_eval(arg) for arg in call.args] if call else []
    return "", []


def expected_checks(check_file: Path, hidden: bool = False, first_index: int = 0) -> list[ExpectedCheck]:
    """The checks of ``check_file`` in file order, read from its source without running it."""
    tree = parse(check_file.read_text(encoding="utf-8"), str(check_file))
    checks: list[ExpectedCheck] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            markers = dict(_marker(d) for d in node.decorator_list)
            points = int(markers["points"][0]) if "points" in markers else 1
            hint = int(markers["hint"][0]) if "hint" in markers and not hidden else 0
            shows = "exhibit" in {argument.arg for argument in node.args.args}
            checks.append(ExpectedCheck(node.name, points, "training" in markers, first_index + len(checks), hint, hidden, shows))
    return checks


def exercise_checks(exercise: Exercise) -> list[ExpectedCheck]:
    """The checks an exercise is graded with, in the order its check files run them: its own, then
    the hidden ones (ValueError when a hidden check takes a name the exercise's checks already use)."""
    checks = expected_checks(exercise.check_file)
    if exercise.hidden_checks:
        hidden = expected_checks(exercise.hidden_checks, hidden=True, first_index=len(checks))
        clash = {c.name for c in checks} & {c.name for c in hidden}
        if clash:
            raise ValueError(f"{exercise.hidden_checks}: hidden checks must have names of their own, not {sorted(clash)}")
        checks += hidden
    return checks


def answer_file_problem(answers: Path, slug: str) -> str:
    """Why ``answers/<slug>.py`` cannot be graded as the learner's own file ('' when it can)."""
    path = answers / f"{slug}.py"
    if path.is_symlink():
        return f"{path.name} is a symbolic link (to {path.readlink()}); an answer must be a file of its own"
    if path.exists() and path.resolve().parent != answers.resolve():
        return f"{path.name} lies outside the answers folder"
    if path.exists() and not path.is_file():
        return f"{path.name} is not a regular file"
    return ""


ANSWER_READ_LIMIT = 2**20  # bytes of an answer file the trusted side reads (scans, similarity, reports)


def read_answer_text(path: Path) -> str | None:
    """The text of an answer file, or None unless it is a regular file (not a link, pipe or device)
    of at most ``ANSWER_READ_LIMIT`` bytes; never blocks. Undecodable bytes become U+FFFD."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > ANSWER_READ_LIMIT:
            return None
        return handle.read(ANSWER_READ_LIMIT).decode("utf-8", errors="replace")


def _dotted(node: ast.expr) -> str:
    """``a.b.c`` for a chain of names and attributes, '' otherwise."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> module for every ``import m`` / ``import m as n`` / ``from m import x`` in ``tree``."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings or bare string statements (prose, not data)."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def _finding(node: ast.AST, imported: dict[str, str], prose: set[int]) -> str:
    """What is suspicious about one node ('' for nothing)."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if isinstance(node, ast.ImportFrom) and node.level:
            return f"imports a relative module ({'.' * node.level}{node.module or ''})"
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name != TOY_DATA]
        else:
            names = [] if node.module == TOY_DATA or all(f"{node.module}.{a.name}" == TOY_DATA for a in node.names) else [node.module or ""]
        bad = [name for name in names if name.split(".")[0] in FORBIDDEN_MODULES]
        return f"imports {bad[0]}" if bad else ""
    if isinstance(node, ast.Call):
        called = _dotted(node.func)
        module = imported.get(called.split(".")[0], called.split(".")[0]) if called else ""
        full = ".".join([module, *called.split(".")[1:]]) if called else ""
        if isinstance(node.func, ast.Name) and called in FORBIDDEN_BUILTINS and called not in imported:
            return f"calls {called}()"
        if full.startswith("os.") and full.rsplit(".", 1)[-1] in FORBIDDEN_OS_CALLS:
            return f"calls {full}()"
        if called in ("setattr", "delattr") and node.args and _dotted(node.args[0]).split(".")[0] in imported:
            return f"calls {called}() on the module {_dotted(node.args[0])}"
        return ""
    if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
        return f"uses .{node.attr}"
    if isinstance(node, ast.Attribute) and _dotted(node).startswith("mmgen.") and not _dotted(node).startswith(TOY_DATA):
        return f"uses {_dotted(node)}"
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
        hits = [text for text in FORBIDDEN_TEXT if text in node.value]
        if hits or node.value in FORBIDDEN_WORDS:
            return f"names {node.value[:60]!r}"
        return ""
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        for target in targets:
            owner = _dotted(target.value) if isinstance(target, ast.Attribute) else ""
            if owner and isinstance(target, ast.Attribute) and owner.split(".")[0] in imported:
                return f"rebinds {owner}.{target.attr} of an imported module"
    return ""


def tamper_findings(source: str) -> list[str]:
    """What in an answer's source an honest answer never needs, one line each with its line number."""
    try:
        tree = parse(source)
    except SyntaxError:
        return []  # the checks report the syntax error
    imported, prose = _imported_names(tree), _docstrings(tree)
    findings = {(getattr(node, "lineno", 0), text) for node in ast.walk(tree) if (text := _finding(node, imported, prose))}
    return [f"line {line}: {text}" for line, text in sorted(findings)]


LEARNER_FOLDERS = ("exercises", "notebooks")  # the learner's own files, which they may edit while grading runs


def fingerprint(repo: Path) -> dict[str, str]:
    """SHA-256 of every file git tracks in ``repo`` (of every file under it when git cannot tell),
    except the learner's own folders."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=True, timeout=30).stdout
        paths = [repo / name for name in listing.decode().split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        paths = [p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts and ".grade" not in p.parts]
    paths = [p for p in paths if p.relative_to(repo).parts[0] not in LEARNER_FOLDERS]
    return {str(p.relative_to(repo)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "" for p in paths}


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Files of the checkout added, removed or changed between two fingerprints."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
