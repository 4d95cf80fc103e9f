"""Issue 5's "done when", in a real browser: a provider opens a class, the federation approves
it, trainees are enrolled (one from the registry search, more from a messy roster file),
attendance and an inspection are recorded, results are entered, completion is approved, and
the certificates come out as PDFs that verify on the public page.

Every page the path passes through — error states included — is checked with axe. Controls are
found the way a screen-reader or keyboard user finds them: by their label or role and name, in
the language the server speaks (the msgids through the same compiled catalog the server reads).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import expect

from skillplan.core.masking import mask_name
from skillplan.training.demo import ROSTER_PERSONS, inspection_photo
from tests.browser.conftest import axe_violations, format_violations

pytestmark = pytest.mark.browser

PROJECT = "电商客服专项技能培训"
VENUE = "长沙市芙蓉区阳光职业技能培训学校（芙蓉中路二段 88 号）二楼电脑室"


# --- finding things as people do ---------------------------------------------------------------


def T(msgid: str, **params: Any) -> str:
    """The text the server shows for ``msgid`` (its language, its catalog)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(msgid)
    return text % params if params else text


def label_pattern(msgid: str, **params: Any) -> re.Pattern[str]:
    """A control's label exactly, with or without the "（required）" marker."""
    required = re.escape(T("required"))
    return re.compile(rf"^\s*{re.escape(T(msgid, **params))}(\s*（{required}）)?\s*$")


def field(scope: Any, msgid: str, **params: Any) -> Any:
    return scope.get_by_label(label_pattern(msgid, **params))


def button(scope: Any, msgid: str) -> Any:
    return scope.get_by_role("button", name=T(msgid), exact=True)


def link(scope: Any, msgid: str) -> Any:
    return scope.get_by_role("link", name=T(msgid), exact=True)


class Audit:
    """axe on every page visited; HTTP errors fail at once, violations are listed at the end."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.pages = 0

    def check(self, page: Any, note: str = "") -> None:
        self.pages += 1
        found = format_violations(page.url + (f" ({note})" if note else ""),
                                  axe_violations(page))
        self.problems.extend(found)

    def open(self, page: Any, url: str, note: str = "") -> None:
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and
                                                                 response.status)
        self.check(page, note)

    def follow(self, page: Any, locator: Any, note: str = "") -> None:
        """Click something that loads a page (a link, a form's button); check the page."""
        with page.expect_navigation() as navigation:
            locator.click()
        response = navigation.value
        assert response is None or response.status < 400, (page.url, response.status)
        self.check(page, note)


def success(page: Any, text: str) -> None:
    expect(page.locator("main")).to_contain_text(text)


def summary_value(page: Any, msgid: str) -> str:
    term = page.locator("dl.summary dt", has_text=T(msgid)).first
    return str(term.locator("xpath=following-sibling::dd[1]").inner_text()).strip()


# --- the steps ---------------------------------------------------------------------------------


def open_class(page: Any, audit: Audit) -> str:
    """demo_provider opens a class through the form and submits the application."""
    audit.open(page, "/classes/")
    audit.follow(page, link(page.locator("main"), "Open a new class"))
    audit.follow(page, button(page, "Save the draft"), "empty form: errors")
    expect(page.locator(".error-summary")).to_be_visible()
    today = timezone.localdate()
    field(page, "Class name").fill("芙蓉区电商客服专项技能培训班（第四期）")
    project = field(page, "Catalog project")
    project.select_option(project.locator("option", has_text=PROJECT).get_attribute("value"))
    field(page, "County where the class is held").select_option("430102")
    field(page, "First day").fill(today.isoformat())
    field(page, "Last day").fill((today + timedelta(days=14)).isoformat())
    field(page, "Training days").fill("15")
    field(page, "Class hours").fill("120")
    field(page, "Venue").fill(VENUE)
    field(page, "The venue is accessible").check()
    field(page, "Accessibility of the venue").fill("无障碍坡道入口，电梯直达二楼，同层无障碍卫生间")
    field(page, "Places").fill("30")
    field(page, "Teachers").fill("刘芳 电商客服实务\n王丽 手语翻译")
    field(page, "Sign-language interpreting").check()
    field(page, "Accessible venue").check()
    field(page, "Budget (yuan)").fill("54000")
    audit.follow(page, button(page, "Save the draft"), "class page: draft")
    class_url = page.url
    assert re.search(r"/classes/\d+/$", class_url), class_url
    audit.follow(page, button(page, "Submit the application (开班申请)"), "submitted")
    success(page, T("Application submitted, awaiting approval"))
    return class_url


def approve(page: Any, audit: Audit, class_url: str) -> None:
    audit.open(page, class_url, "to approve")
    audit.follow(page, button(page, "Approve the application"), "approved")
    success(page, T("Approved, not yet started"))


def enrol_by_search(page: Any, audit: Audit, class_url: str) -> None:
    person = ROSTER_PERSONS[0]
    audit.open(page, class_url)
    audit.follow(page, link(page, "Roster (enrolled trainees)"))
    search = page.get_by_role("search", name=T("Find a person in the registry"))
    button(search, "Search").click()
    expect(page.locator("#roster-search .field-error")).to_be_visible()
    audit.check(page, "search: nothing typed")
    field(page.get_by_role("search"), "ID number").fill(person.id_number)
    button(page.get_by_role("search"), "Search").click()
    expect(page.locator("#roster-results-caption")).to_be_visible()
    audit.check(page, "search: one person found")
    enrol = page.locator("#roster-search").get_by_role(
        "button", name=re.compile(re.escape(person.name)))
    audit.follow(page, enrol, "enrolled")
    expect(page.get_by_role("rowheader", name=person.name, exact=True)).to_be_visible()


def import_roster(page: Any, audit: Audit, class_url: str, tmp_path: Path) -> None:
    from tests.training.files import write_messy_roster

    code = page.locator("dl.summary dd.mono").first.inner_text().strip()
    path = tmp_path / "培训班学员名单（乱）.xlsx"
    expected = write_messy_roster(path, code, ROSTER_PERSONS[1:5])
    audit.follow(page, link(page, "Import a class roster from Excel"))
    audit.follow(page, button(page, "Upload and check"), "no file: error")
    expect(page.locator(".field-error")).to_be_visible()
    field(page, "Roster file").set_input_files(str(path))
    audit.follow(page, button(page, "Upload and check"), "checking or checked")
    confirm = button(page, "Confirm and import")
    expect(confirm).to_be_visible(timeout=60_000)
    audit.check(page, "check result")
    preview_url = page.url
    assert summary_value(page, "Rows in the file") == str(expected["rows"])
    assert summary_value(page, "Trainees to enrol") == str(expected["created"])
    assert summary_value(page, "Rows with errors (not imported)") == str(expected["rejected"])
    reported = {int(text) for text in page.locator("#errors-caption").locator(
        "xpath=ancestor::table").locator("tbody th").all_inner_texts()}
    assert reported == set(expected["errors"]), (reported, expected["errors"])
    audit.follow(page, confirm, "import job")
    expect(page.locator("#job-progress")).to_contain_text(T("Finished"), timeout=60_000)
    audit.check(page, "import job finished")
    audit.open(page, preview_url, "result of the import")
    assert summary_value(page, "Trainees enrolled") == str(expected["created"])
    audit.open(page, class_url.rstrip("/") + "/roster/", "roster after import")
    for person in ROSTER_PERSONS[:5]:
        expect(page.get_by_role("rowheader", name=person.name, exact=True)).to_be_visible()


def run_class(page: Any, audit: Audit, class_url: str) -> None:
    audit.open(page, class_url)
    audit.follow(page, button(page, "Start the class"), "started")
    success(page, T("The class has started."))
    audit.follow(page, link(page.locator("main"), "Attendance"))
    audit.follow(page, button(page, "All present"), "all present")
    success(page, T("Attendance of %(day)s saved: %(present)s present of %(marked)s marked.",
                    day=timezone.localdate().isoformat(), present=5, marked=5))


def inspect(page: Any, audit: Audit, class_url: str, tmp_path: Path) -> None:
    photo = tmp_path / "课堂检查照片.png"
    photo.write_bytes(inspection_photo().read())
    audit.open(page, class_url, "county clerk")
    audit.follow(page, link(page, "Inspections (过程检查)"))
    audit.follow(page, button(page, "Record the inspection"), "no findings: errors")
    expect(page.locator(".field-error").first).to_be_visible()
    page.get_by_role("radio", name=T("Good"), exact=True).check()
    field(page, "Findings").fill("学员全部到课，手语翻译在岗，教室无障碍设施完好。"
                                 "建议增加实操练习。")
    field(page, "Evidence (photos or PDF)").set_input_files(str(photo))
    audit.follow(page, button(page, "Record the inspection"), "recorded")
    success(page, T("The inspection is recorded."))
    expect(page.get_by_role("link", name=re.compile(re.escape(photo.name)))).to_be_visible()


def enter_results(page: Any, audit: Audit, class_url: str) -> None:
    names = [person.name for person in ROSTER_PERSONS[:5]]
    audit.open(page, class_url)
    audit.follow(page, button(page, "End the class"), "ended")
    audit.follow(page, link(page, "Completion results"))
    for index, name in enumerate(names):
        passed = index < len(names) - 1
        group = page.get_by_role("group", name=T("Result of %(name)s", name=name))
        group.get_by_label(T("Passed (合格)" if passed else "Failed (不合格)"), exact=True).check()
        field(page, "Score of %(name)s", name=name).fill(str(80 + index) if passed else "48")
    field(page, "Score of %(name)s", name=names[0]).fill("150")
    audit.follow(page, button(page, "Save results"), "a score out of range: errors")
    expect(page.locator(".error-summary")).to_be_visible()
    field(page, "Score of %(name)s", name=names[0]).fill("86.5")
    audit.follow(page, button(page, "Save results"), "saved")
    success(page, T("Results saved."))
    audit.open(page, class_url)
    audit.follow(page, button(page, "Submit the completion for review (结业审核)"), "submitted")
    success(page, T("Completion submitted, awaiting review"))


def approve_completion(page: Any, audit: Audit, class_url: str) -> tuple[str, str]:
    """The city clerk approves; the certificates are listed; one PDF downloads."""
    audit.open(page, class_url, "to approve the completion")
    audit.follow(page, button(page, "Approve the completion"), "completion approved")
    success(page, T("Completion approved"))
    success(page, T("Certificates issued"))
    audit.follow(page, link(page, "Certificates of this class"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(4)
    number = rows.first.locator("th").inner_text().strip()
    holder = rows.first.locator("td").first.inner_text().strip()
    assert holder in [person.name for person in ROSTER_PERSONS[:4]]
    audit.follow(page, page.get_by_role("link", name=number, exact=True), "a certificate")
    with page.expect_download() as download:
        link(page, "Download the certificate (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF") and len(content) > 10_000, len(content)
    return number, holder


def verify(page: Any, audit: Audit, number: str, holder: str) -> None:
    audit.open(page, "/public/certificates/", "anonymous visitor")
    field(page, "Certificate number").fill(number)
    field(page, "Holder's full name").fill(holder[:-1] + "某")
    audit.follow(page, button(page, "Check the certificate"), "wrong name: not found")
    success(page, T("Not found"))
    field(page, "Certificate number").fill(number)
    field(page, "Holder's full name").fill(holder)
    audit.follow(page, button(page, "Check the certificate"), "valid")
    answer = page.get_by_role("region", name=T("Result of the check"))
    expect(answer).to_contain_text(T("This certificate is genuine and valid."))
    expect(answer).to_contain_text(mask_name(holder))
    expect(answer).not_to_contain_text(holder)


def test_a_class_from_application_to_verified_certificates(
        new_context: Any, sign_in: Any, tmp_path: Path) -> None:
    audit = Audit()
    provider = new_context().new_page()
    sign_in(provider, "demo_provider")
    class_url = open_class(provider, audit)

    clerk = new_context().new_page()
    sign_in(clerk, "demo_city_changsha")
    approve(clerk, audit, class_url)

    enrol_by_search(provider, audit, class_url)
    import_roster(provider, audit, class_url, tmp_path)
    run_class(provider, audit, class_url)

    county = new_context().new_page()
    sign_in(county, "demo_county_furong")
    inspect(county, audit, class_url, tmp_path)

    enter_results(provider, audit, class_url)
    number, holder = approve_completion(clerk, audit, class_url)
    verify(new_context().new_page(), audit, number, holder)

    print(f"{audit.pages} pages checked with axe on the path")
    assert audit.pages >= 30, audit.pages
    assert not audit.problems, (f"{len(audit.problems)} accessibility problem(s) on the "
                                "path:\n" + "\n".join(audit.problems))
