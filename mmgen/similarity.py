"""How alike two candidates' answers are, as a hint for an interviewer to look (never a verdict).

An answer is read as normalised tokens (every identifier becomes ``N``, so renaming hides
nothing; numbers and strings stay, since they are what some answers consist of; comments and
layout are dropped), cut into overlapping runs of ``SHINGLE`` tokens. Runs that the exercise's
stub already contains are removed, so that handed-over code does not make everyone look alike,
and an answer with fewer than ``MIN_OWN_RUNS`` runs of its own is too small to compare (a
one-line answer looks like every other). Two answers' similarity is the Jaccard index of their
runs, estimated from MinHash signatures, which are small enough to keep in the gradebook and
compare across shards.
"""

from __future__ import annotations

import hashlib
import io
import keyword
import tokenize
from functools import cache

import numpy as np

from mmgen.integrity import read_answer_text
from mmgen.paths import Layout

VERSION = 1  # of the signatures kept in gradebooks
SHINGLE = 6
MIN_OWN_RUNS = 40
SIGNATURE = 128  # MinHash values per answer: the estimate's standard error is at most 0.5 / sqrt(128) = 0.044
THRESHOLD = 0.8  # pairs at least this similar are listed
REFERENCE = "(reference solution)"
_SALTS = np.random.default_rng(20261203).integers(1, 2**63, size=(2, SIGNATURE), dtype=np.uint64) | np.uint64(1)
_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
            tokenize.ENDMARKER}


def normalised_tokens(source: str) -> list[str]:
    """The tokens of ``source`` with names replaced by a placeholder ([] if it does not tokenize)."""
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.NAME and not keyword.iskeyword(token.string):
                tokens.append("N")
            elif token.type not in _SKIPPED:
                tokens.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        return []
    return tokens


def shingles(source: str) -> set[int]:
    """64-bit hashes of the runs of ``SHINGLE`` normalised tokens in ``source``."""
    tokens = normalised_tokens(source)
    return {int.from_bytes(hashlib.blake2b(" ".join(tokens[i:i + SHINGLE]).encode(), digest_size=8).digest(), "little")
            for i in range(len(tokens) - SHINGLE + 1)}


@cache
def stub_shingles(slug: str) -> frozenset[int]:
    return frozenset(shingles(Layout.for_slug(slug).stub.read_text()))


def signature(source: str, slug: str) -> list[int] | None:
    """The MinHash signature of an answer's own runs (not the stub's); None when it has fewer than
    ``MIN_OWN_RUNS`` of them."""
    own = shingles(source) - stub_shingles(slug)
    if len(own) < MIN_OWN_RUNS:
        return None
    values = np.fromiter(own, dtype=np.uint64)
    hashed = values[:, None] * _SALTS[0] + _SALTS[1]  # wraps modulo 2**64: a multiply-add hash family
    return [int(v) for v in hashed.min(axis=0)]


def signatures(texts: dict[str, str | None]) -> dict[str, list[int] | None]:
    """Signatures of answer texts by slug (None for a missing or unreadable answer)."""
    return {slug: signature(text, slug) if text is not None else None for slug, text in texts.items()}


def estimate(a: list[int], b: list[int]) -> float:
    """The Jaccard index of two answers' runs, estimated from their signatures."""
    return float(np.mean(np.array(a, dtype=np.uint64) == np.array(b, dtype=np.uint64)))


def similar_pairs(candidates: dict[str, dict[str, list[int] | None]], slugs: list[str]) -> list[dict]:
    """Pairs of candidates, and candidates with the reference, whose answers to an exercise are at
    least ``THRESHOLD`` alike, most similar first."""
    pairs = []
    for slug in slugs:
        reference = signatures({slug: read_answer_text(Layout.for_slug(slug).solution)})[slug]
        signed: list[tuple[str, list[int]]] = sorted((name, sig) for name, sigs in candidates.items() if (sig := sigs.get(slug)))
        others = [*signed, *([(REFERENCE, reference)] if reference else [])]
        for i, (name, sig) in enumerate(signed):
            for other, other_sig in others[i + 1:]:
                score = estimate(sig, other_sig)
                if score >= THRESHOLD:
                    pairs.append({"exercise": slug, "a": name, "b": other, "similarity": round(score, 3)})
    return sorted(pairs, key=lambda p: (-p["similarity"], p["exercise"], p["a"], p["b"]))
