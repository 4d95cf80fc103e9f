"""Keyboard-only use: sign in, fill a form, see where focus is, and never get trapped.

(The idle-timeout dialog is tested server-side: the timeout is a server setting and one live
server serves the whole browser run.)
"""

from __future__ import annotations

from typing import Any

import pytest

from skillplan.accounts.demo import DEMO_PASSWORD

KEYBOARD_PERSONA = "demo_county_furong"  # no two-factor step

DESCRIBE_ACTIVE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) { return 'body'; }
    let text = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim();
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.getAttribute('href') ? '[href=' + el.getAttribute('href') + ']' : '') +
        (text ? ' "' + text.slice(0, 30) + '"' : '');
}"""

FOCUS_STYLE = """(el) => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
            s.borderColor, s.backgroundColor, s.textDecorationLine].join(' | ');
}"""

ON_SCREEN = """(el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
        r.top < window.innerHeight && r.left < window.innerWidth;
}"""


def active(page: Any) -> str:
    return str(page.evaluate(DESCRIBE_ACTIVE))


def tab(page: Any, *, shift: bool = False) -> str:
    page.keyboard.press("Shift+Tab" if shift else "Tab")
    return active(page)


class FocusWatcher:
    """Records each focused element's look when focused and after focus has moved on."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.pending: tuple[str, Any, str] | None = None
        self.invisible: list[str] = []

    def focused(self) -> str:
        described = active(self.page)
        self.settle()
        if described != "body":
            handle = self.page.evaluate_handle("document.activeElement")
            if not handle.evaluate(ON_SCREEN):
                self.invisible.append(f"{described}: focused but not on screen")
            self.pending = (described, handle, handle.evaluate(FOCUS_STYLE))
        return described

    def settle(self) -> None:
        if self.pending is None:
            return
        described, handle, focused_style = self.pending
        self.pending = None
        if handle.evaluate("el => el === document.activeElement"):
            return
        if handle.evaluate(FOCUS_STYLE) == focused_style:
            self.invisible.append(f"{described}: looks the same focused and not focused "
                                  f"({focused_style})")


def test_keyboard_only_sign_in_with_skip_link_and_visible_focus(new_context: Any) -> None:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    watcher = FocusWatcher(page)

    page.keyboard.press("Tab")
    first = watcher.focused()
    assert "a[href=#main]" in first, f"the first Tab stop should be the skip link, got {first}"
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", (
        f"the skip link should move focus to <main>, focus is on {active(page)}"
    )

    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(watcher.focused())
    assert order[0].startswith("input#id_username"), order
    assert order[1].startswith("input#id_password"), order
    assert order[2].startswith("button"), order
    assert page.evaluate("document.activeElement.type") == "submit"

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    watcher.settle()
    assert active(page).startswith("input#id_username")
    page.keyboard.type(KEYBOARD_PERSONA)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("#")[0].endswith("/workspace/"), f"Enter did not sign in: {page.url}"
    assert not watcher.invisible, "focus is not visible:\n" + "\n".join(watcher.invisible)


def test_focus_is_visible_on_every_stop_of_the_workspace(new_context: Any, sign_in: Any) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_city_changsha")
    for path in ["/workspace/", "/accounts/users/", "/accounts/profile/"]:
        page.goto(path)
        watcher = FocusWatcher(page)
        for _ in range(60):
            page.keyboard.press("Tab")
            if watcher.focused() == "body":
                break
        watcher.settle()
        assert not watcher.invisible, (
            f"focus is not visible on {path}:\n" + "\n".join(watcher.invisible)
        )


def test_empty_form_submitted_with_enter_focuses_error_summary_whose_links_reach_fields(
    new_context: Any, sign_in: Any
) -> None:
    page = new_context().new_page()
    sign_in(page, KEYBOARD_PERSONA)
    page.goto("/accounts/password/")
    page.locator("main").focus()
    for _ in range(10):
        if tab(page).startswith("input#id_old_password"):
            break
    assert active(page).startswith("input#id_old_password")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), (
        f"the error summary should receive focus, focus is on {active(page)}"
    )
    summary_links = page.locator("[data-error-summary] a")
    targets = summary_links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert targets == ["#id_old_password", "#id_new_password", "#id_new_password_again"]
    for index, target in enumerate(targets):
        page.locator("[data-error-summary]").focus()
        for _ in range(index + 1):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == target
        page.keyboard.press("Enter")
        assert page.evaluate("'#' + document.activeElement.id") == target, (
            f"the error summary link {target} should move focus to its field, "
            f"focus is on {active(page)}"
        )
        label_visible = page.locator(f"label[for={target[1:]}]").evaluate(ON_SCREEN)
        assert label_visible, f"the label of {target} should be scrolled into view"


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/workspace/", "/accounts/users/", "/accounts/users/new/"]
)
def test_tabbing_through_a_page_comes_back_to_the_start(
    path: str, new_context: Any, sign_in: Any
) -> None:
    page = new_context().new_page()
    if path != "/accounts/login/":
        sign_in(page, "demo_city_changsha")
    page.goto(path)
    page.keyboard.press("Tab")
    start = active(page)
    assert "skip-link" in page.evaluate("document.activeElement.className"), start
    seen = [start]
    for _ in range(150):
        focused = tab(page)
        if focused in ("body", start):
            break
        seen.append(focused)
    else:
        pytest.fail(f"keyboard trap on {path}: after 150 Tabs focus is on {active(page)}; "
                    f"last stops: {seen[-5:]}")
    assert len(seen) >= 3, f"{path} has too few Tab stops: {seen}"
    # And backwards: Shift+Tab from the start also gets out and round again.
    for _ in range(150):
        if tab(page, shift=True) == start:
            break
    else:
        pytest.fail(f"Shift+Tab never returns to the skip link on {path}")
