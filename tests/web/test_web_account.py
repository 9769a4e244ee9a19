"""In the browser: a person changes their own password; their other sessions end, this one stays."""

import pytest
from playwright.sync_api import Browser, Page, expect

from app.auth.actor import SYSTEM
from app.auth.service import create_user
from tests.web.conftest import ARTIFACTS, PASSWORD, LiveServer, sign_in

pytestmark = pytest.mark.browser
NEW_PASSWORD = "seven quiet lanterns over the harbour"


def test_changing_the_password_signs_out_the_other_sessions_only(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    with live_server.session() as session:
        create_user(session, "paula", "reviewer", PASSWORD, SYSTEM)
    other_browser = browser.new_context(base_url=live_server.url)
    other = other_browser.new_page()
    sign_in(other, "paula")
    sign_in(page, "paula")
    page.get_by_test_id("user-name").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()

    def submit(current: str, new: str, repeated: str) -> None:
        page.get_by_label("Current password").fill(current)
        page.get_by_label("New password", exact=True).fill(new)
        page.get_by_label("New password again").fill(repeated)
        page.get_by_role("button", name="Change password").click()

    submit(PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!")
    expect(page.get_by_role("alert")).to_contain_text("does not match the new password")
    expect(page.get_by_label("New password again")).to_have_attribute("aria-invalid", "true")
    submit("not my password at all", NEW_PASSWORD, NEW_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("does not match")
    expect(page.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    submit(PASSWORD, "password1234", "password1234")
    expect(page.get_by_role("alert")).to_contain_text("too common")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "account-weak-password.png"))

    submit(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    expect(page.get_by_text("Password changed")).to_be_visible()
    page.goto("/sources")  # this browser is still signed in
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    other.goto("/sources")  # the other one is not
    assert "/signin" in other.url
    sign_in(other, "paula", password=NEW_PASSWORD)
    expect(other.get_by_test_id("user-name")).to_have_text("paula")
    other_browser.close()
