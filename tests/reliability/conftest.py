"""Reliability tests share the review fixtures: the fixture sources by prefix and a claim made by hand."""

from tests.review.conftest import new_claim, source_ids  # noqa: F401
