"""Bug: the summed edits are divided by the total number of hypothesis words instead of reference words."""


from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_error_rates_match_the_contract_on_random_transcripts",
    "test_word_error_rate_on_hand_made_alignments",
)


def word_error_rate(references, hypotheses) -> float:
    refs = [str(r).split() for r in references]
    hyps = [str(h).split() for h in hypotheses]
    edits = sum(
        sum(operation != "match" for operation, _, _ in edit_operations(ref, hyp)) for ref, hyp in zip(refs, hyps)
    )
    return edits / max(sum(len(hyp) for hyp in hyps), 1)
