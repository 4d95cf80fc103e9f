"""axe on the fund pages, the anomaly list and the purchased-service pages (helper "funds"),
as the 长沙 city clerk: the fund views of the current year, the contract form empty and with
errors, a contract made through the form, its page, the spending form refusing an overspend,
and the edit form."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, axe_violations, format_violations
from tests.browser.test_accessibility import check_page

pytestmark = pytest.mark.browser

PAGES = ("/subsidies/funds/", "/subsidies/funds/providers/", "/subsidies/funds/regions/",
         "/subsidies/funds/regions/?year=2025&city=", "/subsidies/funds/anomalies/",
         "/subsidies/contracts/", "/subsidies/contracts/new/")


def _check_here(page: Any, problems: list[str]) -> None:
    problems.extend(format_violations(page.url, axe_violations(page)))


def test_fund_and_contract_pages_pass_axe(new_context: Any, sign_in: Any,
                                          browser_server: LiveServer) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_city_changsha")
    problems: list[str] = []
    for url in PAGES:
        assert check_page(page, url, problems, browser_server), url
    # the contract form with errors (empty submit)
    page.goto("/subsidies/contracts/new/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    _check_here(page, problems)
    # a contract made through the form
    page.fill("#id_number", "AXE-CS-2025-001")
    page.select_option("#id_buyer_region", index=1)
    page.select_option("#id_provider", index=1)
    page.select_option("#id_tender_method", "open")
    page.fill("#id_amount", "5000")
    page.fill("#id_starts_on", "2025-01-01")
    page.fill("#id_ends_on", "2025-12-31")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/subsidies/contracts/" in page.url and "/new/" not in page.url, page.inner_text(
        "main")[:500]
    detail = page.url
    _check_here(page, problems)
    # the spending form refusing an overspend
    assert check_page(page, detail + "spending/", problems, browser_server)
    page.fill("#id_spent_on", "2025-05-01")
    page.fill("#id_amount", "5000.01")
    page.fill("#id_note", "第一期")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    _check_here(page, problems)
    assert check_page(page, detail + "edit/", problems, browser_server)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
