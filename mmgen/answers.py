"""Load a learner's answer module by file path, without writing bytecode next to it.

Problems while loading (missing file, syntax error, an exception or ``sys.exit`` at
import) become an :class:`AnswerError` whose message names the file and the line, so
that each check reports it instead of pytest failing to collect the test file.
"""

from __future__ import annotations

import linecache
import sys
import traceback
import types
from pathlib import Path

_loaded: dict[Path, types.ModuleType | AnswerError] = {}


class AnswerError(Exception):
    """The answer file could not be used at all (missing, unimportable, missing a name)."""


def source_line(path: str, lineno: int | None) -> str:
    """The stripped text of one line of a file, or '' when it cannot be read."""
    return linecache.getline(path, lineno).strip() if lineno else ""


def where(path: str, lineno: int | None) -> str:
    """``file.py, line N: `code` `` for messages."""
    code = source_line(path, lineno)
    return f"{Path(path).name}, line {lineno}" + (f": `{code}`" if code else "")


def _import_failure(path: Path, exc: BaseException) -> AnswerError:
    """Describe an exception raised while executing the answer file."""
    if isinstance(exc, SyntaxError) and exc.filename == str(path):
        return AnswerError(f"{path} has a syntax error at line {exc.lineno}: {exc.msg} (`{(exc.text or '').strip()}`)")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    place = f" at {where(str(path), frames[-1].lineno)}" if frames else ""
    if isinstance(exc, SystemExit):
        return AnswerError(
            f"{path} called sys.exit({exc.code!r}) while being imported{place}; "
            "an answer must not exit the process, or the checks cannot report"
        )
    return AnswerError(f"importing {path} raised {type(exc).__name__}: {exc}{place}")


def load(path: Path, notify=lambda text: None) -> types.ModuleType:
    """Execute ``path`` as a fresh module once per process and return it (or raise AnswerError).

    ``notify`` hears "importing <file>" before the learner's code runs and "" after, so a
    grader that must stop a hanging import can say where it hung.
    """
    path = Path(path).resolve()
    if path not in _loaded:
        if not path.is_file():
            _loaded[path] = AnswerError(f"{path} does not exist: copy it from exercises/ and answer there")
        else:
            notify(f"importing {path.name}")
            name = f"answer_{path.parent.name}_{path.stem}"
            module = types.ModuleType(name)
            module.__file__ = str(path)
            sys.modules[name] = module
            try:
                code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
                exec(code, module.__dict__)
                _loaded[path] = module
            except (Exception, SystemExit) as exc:  # the learner's error, reported by every check
                _loaded[path] = _import_failure(path, exc)
            notify("")
    result = _loaded[path]
    if isinstance(result, AnswerError):
        raise result
    return result


class Answer:
    """The learner's module, loaded on first use; a missing name is reported as such."""

    def __init__(self, path: Path, notify=lambda text: None):
        self._path = Path(path)
        self._notify = notify

    @property
    def path(self) -> Path:
        return self._path

    def __getattr__(self, name: str):
        module = load(self._path, self._notify)
        try:
            return getattr(module, name)
        except AttributeError:
            raise AnswerError(f"{self._path} has no `{name}`: keep the names of the stub") from None

