"""Bug: adds two 'leakage' findings for train/held-out sharing the 64 scenes, which the contract says is not a mistake (2 unmatched findings)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_at_most_one_finding_matches_no_mistake",)
MODEL_FINDINGS = review()

SAME_SCENES = [
    Finding('image_captioning', 42, 'leakage',
            'Train and validation rows are draws of the same 64 scenes; validate on scenes never seen in training.'),
    Finding('text_to_audio', 47, 'leakage',
            'train and test are both make_batch draws of the same 64 scenes; hold out whole scenes instead.'),
]


def review():
    return [*MODEL_FINDINGS, *SAME_SCENES]
