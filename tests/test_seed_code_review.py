"""Checks for seed_code_review: each mistake planted in the three review programs is one check,
passed when a finding names its program, one of its lines and its category; three precision checks
cost findings that match no mistake. A malformed or overlong review is not scored at all.

The failure messages count the mistakes left in a program without saying which they are."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mmgen.checks import once_per_answer

PRECISION_NEEDS_FOUND = 11  # half of the 22 mistakes
# Lines of each script in exercises/review_programs/ (the grading sandbox cannot read the checkout;
# tests/test_review_programs.py keeps these in step with the files).
PROGRAM_LINES = {"text_to_image_gan": 81, "image_captioning": 73, "text_to_audio": 79}


@dataclass(frozen=True)
class Mistake:
    """A planted mistake: the lines where a finding counts (the mistake and where a fix can go), and
    the categories that describe it."""

    program: str
    lines: frozenset[int]
    categories: frozenset[str]


def spans(*ranges: tuple[int, int]) -> frozenset[int]:
    """The lines of inclusive ``(first, last)`` ranges."""
    return frozenset(line for first, last in ranges for line in range(first, last + 1))


def kinds(*categories: str) -> frozenset[str]:
    return frozenset(categories)


MISTAKES = (
    Mistake("text_to_image_gan", spans((30, 31)), kinds("condition-ignored")),
    Mistake("text_to_image_gan", spans((32, 34)), kinds("shape-mismatch")),  # or stride 1 in one upsampling
    Mistake("text_to_image_gan", spans((10, 11), (33, 34)), kinds("undefined-name")),
    Mistake("text_to_image_gan", spans((45, 45), (55, 55)), kinds("activation-mismatch")),
    Mistake("text_to_image_gan", spans((34, 34), (63, 63)), kinds("activation-mismatch")),
    Mistake("text_to_image_gan", spans((64, 64)), kinds("targets-unrelated-to-inputs")),
    Mistake("text_to_image_gan", spans((76, 77)), kinds("wrong-variables-trained")),
    Mistake("image_captioning", spans((23, 24)), kinds("shape-mismatch")),
    Mistake("image_captioning", spans((10, 10), (32, 32)), kinds("undefined-name")),
    Mistake("image_captioning", spans((31, 31), (33, 33)), kinds("condition-ignored")),
    Mistake("image_captioning", spans((34, 34), (39, 39)), kinds("activation-mismatch")),
    Mistake("image_captioning", spans((43, 44)), kinds("leakage", "metric-on-training-data")),
    Mistake("image_captioning", spans((50, 50)), kinds("no-teacher-forcing-shift")),
    Mistake("image_captioning", spans((63, 64)), kinds("metric-on-training-data")),
    Mistake("text_to_audio", spans((33, 33)), kinds("activation-mismatch")),
    Mistake("text_to_audio", spans((44, 44)), kinds("shape-mismatch")),
    Mistake("text_to_audio", spans((49, 50)), kinds("leakage")),
    Mistake("text_to_audio", spans((51, 51)), kinds("targets-unrelated-to-inputs")),
    Mistake("text_to_audio", spans((14, 14), (52, 52)), kinds("undefined-name")),
    Mistake("text_to_audio", spans((63, 63)), kinds("no-teacher-forcing-shift")),
    Mistake("text_to_audio", spans((68, 69)), kinds("wrong-variables-trained")),
    Mistake("text_to_audio", spans((72, 72)), kinds("metric-on-training-data")),
)


def hits(finding: tuple[str, int, str], mistake: Mistake) -> bool:
    """Whether a (program, line, category) finding names ``mistake``."""
    program, line, category = finding
    return program == mistake.program and category in mistake.categories and line in mistake.lines


@dataclass(frozen=True)
class Review:
    """What ``review()`` returned, read into (program, line, category) triples, or why it is not scored."""

    findings: tuple[tuple[str, int, str], ...] = ()
    problem: str = ""

    def matches(self, mistake: Mistake) -> bool:
        return any(hits(finding, mistake) for finding in self.findings)

    def found(self) -> list[Mistake]:
        return [mistake for mistake in MISTAKES if self.matches(mistake)]

    def unmatched(self) -> list[tuple[str, int, str]]:
        """Findings that match no mistake."""
        return [finding for finding in self.findings if not any(hits(finding, mistake) for mistake in MISTAKES)]


def finding_problem(finding: tuple, reference) -> str:
    """Why one finding, copied into a plain tuple, is malformed ('' when it is well formed)."""
    if len(finding) != 4:
        return f"{finding!r:.80} is not a Finding (program, line, category, fix)"
    program, line, category, fix = finding
    expected_types = (("program", program, str), ("line", line, int), ("category", category, str), ("fix", fix, str))
    for field, value, kind in expected_types:
        if type(value) is not kind:
            return f"{finding!r:.100}: its {field} is a {type(value).__name__}; expected a plain {kind.__name__}"
    if program not in reference.PROGRAMS:
        return f"{finding!r:.100}: program {program!r:.40} is not one of {reference.PROGRAMS}"
    if not 1 <= line <= PROGRAM_LINES[program]:
        return f"{finding!r:.100}: line {line} is not a line number of {program}.py (1 to {PROGRAM_LINES[program]})"
    if category not in reference.CATEGORIES:
        return f"{finding!r:.100}: category {category!r:.40} is not one of CATEGORIES"
    if not fix.strip() or "\n" in fix.strip():
        return f"{finding!r:.100}: the fix must be one non-empty line of text"
    return ""


@once_per_answer
def read_review(answer, reference) -> Review:
    """Call ``review()`` once per answer and copy what it returned into plain values (exact types,
    so that no subclass can bend a comparison), or say why it cannot be scored."""
    returned = answer.review()
    if type(returned) not in (list, tuple):
        return Review(problem=f"review() returned {type(returned).__name__}; expected a list of Finding")
    if len(returned) > reference.MAX_FINDINGS:  # an exact list or tuple: its length is its own
        return Review(problem=f"review() listed more than {reference.MAX_FINDINGS} findings; at most {reference.MAX_FINDINGS} are scored")
    findings = []
    for item in returned:
        if not isinstance(item, tuple | list):
            return Review(problem=f"{item!r:.80} is not a Finding (program, line, category, fix)")
        findings.append(tuple(item))
    for finding in findings:
        if problem := finding_problem(finding, reference):
            return Review(problem=problem)
    return Review(findings=tuple((program, line, category) for program, line, category, _ in findings))


def scored_review(answer, reference) -> Review:
    """The answer's review, or a failure saying why it is not scored."""
    review = read_review(answer, reference)
    if review.problem:
        raise AssertionError(f"the review is not scored: {review.problem}")
    return review


def expect_found(answer, reference, index: int) -> None:
    """Fail unless a finding matches ``MISTAKES[index]``, saying how many of its program's mistakes remain."""
    review = scored_review(answer, reference)
    mistake = MISTAKES[index]
    if review.matches(mistake):
        return
    in_program = [m for m in MISTAKES if m.program == mistake.program]
    number = in_program.index(mistake) + 1
    remaining = sum(not review.matches(m) for m in in_program)
    raise AssertionError(f"review() has no finding for mistake {number} of {mistake.program}.py: {remaining} of its "
                         f"{len(in_program)} mistakes are still unfound (a finding counts when its program, line and category all match)")


def expect_precise(answer, reference, allowed: int) -> None:
    """Fail when more than ``allowed`` findings match no mistake, or the review found too little to judge."""
    review = scored_review(answer, reference)
    found = len(review.found())
    if found < PRECISION_NEEDS_FOUND:
        raise AssertionError(f"review() found {found} of the {len(MISTAKES)} mistakes; precision counts only once "
                             f"at least {PRECISION_NEEDS_FOUND} are found")
    unmatched = review.unmatched()
    if len(unmatched) > allowed:
        listed = "; ".join(f"{p}.py line {line} {c!r}" for p, line, c in unmatched[:8])
        raise AssertionError(f"{len(unmatched)} findings match no mistake (at most {allowed} allowed here): {listed}")


# One check per mistake, in the order of MISTAKES; hints follow the mistake's kind.

@pytest.mark.hint(1)
def test_text_to_image_gan_mistake_1(answer, reference):
    expect_found(answer, reference, 0)


@pytest.mark.hint(2)
def test_text_to_image_gan_mistake_2(answer, reference):
    expect_found(answer, reference, 1)


@pytest.mark.hint(2)
def test_text_to_image_gan_mistake_3(answer, reference):
    expect_found(answer, reference, 2)


@pytest.mark.hint(3)
def test_text_to_image_gan_mistake_4(answer, reference):
    expect_found(answer, reference, 3)


@pytest.mark.hint(3)
def test_text_to_image_gan_mistake_5(answer, reference):
    expect_found(answer, reference, 4)


@pytest.mark.hint(5)
def test_text_to_image_gan_mistake_6(answer, reference):
    expect_found(answer, reference, 5)


@pytest.mark.hint(4)
def test_text_to_image_gan_mistake_7(answer, reference):
    expect_found(answer, reference, 6)


@pytest.mark.hint(2)
def test_image_captioning_mistake_1(answer, reference):
    expect_found(answer, reference, 7)


@pytest.mark.hint(2)
def test_image_captioning_mistake_2(answer, reference):
    expect_found(answer, reference, 8)


@pytest.mark.hint(1)
def test_image_captioning_mistake_3(answer, reference):
    expect_found(answer, reference, 9)


@pytest.mark.hint(3)
def test_image_captioning_mistake_4(answer, reference):
    expect_found(answer, reference, 10)


@pytest.mark.hint(6)
def test_image_captioning_mistake_5(answer, reference):
    expect_found(answer, reference, 11)


@pytest.mark.hint(5)
def test_image_captioning_mistake_6(answer, reference):
    expect_found(answer, reference, 12)


@pytest.mark.hint(6)
def test_image_captioning_mistake_7(answer, reference):
    expect_found(answer, reference, 13)


@pytest.mark.hint(3)
def test_text_to_audio_mistake_1(answer, reference):
    expect_found(answer, reference, 14)


@pytest.mark.hint(2)
def test_text_to_audio_mistake_2(answer, reference):
    expect_found(answer, reference, 15)


@pytest.mark.hint(6)
def test_text_to_audio_mistake_3(answer, reference):
    expect_found(answer, reference, 16)


@pytest.mark.hint(5)
def test_text_to_audio_mistake_4(answer, reference):
    expect_found(answer, reference, 17)


@pytest.mark.hint(2)
def test_text_to_audio_mistake_5(answer, reference):
    expect_found(answer, reference, 18)


@pytest.mark.hint(5)
def test_text_to_audio_mistake_6(answer, reference):
    expect_found(answer, reference, 19)


@pytest.mark.hint(4)
def test_text_to_audio_mistake_7(answer, reference):
    expect_found(answer, reference, 20)


@pytest.mark.hint(6)
def test_text_to_audio_mistake_8(answer, reference):
    expect_found(answer, reference, 21)


# Precision: findings that match no mistake cost up to three points.

@pytest.mark.hint(7)
def test_at_most_five_findings_match_no_mistake(answer, reference):
    expect_precise(answer, reference, 5)


@pytest.mark.hint(7)
def test_at_most_three_findings_match_no_mistake(answer, reference):
    expect_precise(answer, reference, 3)


@pytest.mark.hint(7)
def test_at_most_one_finding_matches_no_mistake(answer, reference):
    expect_precise(answer, reference, 1)
