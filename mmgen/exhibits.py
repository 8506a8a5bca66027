"""What a candidate's model produced, for the interviewer's report: pictures (generated images,
spectrograms) and texts (decoded captions and transcripts), carried from the grading child to the
report as small, checked values.

A check that trains or samples the answer's model shows what came out through the ``exhibit``
fixture (:mod:`mmgen.pytest_plugin`): it passes a function that makes the payload with
:func:`pictures` or :func:`texts`, called only when grading and through :func:`drawn`, so that a
model whose outputs cannot be drawn changes no verdict; the child writes the payload as an
``exhibit`` event. The grader reads that event as untrusted input, like
every other: :func:`parse` keeps only grey-level pictures of bounded size and short printable
texts, and the report draws each picture as a PNG made here (:func:`png`), so nothing the child
wrote reaches the page as markup or as file bytes. An exhibit earns no points: the answer runs in
the same process and could forge one, so exhibits are shown, never judged.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass

MAX_PER_EXERCISE = 4  # exhibits of one grading child; more flag the result
MAX_PICTURES = 16
MAX_SIDE = 128  # pixels, in either direction
MAX_TEXTS = 16
MAX_TEXT_LENGTH = 200
MAX_TITLE_LENGTH = 120

Picture = list[list[int]]  # grey levels 0-255, row by row


@dataclass(frozen=True)
class Exhibit:
    """What one check showed: a title, pictures and texts (either may be empty)."""

    check: str
    title: str
    pictures: list[Picture]
    texts: list[str]

    def to_json(self) -> dict:
        return asdict(self)


# The child's side: payloads for the ``exhibit`` fixture.

def pictures(title: str, values: object, low: float | None = None, high: float | None = None,
             captions: Iterable[object] = ()) -> dict:
    """A payload of grey-level pictures from ``values`` shaped (n, height, width), (n, height, width, 1)
    or (height, width): the first :data:`MAX_PICTURES`, cropped to :data:`MAX_SIDE`, with ``low``
    black and ``high`` white (default: their own range); NaN is drawn black. ``captions``, one
    per picture, become the texts."""
    import numpy as np

    array = np.asarray(values, dtype=np.float64)
    shape = array.shape
    array = array[..., 0] if array.ndim == 4 and array.shape[-1] == 1 else array
    array = array[None] if array.ndim == 2 else array
    if array.ndim != 3 or 0 in array.shape:
        return {"title": one_line(title, MAX_TITLE_LENGTH), "pictures": [], "texts": [f"nothing to draw: shape {shape}"]}
    array = array[:MAX_PICTURES, :MAX_SIDE, :MAX_SIDE]
    finite = array[np.isfinite(array)]
    if low is None or high is None:
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    scaled = (np.nan_to_num(array, nan=low, posinf=high, neginf=low) - low) / max(high - low, 1e-12)
    levels = np.clip(np.round(scaled * 255.0), 0, 255).astype(int)
    return {"title": one_line(title, MAX_TITLE_LENGTH), "pictures": levels.tolist(),
            "texts": [one_line(caption, MAX_TEXT_LENGTH) for caption in list(captions)[:MAX_TEXTS]]}


def texts(title: str, lines: Iterable[object]) -> dict:
    """A payload of texts: the first :data:`MAX_TEXTS` of ``lines``, each made one short line."""
    return {"title": one_line(title, MAX_TITLE_LENGTH), "pictures": [],
            "texts": [one_line(line, MAX_TEXT_LENGTH) for line in list(lines)[:MAX_TEXTS]]}


def drawn(make: Callable[[], dict]) -> dict | None:
    """The payload ``make`` returns, or None when making it raised: an exhibit never changes a verdict."""
    try:
        return make()
    except Exception:  # noqa: BLE001 - whatever the answer's model returned, the check's verdict stands
        return None


def one_line(value: object, limit: int) -> str:
    """``value`` as printable text on one line, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    return "".join(c if c.isprintable() else "?" for c in text)[:limit]


# The grader's side: checking what a child sent, and drawing it.

def parse(event: dict, checks: Collection[str]) -> Exhibit | None:
    """The exhibit an ``exhibit`` event describes, if it is well formed and names one of ``checks``; else None."""
    check, title, shown, lines = (event.get(key) for key in ("check", "title", "pictures", "texts"))
    well_formed = (
        type(check) is str and check in checks and is_text(title, MAX_TITLE_LENGTH)
        and type(shown) is list and len(shown) <= MAX_PICTURES and all(is_picture(p) for p in shown)
        and type(lines) is list and len(lines) <= MAX_TEXTS and all(is_text(line, MAX_TEXT_LENGTH) for line in lines)
    )
    return Exhibit(check, title, shown, lines) if well_formed else None  # type: ignore[arg-type]


def is_text(value: object, limit: int) -> bool:
    return type(value) is str and len(value) <= limit and value.isprintable()


def is_picture(value: object) -> bool:
    """A grid of 1 to :data:`MAX_SIDE` rows, all of one length from 1 to :data:`MAX_SIDE`, of grey levels 0-255."""
    if type(value) is not list or not 0 < len(value) <= MAX_SIDE or any(type(row) is not list for row in value):
        return False
    width = len(value[0])
    return (0 < width <= MAX_SIDE and all(len(row) == width for row in value)
            and all(type(level) is int and 0 <= level <= 255 for row in value for level in row))


def png(picture: Picture) -> bytes:
    """``picture`` as an 8-bit grey-scale PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", len(picture[0]), len(picture), 8, 0, 0, 0, 0)  # width, height, 8 bits, grey
    rows = b"".join(b"\0" + bytes(row) for row in picture)  # filter type 0 before each row
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def data_uri(picture: Picture) -> str:
    """``picture`` as a ``data:`` URI, for a page that fetches nothing."""
    return "data:image/png;base64," + base64.b64encode(png(picture)).decode("ascii")
