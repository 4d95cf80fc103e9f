"""axe on the claim pages (helper "claims") with the demo claims: the list, each claim's page
as the provider, the reviewer (the adjustment awaiting review) and the province, the payment
form with errors, and the adjustment form with errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, axe_violations, format_violations
from tests.browser.test_accessibility import check_page

pytestmark = pytest.mark.browser


def _claim_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all("main table a", "els => els.map(e => e.href)")
    return [href for href in hrefs if re.search(r"/subsidies/claims/\d+/$", href)]


def _submit_with_errors(page: Any, problems: list[str]) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.locator(".error-summary").count() == 1, page.inner_text("main")[:500]
    problems.extend(format_violations(page.url, axe_violations(page)))


def test_claim_pages_pass_axe(new_context: Any, sign_in: Any,
                              browser_server: LiveServer) -> None:
    problems: list[str] = []
    page = new_context().new_page()
    sign_in(page, "demo_provider")
    assert check_page(page, "/subsidies/claims/", problems, browser_server)
    assert check_page(page, "/subsidies/claims/?status=paid&year=", problems, browser_server)
    page.goto("/subsidies/claims/")
    links = _claim_links(page)
    assert len(links) >= 2, page.inner_text("main")[:500]
    adjustable = []
    for link in links:
        assert check_page(page, link, problems, browser_server), link
        if page.locator("a[href$='/adjust/']").count():
            adjustable.append(link)
    paid = adjustable[0]
    assert check_page(page, paid + "adjust/", problems, browser_server)
    _submit_with_errors(page, problems)

    city = new_context().new_page()
    sign_in(city, "demo_city_changsha")
    for link in links:
        assert check_page(city, link, problems, browser_server), link
    assert check_page(city, paid + "pay/", problems, browser_server)
    _submit_with_errors(city, problems)

    xiangxi = new_context().new_page()
    sign_in(xiangxi, "demo_provider_xiangxi")
    assert check_page(xiangxi, "/subsidies/claims/", problems, browser_server)
    for link in _claim_links(xiangxi):
        assert check_page(xiangxi, link, problems, browser_server), link
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
