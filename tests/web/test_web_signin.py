"""In the browser: signing in and out, and what an anonymous visitor sees."""

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_sign_in_shows_name_and_role_then_sign_out(page: Page) -> None:
    page.goto("/")
    assert "/signin" in page.url  # the board needs a signed-in user
    page.get_by_label("Name").fill("rita")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")

    sign_in(page, "rita")
    expect(page.get_by_test_id("user-name")).to_have_text("rita")
    expect(page.get_by_test_id("user-role")).to_have_text("reviewer")
    cookie = next(c for c in page.context.cookies() if c["name"] == "crosscheck_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Crosscheck")).to_be_visible()
    page.goto("/sources")
    assert "/signin" in page.url
