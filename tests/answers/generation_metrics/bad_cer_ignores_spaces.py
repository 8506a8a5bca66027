"""Bug: spaces are removed before the characters are compared, so space errors are not counted and the denominator leaves out the reference's spaces."""


from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_character_error_rate_counts_spaces",
    "test_error_rates_match_the_contract_on_random_transcripts",
)


def character_error_rate(references, hypotheses) -> float:
    refs = [list(str(r).replace(" ", "")) for r in references]
    hyps = [list(str(h).replace(" ", "")) for h in hypotheses]
    edits = sum(
        sum(operation != "match" for operation, _, _ in edit_operations(ref, hyp)) for ref, hyp in zip(refs, hyps)
    )
    return edits / max(sum(len(ref) for ref in refs), 1)
