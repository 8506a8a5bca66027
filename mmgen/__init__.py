"""Shared code for the multimodal-generation exercises: toy data, answer loading and grading."""
