"""Fixtures of the browser tests: Debian Chromium, a live server and logged-in admin pages."""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The data migration that creates the Editors and Reporters groups.
editorial_groups = importlib.import_module("summits.migrations.0002_editorial_groups")


@pytest.fixture(scope="session", autouse=True)
def _chromium_installed():
    # Playwright's own browser downloads are impossible here; the tests drive Debian's Chromium.
    # CI installs it, so there a missing browser is a failure, not a silent skip. Session scope:
    # pytest sets up session fixtures (the browser among them) before function-scoped ones.
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _test_database_before_playwright(django_db_setup):
    # Created before Playwright starts its event loop, the test database is destroyed after
    # Playwright has stopped it, whichever test runs last; destroying it under the running loop
    # fails (SynchronousOnlyOperation) when that last test is not a browser test.
    return


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # pytest-playwright has no option for the browser executable; this session fixture is it.
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def context(context):
    # A step that cannot happen fails after 10 s instead of Playwright's 30 s.
    context.set_default_timeout(10_000)
    return context


class BrowserErrors:
    """Console errors, uncaught exceptions and server errors (5xx answers to any request of
    the page, scripts included) of a page, collected while a test drives it."""

    def __init__(self, page):
        self.console = []
        self.uncaught = []
        self.server_errors = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.uncaught.append(str(error)))
        page.on("response", self._on_response)

    def _on_response(self, response):
        if response.status >= 500:
            request = response.request
            self.server_errors.append(f"{response.status} {request.method} {response.url}")

    def _on_console(self, message):
        # A 404 of any request, the browser's own icon request included, is an error here.
        if message.type == "error":
            self.console.append(message.text)

    @property
    def csp_violations(self):
        return [text for text in self.console if "Content Security Policy" in text]

    def assert_clean(self):
        # First: a script the server failed to send is the cause of what fails after it.
        assert not self.server_errors, self.server_errors
        assert not self.csp_violations, self.csp_violations
        assert not self.uncaught, self.uncaught


@pytest.fixture
def browser_errors(page):
    errors = BrowserErrors(page)
    yield errors
    # Every browser test fails on a server error, a CSP violation or an uncaught exception,
    # asked or not.
    errors.assert_clean()


@pytest.fixture
def login(live_server, context):
    """Logs a user in to the browser context by handing it a session cookie, not the login form.

    The live server needs a transactional database, emptied after each test, groups included.
    pytest-django's serialized rollback would restore them, but once Playwright runs, the test
    thread gets a new database connection object without the serialized data and the rollback
    silently restores nothing. So the groups come from their data migration again.
    """
    editorial_groups.create_groups(apps, schema_editor=None)

    def log_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        return user

    return log_in


# Both pages fail their test on a CSP violation or an uncaught exception (browser_errors).
@pytest.fixture
def editor_page(login, page, browser_errors):
    login(factories.editor())
    return page


@pytest.fixture
def reporter_page(login, page, browser_errors):
    login(factories.reporter())
    return page
