"""The live progress line while grading (which exercises run, how many are done); plain lines
when the output is not a terminal."""

from __future__ import annotations

import shutil
import sys
import threading
import time

from mmgen.results import Result


class Progress:
    """One live line on a terminal (which exercises run, how many are done); plain lines otherwise."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.stream = total, stream
        self.live = stream.isatty()
        self.running: dict[str, float] = {}
        self.done = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        if self.live:
            threading.Thread(target=self._redraw_loop, daemon=True).start()

    def _line(self) -> str:
        now = time.monotonic()
        running = ", ".join(f"{slug} {now - t:.0f}s" for slug, t in self.running.items())
        return f"grading: done {self.done}/{self.total}" + (f" | running {running}" if running else "")

    def _draw(self) -> None:
        width = shutil.get_terminal_size().columns - 1
        self.stream.write("\r" + self._line()[:width].ljust(width))
        self.stream.flush()

    def _redraw_loop(self) -> None:
        while not self.stop.wait(0.25):
            with self.lock:
                self._draw()

    def started(self, slug: str) -> None:
        with self.lock:
            self.running[slug] = time.monotonic()

    def finished(self, result: Result) -> None:
        with self.lock:
            self.running.pop(result.slug, None)
            self.done += 1
            line = f"{result.slug}: {result.status} ({result.passed}/{len(result.checks)} checks, {result.seconds:.1f} s)"
            self.stream.write(("\r" + line.ljust(shutil.get_terminal_size().columns - 1) + "\n") if self.live else line + "\n")
            if self.live:
                self._draw()
            self.stream.flush()

    def close(self) -> None:
        self.stop.set()
        if self.live:
            with self.lock:
                self.stream.write("\r" + " " * (shutil.get_terminal_size().columns - 1) + "\r")
                self.stream.flush()
