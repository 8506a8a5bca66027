"""Bug: tokens are aligned position by position (zip) with the leftover tail as deletions or insertions, which is a valid alignment but not a minimum-cost one when a word is dropped or added early."""


from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_character_error_rate_counts_spaces",
    "test_edit_operations_align_hand_made_examples",
    "test_edit_operations_are_minimal_on_random_sequences",
    "test_edit_operations_name_deletions_and_insertions_from_the_reference_side",
    "test_error_rates_match_the_contract_on_random_transcripts",
    "test_word_error_rate_on_hand_made_alignments",
)


def edit_operations(reference, hypothesis) -> list[tuple[str, object, object]]:
    ref, hyp = list(reference), list(hypothesis)
    operations = []
    for r, h in zip(ref, hyp):
        operations.append(("match" if r == h else "substitute", r, h))
    for r in ref[len(hyp):]:
        operations.append(("delete", r, None))
    for h in hyp[len(ref):]:
        operations.append(("insert", None, h))
    return operations
