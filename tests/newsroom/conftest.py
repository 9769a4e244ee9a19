"""Newsroom tests reuse the review fixtures: fixture sources by prefix and a claim made by hand."""

from tests.review.conftest import new_claim, source_ids  # noqa: F401
