"""Watch mode: grade once, then re-grade an exercise each time its answer is saved (Ctrl-C stops).

One grading server (TensorFlow imported once) serves every re-grade, so each costs only its
checks' time; the learner sees only what changed, and their own answers' progress is recorded.
"""

from __future__ import annotations

import time

from mmgen import api, practice
from mmgen.catalog import Exercise
from mmgen.output import Output, show
from mmgen.supervision import Zygote

POLL_SECONDS = 1.0


def watch(exercises: list[Exercise], catalog: dict[str, Exercise], source: api.Source, output: Output,
          time_limit: float | None = None) -> int:
    """Grade, then re-grade on every save until Ctrl-C; exit status 0."""
    zygote = Zygote()
    slugs = [e.slug for e in exercises]
    results = {r.slug: r for r in api.grade(slugs, source, time_limit, zygote)}
    show(list(results.values()), catalog, source, output)
    if source.own_work:
        print(practice.record(list(results.values()), catalog))
    seen = {slug: practice.mtime(source.file(slug)) for slug in slugs}
    print(f"\nwatching {len(slugs)} answer file(s); save one to re-grade it, Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            for slug in slugs:
                now = practice.mtime(source.file(slug))
                if now != seen[slug]:
                    seen[slug] = now
                    (fresh,) = api.grade([slug], source, time_limit, zygote)
                    print("\n".join(practice.changes(results[slug], fresh)), flush=True)
                    results[slug] = fresh
                    if source.own_work:
                        print(practice.record([fresh], catalog), flush=True)
    except KeyboardInterrupt:
        print("\nstopped watching")
        return 0
    finally:
        zygote.close()
