"""Grading a class: every candidate folder under a root, with one grading server for the whole run,
into a gradebook (``gradebook.csv`` and ``gradebook.json``) and a report per candidate.

    python grade.py batch ROOT [SLUG ...] [--out DIR] [--shard K/N]
    python grade.py gradebook merge A.json B.json ... [--out DIR]

``ROOT/<candidate>/`` is laid out like ``exercises/`` (any subset of the exercises). Each
candidate's results are kept in ``DIR/candidates/<candidate>.json`` with a fingerprint of the
answer files they came from, so a run that stops resumes where it stopped: a candidate whose
files have not changed is not graded again. ``--shard K/N`` grades the K-th of N deterministic
slices of the candidates; ``merge`` joins the slices' gradebooks into one. The reference solutions
of the exercises whose checks show what a model produced are graded once per class (and kept in
``DIR/reference.json``), so that each report can show a candidate's pictures beside the reference's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from mmgen import reports, similarity
from mmgen.catalog import CATALOG, Exercise
from mmgen.integrity import exercise_checks, read_answer_text
from mmgen.output import write_atomically
from mmgen.paths import SOLUTIONS, Layout
from mmgen.protocol import REPORT_VERSION, Status
from mmgen.render import to_json
from mmgen.scheduling import grade
from mmgen.supervision import Zygote

GRADEBOOK_VERSION = 1  # of gradebook.json
CANDIDATE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")  # safe as a file name and as a spreadsheet cell
NOT_KEPT = (Status.TIMED_OUT, Status.CRASHED)  # may say more about the machine than the answer: graded again


@dataclass(frozen=True)
class Shard:
    """The ``index``-th (from 1) of ``count`` slices of the candidates, by a hash of each name (so a
    candidate stays in its slice when others join the class)."""

    index: int = 1
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``K/N`` with 1 <= K <= N; ValueError otherwise."""
        index, _, count = text.partition("/")
        shard = cls(int(index), int(count))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"shard {text!r}: expected K/N with 1 <= K <= N")
        return shard

    def of(self, names: list[str]) -> list[str]:
        return [name for name in names
                if int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % self.count == self.index - 1]

    @property
    def default_out(self) -> str:
        """The output folder when none is given: one per shard, so that shards never overwrite each other."""
        return "gradebook" if self.count == 1 else f"gradebook-{self.index}-of-{self.count}"


def candidate_names(root: Path) -> tuple[list[str], list[str]]:
    """The candidate folders under ``root`` by name, and the folders skipped for an unsafe name
    (hidden folders are ignored)."""
    folders = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return [n for n in folders if CANDIDATE_NAME.fullmatch(n)], [n for n in folders if not CANDIDATE_NAME.fullmatch(n)]


def with_hidden_checks(exercises: list[Exercise], folder: Path | None) -> list[Exercise]:
    """The exercises, each with ``folder/test_<slug>.py`` as its hidden checks when that file exists."""
    if folder is None:
        return exercises
    return [replace(e, hidden_checks=(folder / f"test_{e.slug}.py").resolve()) if (folder / f"test_{e.slug}.py").is_file() else e
            for e in exercises]


def grading_inputs(exercises: list[Exercise]) -> str:
    """A digest of what grading depends on besides the answers: the catalogue, the checks (hidden
    ones included), the references and the versions of the reports."""
    digest = hashlib.sha256(f"{GRADEBOOK_VERSION}/{REPORT_VERSION}/{similarity.VERSION}".encode())
    for path in [CATALOG, *(p for e in exercises for p in (*e.check_files, Layout.for_slug(e.slug).solution))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def answer_texts(folder: Path, slugs: list[str]) -> dict[str, str | None]:
    """The text of each answer file ``<slug>.py`` in ``folder``, read once for the fingerprint, the
    excerpts and the similarity (None: missing, or not readable as an answer)."""
    return {slug: read_answer_text(folder / f"{slug}.py") for slug in slugs}


def answers_fingerprint(folder: Path, texts: dict[str, str | None], inputs: str) -> str:
    """A digest of a candidate's answer ``texts`` and of the grading ``inputs``."""
    digest = hashlib.sha256(inputs.encode())
    for slug, text in texts.items():
        absent = "<unreadable>" if (folder / f"{slug}.py").exists() else "<missing>"
        digest.update(f"{slug}\0{text if text is not None else absent}\0".encode())
    return digest.hexdigest()


def saved_entry(path: Path, fingerprint: str) -> dict | None:
    """A candidate's kept results if they were graded from the same files and inputs and say
    something about the answers (no time-outs or crashes), else None."""
    try:
        entry = json.loads(path.read_text())
        kept = entry["fingerprint"] == fingerprint and all(e["status"] not in NOT_KEPT for e in entry["report"]["exercises"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entry if kept else None


class ClassProgress:
    """One line per candidate: how many are done, exercises per second, and the time left."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.stream, self.done, self.graded, self.started = total, stream or sys.stderr, 0, 0, time.monotonic()

    def finished(self, name: str, entry: dict, reused: bool, exercises: int) -> None:
        self.done += 1
        self.graded += 0 if reused else exercises
        elapsed = time.monotonic() - self.started
        rate = self.graded / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) * exercises / rate if rate else 0.0
        report = entry["report"]
        self.stream.write(f"[{self.done}/{self.total}] {name}: {report['points']}/{report['max_points']} points"
                          f"{' (kept from an earlier run)' if reused else ''} | {rate:.2f} exercises/s | about {left:.0f} s left\n")
        self.stream.flush()


def grade_class(root: Path, exercises: list[Exercise], out: Path, shard: Shard = Shard(),
                zygote: Zygote | None = None) -> dict:
    """Grade every candidate of ``shard`` under ``root`` on one server, one candidate at a time (its
    exercises in parallel); write and return the gradebook. (Two candidates side by side were no
    faster on two cores: bench/class_speed.py, four candidates, 112 and 89 s one at a time against
    132 and 119 s two at a time.)"""
    slugs, inputs = [e.slug for e in exercises], grading_inputs(exercises)
    names, unsafe = candidate_names(root)
    names = shard.of(names)
    for name in unsafe:
        print(f"skipped {name!r}: a candidate folder's name must match {CANDIDATE_NAME.pattern}", file=sys.stderr)
    kept = out / "candidates"
    kept.mkdir(parents=True, exist_ok=True)
    progress = ClassProgress(len(names))
    server = zygote or Zygote()

    def candidate_entry(name: str) -> dict:
        """The candidate's kept entry if still valid, else a fresh one (graded and kept)."""
        folder = (root / name).resolve()
        texts = answer_texts(folder, slugs)
        fingerprint = answers_fingerprint(folder, texts, inputs)
        entry = saved_entry(kept / f"{name}.json", fingerprint)
        if entry is not None:
            progress.finished(name, entry, reused=True, exercises=len(slugs))
            return entry
        report = to_json(grade(exercises, folder, zygote=server, progress_stream=io.StringIO()))
        entry = {"fingerprint": fingerprint, "report": report, "excerpts": reports.excerpts(texts, report),
                 "signatures": similarity.signatures(texts)}
        write_atomically(kept / f"{name}.json", json.dumps(entry))
        progress.finished(name, entry, reused=False, exercises=len(slugs))
        return entry

    try:
        shown = reference_exhibits([e for e in exercises if any(c.shows for c in exercise_checks(e))], out, inputs, server)
        entries = {name: candidate_entry(name) for name in names}
    finally:
        if zygote is None:
            server.close()
    book = gradebook(slugs, entries, shown)
    write_gradebook(book, out)
    return book


def reference_exhibits(exercises: list[Exercise], out: Path, inputs: str, server: Zygote) -> dict[str, list[dict]]:
    """What the reference's models produced in the checks of ``exercises`` that show it, by slug:
    graded once, then kept in ``out/reference.json`` while the grading ``inputs`` stay the same
    (only when every reference passed: one that timed out is graded again by the next run)."""
    path = out / "reference.json"
    try:
        kept = json.loads(path.read_text())
        if kept["inputs"] == inputs and sorted(kept["exhibits"]) == sorted(e.slug for e in exercises):
            return kept["exhibits"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    results = grade(exercises, SOLUTIONS, zygote=server, progress_stream=io.StringIO()) if exercises else []
    shown = {result.slug: [exhibit.to_json() for exhibit in result.exhibits] for result in results}
    if all(result.status == Status.PASSED for result in results):
        write_atomically(path, json.dumps({"inputs": inputs, "exhibits": shown}))
    return shown


def gradebook(slugs: list[str], entries: dict[str, dict], reference: dict[str, list[dict]]) -> dict:
    """The gradebook of candidates' entries: their reports, the pairs whose answers look alike, and
    what the reference's models produced (``reference``, by slug)."""
    return {
        "version": GRADEBOOK_VERSION, "report_version": REPORT_VERSION, "slugs": slugs, "reference_exhibits": reference,
        "candidates": {name: entries[name] for name in sorted(entries)},
        "similar": similarity.similar_pairs({name: entry["signatures"] for name, entry in entries.items()}, slugs),
    }


def merge(books: list[dict]) -> dict:
    """One gradebook from the gradebooks of several shards of one class (ValueError if they are
    not: another version, other exercises, or a candidate in two of them)."""
    for key, expected in (("version", GRADEBOOK_VERSION), ("report_version", REPORT_VERSION)):
        found = {book.get(key) for book in books}
        if found != {expected}:
            raise ValueError(f"cannot merge gradebooks of {key} {sorted(map(str, found))}; expected {expected}")
    if len({tuple(book["slugs"]) for book in books}) != 1:
        raise ValueError("cannot merge gradebooks of different exercises")
    entries: dict[str, dict] = {}
    for book in books:
        for name, entry in book["candidates"].items():
            if name in entries or not CANDIDATE_NAME.fullmatch(name):
                raise ValueError(f"candidate {name!r} is in two gradebooks, or is not a safe name")
            entries[name] = entry
    return gradebook(books[0]["slugs"], entries, books[0].get("reference_exhibits", {}))


def csv_text(book: dict) -> str:
    """One row per candidate: each exercise's points and status, the total, and the flags."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["candidate", *(f"{slug} {what}" for slug in book["slugs"] for what in ("points", "status")),
                     "points", "max_points", "flags"])
    for name, entry in book["candidates"].items():
        exercises = {e["slug"]: e for e in entry["report"]["exercises"]}
        cells = [cell for slug in book["slugs"] for cell in
                 ((exercises[slug]["points"], exercises[slug]["status"]) if slug in exercises else ("", ""))]
        flags = "; ".join(f"{e['slug']}: {flag}" for e in entry["report"]["exercises"] for flag in e["flags"])
        writer.writerow([name, *cells, entry["report"]["points"], entry["report"]["max_points"], flags])
    return buffer.getvalue()


def write_gradebook(book: dict, out: Path) -> None:
    """``gradebook.json``, ``gradebook.csv`` and one report per candidate under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "gradebook.json", json.dumps(book, indent=1))
    write_atomically(out / "gradebook.csv", csv_text(book))
    reports.write_all(book, out / "report")
