"""The toy scenes: deterministic, and image, caption and audio of a sample tell the same scene."""

import numpy as np

from mmgen import toy_data


def test_same_seed_same_data_and_other_seed_other_data():
    a, b, c = toy_data.make_batch(32, seed=3), toy_data.make_batch(32, seed=3), toy_data.make_batch(32, seed=4)
    for field in ("images", "captions", "audio"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.images, c.images)


def test_shapes_dtypes_and_ranges():
    batch = toy_data.make_batch(16, seed=0)
    assert batch.images.shape == (16, 28, 28, 1) and batch.images.dtype == np.float32
    assert batch.captions.shape == (16, toy_data.MAX_LEN) and batch.captions.dtype == np.int32
    assert batch.audio.shape == (16, toy_data.AUDIO_SAMPLES) and batch.audio.dtype == np.float32
    assert batch.images.min() == 0.0 and batch.images.max() == 1.0
    assert np.abs(batch.audio).max() <= 1.0


def test_caption_decodes_to_the_scene_words():
    batch = toy_data.make_batch(16, seed=1)
    for scene, caption in zip(batch.scenes, batch.captions):
        assert tuple(toy_data.decode(caption)) == scene.words
        assert caption[0] == toy_data.START and toy_data.END in caption


def test_the_shape_sits_on_the_side_its_caption_names():
    for scene in toy_data.all_scenes():
        mass = toy_data.render(scene)[..., 0]
        rows, cols = np.nonzero(mass)
        if "left" in scene.position:
            assert cols.mean() < 13.5
        if "right" in scene.position:
            assert cols.mean() > 13.5
        if "top" in scene.position:
            assert rows.mean() < 13.5
        if "bottom" in scene.position:
            assert rows.mean() > 13.5


def test_large_shapes_cover_more_pixels_than_small_ones():
    for small in (s for s in toy_data.all_scenes() if s.size == "small"):
        large = toy_data.Scene("large", small.shape, small.position)
        assert toy_data.render(large).sum() > toy_data.render(small).sum()


def test_each_audio_slot_peaks_at_its_words_tone_and_the_rest_is_silent():
    batch = toy_data.make_batch(8, seed=2)
    bin_hz = toy_data.SAMPLE_RATE / toy_data.TONE_SAMPLES
    for scene, clip in zip(batch.scenes, batch.audio):
        slots = clip.reshape(toy_data.MAX_WORDS, toy_data.TONE_SAMPLES)
        for word, slot in zip(scene.words, slots):
            peak = np.argmax(np.abs(np.fft.rfft(slot))) * bin_hz
            assert abs(peak - toy_data.TONE_HZ[word]) < bin_hz / 2
        assert not slots[len(scene.words):].any()


def test_word_ids_drop_the_special_tokens():
    captions = np.stack([toy_data.encode(("small", "circle", "top")), toy_data.encode(("large", "cross", "bottom", "left"))])
    ids = toy_data.word_ids(captions)
    assert ids.tolist() == [
        [toy_data.TOKEN_ID[w] for w in ("small", "circle", "top")] + [toy_data.PAD],
        [toy_data.TOKEN_ID[w] for w in ("large", "cross", "bottom", "left")],
    ]
