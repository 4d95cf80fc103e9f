"""Every page each persona can reach passes axe-core's WCAG 2.1 A/AA rules.

For each demo account: sign in, open every page in the main menu and the header, then one
level deeper (links in <main> on those pages), one page per URL shape, up to a cap. The public
pages, forms showing errors, the high-contrast and large-text modes, and a 320 px wide screen
(WCAG 1.4.10 reflow) are checked too.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from skillplan.accounts.demo import DEMO_ACCOUNTS
from tests.browser.conftest import (
    LiveServer,
    TotpClock,
    axe_violations,
    format_violations,
    submit_totp,
)

PAGE_CAP = 25
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/")
# Opening the two-factor setup page starts a new key for the account (checked on its own below).
SKIPPED_PARTS = ("logout", "download", "/export", "/template/", "/two-factor/setup/")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def url_shape(url: str) -> str:
    """/accounts/users/17/?page=2 → /accounts/users/<n>/?page — one page per shape is enough."""
    parts = urlsplit(url)
    path = UUID.sub("<uuid>", parts.path)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def crawlable(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    path = parts.path
    return not path.startswith(SKIPPED_PREFIXES) and not any(p in path for p in SKIPPED_PARTS)


def links(page: Any, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        selector, "els => els.filter(e => !e.hasAttribute('download')).map(e => e.href)"
    )
    return [href.split("#", 1)[0] for href in hrefs if href]


def leave_error_page(page: Any) -> None:
    """After a failed navigation Chromium loads its own error page; wait it out."""
    for _ in range(5):
        try:
            page.goto("about:blank")
            return
        except PlaywrightError:
            page.wait_for_timeout(200)


def check_page(page: Any, url: str, problems: list[str], server: LiveServer | None = None) -> bool:
    """Open ``url``, run axe, note problems. False when the page did not open properly."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # an error status with an empty body, or a download
        leave_error_page(page)
        if "Download is starting" in error.message:
            return False
        status = page.request.get(url, max_redirects=0).status
        hint = server.last_error() if server and status >= 500 else ""
        problems.append(f"{url}  [HTTP {status}] the page did not open (empty answer)"
                        + (f"\n    server: {hint}" if hint else ""))
        return False
    status = response.status if response else 0
    if status >= 400 or status == 0:
        # Every link the app offers a user should open for that user.
        hint = server.last_error() if server and status >= 500 else ""
        problems.append(f"{url}  [HTTP {status}] a link in the app leads to an error page"
                        + (f"\n    server: {hint}" if hint else ""))
        if status >= 500 or status == 0:
            return False
    problems.extend(format_violations(page.url, axe_violations(page)))
    return status < 400


def crawl(page: Any, server: LiveServer, problems: list[str]) -> list[str]:
    """The pages a signed-in user reaches from the menu and header, and one level deeper."""
    origin = server.url
    seen: dict[str, str] = {}
    queue: list[tuple[str, int]] = [(f"{origin}/workspace/", 0)]
    page.goto("/workspace/")
    queue += [(href, 0) for href in links(page, "nav.main-nav a")]
    queue += [(href, 0) for href in links(page, ".site-header a")]
    while queue and len(seen) < PAGE_CAP:
        url, depth = queue.pop(0)
        if not crawlable(url, origin) or url_shape(url) in seen:
            continue
        seen[url_shape(url)] = url
        if check_page(page, url, problems, server) and depth == 0:
            queue += [(href, 1) for href in links(page, "main a[href]")]
    return list(seen.values())


def test_axe_harness_reports_a_known_violation(new_context: Any) -> None:
    """A canary: if axe silently stopped running, every other test here would pass."""
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<img src=\"/missing.png\"><a href=\"/x/\"></a>')")
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "link-name"} <= found, found


@pytest.mark.parametrize("username", [account.username for account in DEMO_ACCOUNTS])
def test_every_page_a_persona_reaches_passes_axe(
    username: str, new_context: Any, sign_in: Any, browser_server: LiveServer
) -> None:
    page = new_context().new_page()
    sign_in(page, username)
    problems: list[str] = []
    visited = crawl(page, browser_server, problems)
    assert len(visited) >= 2, f"{username} reached only {visited}"
    print(f"{username}: {len(visited)} pages: {' '.join(visited)}")
    assert not problems, (
        f"{len(problems)} accessibility problem(s) for {username} on {len(visited)} pages:\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accessibility/"])
def test_public_page_passes_axe(path: str, new_context: Any) -> None:
    page = new_context().new_page()
    problems: list[str] = []
    assert check_page(page, path, problems), f"{path} did not open"
    assert not problems, "\n".join(problems)


def public_crawl(page: Any, server: LiveServer, problems: list[str]) -> list[str]:
    """The public disclosure pages a visitor reaches from the home page, and one level deeper."""
    origin = server.url
    seen: dict[str, str] = {}
    page.goto("/")
    queue = [(href, 0) for href in links(page, "main a[href], footer a[href]")
             if "/public/" in href]
    while queue and len(seen) < PAGE_CAP:
        url, depth = queue.pop(0)
        if not crawlable(url, origin) or url_shape(url) in seen:
            continue
        seen[url_shape(url)] = url
        if check_page(page, url, problems, server) and depth == 0:
            queue += [(href, 1) for href in links(page, "main a[href]") if "/public/" in href]
    return list(seen.values())


def test_public_disclosure_pages_pass_axe_for_an_anonymous_visitor(
    new_context: Any, browser_server: LiveServer
) -> None:
    page = new_context().new_page()
    problems: list[str] = []
    visited = public_crawl(page, browser_server, problems)
    assert len(visited) >= 6, visited  # bases, providers, results, catalog, brands, carriers …
    assert not problems, "\n".join(problems)


def test_public_pages_work_with_javascript_turned_off(
    new_context: Any, browser_server: LiveServer
) -> None:
    """The public pages and their search forms are plain HTML: no script is needed.
    (axe itself is a script, so this test only opens pages; the test above runs axe.)"""
    page = new_context(javascript=False).new_page()
    page.goto("/")
    targets = [href for href in links(page, "main a[href], footer a[href]") if "/public/" in href]
    assert len(targets) >= 6, targets
    for url in targets:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert page.locator("h1").count() == 1 and page.locator("main").count() == 1, url
    for path in ("/public/bases/", "/public/providers/", "/public/catalog/"):
        page.goto(path)
        form = page.locator("main form[method=get]").first
        assert form.count() == 1, f"{path} has no search form"
        form.locator("[type=submit]").first.click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == path and page.locator("h1").count() == 1


def test_page_not_found_is_an_accessible_page_with_the_shell(
    new_context: Any, sign_in: Any
) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_county_jishou")
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    assert page.locator("nav.main-nav").count() == 1, "the 404 page should keep the menu"
    assert page.locator("h1").count() == 1
    problems = format_violations(page.url, axe_violations(page))
    assert not problems, "\n".join(problems)


def test_login_with_wrong_password_shows_an_accessible_error_summary(new_context: Any) -> None:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "nobody_browser_test")
    page.fill("#id_password", "not-the-password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    problems = format_violations(page.url, axe_violations(page))
    assert not problems, "\n".join(problems)


def test_form_with_validation_errors_passes_axe(new_context: Any, sign_in: Any) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_county_furong")
    page.goto("/accounts/password/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.locator(".field-error").count() >= 1
    problems = format_violations(page.url, axe_violations(page))
    assert not problems, "\n".join(problems)


def toggle_display(page: Any, value: str) -> None:
    with page.expect_navigation():
        page.locator(f"header button[name=toggle][value={value}]").click()


DISPLAY_PAGES = ["/workspace/", "/accounts/profile/", "/accounts/users/", "/regions/"]


def test_high_contrast_and_large_text_modes_pass_axe(new_context: Any, sign_in: Any) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_city_changsha")
    problems: list[str] = []
    toggle_display(page, "contrast")
    assert "high-contrast" in (page.get_attribute("html", "class") or "")
    assert page.get_attribute("header button[value=contrast]", "aria-pressed") == "true"
    for path in DISPLAY_PAGES:
        check_page(page, path, problems)
    toggle_display(page, "large-text")
    html_class = page.get_attribute("html", "class") or ""
    assert "high-contrast" in html_class and "large-text" in html_class
    for path in DISPLAY_PAGES:
        check_page(page, path, problems)
    page.goto("/accounts/password/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    problems.extend(format_violations(page.url + " (errors)", axe_violations(page)))
    toggle_display(page, "contrast")
    assert "high-contrast" not in (page.get_attribute("html", "class") or "")
    for path in DISPLAY_PAGES[:2]:
        check_page(page, path, problems)
    assert not problems, "\n".join(problems)


NARROW_PAGES = ["/workspace/", "/accounts/profile/", "/accounts/users/", "/accounts/password/",
                "/regions/", "/accessibility/"]


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("large_text", [False, True], ids=["normal-text", "large-text"])
def test_pages_reflow_at_320_px_without_horizontal_scrolling(
    large_text: bool, new_context: Any, sign_in: Any
) -> None:
    page = new_context(width=320, height=640).new_page()
    wide: list[str] = []
    page.goto("/accounts/login/")
    if not no_horizontal_scroll(page):
        wide.append(page.url)
    sign_in(page, "demo_province")
    if large_text:
        toggle_display(page, "large-text")
    for path in NARROW_PAGES:
        page.goto(path)
        if not no_horizontal_scroll(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            wide.append(f"{page.url} is {width} px wide")
    assert not wide, "pages scroll sideways at 320 px:\n" + "\n".join(wide)


def test_two_factor_setup_page_passes_axe_and_sets_up_a_new_key(
    new_context: Any, sign_in: Any, totp_clock: TotpClock
) -> None:
    """Opening the setup page starts a new key; the persona's new key is kept for later logins."""
    username = "demo_secadmin"
    page = new_context().new_page()
    sign_in(page, username)
    problems: list[str] = []
    check_page(page, "/accounts/two-factor/setup/", problems)
    assert not problems, "\n".join(problems)
    page.fill("#id_current_code", totp_clock.code(username))  # proves the current key
    totp_clock.secrets[username] = page.inner_text("figure code").strip()
    submit_totp(page, username, totp_clock)
    assert "/accounts/profile/" in page.url
