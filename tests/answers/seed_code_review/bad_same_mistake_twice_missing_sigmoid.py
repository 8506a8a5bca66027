"""Bug: lists the text_to_audio wrong-variables mistake twice (lines 68 and 69) and misses the sigmoid waveform output (line 33)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_audio_mistake_1",)
MODEL_FINDINGS = review()

GRADIENT_APPLY_LINE = [
    Finding('text_to_audio', 69, 'wrong-variables-trained',
            "apply_gradients must also use tts.trainable_variables so the decoder's weights move."),
]


def review():
    return [*(f for f in MODEL_FINDINGS if f[:2] != ("text_to_audio", 33)), *GRADIENT_APPLY_LINE]
