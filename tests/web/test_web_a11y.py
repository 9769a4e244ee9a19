"""In the browser: every control has an accessible name, focus is visible, the shortcut help is a real dialog."""

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, OpenAs

pytestmark = pytest.mark.browser
# Roles a user operates; each needs a name a screen reader can announce.
CONTROL_ROLES = {
    "button",
    "textbox",
    "searchbox",
    "combobox",
    "listbox",
    "checkbox",
    "radio",
    "spinbutton",
    "slider",
    "switch",
    "link",
    "menuitem",
    "tab",
    "option",
}


def unnamed_controls(page: Page) -> list[str]:
    """Controls in Chromium's own accessibility tree whose computed name is empty, described for the message.

    Collapsed <details> and hidden panels are opened first, so the controls inside them are checked too.
    """
    page.evaluate("""() => {
        document.querySelectorAll('details').forEach((d) => { d.open = true; });
        document.querySelectorAll('[hidden]').forEach((e) => { if (!e.matches('.tooltip')) e.hidden = false; });
    }""")
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    missing = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        if node.get("ignored") or role not in CONTROL_ROLES:
            continue
        if str(node.get("name", {}).get("value", "")).strip():
            continue
        described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
        attributes = described.get("attributes", [])
        missing.append(f"{role}: <{described['localName']} {' '.join(attributes)}>")
    cdp.detach()
    return missing


def test_every_control_has_an_accessible_name(as_user: OpenAs, live_server: LiveServer, page: Page) -> None:
    page.goto("/signin")
    assert unnamed_controls(page) == []
    # The check itself finds what it should: an unlabelled field and an empty button.
    page.evaluate("""() => document.querySelector('form').append(
        Object.assign(document.createElement('input'), {id: 'bare'}), document.createElement('button'))""")
    assert [line.split(":")[0] for line in unnamed_controls(page)] == ["textbox", "button"]
    source_id = live_server.source_ids["002_01998bc28edd2229.txt"]
    editor = as_user("eddie")
    for path in ("/", f"/claims/{live_server.billion_claim_id}", f"/sources/{source_id}", "/sources"):
        editor.goto(path)
        if path.startswith("/claims/"):
            # The merge picker's results are buttons made by script: check them too.
            editor.locator("#merge summary").click()
            editor.get_by_label("Find the duplicate claim").fill("billion")
            expect(editor.locator("#merge-results button").first).to_be_visible()
        assert unnamed_controls(editor) == [], path


def test_keyboard_focus_is_always_visible(as_user: OpenAs, live_server: LiveServer) -> None:
    page = as_user("eddie", f"/claims/{live_server.billion_claim_id}")
    page.locator("body").focus()
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => {
            const el = document.activeElement;
            const css = getComputedStyle(el);
            return {tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 40),
                    visible: el.matches(':focus-visible'), outline: css.outlineStyle,
                    width: parseFloat(css.outlineWidth), shadow: css.boxShadow};
        }""")
        if style["tag"] == "BODY":
            continue
        seen += 1
        ring = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"
        assert style["visible"] and ring, f"no visible focus on {style}"
    assert seen >= 20


def test_shortcut_help_is_a_modal_dialog_that_returns_focus(as_user: OpenAs) -> None:
    page = as_user("rob")
    apply = page.get_by_role("button", name="Apply")
    apply.focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(apply).to_be_focused()

    opener = page.get_by_role("button", name="Keyboard shortcuts")
    opener.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
