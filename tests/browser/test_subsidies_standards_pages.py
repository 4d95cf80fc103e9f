"""axe on the standards pages and a class's computed subsidies (helper "computation"): the
standards list (current and all), the new-standard form empty and with errors, a 长沙 override
made through the form, its page and the replace form, as the 长沙 city clerk; then the computed
subsidies of the demo class 电商客服专项技能培训班（第二期） as the 芙蓉区 provider (with the
compute button)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, axe_violations, format_violations
from tests.browser.test_accessibility import check_page

pytestmark = pytest.mark.browser


def _check_here(page: Any, problems: list[str]) -> None:
    problems.extend(format_violations(page.url, axe_violations(page)))


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()


def test_standard_pages_pass_axe(new_context: Any, sign_in: Any,
                                 browser_server: LiveServer) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_city_changsha")
    problems: list[str] = []
    for url in ("/subsidies/standards/", "/subsidies/standards/?when=all&item=training_fee",
                "/subsidies/standards/new/"):
        assert check_page(page, url, problems, browser_server), url
    _submit(page)  # empty: errors
    assert page.locator(".error-summary").count() == 1
    _check_here(page, problems)
    page.select_option("#id_item", "living")
    page.select_option("#id_training_type", "employment")
    page.select_option("#id_region", index=1)
    page.select_option("#id_basis", "per_day_attended")
    page.fill("#id_rate", "40")
    page.fill("#id_max_days", "36")
    page.fill("#id_share_province", "0")
    page.fill("#id_share_city", "70")
    page.fill("#id_share_county", "30")
    page.fill("#id_effective_from", "2026-01-01")
    page.fill("#id_basis_text", "长残联发〔2026〕1号")
    _submit(page)
    assert re.search(r"/subsidies/standards/\d+/$", page.url), page.inner_text("main")[:500]
    _check_here(page, problems)
    assert check_page(page, page.url + "replace/", problems, browser_server)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_class_subsidies_page_passes_axe(new_context: Any, sign_in: Any,
                                         browser_server: LiveServer) -> None:
    page = new_context().new_page()
    sign_in(page, "demo_provider")
    problems: list[str] = []
    page.goto("/classes/?status=completion_approved")
    link = page.locator("main a", has_text="电商客服专项技能培训班（第二期）").first
    assert link.count() == 1, page.inner_text("main")[:1500]
    href = link.get_attribute("href") or ""
    pk = re.search(r"/classes/(\d+)/", href)
    assert pk, href
    assert check_page(page, f"/subsidies/classes/{pk.group(1)}/", problems, browser_server)
    assert "1,400.00" in page.inner_text("main")
    _submit(page)  # compute again: nothing changes
    assert "1,400.00" in page.inner_text("main")
    _check_here(page, problems)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
