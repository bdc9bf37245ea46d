"""Browser tests: Playwright drives Chromium against the app served by gunicorn."""
