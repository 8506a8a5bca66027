"""What a check shows of the answer's model reaches the report as checked grey levels and texts,
and a malformed or excessive exhibit is refused."""

import io

import matplotlib.image
import numpy as np
import pytest

from mmgen import exhibits


def test_pictures_draw_low_black_high_white_and_nan_black():
    shown = exhibits.pictures("t", np.array([[[-1.0, 1.0], [0.0, np.nan]]]), low=-1.0, high=1.0)
    assert shown["pictures"] == [[[0, 255], [128, 0]]]


def test_pictures_without_a_range_use_their_own():
    shown = exhibits.pictures("t", np.array([[2.0, 4.0], [3.0, 4.0]]))
    assert shown["pictures"] == [[[0, 255], [128, 255]]]


def test_pictures_keep_at_most_sixteen_of_at_most_128_pixels_a_side():
    shown = exhibits.pictures("t", np.zeros((20, 200, 3, 1)))
    assert np.shape(shown["pictures"]) == (exhibits.MAX_PICTURES, exhibits.MAX_SIDE, 3)


def test_texts_become_short_printable_single_lines():
    shown = exhibits.texts("a\ntitle", ["two\nlines", "\x1b[31mred", "x" * 500])
    assert shown["title"] == "a title"
    assert shown["texts"] == ["two lines", "?[31mred", "x" * exhibits.MAX_TEXT_LENGTH]


def test_what_the_checks_make_is_what_the_grader_accepts():
    payload = exhibits.pictures("generated", np.random.default_rng(0).standard_normal((8, 28, 28, 1)), captions=["a b"] * 8)
    shown = exhibits.parse({"check": "test_x", **payload}, {"test_x"})
    assert shown is not None and len(shown.pictures) == 8 and shown.texts == ["a b"] * 8


GOOD = {"check": "test_x", "title": "t", "pictures": [[[0, 255], [7, 9]]], "texts": ["ok"]}
MALFORMED = {
    "undeclared check": {"check": "test_y"},
    "grey level above 255": {"pictures": [[[0, 256]]]},
    "boolean grey level": {"pictures": [[[True, 0]]]},
    "float grey level": {"pictures": [[[0.5, 0]]]},
    "ragged rows": {"pictures": [[[0, 1], [2]]]},
    "empty picture": {"pictures": [[]]},
    "too wide": {"pictures": [[[0] * (exhibits.MAX_SIDE + 1)]]},
    "too many pictures": {"pictures": [[[0]]] * (exhibits.MAX_PICTURES + 1)},
    "a text of two lines": {"texts": ["two\nlines"]},
    "a text that is not a str": {"texts": [3]},
    "a long title": {"title": "t" * (exhibits.MAX_TITLE_LENGTH + 1)},
    "pictures not a list": {"pictures": "[[[0]]]"},
}


def test_a_well_formed_exhibit_is_kept_as_sent():
    shown = exhibits.parse(GOOD, {"test_x"})
    assert shown is not None and shown.to_json() == GOOD


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_exhibit_is_refused(change):
    assert exhibits.parse({**GOOD, **change}, {"test_x"}) is None


def test_png_decodes_to_the_grey_levels_it_was_made_from():
    levels = np.random.default_rng(1).integers(0, 256, (5, 7))
    decoded = matplotlib.image.imread(io.BytesIO(exhibits.png(levels.tolist())), format="png")
    assert np.array_equal(np.round(decoded * 255).astype(int), levels)


def test_a_drawing_that_raises_shows_nothing():
    def broken() -> dict:
        raise ValueError("the model returned nothing drawable")

    assert exhibits.drawn(broken) is None
