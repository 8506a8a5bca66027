"""Mock interviews: draw one conceptual and one coding question, run the clock, then grade them,
run the spoken part of the conceptual one and show the model answers."""

from __future__ import annotations

import math
import random
import sys
import time

from mmgen import api, practice
from mmgen.catalog import Exercise
from mmgen.explain import explain
from mmgen.output import Output, show
from mmgen.paths import Layout
from mmgen.protocol import Status

POLL_SECONDS = 1.0


def start(catalog: dict[str, Exercise], minutes: float, seed: int | None) -> int:
    """Draw the questions, remember the start time, and show the questions."""
    state = practice.load_state()
    seed = random.SystemRandom().randrange(10_000) if seed is None else seed
    questions = practice.draw(catalog, state.get("best", {}), seed)
    state["mock"] = {"slugs": [e.slug for e in questions], "started": time.time(), "minutes": minutes, "seed": seed}
    practice.save_state(state)
    print(f"mock interview (seed {seed}): {len(questions)} question(s), {minutes:g} minutes; the clock runs from now\n")
    for number, exercise in enumerate(questions, 1):
        question = practice.docstring_section(Layout.for_slug(exercise.slug).stub, "Interview question")
        print(f"Question {number} ({exercise.kind}): {exercise.title}\n{question}\n   answer in exercises/{exercise.slug}.py\n")
    print("When you are done: python grade.py mock --finish")
    return 0


def finish(catalog: dict[str, Exercise]) -> int:
    """Grade the drawn questions, show the time used and the model answers to say aloud."""
    mock = practice.load_state().get("mock")
    if not mock:
        print("no mock interview is running: start one with python grade.py mock")
        return 2
    source = api.Source.of()
    exercises = [catalog[s] for s in mock["slugs"]]
    results = api.grade(mock["slugs"], source)
    show(results, catalog, source, Output())
    print(practice.record(results, catalog))
    used = (time.time() - mock["started"]) / 60
    print(f"\ntime used: {used:.1f} of {mock['minutes']:g} minutes" + (" (over time)" if used > mock["minutes"] else ""))
    for exercise in exercises:
        saved = practice.mtime(source.file(exercise.slug))
        touched = saved is not None and saved > mock["started"]
        print(f"   {exercise.slug}: " + (f"last saved {(saved - mock['started']) / 60:.1f} min in" if touched else "not touched"))
    for exercise in (e for e in exercises if e.kind == "conceptual"):  # the spoken part of the interview
        if sys.stdin.isatty():
            print("\nNow say your answer to the conceptual question aloud, as in the interview.")
            explain(exercise)
        else:
            print(f"\nthe spoken part of {exercise.slug}: python grade.py explain {exercise.slug}")
    for exercise in exercises:
        answer = practice.docstring_section(Layout.for_slug(exercise.slug).solution, "Model answer")
        print(f"\nModel answer to say aloud, {exercise.title}:\n{answer}")
    state = practice.load_state()
    del state["mock"]
    practice.save_state(state)
    return 0 if all(r.status == Status.PASSED for r in results) else 1


def wait(catalog: dict[str, Exercise]) -> int:
    """Keep the terminal until the mock interview's time is up, then grade it as ``--finish`` does."""
    mock = practice.load_state()["mock"]
    deadline = mock["started"] + 60 * mock["minutes"]
    print("the answers are graded when the time is up (Ctrl-C stops waiting; the clock keeps running)", flush=True)
    shown = None
    try:
        while (left := deadline - time.time()) > 0:
            minutes = math.ceil(left / 60)
            if minutes != shown:
                print(f"{minutes} min left", flush=True)
                shown = minutes
            time.sleep(min(POLL_SECONDS, left))
    except KeyboardInterrupt:
        print("\nstopped waiting; finish when you are done: python grade.py mock --finish")
        return 0
    print("time is up", flush=True)
    return finish(catalog)


def confirmed_restart(running: dict) -> bool:
    """Whether the learner agrees to drop the running mock interview (asked on a terminal only)."""
    age = (time.time() - running["started"]) / 60
    question = f"a mock interview is running (started {age:.0f} min ago, {', '.join(running['slugs'])})"
    if not sys.stdin.isatty():
        print(f"grade.py: {question}: `python grade.py mock --finish` grades it, `python grade.py mock --restart` "
              "starts afresh", file=sys.stderr)
        return False
    return input(f"{question}; drop it and start a new one? [y/N] ").strip().lower() in ("y", "yes")
