"""What one grading run shows: each exercise's details and the table on stdout, and the JSON and
JUnit files it was asked for, each written whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mmgen.api import Source
from mmgen.catalog import Exercise
from mmgen.render import details, junit_text, table, to_json
from mmgen.results import Result


@dataclass(frozen=True)
class Output:
    """How results are shown: with passed checks and tracebacks, and which report files to write."""

    verbose: bool = False
    json: Path | None = None
    junit: Path | None = None


def write_atomically(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, then a rename over it."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(handle.name, 0o666 & ~umask)  # as a plain open() would have made it
    os.replace(handle.name, path)


def show(results: list[Result], catalog: dict[str, Exercise], source: Source, output: Output) -> None:
    """Print details and the table; write the JSON and JUnit files."""
    for result in results:
        text = details(result, catalog[result.slug], output.verbose, source.edit_in(result.slug))
        if text:
            print(text + "\n")
    print(table(results))
    if output.json:
        write_atomically(output.json, json.dumps(to_json(results), indent=2) + "\n")
    if output.junit:
        write_atomically(output.junit, junit_text(results))
