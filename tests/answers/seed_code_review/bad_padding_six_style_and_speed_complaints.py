"""Bug: adds six findings about style, speed, step count and design choices that are not mistakes (6 unmatched findings)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = (
    "test_at_most_five_findings_match_no_mistake",
    "test_at_most_one_finding_matches_no_mistake",
    "test_at_most_three_findings_match_no_mistake",
)
MODEL_FINDINGS = review()

STYLE_AND_SPEED = [
    Finding('text_to_image_gan', 50, 'condition-ignored',
            'Build one text encoder and share it between the generator and the discriminator.'),
    Finding('text_to_image_gan', 23, 'shape-mismatch',
            'GlobalAveragePooling1D throws away word order; run an LSTM over the caption embeddings.'),
    Finding('text_to_image_gan', 17, 'metric-on-training-data',
            'STEPS = 10 is far too few to judge the GAN; train for thousands of steps.'),
    Finding('image_captioning', 69, 'shape-mismatch',
            'Greedy decoding re-runs the whole prefix every step; carry the GRU state instead (quadratic cost).'),
    Finding('text_to_audio', 40, 'activation-mismatch',
            'log(|S| + 1e-5) explodes on silent frames; use a larger epsilon such as 1e-3.'),
    Finding('text_to_audio', 61, 'leakage',
            'Sampling batch indices with replacement repeats clips; shuffle and iterate over epochs instead.'),
]


def review():
    return [*MODEL_FINDINGS, *STYLE_AND_SPEED]
