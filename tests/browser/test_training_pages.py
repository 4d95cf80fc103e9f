"""axe on the pages of training classes in every status, as the people who use them.

The persona crawl of ``test_accessibility.py`` goes one link deep, so it misses most class
pages. Here, for the seeded classes of every status (``skillplan/training/demo.py``): the class
page and every part page it links to (roster, attendance, inspections, results, certificates of
the class), as the 芙蓉区 provider, the 长沙 city clerk and the third-party evaluator; the late
list, the certificates and one certificate; the trainee's "My training"; the public verification
page with a valid and an invalid answer; and the class, attendance and results pages at 320 px.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from skillplan.core.masking import mask_name
from skillplan.training.choices import ClassStatus
from tests.browser.conftest import LiveServer
from tests.browser.test_accessibility import (
    check_page,
    crawlable,
    links,
    no_horizontal_scroll,
    url_shape,
)
from tests.browser.test_training_flow import T

pytestmark = pytest.mark.browser

# persona → the statuses whose classes it must find (the evaluator sees its assigned class)
PERSONAS = {
    "demo_provider": set(ClassStatus.values),
    "demo_city_changsha": set(ClassStatus.values),
    "demo_evaluator": {ClassStatus.IN_PROGRESS},
}
MENU_PAGES = ("/classes/late/", "/certificates/")
INNER_PREFIXES = ("/classes/", "/certificates/", "/public/certificates/")


def classes_by_status(page: Any) -> dict[str, str]:
    """The newest class of each status the user sees (absolute address of its page)."""
    found = {}
    for status in ClassStatus.values:
        page.goto(f"/classes/?status={status}")
        first = page.locator("main table tbody th[scope=row] a").first
        if first.count():
            found[status] = first.evaluate("a => a.href")
    return found


def inner_links(page: Any, origin: str) -> list[str]:
    """Links in <main> to other class or certificate pages (no downloads or exports)."""
    return [href for href in links(page, "main a[href]")
            if crawlable(href, origin) and urlsplit(href).path.startswith(INNER_PREFIXES)]


def check_class(page: Any, url: str, problems: list[str], server: LiveServer,
                seen: set[str]) -> int:
    """The class page, each part page it links to, and (once per kind of page) what those
    link to; returns how many pages were checked."""
    if not check_page(page, url, problems, server):
        return 1
    parts = links(page, "main nav[aria-labelledby=parts-title] a")
    assert len(parts) >= 3, f"{url} links to only {parts}"
    deeper: list[str] = []
    for part in parts:
        if check_page(page, part, problems, server):
            deeper += inner_links(page, server.url)
    checked = 1 + len(parts)
    for link in deeper:
        shape = url_shape(link)
        if shape not in seen:
            seen.add(shape)
            checked += 1
            check_page(page, link, problems, server)
    return checked


@pytest.mark.parametrize("username", list(PERSONAS))
def test_class_pages_of_every_status_pass_axe(
        username: str, new_context: Any, sign_in: Any, browser_server: LiveServer) -> None:
    page = new_context().new_page()
    sign_in(page, username)
    problems: list[str] = []
    classes = classes_by_status(page)
    assert PERSONAS[username] <= set(classes), sorted(set(ClassStatus.values) - set(classes))
    seen = {url_shape(url) for url in classes.values()}
    checked = sum(check_class(page, url, problems, browser_server, seen)
                  for url in classes.values())
    page.goto("/workspace/")
    menu = [href for href in links(page, "nav.main-nav a")
            if any(href.endswith(path) for path in MENU_PAGES)]
    for url in menu:
        checked += check_page(page, url, problems, browser_server)
        if url.endswith("/certificates/"):
            first = page.locator("main table tbody th a").first
            assert first.count(), "no certificate is listed"
            checked += check_page(page, first.evaluate("a => a.href"), problems,
                                  browser_server)
    print(f"{username}: {checked} pages of {len(classes)} classes")
    assert not problems, (f"{len(problems)} problem(s) for {username}:\n" + "\n".join(problems))


def test_my_training_and_public_verification_pass_axe(
        new_context: Any, sign_in: Any, browser_server: LiveServer) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_trainee")
    problems: list[str] = []
    assert check_page(page, "/certificates/mine/", problems, browser_server)
    rows = page.locator("#my-certificates-caption").locator("xpath=ancestor::table").locator(
        "tbody tr th a")
    assert rows.count() == 1
    number = rows.first.inner_text().strip()
    check_page(page, rows.first.evaluate("a => a.href"), problems, browser_server)
    holder = "周小明"

    public = new_context().new_page()
    assert check_page(public, "/public/certificates/", problems, browser_server)
    assert check_page(public, f"/public/certificates/?number={number}&name={holder}",
                      problems, browser_server)
    answer = public.get_by_role("region", name=T("Result of the check"))
    assert T("This certificate is genuine and valid.") in answer.inner_text()
    assert mask_name(holder) in answer.inner_text() and holder not in answer.inner_text()
    assert check_page(public, f"/public/certificates/?number={number}&name=周小红",
                      problems, browser_server)
    assert T("Not found") in public.get_by_role(
        "region", name=T("Result of the check")).inner_text()
    assert not problems, "\n".join(problems)


def test_class_attendance_and_results_pages_reflow_at_320_px(
        new_context: Any, sign_in: Any) -> None:
    page = new_context(width=320, height=640).new_page()
    sign_in(page, "demo_provider")
    classes = classes_by_status(page)
    running, ended = classes[ClassStatus.IN_PROGRESS], classes[ClassStatus.ENDED]
    wide = []
    for url, part, shown in ((running, "", "#next-title"),
                             (running, "attendance/", "form.attendance-grid input[type=radio]"),
                             (ended, "results/", ".results-grid input[type=radio]")):
        page.goto(url + part)
        assert page.locator(shown).count() >= 1, f"{url + part} does not show {shown}"
        if not no_horizontal_scroll(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            wide.append(f"{page.url} is {width} px wide")
    assert not wide, "pages scroll sideways at 320 px:\n" + "\n".join(wide)
