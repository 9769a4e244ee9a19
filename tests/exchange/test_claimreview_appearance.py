"""A ClaimReview's appearances name the article itself: an outlet's home page is not where a claim appeared."""

import pytest

from app.exchange.claimreview import article_url


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.org",
        "https://news.example.org/",
        "http://news.example.org//",
        "javascript:alert(1)",
        "/sources/3",
        None,
        "",
    ],
)
def test_home_pages_and_non_web_addresses_are_not_article_urls(url: str | None) -> None:
    assert article_url(url) is None


@pytest.mark.parametrize("url", ["https://news.example.org/2025/02/14/talks", "https://news.example.org/?p=123"])
def test_an_article_address_is_kept(url: str) -> None:
    assert article_url(url) == url
