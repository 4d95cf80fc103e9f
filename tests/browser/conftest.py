"""Browser tests: a real server subprocess with seeded demo data, driven by headless Chromium.

The system Chromium (Debian's ``chromium`` package) is used, never a Playwright download.
Without it the browser tests are skipped loudly — except in CI (``CI=true``), where a missing
browser fails the run so that nobody mistakes "skipped" for "passed".

The live server is a ``manage.py runserver`` subprocess with the test settings, on its own
database (a fresh PostgreSQL database when ``DATABASE_URL`` points at PostgreSQL, otherwise
SQLite in a temporary directory), migrated and seeded with ``seed_demo`` once per run.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyotp
import pytest

from skillplan.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("SKILLPLAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_REASON = (
    f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM} — install Debian's chromium package "
    "(or point SKILLPLAN_CHROMIUM at a Chromium binary)"
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    browser_items = [item for item in items if here in Path(str(item.path)).resolve().parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        # With pytest-xdist (`pytest -n 2 --dist loadgroup`), every browser test goes to one
        # worker, so one live server and one Chromium serve them all.
        item.add_marker(pytest.mark.xdist_group("browser"))
    if browser_items and not _chromium_available() and not _in_ci():
        print(f"\n{'!' * 78}\n{SKIP_REASON}\n{'!' * 78}", file=sys.stderr)
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _chromium_available() and not _in_ci():
        terminalreporter.write_line(SKIP_REASON, yellow=True, bold=True)


# --- the live server -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class _Database:
    url: str
    drop: Any = None  # a callable that removes the database, or None


def _postgres_database(url: str) -> _Database:
    import dj_database_url
    import psycopg
    from psycopg import sql

    params = dj_database_url.parse(url)
    name = f"{params['NAME']}_browser_{os.getpid()}"
    connect = {
        "dbname": "postgres",
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "autocommit": True,
    }
    connect = {key: value for key, value in connect.items() if value is not None}
    with psycopg.connect(**connect) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(**connect) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    parts = urlsplit(url)
    return _Database(url=urlunsplit(parts._replace(path=f"/{name}")), drop=drop)


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the live server exited early:\n{log.read_text()[-3000:]}",
                         pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the live server did not answer /healthz in 60 s:\n{log.read_text()[-3000:]}",
                pytrace=False)


@pytest.fixture(scope="session")
def chromium_required() -> None:
    """Fail loudly in CI when the browser is missing (locally the tests are skipped)."""
    if not _chromium_available():
        if _in_ci():
            pytest.fail(f"CI=true but no Chromium at {CHROMIUM}: the browser tests cannot run. "
                        "Install Debian's chromium package in the CI image.", pytrace=False)
        pytest.skip(SKIP_REASON)


@dataclass
class LiveServer:
    url: str
    log: Path

    def last_error(self) -> str:
        """The last exception line the server printed, to explain an HTTP 500."""
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        for line in reversed(lines):
            if re.match(r"^[\w.]+(Error|Exception|DoesNotExist)\b", line):
                return line.strip()[:300]
        return ""


@pytest.fixture(scope="session")
def browser_server(chromium_required: None) -> Iterator[LiveServer]:
    tmp = Path(tempfile.mkdtemp(prefix="skillplan-browser-"))
    configured = os.environ.get("DATABASE_URL", "")
    database = (
        _postgres_database(configured)
        if configured.startswith(("postgres://", "postgresql://", "pgsql://"))
        else _Database(url=f"sqlite:///{tmp / 'browser.sqlite3'}")
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database.url,
        "SKILLPLAN_VAR_DIR": str(tmp),
        "SKILLPLAN_SERVE_STATIC_FROM_FINDERS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    process: subprocess.Popen[bytes] | None = None
    log = tmp / "server.log"
    try:
        _run(["migrate", "--no-input", "-v", "0"], env)
        _run(["seed_demo"], env)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        _wait_healthy(url, process, log)
        yield LiveServer(url=url, log=log)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if database.drop is not None:
            database.drop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def live_server_url(browser_server: LiveServer) -> str:
    return browser_server.url


# --- the browser -----------------------------------------------------------------------------
# Package scope, not session scope: Playwright's sync API keeps an asyncio loop marked as
# running in this thread, and Django would then refuse ORM calls in the tests that follow.


@pytest.fixture(scope="package")
def browser(live_server_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser: Any, live_server_url: str) -> Iterator[Any]:
    """``new_context(width=320)`` → a fresh browser context (own cookies) for this test."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900, javascript: bool = True) -> Any:
        context = browser.new_context(
            base_url=live_server_url, viewport={"width": width, "height": height},
            locale="zh-CN", java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


# --- signing in ------------------------------------------------------------------------------


@dataclass
class TotpClock:
    """Codes for the demo accounts, never replaying a 30-second step the server has seen.

    The server accepts steps now-1, now, now+1 that are greater than the last step it accepted
    for that user; so a second sign-in within 30 s needs the next step's code.
    """

    secrets: dict[str, str] = field(default_factory=dict)
    last_step: dict[str, int] = field(default_factory=dict)

    def secret(self, username: str) -> str:
        return self.secrets.get(username, DEMO_TOTP_SECRET)

    def code(self, username: str) -> str:
        totp = pyotp.TOTP(self.secret(username))
        while True:
            now = int(time.time()) // totp.interval
            step = max(self.last_step.get(username, 0) + 1, now - 1)
            if step <= now + 1:
                break
            time.sleep(max(0.5, (step - 1) * totp.interval - time.time() + 0.2))
        self.last_step[username] = step
        return totp.at(step * totp.interval)


@pytest.fixture(scope="session")
def totp_clock() -> TotpClock:
    return TotpClock()


def submit_totp(page: Any, username: str, clock: TotpClock) -> None:
    page.fill("#id_code", clock.code(username))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.fixture(scope="session")
def sign_in(totp_clock: TotpClock) -> Any:
    """``sign_in(page, "demo_province")``: the login form, and the 2FA step when asked."""

    def login(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if "/accounts/two-factor/" in page.url and "/setup/" not in page.url:
            submit_totp(page, username, totp_clock)
        assert "/accounts/login/" not in page.url, f"{username} could not sign in"
        assert "/accounts/two-factor/" not in page.url, (
            f"{username} is stuck at {page.url}: {page.inner_text('main')[:500]}"
        )

    return login


# --- axe -------------------------------------------------------------------------------------


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; the WCAG 2.0/2.1 A and AA rules."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '),
                                          summary: n.failureSummary || ''}))
            }));
        }""",
        WCAG_TAGS,
    )
    return list(result)


def format_violations(url: str, violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(
                f"{url}  [{violation['id']}, {violation['impact']}]  {node['target']}\n"
                f"    {violation['help']} — {summary}"
            )
    return lines
