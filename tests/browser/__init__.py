"""Browser tests of the admin: Playwright driving Debian Chromium against a live server."""
